"""`--baseline`: a second run marks an added violation new and a removed one fixed, matched by case,
rule and subject (not line); --fail-on-new fails only on new ones; unknown is never fixed."""

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture()
def cases(tmp_path):
    folder = tmp_path / "cases"
    for name in ("ipo/dapuwei-2026.yaml", "violations/strategic-over-20pct.yaml", "investor/ban-violated.yaml"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f"{ROOT}/cases/{name}", folder / name)
    previous = tmp_path / "previous.json"
    assert run(str(folder), "--format", f"json={previous}").returncode == 1
    return folder, previous


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def report(*args):
    proc = run(*args, "--format", "json")
    return proc.returncode, json.loads(proc.stdout)


def listed(doc):
    return {(c["case_id"], f["rule_id"]): f for c in doc["cases"] for f in c["findings"] if f["listed"]}


def test_an_added_violation_is_new_a_removed_one_fixed_and_the_rest_unchanged(cases):
    folder, previous = cases
    before = listed(json.loads(previous.read_text(encoding="utf-8")))
    edit(folder / "violations/strategic-over-20pct.yaml", "online_initial_shares: 6979000",
         "online_initial_shares: 6978999")                    # fixes the tranche sum
    edit(folder / "ipo/dapuwei-2026.yaml", "    months: 6\n", "    months: 5\n")   # offline lock-up too short
    edit(folder / "investor/ban-violated.yaml", "case_type: investor\n", "# moved\n# down\ncase_type: investor\n")
    code, doc = report(str(folder), "--baseline", str(previous))
    assert code == 1
    now = listed(doc)
    added = now[("dapuwei-2026", "ipo.offline.lockup_min.months")]
    assert added["change"] == "new" and added["location"]["line"] == 91
    moved = now[("ban-violated", "investor.default.online_3_in_12m")]
    old_line = before[("ban-violated", "investor.default.online_3_in_12m")]["location"]["line"]
    assert moved["change"] == "unchanged" and moved["location"]["line"] == old_line + 2   # not matched by line
    assert {f["change"] for key, f in now.items() if key != ("dapuwei-2026", "ipo.offline.lockup_min.months")} \
        == {"unchanged"}
    record = doc["baseline"]
    assert [(e["case_id"], e["rule_id"]) for e in record["fixed"]] == [
        ("strategic-over-20pct", "ipo.consistency.tranches.initial")]
    assert (record["new"], record["unchanged"], record["fixed_count"]) == (1, len(before) - 1, 1)
    assert "_baseline" not in doc
    console = run(str(folder), "--baseline", str(previous), "--format", "console").stdout
    assert "［新增］ ipo.offline.lockup_min.months" in console and "已修复 ipo.consistency.tranches.initial" in console
    html = run(str(folder), "--baseline", str(previous), "--format", "html", "--lang", "en").stdout
    assert html.count('<div class="change new">[new]</div>') == 1
    assert html.count('<div class="change unchanged">[unchanged]</div>') == len(before) - 1
    assert '<section id="baseline">' in html and "✓ fixed ipo.consistency.tranches.initial" in html
    md = run(str(folder), "--baseline", str(previous), "--format", "markdown").stdout
    assert md.count("| 违规 ［新增］ | ipo.offline.lockup\\_min.months |") == 1
    assert md.count("［未变］") == len(before) - 1 and "**与基线 " in md
    fixed = md.split("## 与基线相比已修复\n\n")[1].split("\n\n")[0]
    entry = record["fixed"][0]
    assert fixed == f"- ✓ 已修复 ipo.consistency.tranches.initial {entry['title']['zh']} — strategic-over-20pct" \
        f" · {entry['subject']}"


def test_fail_on_new_accepts_the_known_state_and_stops_what_is_new(cases):
    folder, previous = cases
    assert run(str(folder), "--baseline", str(previous), "--fail-on-new").returncode == 0
    edit(folder / "ipo/dapuwei-2026.yaml", "    months: 6\n", "    months: 5\n")
    proc = run(str(folder), "--baseline", str(previous), "--fail-on-new", "--format", "lines")
    assert proc.returncode == 1 and "ipo.offline.lockup_min.months" in proc.stdout
    alone = run(str(folder), "--fail-on-new")
    assert alone.returncode == 2 and "--baseline" in alone.stderr


def test_a_violation_whose_figure_is_removed_is_not_fixed_and_a_filter_fixes_nothing(cases):
    folder, previous = cases
    edit(folder / "violations/strategic-over-20pct.yaml", "  online_initial_shares: 6979000\n", "")
    _, doc = report(str(folder), "--baseline", str(previous))
    assert doc["baseline"]["fixed"] == [] and doc["baseline"]["now_not_evaluated"] >= 1
    _, filtered = report(str(folder), "--baseline", str(previous), "--rule", "investor.")
    assert filtered["baseline"]["fixed"] == [] and filtered["baseline"]["not_compared"] >= 2


@pytest.mark.parametrize("content, words", [("{not json", "not JSON"), ('{"cases": []}', "schema_version 1"),
                                            (None, "No such file")])
def test_a_baseline_that_is_not_a_report_is_a_usage_error(tmp_path, content, words):
    path = tmp_path / "previous.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    proc = run(f"{ROOT}/cases/ipo/dapuwei-2026.yaml", "--baseline", str(path))
    assert proc.returncode == 2 and words in proc.stderr and str(path) in proc.stderr
