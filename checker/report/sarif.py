"""SARIF 2.1.0 (the OASIS errata-01 schema; tests validate against the official JSON Schema).

One run. tool.driver.rules: one reportingDescriptor per rule id found (title, citation as help,
helpUri when the citation has a web address, default level from the severity). Results: one per
finding, at file/line/column: violation → kind "fail" with the rule's level; waived → "fail" with
an accepted external suppression; not_evaluated / not_covered → kind "review", level "none";
pending (a results-stage rule on a plan) → kind "open", level "none". A coverage finding (a case
not checked, a rules date far off) is kind "fail" at level error while the policy fails it, and
"review" once --accept-uncovered accepts it.
Input and engine errors, and notices (waivers expired or unused, online ban windows), are
tool-execution notifications of the invocation. The log's own `properties.audit` (first in the
file) is the audit header; run.properties.summary the summary.
"""

from __future__ import annotations

import hashlib
import os
from typing import TextIO
from urllib.parse import quote

from .. import policy
from ..policy import INTERNAL
from .common import cite_text, location, notice_text, web_urls, where
from .jsonstream import Items
from .jsonstream import write as write_json

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
KIND = {"violation": "fail", "waived": "fail", "not_evaluated": "review", "not_covered": "review",
        "pending": "open"}
LANGUAGE = {"zh": "zh-CN", "en": "en-US"}


def uri(path: str) -> str:
    """A file path as a URI reference: relative paths stay relative (to the checked repository)."""
    posix = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return "file://" + quote(posix if posix.startswith("/") else "/" + posix)
    return quote(posix)


def _physical(file: str, line: int, col: int) -> dict:
    return {"artifactLocation": {"uri": uri(file)},
            "region": {"startLine": max(1, line), "startColumn": max(1, col)}}


def _help(f) -> dict:
    c = f.citation
    text = f"{f.title['zh']} / {f.title['en']}\n{cite_text(c)}"
    md = f"**{f.title['zh']}** / {f.title['en']}\n\n{cite_text(c)}"
    if c.get("note"):
        text += f"\n{c['note']}"
        md += f"\n\n{c['note']}"
    if c.get("urls"):
        text += "\n" + "\n".join(c["urls"])
        md += "\n\n" + "\n".join(f"- {u}" for u in c["urls"])
    return {"text": text, "markdown": md}


def _rule(f) -> dict:
    desc = {"id": f.rule_id, "shortDescription": {"text": f.title["en"]},
            "fullDescription": {"text": f"{f.title['zh']} / {f.title['en']}"}, "help": _help(f),
            "defaultConfiguration": {"level": LEVEL.get(f.severity, "warning")},
            "properties": {"topic": f.topic, "severity": f.severity, "confidence": f.confidence,
                           "citations": [f.citation], "tags": sorted({f.topic, f.confidence, "compliance"})}}
    urls = web_urls(f.citation)
    if urls:
        desc["helpUri"] = urls[0]
    return desc


def _message(f, lang: str) -> str:
    text = f.message[lang]
    if f.subject:
        text = f"{f.subject}: {text}"
    if f.status in ("violation", "waived"):
        text += (f"（应为 {f.expected['zh']}；实际 {f.actual['zh']}）" if lang == "zh" else
                 f" (expected {f.expected['en']}; actual {f.actual['en']})")
    return f"{text} [{cite_text(f.citation)}]"


def _fingerprint(result, f) -> str:
    key = "\x1f".join((result.file, result.case_id, f.rule_id, f.subject, f.status))
    return hashlib.sha256(key.encode()).hexdigest()


