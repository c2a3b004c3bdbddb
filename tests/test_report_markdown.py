"""Markdown for reviews and PR comments: audit header, summary tables, every violation, then the
waived ones, then the rest folded; never over GitHub's comment limit, cut at a whole item; escaping."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate
from checker.report.markdown import BUDGET, esc

from .conftest import ROOT
from .reports import SCRIPT, WAIVED_RULE

CUT = re.compile(r"另有 (\d+) 项发现（其中 (\d+) 项违规）、(\d+) 个案例未在此列出。完整报告："
                 r"`--format html=report.html` 或 `--format json=report.json`")

CELL = re.compile(r"(?<!\\)\|")


def tables(text):
    """Every table as a list of rows of cells (split on unescaped pipes)."""
    out, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append([c.strip() for c in CELL.split(line)[1:-1]])
        elif current:
            out.append(current)
            current = []
    return out + ([current] if current else [])


def plain(cell):
    return re.sub(r"\\(.)", r"\1", cell).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.fixture(scope="module")
def md(report_run):
    return report_run["text"]["markdown"]


def test_opens_with_the_audit_header(report_run, md):
    doc = report_run["json"]
    assert md.startswith("# 发行合规检查报告\n")
    audit = dict(tables(md)[0][2:])
    assert audit["规则库哈希（SHA-256）"] == doc["rules_hash"]
    assert audit["工具版本"] == f"offering-check {doc['tool']['version']}"
    assert audit["运行日期"] == doc["run_date"]
    assert audit["豁免"] == "1 项已适用 · 0 项已到期 · 0 项未使用（按 2026-05-01 判断）"
    assert audit["筛选"] == "无（完整审计）"
    waivers = md.split("## 豁免记录\n\n")[1].split("\n\n")[0]
    assert "waived-cap" in waivers and "合规部 张三" in waivers


def test_every_table_is_well_formed(md):
    found = tables(md)
    assert len(found) > 8
    for table in found:
        assert set(table[1]) <= {"---", "---:"}
        assert {len(row) for row in table} == {len(table[0])}, table[0]


def test_summary_tables_match_the_json(report_run, md):
    doc = report_run["json"]
    cases, findings = tables(md)[1], tables(md)[2]
    s = doc["summary"]
    assert cases[2] == [str(s[k]) for k in ("cases", "violations", "not_checked", "not_evaluable", "clean",
                                            "input_error", "engine_error", "internal_error", "partly_checked")]
    statuses = [f["status"] for c in doc["cases"] for f in c["findings"]]
    assert findings[2] == [str(len(statuses))] + [str(statuses.count(k)) for k in
                                                  ("violation", "waived", "not_evaluated", "pending",
                                                   "not_covered")]


def test_each_violation_is_a_row_with_location_expected_and_actual(report_run, md):
    rows = [[plain(c) for c in row] for table in tables(md) for row in table[2:] if len(row) == 8]
    for case in report_run["json"]["cases"]:
        for f in case["findings"]:
            if f["status"] not in ("violation", "waived"):
                continue
            loc = f["location"]
            where = f"{loc['file']}:{loc['line']}:{loc['col']}"
            match = [r for r in rows if r[1] == f["rule_id"] and r[3] == where]
            assert match, (case["case_id"], f["rule_id"])
            assert any(r[5] == f["expected"]["zh"] and r[6] == f["actual"]["zh"] for r in match)
    waived = [r for r in rows if r[0] == "已豁免"]
    assert [r[1] for r in waived] == [WAIVED_RULE] and "监管已书面同意 <b>例外</b>" in waived[0][4]


def test_not_evaluated_findings_are_folded(md):
    assert md.count("<details>") == md.count("</details>") >= 5
    assert re.search(r"<summary>.*: \d+ 无法评估", md)


def test_violations_then_errors_then_waived_then_the_rest(report_run, md):
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads[-5:] == ["## 违规及其他导致失败的发现", "## 输入与引擎错误", "## 已豁免的发现", "## 豁免记录",
                          "## 其他发现（按案例折叠）"]
    errors = md.split("## 输入与引擎错误")[1].split("## ")[0]
    assert "broken" in errors and "输入错误" in errors


def finding_rows(md: str) -> list[list[str]]:
    """Rows of the finding tables: violations and waived (8 cells), the folded rest (4 cells)."""
    return [row for t in tables(md) if len(t[0]) in (4, 8) and t[0][1] == "规则" for row in t[2:]]


def first(f: dict) -> bool:
    """In the first section: a violation, or another listed finding that fails the run."""
    return f["listed"] and (f["status"] == "violation" or (f["fails_run"] and f["status"] != "waived"))


def rest(case: dict) -> bool:
    """Whether the case has a folded block: findings not in the first section nor waived."""
    return bool(case["notices"]) or any(not first(f) and not (f["status"] == "waived" and f["listed"])
                                        for f in case["findings"])


def test_the_bundled_cases_fit_a_pull_request_comment(report_run, md):
    doc = report_run["json"]
    assert len(md) <= BUDGET < len(md) * 3     # cut, but not far below the limit
    match = CUT.search(md)
    assert match and md.rstrip("\n").endswith(match.group(0) + "。")
    total = sum(len(c["findings"]) for c in doc["cases"])
    assert int(match.group(1)) == total - len(finding_rows(md)) > 0
    assert int(match.group(2)) == 0           # every violation shown
    folded = {line.split(" — ")[0].split(" ", 1)[1] for line in md.splitlines()
              if line.startswith("<summary>")}
    hidden = [c for c in doc["cases"] if rest(c) and esc(c["case_id"]) not in folded]
    assert int(match.group(3)) == len(hidden) > 0


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    folder = tmp_path_factory.mktemp("markdown-large")
    generate(2000, str(folder / "cases"), seed=11)
    out = folder / "report.md"
    proc = subprocess.run([sys.executable, "-m", "checker", str(folder / "cases"), "-j", "2", "--format",
                           f"markdown={out},json={folder / 'report.json'}", "--today", "2026-05-01"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode in (0, 1, 2), proc.stderr
    return out.read_text(encoding="utf-8"), json.loads((folder / "report.json").read_text(encoding="utf-8"))


def test_a_large_batch_is_cut_at_a_whole_row_with_a_true_count(large):
    md, doc = large
    assert len(doc["cases"]) == 2000 and len(md) <= BUDGET
    match = CUT.search(md)
    assert match
    listed = [f for c in doc["cases"] for f in c["findings"] if first(f)]
    rows = finding_rows(md)
    assert 0 < len(rows) < len(listed) and [plain(r[1]) for r in rows] == [f["rule_id"] for f in listed[:len(rows)]]
    assert int(match.group(2)) == sum(f["status"] == "violation" for f in listed[len(rows):])
    total = sum(len(c["findings"]) for c in doc["cases"])
    assert int(match.group(1)) == total - len(rows)       # cut among the violations: nothing after shown
    seen, hidden = 0, 0
    for case in doc["cases"]:
        mine = [f for f in case["findings"] if first(f)]
        waived = any(f["status"] == "waived" and f["listed"] for f in case["findings"])
        # a case with nothing to show (clean, no notices) is in no section, cut or not: never left out
        hidden += bool(mine) and seen + len(mine) > len(rows) or bool(case["error"]) or waived or rest(case)
        seen += len(mine)
    assert int(match.group(3)) == hidden
    lines = md.rstrip("\n").splitlines()
    assert lines[-2] == "" and lines[-3].startswith("| ") and lines[-3].endswith(" |")   # a whole row


def test_case_text_cannot_become_html(md):
    assert SCRIPT not in md and "<b>例外</b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_a_long_waiver_list_is_cut_after_the_violations_not_the_header(tmp_path):
    text = Path(ROOT, "cases/waived/ma-controller-lockup-waived.yaml").read_text(encoding="utf-8")
    extra = "".join(f"  - rule: ma.lockup.36m_cases\n    item: 不存在的交易对方{i:04d}\n"
                    f"    reason: 演示：未使用的豁免，理由写得足够长以便撑大报告头部的豁免列表 {i}\n"
                    f"    approver: 示例合规部 王五\n    expires: 2027-06-30\n" for i in range(400))
    text = text.replace("waivers:\n", "waivers:\n" + extra, 1)   # at most 500 a case: two cases
    for k in (1, 2):
        (tmp_path / f"many-waivers-{k}.yaml").write_text(
            text.replace("case_id: ma-controller-lockup-waived", f"case_id: many-waivers-{k}"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "checker", str(tmp_path), f"{ROOT}/cases/violations", "--format",
                           "markdown", "--today", "2026-05-01"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    md = proc.stdout
    assert proc.returncode == 1 and len(md) <= BUDGET, proc.stderr
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads[heads.index("## 违规及其他导致失败的发现") + 1:] == ["## 已豁免的发现", "## 豁免记录"]
    section = md.split("## 豁免记录\n\n")[1].split("\n\n")[0].splitlines()
    shown = len(section)
    assert sum("不存在的交易对方" in line for line in section) == shown - 2   # the two applied ones first
    match = re.search(r"个案例、(\d+) 条豁免记录未在此列出", md)
    assert match and 0 < shown < 800 and int(match.group(1)) == 802 - shown   # 800 unused + the applied two


def test_many_long_folder_arguments_keep_the_audit_table_bounded(tmp_path):
    folders = [tmp_path / (f"{i:02d}-" + "很长的文件夹名" * 10) for i in range(30)]
    for folder in folders:
        folder.mkdir()
    shutil.copy(Path(ROOT, "cases/ipo/dapuwei-2026.yaml"), folders[0])
    proc = subprocess.run([sys.executable, "-m", "checker", *map(str, folders), "--format", "markdown"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    [row] = [line for line in proc.stdout.splitlines() if line.startswith("| 输入 |")]   # 2,000 before escaping
    assert proc.returncode == 0 and len(row) <= 2 * 2_000 + 20 and row.endswith("… |")
    json_run = subprocess.run([sys.executable, "-m", "checker", *map(str, folders), "--format", "json"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert len(json.loads(json_run.stdout)["inputs"]) == 30     # the JSON header keeps them all
