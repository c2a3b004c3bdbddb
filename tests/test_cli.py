"""The command line as a user runs it: exit codes, JSON fields, errors with file:line."""

import json
import os
import subprocess
import sys
from pathlib import Path

from checker.rulepack import CONFIDENCE_LEVELS

from .conftest import DAPUWEI, ROOT, edited, line_of


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_bundled_cases_show_violations_and_exit_1():
    proc = run("cases/", "--format", "console")
    assert proc.returncode == 1, proc.stderr
    assert "违规" in proc.stdout and "ipo.strategic.cap_ratio.lt100m" in proc.stdout


def test_real_offering_exits_0():
    proc = run(DAPUWEI, "--lang", "en", "--format", "console")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no violations" in proc.stdout


def test_json_report_has_every_field():
    proc = run("cases/", "--format", "json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["schema_version"] == 1 and doc["tool"]["name"] == "offering-check"
    assert len(doc["rules_hash"]) == 64
    findings = [f for case in doc["cases"] for f in case["findings"]]
    assert any(f["status"] == "violation" for f in findings)
    for f in findings:
        for key in ("case_id", "rule_id", "severity", "status", "citation"):
            assert f[key], key
        for key in ("message", "expected", "actual"):
            assert f[key]["zh"] and f[key]["en"], key
        assert f["status"] in ("violation", "not_evaluated", "pending", "not_covered", "waived")
        loc = f["location"]
        assert loc["file"].endswith(".yaml") and loc["line"] >= 1 and loc["col"] >= 1
        assert f["citation"]["source"] and f["citation"]["version"]


def test_malformed_yaml_exits_2_with_file_and_line(tmp_path):
    path = edited(tmp_path, "  board: chinext\n", "  board: [chinext\n")
    proc = run(path)
    assert proc.returncode == 2
    assert f"{path}:" in proc.stdout


def test_duplicate_key_exits_2_with_its_line(tmp_path):
    path = edited(tmp_path, "  price: 46.08\n", "  price: 46.08\n  price: 40.00\n")
    proc = run(path, "--format", "json")
    assert proc.returncode == 2
    case = json.loads(proc.stdout)["cases"][0]
    assert case["status"] == "input_error"
    assert case["error"]["location"]["line"] == line_of(path, "price: 40.00")
    assert "duplicate key 'price'" in case["error"]["message"]


def test_a_bad_file_never_stops_the_batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    bad = folder / "a-bad.yaml"
    bad.write_text("case_type: ipo\nissuer: [\n", encoding="utf-8")
    text = Path(ROOT, "cases/violations/strategic-over-20pct.yaml").read_text(encoding="utf-8")
    (folder / "b-violator.yml").write_text(text, encoding="utf-8")
    proc = run(str(folder), "--format", "json")
    assert proc.returncode == 2   # the gravest wins: bad input over violations
    cases = {os.path.basename(c["file"]): c for c in json.loads(proc.stdout)["cases"]}
    assert cases["a-bad.yaml"]["status"] == "input_error"
    assert cases["b-violator.yml"]["status"] == "violations"


def test_missing_path_and_no_arguments_are_usage_errors(tmp_path):
    assert run(str(tmp_path / "nope.yaml")).returncode == 2
    assert run().returncode == 2


def test_fail_on_not_evaluated_is_stricter():
    assert run(DAPUWEI).returncode == 0
    assert run(DAPUWEI, "--fail-on", "not-evaluated").returncode == 1


def test_rules_lists_every_rule_with_a_citation():
    proc = run("rules", "--format", "json")
    assert proc.returncode == 0
    rows = json.loads(proc.stdout)
    assert len(rows) >= 25
    for row in rows:
        assert row["citation"]["source"] and row["confidence"] in CONFIDENCE_LEVELS
        assert row["from"]
    table = run("rules")
    assert table.returncode == 0 and "ipo.abort.paid_below_70pct" in table.stdout


def test_rules_lint_runs_every_example():
    proc = run("rules", "--lint")
    assert proc.returncode == 0, proc.stderr
    assert "0 problem(s)" in proc.stdout


def test_explain_prints_citation_and_examples():
    proc = run("explain", "ipo.strategic.cap_ratio.lt100m")
    assert proc.returncode == 0
    assert "证券发行与承销管理办法" in proc.stdout and "strategic.investors.2.shares" in proc.stdout
    unknown = run("explain", "ipo.strategic.cap")
    assert unknown.returncode == 2 and "did you mean" in unknown.stderr


def test_json_to_a_file_is_written_whole(tmp_path):
    out = tmp_path / "report.json"
    proc = run(DAPUWEI, "--format", "json", "--output", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["cases"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_the_readme_sample_finding_is_what_the_checker_prints():
    import re
    readme = Path(ROOT, "README.md").read_text(encoding="utf-8")
    sample = re.search(r"\*\*A finding\*\*.*?```\n(.*?)```", readme, re.S).group(1)
    proc = subprocess.run([sys.executable, "-m", "checker", "cases/violations/strategic-over-20pct.yaml",
                           "--format", "console"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert sample.strip() and sample in proc.stdout