def _result(case, f, index: int, lang: str) -> dict:
    kind = KIND[f.status]
    if policy.is_coverage(f):
        kind = "fail" if f.fails_run else "review"   # as the policy marked it
    out = {"ruleId": f.rule_id, "ruleIndex": index, "kind": kind,
           "level": ("error" if policy.is_coverage(f) else LEVEL.get(f.severity, "warning"))
           if kind == "fail" else "none",
           "message": {"text": _message(f, lang)},
           "locations": [{"physicalLocation": _physical(**location(f)),
                          "logicalLocations": [{"name": case.case_id, "fullyQualifiedName": case.case_id}]}],
           "partialFingerprints": {"offeringCheckFinding/v1": _fingerprint(case, f)},
           "properties": {"status": f.status, "case_id": case.case_id, "board": case.board,
                          "as_of": case.as_of, "dates": case.dates, "coverage": case.coverage,
                          "severity": f.severity, "confidence": f.confidence,
                          "topic": f.topic, "subject": f.subject, "title": f.title, "message": f.message,
                          "expected": f.expected, "actual": f.actual, "citation": f.citation,
                          "version": f.version, "missing": f.missing}}
    if f.related:
        out["relatedLocations"] = [{"id": i, "physicalLocation": _physical(r["file"], r["line"], r["col"]),
                                    "message": {"text": r["label"]}} for i, r in enumerate(f.related, 1)]
    if f.status == "waived" and f.waiver:
        w = f.waiver
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": f"{w['reason']} (approver {w['approver']}, expires "
                                                 f"{w['expires'] or '—'})",
                                "properties": {"reason": w["reason"], "approver": w["approver"],
                                               "expires": w["expires"], "item": w.get("item")},
                                "location": {"physicalLocation": _physical(**w["location"])}}]
    return out


def _notifications(case, lang: str) -> list[dict]:
    out = []
    if case.error:
        err = case.error
        for e in (err, *err.get("more", [])):
            out.append({"level": "error", "descriptor": {"id": err["kind"]},
                        "message": {"text": f"{case.case_id}: {err['kind']}: {e['message']}"},
                        "locations": [{"physicalLocation": _physical(**e["location"])}],
                        "properties": {"case_id": case.case_id, "file": case.file,
                                       "at": where(e["location"])}})
    for n in case.notices:
        level = n.get("level") or ("warning" if n["kind"].startswith("waiver_") else "note")
        out.append({"level": level, "descriptor": {"id": n["kind"]}, "associatedRule": {"id": n["rule_id"]},
                    "message": {"text": f"{case.case_id}: {notice_text(n, lang)}"},
                    "locations": [{"physicalLocation": _physical(**n["location"])}],
                    "properties": {"case_id": case.case_id, "notice": n}})
    return out


def _rules(results) -> tuple[list[dict], dict[str, int], bool]:
    """One pass: the rule descriptors (in order of first finding), their index, and whether the
    engine or the checker failed on any case."""
    rules: list[dict] = []
    index: dict[str, int] = {}
    engine_failed = False
    for case in results:
        if case.error and case.error["kind"] in INTERNAL:
            engine_failed = True
        for f in case.findings:
            if f.rule_id not in index:
                index[f.rule_id] = len(rules)
                rules.append(_rule(f))
            elif f.citation not in rules[index[f.rule_id]]["properties"]["citations"]:
                rules[index[f.rule_id]]["properties"]["citations"].append(f.citation)   # another version
    return rules, index, engine_failed


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> None:
    """The log in three passes over the results: rules first, then the notifications and the
    results, each streamed (no case is held)."""
    rules, index, engine_failed = _rules(results)
    tool = header["tool"]
    driver = {"name": tool["name"], "version": tool["version"], "semanticVersion": tool["version"],
              "rules": rules, "properties": {"rules_hash": header["rules_hash"]}}
    notes = Items(n for case in results for n in _notifications(case, lang))
    invocation = {"executionSuccessful": not engine_failed,
                  "exitCode": header["exit_code"], "toolExecutionNotifications": notes,
                  "properties": {"as_of": header["as_of"], "run_date": header["run_date"],
                                 "fail_on": header["fail_on"], "waivers_applied": header["waivers_applied"],
                                 "accept_uncovered": header.get("accept_uncovered", False),
                                 "filters": header.get("filters")}}
    results = policy.marked(results, header)
    found = Items(_result(case, f, index[f.rule_id], lang) for case in results for f in case.findings)
    run = {"tool": {"driver": driver}, "invocations": [invocation], "language": LANGUAGE[lang],
           "columnKind": "unicodeCodePoints", "results": found,
           "properties": {"summary": summary}}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "properties": {"audit": header}, "runs": [run]}
    write_json(fh, log)
    fh.write("\n")
