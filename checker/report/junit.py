"""JUnit XML for CI: one <testsuite> per case file, one <testcase> per case × rule.

The rules of a case are the rules in force on it (`rules_checked`) plus any other id a finding
names (a `not_covered` finding names its topic). A testcase fails exactly when the policy says a
finding of it fails the run (`fails_run`: a violation of a severity --fail-on counts, a coverage
finding unless --accept-uncovered, a finding not evaluated under --fail-on not-evaluated); `type`
gives the severity. Otherwise it is skipped when the rule could not be evaluated or is not
covered, pending the offering's results, or a coverage finding accepted; it passes with its
findings in <system-out> when they do not fail the run (a waived violation, a warning under
--fail-on error). A case that could not be loaded or checked is one testcase with an <error>, and
so is each notice that fails the run (a waiver naming an unknown rule). The audit header opens
the file as a comment and is repeated as each suite's <properties> (with the case's own `as_of`,
once). Each suite's `timestamp` is when the run began, in local time without an offset as Ant and
Maven write it; `time` is 0, as the checker does not time each case.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import TextIO

from .. import policy
from .audit import all_waiver_lines, fields, rows
from .common import WORDS, cite_text, coverage_text, dates_text, location, where

_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text) -> str:
    return _INVALID_XML.sub("\ufffd", str(text))


def _line(f, lang: str) -> str:
    w = WORDS[lang]
    parts = [f"[{w[f.status]}] {where(location(f))}",
             (f"{f.subject}: " if f.subject else "") + f.message[lang]]
    if f.status in ("violation", "waived"):
        parts.append(f"{w['expected']} {f.expected[lang]}; {w['actual']} {f.actual[lang]}")
    parts.append(f"{w['cite']} {cite_text(f.citation)}")
    if f.waiver:
        parts.append(f"{w['waiver']}: {f.waiver['reason']} · {w['approver']} {f.waiver['approver']} · "
                     f"{w['expires']} {f.waiver['expires'] or '—'}")
    return "\n  ".join(parts)


def case_rules(case) -> list[str]:
    return sorted(set(case.rules_checked) | {f.rule_id for f in case.findings})


_OPEN = ("not_evaluated", "not_covered", "pending")


def _outcome(findings) -> str:
    """A rule's outcome on a case from its findings, as the policy marked them: failure | skipped | passed."""
    if any(f.fails_run for f in findings):
        return "failure"
    if any(f.status in _OPEN or policy.is_coverage(f) for f in findings):
        return "skipped"
    return "passed"


def _failing_notices(case) -> list[dict]:
    return [n for n in case.notices if n.get("level") == "error"]


def _counts(case) -> dict[str, int]:
    """A case's suite counts (the root element's totals are summed from these first)."""
    if case.error:
        return {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}
    bad = len(_failing_notices(case))
    counts = {"tests": bad, "failures": 0, "errors": bad, "skipped": 0}
    for rule_id in case_rules(case):
        outcome = _outcome([f for f in case.findings if f.rule_id == rule_id])
        counts["tests"] += 1
        if outcome != "passed":
            counts["failures" if outcome == "failure" else "skipped"] += 1
    return counts


def _testcase(suite: ET.Element, case, rule_id: str, lang: str) -> str:
    """Add one testcase; returns its outcome (see _outcome)."""
    findings = [f for f in case.findings if f.rule_id == rule_id]
    first = location(findings[0]) if findings else None
    attrs = {"classname": _clean(case.case_id), "name": _clean(rule_id), "time": "0",
             "file": _clean(case.file)}
    if first:
        attrs["line"] = str(first["line"])
    tc = ET.SubElement(suite, "testcase", attrs)
    outcome = _outcome(findings)
    failing = [f for f in findings if f.fails_run]
    details = "\n".join(_line(f, lang) for f in findings)
    if outcome == "failure":
        severity = "error" if any(f.severity == "error" for f in failing) else failing[0].severity
        head = failing[0]
        el = ET.SubElement(tc, "failure", {"type": severity, "message": _clean(
            (f"{head.subject}: " if head.subject else "") + head.message[lang])})
        el.text = _clean(details)
    elif outcome == "skipped":
        first_open = next(f for f in findings if f.status in _OPEN or policy.is_coverage(f))
        el = ET.SubElement(tc, "skipped", {"message": _clean(first_open.message[lang])})
        el.text = _clean(details)
    elif findings:   # waived, or a violation that does not fail the run
        ET.SubElement(tc, "system-out").text = _clean(details)
    return outcome


