"""SARIF 2.1.0: valid against the official OASIS schema, rule metadata with citations, results at
file/line/column, waivers as suppressions, input errors as notifications."""

import copy
import datetime as dt
import json
import os
import subprocess
import sys
from urllib.parse import unquote

import jsonschema
import pytest

from .conftest import ROOT
from .reports import FOLDERS, SCRIPT, WAIVED_RULE

SCHEMA = os.path.join(ROOT, "tests", "data", "sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def validator():
    with open(SCHEMA, encoding="utf-8") as fh:
        schema = json.load(fh)
    assert schema["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def sarif(report_run):
    return json.loads(report_run["text"]["sarif"])


def findings(doc):
    return [(case, f) for case in doc["cases"] for f in case["findings"]]


def test_one_run_wrote_every_format(report_run):
    assert report_run["proc"].returncode == 2, report_run["proc"].stderr   # the broken file wins
    for name, path in report_run["paths"].items():
        assert path.stat().st_size > 1000, name
    assert report_run["proc"].stdout == ""   # every format went to its file


def test_valid_against_the_official_schema(validator, sarif):
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]


def test_the_validator_rejects_a_broken_log(validator, sarif):
    bad = copy.deepcopy(sarif)
    bad["runs"][0]["results"][0]["level"] = "fatal"
    del bad["runs"][0]["tool"]["driver"]["name"]
    assert len(list(validator.iter_errors(bad))) >= 2


def test_opens_with_the_audit_header(report_run, sarif):
    doc = report_run["json"]
    assert list(sarif)[:3] == ["$schema", "version", "properties"]
    audit = sarif["properties"]["audit"]
    for key in ("tool", "rules_hash", "as_of", "run_date", "waivers_applied", "waivers", "exit_code"):
        assert audit[key] == doc[key], key
    assert sarif["runs"][0]["tool"]["driver"]["version"] == doc["tool"]["version"]


def test_one_result_per_finding_at_its_file_line_and_column(report_run, sarif):
    expected = findings(report_run["json"])
    results = sarif["runs"][0]["results"]
    assert len(results) == len(expected) > 300
    for r, (case, f) in zip(results, expected, strict=True):
        assert r["ruleId"] == f["rule_id"] and r["properties"]["status"] == f["status"]
        assert r["properties"]["case_id"] == case["case_id"]
        loc = r["locations"][0]["physicalLocation"]
        assert unquote(loc["artifactLocation"]["uri"]).endswith(f["location"]["file"].lstrip("/"))
        assert loc["region"] == {"startLine": f["location"]["line"], "startColumn": f["location"]["col"]}


def test_kinds_and_levels_follow_the_status(sarif):
    seen = set()
    for r in sarif["runs"][0]["results"]:
        status = r["properties"]["status"]
        seen.add(status)
        if status in ("violation", "waived"):
            assert r["kind"] == "fail" and r["level"] == {"error": "error", "warning": "warning",
                                                          "info": "note"}[r["properties"]["severity"]]
        elif r["ruleId"].startswith("coverage."):   # fails the run unless --accept-uncovered
            assert r["kind"] == "fail" and r["level"] == "error"
        else:
            assert r["kind"] == ("open" if status == "pending" else "review") and r["level"] == "note"
        assert ("suppressions" in r) == (status == "waived")
    assert seen == {"violation", "waived", "not_evaluated", "pending", "not_covered"}


def test_rule_metadata_carries_citation_and_help(sarif):
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    used = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert used == set(ids)
    for r in sarif["runs"][0]["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    cap = rules[ids.index("ipo.strategic.cap_ratio.lt100m")]
    citation = cap["properties"]["citations"][0]
    assert citation["source"] and citation["source"] in cap["help"]["text"]
    assert citation["version"] in cap["help"]["markdown"]
    assert cap["defaultConfiguration"]["level"] == "error"
    assert cap["shortDescription"]["text"] and "/" in cap["fullDescription"]["text"]
    for rule in rules:
        assert rule.get("helpUri", "https://").startswith(("https://", "http://"))
        urls = rule["properties"]["citations"][0]["urls"]
        assert rule.get("helpUri") == (urls[0] if urls else None), rule["id"]   # the first copy read
    assert cap["helpUri"] == citation["urls"][0]


def test_a_waived_violation_is_an_accepted_suppression(report_run, sarif):
    waived = [r for r in sarif["runs"][0]["results"] if r["properties"]["status"] == "waived"]
    assert [r["ruleId"] for r in waived] == [WAIVED_RULE]
    s = waived[0]["suppressions"][0]
    assert s["kind"] == "inSource" and s["status"] == "accepted"   # the waiver is in the case file
    assert "监管已书面同意" in s["justification"] and "合规部 张三" in s["justification"]
    audit = sarif["properties"]["audit"]["waivers"]
    assert [(w["case_id"], w["rule_id"]) for w in audit] == [("waived-cap", WAIVED_RULE)]


def test_the_run_says_when_it_began_and_the_tool_where_it_lives(report_run, sarif):
    from email.message import Message
    from importlib import metadata

    from checker.report.sarif import information_uri
    began = dt.datetime.fromisoformat(report_run["json"]["run_started"])
    assert began.tzinfo is not None and began.date().isoformat() == report_run["json"]["run_date"]
    stamp = sarif["runs"][0]["invocations"][0]["startTimeUtc"]
    assert stamp == began.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert abs(dt.datetime.now(dt.UTC) - began) < dt.timedelta(hours=2)   # a real time, not a date at midnight
    meta = Message()
    meta["Project-URL"] = "Source, https://example.org/src"
    meta["Project-URL"] = "Homepage, https://example.org/offering-checker"
    assert information_uri(meta) == "https://example.org/offering-checker"
    assert information_uri(Message()) is None
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver.get("informationUri") == information_uri(metadata.metadata("offering-checker"))


@pytest.fixture(scope="module")
def open_only(report_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("sarif-open") / "open.sarif"
    proc = subprocess.run([sys.executable, "-m", "checker", *FOLDERS, *report_run["extra"], "--format",
                           f"sarif={out}", "--today", "2026-05-01", "--sarif-results", "open"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == report_run["proc"].returncode, proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_open_keeps_only_the_failures_not_waived_and_counts_the_rest(validator, report_run, open_only):
    validator.validate(open_only)
    run = open_only["runs"][0]
    statuses = [(r["properties"]["status"], r["kind"]) for r in run["results"]]
    failing = [(case, f) for case, f in findings(report_run["json"]) if f["fails_run"] or f["status"] == "violation"]
    assert len(statuses) == len(failing) > 10 and all(kind == "fail" for _, kind in statuses)
    assert "waived" not in {s for s, _ in statuses}
    left = {}
    for _, f in findings(report_run["json"]):
        if not (f["fails_run"] or f["status"] == "violation"):
            left[f["status"]] = left.get(f["status"], 0) + 1
    assert run["properties"]["omitted"] == left and left["waived"] == 1 and left["not_evaluated"] > 100
    assert run["properties"]["sarif_results"] == "open"


def test_an_unreadable_case_is_an_error_notification(report_run, sarif):
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    errors = [n for n in notes if n["level"] == "error"]
    assert errors and all(n["descriptor"]["id"] == "input_error" for n in errors)
    where = errors[0]["locations"][0]["physicalLocation"]
    assert unquote(where["artifactLocation"]["uri"]).endswith("broken.yaml")
    assert where["region"]["startLine"] >= 2
    assert sarif["runs"][0]["invocations"][0]["exitCode"] == 2


def test_case_text_is_kept_verbatim_in_json(sarif):
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"] if r["properties"]["case_id"] == "hostile-names"]
    assert any(SCRIPT in t for t in texts)
