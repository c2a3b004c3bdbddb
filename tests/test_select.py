"""Filters --rule, --severity, --board on the bundled cases: what is left, the exit code, the usage
errors, and the audit header that records them (counts compared with the unfiltered run)."""

import fnmatch
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

VIOLATIONS = "cases/violations"
OVER_20 = "cases/violations/strategic-over-20pct.yaml"


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *args, "--today", "2026-05-01"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def report(*args) -> tuple[int, dict]:
    proc = run(*args, "--format", "json")
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def findings(doc) -> list[tuple[str, str, str, int]]:
    return only(doc, lambda c, f: True)


@pytest.fixture(scope="module")
def everything():
    """The unfiltered run over every bundled case."""
    code, doc = report("cases/")
    assert code == 1 and doc["filters"] is None
    return doc


def only(doc, keep) -> list[tuple[str, str, str, int]]:
    return sorted((c["file"], f["rule_id"], f["status"], f["location"]["line"])
                  for c in doc["cases"] for f in c["findings"] if keep(c, f))


def test_an_exact_rule_id_keeps_only_its_findings(everything):
    rule = "ipo.strategic.cap_ratio.lt100m"
    code, doc = report("cases/", "--rule", rule)
    expected = only(everything, lambda c, f: f["rule_id"] == rule)
    assert expected and findings(doc) == expected
    total = sum(len(c["findings"]) for c in everything["cases"])
    assert doc["filters"] == {"rule": [rule], "severity": [], "board": [], "cases_excluded": 0,
                              "findings_excluded": total - len(expected)}
    assert code == 1   # strategic-over-20pct violates it
    for case in doc["cases"]:
        assert set(case["rules_checked"]) <= {rule}


def test_a_prefix_and_a_glob_select_the_same_rules(everything):
    _, prefix = report("cases/", "--rule", "ipo.strategic.")
    _, glob = report("cases/", "--rule", "ipo.strategic.*")
    expected = only(everything, lambda c, f: f["rule_id"].startswith("ipo.strategic.")
                    or f["topic"].startswith("ipo.strategic."))
    assert expected and findings(prefix) == findings(glob) == expected


def test_repeated_rules_add_up(everything):
    _, doc = report(VIOLATIONS, "--rule", "ipo.default.*", "--rule", "ma.lockup.36m_cases")
    rules = {f["rule_id"] for c in doc["cases"] for f in c["findings"]}
    assert "ma.lockup.36m_cases" in rules and any(r.startswith("ipo.default.") for r in rules)
    assert all(fnmatch.fnmatchcase(r, "ipo.default.*") or r == "ma.lockup.36m_cases" for r in rules)


def test_a_filtered_out_violation_does_not_count_for_the_exit_code():
    assert run(OVER_20).returncode == 1
    code, doc = report(OVER_20, "--rule", "ipo.default.")
    assert code == 0 and doc["cases"][0]["status"] == "clean" and doc["exit_code"] == 0


