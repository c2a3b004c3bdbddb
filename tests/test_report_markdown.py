"""Markdown for reviews and PR comments: audit header, summary tables, violations per case, escaping."""

import re

import pytest

from .reports import SCRIPT, WAIVED_RULE

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
    head = md.split("## ")[0]
    assert "waived-cap" in head and "合规部 张三" in head


def test_every_table_is_well_formed(md):
    found = tables(md)
    assert len(found) > 20
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
            loc = f["location"]
            where = f"{loc['file']}:{loc['line']}:{loc['col']}"
            match = [r for r in rows if r[1] == f["rule_id"] and r[3] == where]
            assert match, (case["case_id"], f["rule_id"])
            assert any(r[5] == f["expected"]["zh"] and r[6] == f["actual"]["zh"] for r in match)
    waived = [r for r in rows if r[0] == "已豁免"]
    assert [r[1] for r in waived] == [WAIVED_RULE] and "监管已书面同意 <b>例外</b>" in waived[0][4]


def test_not_evaluated_findings_are_folded(md):
    assert md.count("<details>") == md.count("</details>") > 10
    assert re.search(r"<summary>\d+ 无法评估", md)


def test_case_text_cannot_become_html(md):
    assert SCRIPT not in md and "<b>例外</b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
