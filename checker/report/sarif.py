"""SARIF 2.1.0 (the OASIS errata-01 schema; tests validate against the official JSON Schema).

One run. tool.driver: name, version, informationUri (the project's Homepage as its package
metadata declares it, when it does), rules: one reportingDescriptor per rule id found (title,
citation as help, helpUri when the citation has a web address, default level from the severity).
invocation.startTimeUtc: when the run began. Results: one per finding, at file/line/column:
violation → kind "fail" with the rule's level; waived → "fail" with an accepted inSource
suppression (the waiver is written in the case file; its reason, approver and expiry are the
justification); not_evaluated / not_covered → kind "review", level "note"; pending (a results-stage
rule on a plan) → kind "open", level "note". A finding the policy fails (a coverage finding, a
finding not evaluated under --fail-on not-evaluated) is kind "fail" at level error; an accepted
coverage finding is "review". `--sarif-results open` keeps only the results a code-scanning UI
should show as open alerts — kind "fail" and not waived — and counts the others it left out in
run.properties.omitted (GitHub code scanning does not honour `suppressions`: a waived result
uploaded there is an open alert).
Input and engine errors, and notices (waivers expired or unused, online ban windows), are
tool-execution notifications of the invocation. The log's own `properties.audit` (first in the
file) is the audit header; run.properties.summary the summary.
"""

from __future__ import annotations

import datetime as dt
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


def _kind(f) -> str:
    """The result's kind, as the policy marked the finding."""
    if f.fails_run and f.status != "violation":
        return "fail"              # coverage, or not evaluated under --fail-on not-evaluated
    if policy.is_coverage(f):
        return "review"            # accepted by --accept-uncovered
    return KIND[f.status]


def _level(f, kind: str) -> str:
    if kind != "fail":
        return "note"
    if f.fails_run and f.status != "violation":
        return "error"
    return LEVEL.get(f.severity, "warning")


def is_open(f) -> bool:
    """Whether a code-scanning UI should show the finding as an open alert: it is a failure, not waived."""
    return _kind(f) == "fail" and f.status != "waived"


def _result(case, f, index: int, lang: str) -> dict:
    kind = _kind(f)
    out = {"ruleId": f.rule_id, "ruleIndex": index, "kind": kind, "level": _level(f, kind),
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
        out["suppressions"] = [{"kind": "inSource", "status": "accepted",
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


def _rules(results, omitted: dict[str, int] | None) -> tuple[list[dict], dict[str, int], bool]:
    """One pass: the rule descriptors (in order of first finding), their index, and whether the
    engine or the checker failed on any case; counts in `omitted` (by status) the findings
    `--sarif-results open` leaves out."""
    rules: list[dict] = []
    index: dict[str, int] = {}
    engine_failed = False
    for case in results:
        if case.error and case.error["kind"] in INTERNAL:
            engine_failed = True
        for f in case.findings:
            if omitted is not None and not is_open(f):
                omitted[f.status] = omitted.get(f.status, 0) + 1
            if f.rule_id not in index:
                index[f.rule_id] = len(rules)
                rules.append(_rule(f))
            elif f.citation not in rules[index[f.rule_id]]["properties"]["citations"]:
                rules[index[f.rule_id]]["properties"]["citations"].append(f.citation)   # another version
    return rules, index, engine_failed


def information_uri(meta) -> str | None:
    """The project's Homepage from its package metadata (`Project-URL: Homepage, <url>`), if declared."""
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation") and url.strip().startswith("https://"):
            return url.strip()
    return None


def _driver(header: dict, rules: list[dict]) -> dict:
    from importlib import metadata
    tool = header["tool"]
    driver = {"name": tool["name"], "version": tool["version"], "semanticVersion": tool["version"]}
    try:
        home = information_uri(metadata.metadata("offering-checker"))
    except metadata.PackageNotFoundError:
        home = None
    if home:
        driver["informationUri"] = home
    return {**driver, "rules": rules, "properties": {"rules_hash": header["rules_hash"]}}


def _utc(stamp: str) -> str:
    """An ISO time with its offset as SARIF's UTC form, 2026-12-03T04:05:06Z."""
    return dt.datetime.fromisoformat(stamp).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh",
          sarif_results: str = "all") -> None:
    """The log in three passes over the results: rules first, then the notifications and the
    results, each streamed (no case is held)."""
    results = policy.marked(results, header)
    omitted: dict[str, int] | None = {} if sarif_results == "open" else None
    rules, index, engine_failed = _rules(results, omitted)
    driver = _driver(header, rules)
    notes = Items(n for case in results for n in _notifications(case, lang))
    invocation = {"executionSuccessful": not engine_failed, "startTimeUtc": _utc(header["run_started"]),
                  "exitCode": header["exit_code"], "toolExecutionNotifications": notes,
                  "properties": {"as_of": header["as_of"], "run_date": header["run_date"],
                                 "fail_on": header["fail_on"], "waivers_applied": header["waivers_applied"],
                                 "accept_uncovered": header.get("accept_uncovered", False),
                                 "filters": header.get("filters")}}
    found = Items(_result(case, f, index[f.rule_id], lang) for case in results for f in case.findings
                  if omitted is None or is_open(f))
    properties: dict = {"summary": summary, "sarif_results": sarif_results}
    if omitted is not None:
        properties["omitted"] = omitted
    run = {"tool": {"driver": driver}, "invocations": [invocation], "language": LANGUAGE[lang],
           "columnKind": "unicodeCodePoints", "results": found, "properties": properties}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "properties": {"audit": header}, "runs": [run]}
    write_json(fh, log)
    fh.write("\n")