@pytest.mark.parametrize("pattern, hint", [
    ("ipo.strategic", "ipo.strategic. or ipo.strategic.*"),
    ("ipo.strategc.lockup_min", "ipo.strategic.lockup_min"),
    ("nothing.like.it.*", None),
])
def test_a_pattern_that_matches_no_rule_is_a_usage_error(pattern, hint):
    proc = run(OVER_20, "--rule", pattern, "--format", "json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"--rule {pattern}: no rule or topic in the catalogue matches" in proc.stderr
    if hint:
        assert f"did you mean {hint}" in proc.stderr
    else:
        assert "did you mean" not in proc.stderr


def test_severity_keeps_only_those_severities(everything):
    code, doc = report("cases/", "--severity", "warning")
    expected = only(everything, lambda c, f: f["severity"] == "warning")
    assert expected and findings(doc) == expected
    assert any(f[2] == "violation" for f in expected)
    assert code == 0   # warning violations do not fail under --fail-on error; error ones were left out
    code, doc = report("cases/", "--severity", "warning", "--fail-on", "warning")
    assert code == 1


def test_severity_as_a_comma_list_or_repeated(everything):
    _, comma = report(VIOLATIONS, "--severity", "error,warning")
    _, repeated = report(VIOLATIONS, "--severity", "error", "--severity", "warning")
    _, whole = report(VIOLATIONS)
    assert findings(comma) == findings(repeated) == findings(whole)
    assert comma["filters"]["severity"] == ["error", "warning"] and comma["filters"]["findings_excluded"] == 0
    proc = run(OVER_20, "--severity", "fatal")
    assert proc.returncode == 2 and "choose from error, warning, info" in proc.stderr


@pytest.mark.parametrize("board, codes", [("chinext", {"chinext"}), ("main", {"sse_main", "szse_main", "szse_sme"}),
                                          ("star,bse", {"star", "bse"})])
def test_board_keeps_the_cases_on_that_board(everything, board, codes):
    code, doc = report("cases/", "--board", board)
    expected = sorted(c["file"] for c in everything["cases"] if c["board"] in codes)
    assert expected and sorted(c["file"] for c in doc["cases"]) == expected
    assert doc["filters"]["cases_excluded"] == len(everything["cases"]) - len(expected)
    assert doc["summary"]["cases"] == len(expected)
    assert all(c["case_type"] == "ipo" for c in doc["cases"])   # restructuring and investor: no board
    assert code == (1 if any(c["status"] in ("violations", "not_checked") for c in doc["cases"]) else 0)


def test_board_keeps_a_file_that_broke_before_its_board_was_known(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("case_type: ipo\nissuer: [\n", encoding="utf-8")
    code, doc = report(str(broken), "cases/restructuring", "--board", "star")
    assert code == 2 and [c["status"] for c in doc["cases"]] == ["input_error"]


def test_every_report_records_the_filters(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    names = ("json", "sarif", "junit", "markdown", "html", "console")
    spec = ",".join(f"{n}={out / n}" for n in names)
    proc = run(VIOLATIONS, "--rule", "ipo.online.*", "--severity", "error", "--board", "chinext",
               "--format", spec, "--lang", "en")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads((out / "json").read_text(encoding="utf-8"))
    f = doc["filters"]
    assert f["rule"] == ["ipo.online.*"] and f["severity"] == ["error"] and f["board"] == ["chinext"]
    assert f["cases_excluded"] == 4 and f["findings_excluded"] > 0   # the four restructuring violators
    line = (f"rule ipo.online.* · severity error · board chinext · {f['cases_excluded']} case(s) and "
            f"{f['findings_excluded']} finding(s) left out")
    for name in ("console", "markdown", "html", "junit"):
        text = (out / name).read_text(encoding="utf-8")
        assert line in (text.replace("\\", "") if name == "markdown" else text), name
    sarif = json.loads((out / "sarif").read_text(encoding="utf-8"))
    assert sarif["properties"]["audit"]["filters"] == f
    assert sarif["runs"][0]["invocations"][0]["properties"]["filters"] == f
    full = run(OVER_20, "--lang", "en", "--format", "console").stdout
    assert "Filters none (full audit)" in full


def test_the_policy_and_filter_options_have_help():
    proc = subprocess.run([sys.executable, "-m", "checker", "check", "--help", "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    text = " ".join(proc.stdout.split())
    for option, words in (("--rule PATTERN", "prefix ending in '.'"), ("--severity", "rule severities"),
                          ("--board", "no board and are left out"), ("--as-of DATE", "rules in force"),
                          ("--lang", "language of help, messages and reports"), ("--fail-on", "exit code 1"),
                          ("--today DATE", "expires"), ("--no-waivers", "apply no waiver")):
        assert option in text and words in text, option


def test_as_of_and_lang_work():
    _, doc = report(OVER_20, "--as-of", "2026-04-03")
    assert doc["as_of"] == "2026-04-03" and doc["cases"][0]["as_of"] == "2026-04-03"
    zh = run(OVER_20, "--format", "console").stdout
    en = run(OVER_20, "--lang", "en", "--format", "console").stdout
    assert "✗ 违规 ipo.strategic.cap_ratio.lt100m" in zh and "✗ 违规" not in en
    assert "✗ violation ipo.strategic.cap_ratio.lt100m" in en


def test_notices_follow_the_rule_filter(tmp_path):
    """A waiver notice is kept with its rule and left out with it."""
    text = Path(ROOT, OVER_20).read_text(encoding="utf-8") + (
        "\nwaivers:\n  - rule: ipo.pricing.pe_notice\n    reason: r\n    approver: a\n    expires: 2026-12-31\n")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    _, kept = report(str(path), "--rule", "ipo.pricing.*")
    _, dropped = report(str(path), "--rule", "ipo.strategic.*")
    assert [n["kind"] for n in kept["cases"][0]["notices"]] == ["waiver_unused"]
    assert dropped["cases"][0]["notices"] == []
