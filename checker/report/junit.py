"""JUnit XML for CI: one <testsuite> per case file, one <testcase> per case × rule.

The rules of a case are the rules in force on it (`rules_checked`) plus any other id a finding
names (a `not_covered` finding names its topic). A testcase fails when the rule has a violation
(of any severity; `type` says which); it is skipped when the rule could not be evaluated or is
not covered, or pending the offering's results; waived violations pass, with the waiver in
<system-out>. A coverage finding (the case was not checked; a rules date far before the case's own)
is a failure while the policy fails it, skipped under --accept-uncovered. A case that could not be
loaded or checked is one testcase with an <error>. The audit header opens the file as a comment
and is repeated as each suite's <properties>.
"""

from __future__ import annotations

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


def _outcome(findings, accept: bool) -> str:
    """A rule's outcome on a case from its findings: failure | skipped | passed."""
    if any(f.status == "violation" or (policy.is_coverage(f) and not accept) for f in findings):
        return "failure"
    if any(f.status in _OPEN for f in findings):
        return "skipped"
    return "passed"


def _counts(case, accept: bool) -> dict[str, int]:
    """A case's suite counts (the root element's totals are summed from these first)."""
    if case.error:
        return {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for rule_id in case_rules(case):
        outcome = _outcome([f for f in case.findings if f.rule_id == rule_id], accept)
        counts["tests"] += 1
        if outcome != "passed":
            counts["failures" if outcome == "failure" else "skipped"] += 1
    return counts


def _testcase(suite: ET.Element, case, rule_id: str, lang: str, accept: bool) -> str:
    """Add one testcase; returns its outcome (see _outcome)."""
    findings = [f for f in case.findings if f.rule_id == rule_id]
    first = location(findings[0]) if findings else None
    attrs = {"classname": _clean(case.case_id), "name": _clean(rule_id), "time": "0",
             "file": _clean(case.file)}
    if first:
        attrs["line"] = str(first["line"])
    tc = ET.SubElement(suite, "testcase", attrs)
    outcome = _outcome(findings, accept)
    violations = [f for f in findings if f.status == "violation" or policy.is_coverage(f)]
    details = "\n".join(_line(f, lang) for f in findings)
    if outcome == "failure":
        severity = "error" if any(f.severity == "error" for f in violations) else violations[0].severity
        head = violations[0]
        el = ET.SubElement(tc, "failure", {"type": severity, "message": _clean(
            (f"{head.subject}: " if head.subject else "") + head.message[lang])})
        el.text = _clean(details)
    elif outcome == "skipped":
        first_open = next(f for f in findings if f.status in _OPEN)
        el = ET.SubElement(tc, "skipped", {"message": _clean(first_open.message[lang])})
        el.text = _clean(details)
    elif findings:   # waived only
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


def _suite(case, header: dict, lang: str) -> ET.Element:
    accept = policy.from_header(header)[1]
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
        for rule_id in case_rules(case):
            _testcase(suite, case, rule_id, lang, accept)
    counts = _counts(case, accept)
    notices = [f"{n['kind']} {n['rule_id']} {where(n['location'])}" for n in case.notices]
    if notices:
        ET.SubElement(suite, "system-out").text = _clean("\n".join(notices))
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", "0")
    suite.set("timestamp", f"{header['run_date']}T00:00:00")
    return suite


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> None:
    """Two passes over the results: the totals (the root element's attributes), then one suite per
    case, each serialised as it is made (none held)."""
    root = ET.Element("testsuites", {"name": header["tool"]["name"]})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    accept = policy.from_header(header)[1]
    for case in results:
        for key, value in _counts(case, accept).items():
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