def _error_case(suite: ET.Element, case) -> None:
    err = case.error
    tc = ET.SubElement(suite, "testcase", {"classname": _clean(case.case_id), "name": err["kind"],
                                           "time": "0", "file": _clean(case.file),
                                           "line": str(err["location"]["line"])})
    el = ET.SubElement(tc, "error", {"type": err["kind"], "message": _clean(err["message"])})
    el.text = _clean("\n".join(f"{where(x['location'])}: {x['message']}"
                               for x in (err, *err.get("more", []))))


def _notice_case(suite: ET.Element, case, n: dict, lang: str) -> None:
    tc = ET.SubElement(suite, "testcase", {"classname": _clean(case.case_id),
                                           "name": _clean(f"{n['kind']} {n['rule_id']}"), "time": "0",
                                           "file": _clean(case.file), "line": str(n["location"]["line"])})
    text = n["message"][lang] if n.get("message") else f"{n['kind']} {n['rule_id']}"
    el = ET.SubElement(tc, "error", {"type": n["kind"], "message": _clean(text)})
    el.text = _clean(f"{where(n['location'])}: {text}")


def _timestamp(started: str) -> str:
    """When the run began, as JUnit's schema has it: local time, no offset (Ant's, Maven's form)."""
    return dt.datetime.fromisoformat(started).replace(tzinfo=None).isoformat(timespec="seconds")


def _suite(case, header: dict, lang: str) -> ET.Element:
    suite = ET.Element("testsuite", {"name": _clean(case.file)})   # by path: two files may share an id
    props = ET.SubElement(suite, "properties")
    for key, value in (("file", case.file), ("case_id", case.case_id), ("board", case.board or ""),
                       ("as_of", case.as_of or ""),
                       ("dates", dates_text(case, "en")), ("coverage", coverage_text(case, "en")),
                       ("status", case.status), *fields(header)):
        ET.SubElement(props, "property", {"name": _clean(key), "value": _clean(value)})
    if case.error:
        _error_case(suite, case)
    else:
        for n in _failing_notices(case):
            _notice_case(suite, case, n, lang)
        for rule_id in case_rules(case):
            _testcase(suite, case, rule_id, lang)
    counts = _counts(case)
    notices = [f"{n['kind']} {n['rule_id']} {where(n['location'])}" for n in case.notices]
    if notices:
        ET.SubElement(suite, "system-out").text = _clean("\n".join(notices))
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", "0")
    suite.set("timestamp", _timestamp(header["run_started"]))
    return suite


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> None:
    """Two passes over the results: the totals (the root element's attributes), then one suite per
    case, each serialised as it is made (none held)."""
    root = ET.Element("testsuites", {"name": header["tool"]["name"]})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    results = policy.marked(results, header)
    for case in results:
        for key, value in _counts(case).items():
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    comment = " · ".join(f"{k}: {v}" for k, v in rows(header, lang))
    comment += "".join(f"\n  {line}" for line in all_waiver_lines(header, lang))
    comment = _clean(comment).replace("--", "- -")
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n' f"<!-- {comment} -->\n")
    empty = ET.tostring(root, encoding="unicode")            # <testsuites … />
    if not len(results):
        fh.write(empty + "\n")
        return
    fh.write(empty.removesuffix(" />") + ">")
    for case in results:
        suite = _suite(case, header, lang)
        ET.indent(suite, level=1)                           # as ET.indent(root) would indent it
        fh.write("\n  " + ET.tostring(suite, encoding="unicode"))
    fh.write("\n</testsuites>\n")
