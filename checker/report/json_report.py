"""The JSON report (schema version 1): audit header, summary, and every case with its findings.

    {"schema_version": 1, "tool": {"name", "version"}, "rules_hash" (SHA-256 of the rule packs),
     "as_of" (a date, or "case T day"), "run_date", "run_started" (ISO 8601 with its offset, when
     the run began), "fail_on", "accept_uncovered" (true with
     --accept-uncovered: cases not checked do not fail the run), "waivers_applied" (false with
     --no-waivers), "waivers": [{"case_id", "file", "rule_id", "subject", "item", "reason",
     "approver", "expires", "location"}] (the waivers that turned a violation into `waived`),
     "waivers_today" (the date expiry was judged on, --today), "waivers_expired" and
     "waivers_unused": [{"case_id", "file", "kind", "rule_id", "item", "reason", "approver",
     "expires", "location", "did_you_mean" (for an unknown rule, when some are close)}] (unused
     includes kind waiver_unknown_rule), "filters": null for a full
     audit, else {"rule": [patterns], "severity": [...], "board": [...], "cases_excluded",
     "findings_excluded"}, "exit_code", with --baseline "baseline": {"file", "previous": {"run_date",
     "rules_hash"}, "new", "unchanged", "fixed_count", "now_not_evaluated", "not_compared" (counts),
     "new_only" (--fail-on-new), "fixed": [{"case_id", "file", "rule_id", "title", "subject",
     "status", "message", "location"} as the previous report had them]},
     "summary": {"cases", "clean", "violations", "not_evaluable", "not_checked", "input_error",
                 "engine_error", "internal_error" (counts of cases by status), "partly_checked"
                 (cases), "pending" (findings), "top_rules": [[rule_id, violations]]
                 (at most ten), "by_board": {board or case type: {"cases", "violations"}}},
     "cases": [{"file", "case_id", "case_type", "board", "as_of", "status", "error", "notices",
                (status: clean | violations | not_evaluable | not_checked | input_error |
                 engine_error | internal_error; "error": {"kind", "message", "field", "location"}
                 for the last three),
                "rules_checked": [ids of the rules in force on the case],
                "coverage": checked | partly_checked | not_checked (null for an input error),
                "uncovered": [topics with no rule for the board and date],
                "dates": {"rules" (the date the rules were taken from), "rules_key" (the key that
                          gave it, or "--as-of"), "event" (the case's own date, or null),
                          "event_key", "reason" (given for a rules date, or null)},
                "fails_run": whether the case fails the run under this report's policy,
                "findings": [{"case_id", "rule_id", "topic", "title": {zh, en}, "severity",
                              "confidence", "status" (violation | waived | not_evaluated |
                              pending | not_covered), "message": {zh, en}, "expected": {zh, en},
                              "actual": {zh, en}, "citation": {source, number, article, version, urls, note},
                              "location": {file, line, col}, "subject", "item" (the subject as
                              the case names it, or null), "missing", "related",
                              "waiver": {"rule_id", "item", "reason", "approver", "expires",
                                         "location"} or null, "version" (the rule version's
                              window), "fails_run" (the policy's mark: this finding fails the
                              run), "listed" (the policy's mark: a line of its own in the lines
                              and Markdown reports, else only counted), "change" (with --baseline,
                              for a listed finding: new | unchanged; else null)}]}]}

    A notice: {"kind", "rule_id", "location", …}; kinds: waiver_expired, waiver_unused,
    waiver_unknown_rule (with "level" warning | error, "item", "reason", "approver", "expires",
    "message": {zh, en}; expired adds "today" and "violations", unused "fired_on": [items],
    unknown "did_you_mean"; level error fails the run with exit 2), online_ban_window (with
    "message": {zh, en} and "window": {"start", "end", "reports": [report dates]}: an investor's
    online ban, stated whether or not a subscription falls in it).

    Within schema version 1 fields are only added, never renamed or removed ("waivers",
    "rules_checked", "item", "waivers_today", "waivers_expired", "waivers_unused", "filters",
    "internal_error", "by_board", "coverage", "uncovered", "dates", "accept_uncovered", "fails_run",
    "listed", "baseline", "change" and the status values pending and not_checked were added so; the
    case-level coverage finding's rule id is "coverage.not_checked", formerly "board"); a change that
    breaks a reader bumps the version.
"""

from __future__ import annotations

from typing import TextIO

from .jsonstream import Items
from .jsonstream import write as write_json

SCHEMA_VERSION = 1


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> None:
    """The report, one case at a time (the "cases" array is streamed: no case is held)."""
    public = {k: v for k, v in header.items() if not k.startswith("_")}   # "_…": in-process only
    write_json(fh, {"schema_version": SCHEMA_VERSION, **public, "summary": summary,
                    "cases": Items(r.to_dict() for r in results)})
    fh.write("\n")
