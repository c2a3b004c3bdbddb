"""The JSON report (schema version 1): audit header, summary, and every case with its findings.

    {"schema_version": 1, "tool": {"name", "version"}, "rules_hash", "as_of", "run_date",
     "fail_on", "waivers_applied", "summary": {...},
     "cases": [{"file", "case_id", "case_type", "board", "as_of", "status", "error", "notices",
                "findings": [{"case_id", "rule_id", "topic", "title": {zh, en}, "severity",
                              "confidence", "status", "message": {zh, en}, "expected": {zh, en},
                              "actual": {zh, en}, "citation": {source, article, version, urls, note},
                              "location": {file, line, col}, "subject", "missing", "related",
                              "waiver"}]}]}

    A notice: {"kind", "rule_id", "location", …}; kinds: waiver_expired, waiver_unused,
    waiver_unknown_rule (with "reason", "approver"), online_ban_window (with "message": {zh, en}
    and "window": {"start", "end", "reports": [report dates]}: an investor's online ban, stated
    whether or not a subscription falls in it).
"""

from __future__ import annotations

import json

SCHEMA_VERSION = 1


def render(results, header: dict, summary: dict) -> str:
    doc = {"schema_version": SCHEMA_VERSION, **header, "summary": summary,
           "cases": [r.to_dict() for r in results]}
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
