"""JUnit XML: parses with the standard library, one testcase per case × rule, counts equal the JSON's."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from .reports import SCRIPT, WAIVED_RULE


@pytest.fixture(scope="module")
def tree(report_run):
    return ET.parse(report_run["paths"]["junit"]).getroot()


def suite_of(tree, case_id: str):
    """The suite of the one case with this id (suites are named by path; the id is a property)."""
    [suite] = [s for s in tree.findall("testsuite")
               if s.find("properties/property[@name='case_id']").get("value") == case_id]
    return suite


FAILING = {"error": {"error"}, "warning": {"error", "warning"}, "not-evaluated": {"error", "warning"}}


def counts_from_json(doc):
    """What the JSON says, worked out here from statuses and the header's policy (not from the
    report's own marks): per case, the rules in force plus any id a finding names; a testcase fails
    when a finding of it fails the run."""
    fail_on, accept = doc["fail_on"], doc["accept_uncovered"]
    statuses_failing = {"violation"} | ({"not_evaluated"} if fail_on == "not-evaluated" else set())
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for case in doc["cases"]:
        if case["error"]:
            totals["tests"] += 1
            totals["errors"] += 1
            continue
        bad_notices = sum(n.get("level") == "error" for n in case["notices"])
        totals["tests"] += bad_notices
        totals["errors"] += bad_notices
        ids = set(case["rules_checked"]) | {f["rule_id"] for f in case["findings"]}
        for rule_id in ids:
            found = [f for f in case["findings"] if f["rule_id"] == rule_id]
            totals["tests"] += 1
            if rule_id.startswith("coverage.") and not accept or any(
                    f["status"] in statuses_failing and f["severity"] in FAILING[fail_on]
                    and not f["rule_id"].startswith("coverage.") for f in found):
                totals["failures"] += 1
            elif {f["status"] for f in found} & {"not_evaluated", "not_covered", "pending"} \
                    or rule_id.startswith("coverage."):
                totals["skipped"] += 1
    return totals


def test_totals_equal_the_json(report_run, tree):
    doc = report_run["json"]
    expected = counts_from_json(doc)
    assert {k: int(tree.get(k)) for k in expected} == expected
    failing_pairs = {(c["case_id"], f["rule_id"]) for c in doc["cases"] for f in c["findings"] if f["fails_run"]}
    assert expected["failures"] == len(failing_pairs) > 10
    assert expected["errors"] == doc["summary"]["input_error"] + doc["summary"]["engine_error"] == 1


def test_every_suite_counts_its_own_testcases(report_run, tree):
    suites = tree.findall("testsuite")
    assert [s.get("name") for s in suites] == [c["file"] for c in report_run["json"]["cases"]]   # by path
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(tc.find("failure") is not None for tc in cases)
        assert int(suite.get("skipped")) == sum(tc.find("skipped") is not None for tc in cases)
        assert int(suite.get("errors")) == sum(tc.find("error") is not None for tc in cases)
        names = [tc.get("name") for tc in cases]
        assert len(names) == len(set(names))          # one testcase per case × rule


def test_a_violation_is_a_failure_with_expected_actual_and_citation(tree):
    suite = suite_of(tree, "strategic-over-20pct")
    tc = suite.find(f"testcase[@name='{WAIVED_RULE}']")
    failure = tc.find("failure")
    assert failure.get("type") == "error"
    assert "应为" in failure.text and "实际" in failure.text and "依据" in failure.text
    assert tc.get("file") == "cases/violations/strategic-over-20pct.yaml" and int(tc.get("line")) > 1


def test_waived_passes_and_says_why(tree):
    tc = suite_of(tree, "waived-cap").find(f"testcase[@name='{WAIVED_RULE}']")
    assert tc.find("failure") is None and tc.find("skipped") is None
    assert "监管已书面同意 <b>例外</b>" in tc.find("system-out").text


def test_a_rule_that_passed_is_a_passing_testcase(report_run, tree):
    case = next(c for c in report_run["json"]["cases"] if c["case_id"] == "strategic-over-20pct")
    quiet = sorted(set(case["rules_checked"]) - {f["rule_id"] for f in case["findings"]})
    assert quiet
    tc = suite_of(tree, "strategic-over-20pct").find(f"testcase[@name='{quiet[0]}']")
    assert list(tc) == []


def test_broken_file_is_an_error_and_audit_header_is_there(report_run, tree):
    error = tree.find(".//testcase/error")
    assert error.get("type") == "input_error" and "broken.yaml" in error.text
    text = report_run["text"]["junit"]
    assert text.splitlines()[1].startswith("<!--") and report_run["json"]["rules_hash"] in text.splitlines()[1]
    props = {p.get("name"): p.get("value") for p in tree.find("testsuite/properties")}
    assert props["rules_hash"] == report_run["json"]["rules_hash"]
    assert props["tool"].endswith(report_run["json"]["tool"]["version"]) and props["waivers"] == "1"


def test_one_as_of_per_suite_and_the_time_the_run_began(report_run, tree):
    began = dt.datetime.fromisoformat(report_run["json"]["run_started"])
    by_file = {c["file"]: c for c in report_run["json"]["cases"]}
    for suite in tree.findall("testsuite"):
        names = [p.get("name") for p in suite.find("properties")]
        assert names.count("as_of") == 1 and len(names) == len(set(names)), names
        as_of = suite.find("properties/property[@name='as_of']").get("value")
        assert as_of == (by_file[suite.get("name")]["as_of"] or "")
        assert suite.get("timestamp") == began.replace(tzinfo=None).isoformat(timespec="seconds")
    assert not tree.find("testsuite").get("timestamp").endswith("T00:00:00") or began.time() == dt.time()


def test_case_text_survives_as_text(report_run, tree):
    suite = suite_of(tree, "hostile-names")
    assert any(SCRIPT in (f.get("message") or "") for f in suite.iter("failure"))
    assert "<script>" not in report_run["text"]["junit"]


def _junit_run(tmp_path, *args):
    import subprocess
    import sys

    from .conftest import ROOT
    out = tmp_path / "r.xml"
    proc = subprocess.run([sys.executable, "-m", "checker", *args, "--format", f"junit={out}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, ET.parse(out).getroot()


@pytest.mark.parametrize("fail_on, code, failures", [("error", 0, 0), ("warning", 1, 1)])
def test_a_warning_violation_fails_junit_exactly_when_it_fails_the_run(tmp_path, fail_on, code, failures):
    # before 2023 the 20% cap is a warning: the run passes under --fail-on error, and so does JUnit
    # (the file's tranches no longer add up either, an error of its own: the filter keeps the cap alone)
    got, root = _junit_run(tmp_path, "cases/violations/strategic-over-20pct.yaml", "--as-of", "2021-01-05",
                           "--fail-on", fail_on, "--rule", "ipo.strategic.cap_ratio")
    assert (got, int(root.get("failures"))) == (code, failures)
    [tc] = [tc for tc in root.iter("testcase") if tc.get("name") == "ipo.strategic.cap_ratio.lt100m"]
    assert (tc.find("failure") is not None) == bool(failures)
    assert "20.000002%" in (tc.find("failure") if failures else tc.find("system-out")).text


def test_not_evaluated_findings_fail_junit_under_fail_on_not_evaluated(tmp_path):
    code, root = _junit_run(tmp_path, "cases/real/weihua-2024.yaml", "--fail-on", "not-evaluated")
    failed = {tc.get("name") for tc in root.iter("testcase") if tc.find("failure") is not None}
    assert code == 1 and "ipo.strategic.cap_ratio.lt100m" in failed   # no final placement in a plan
    code, root = _junit_run(tmp_path, "cases/real/weihua-2024.yaml")
    assert code == 0 and int(root.get("failures")) == 0
