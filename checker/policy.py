"""Exit codes from results: the gravest wins (3 engine error > 2 input error > 1 violations > 0).
A notice of level "error" (a waiver naming an unknown rule) is bad input: exit 2 whatever --fail-on."""

from __future__ import annotations

from .errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_VIOLATIONS
from .findings import CaseResult, Finding

INTERNAL = ("engine_error", "internal_error")   # exit 3: the checker, not the input, failed
FAIL_ON = {
    "error": ({"violation"}, {"error"}),
    "warning": ({"violation"}, {"error", "warning"}),
    "not-evaluated": ({"violation", "not_evaluated"}, {"error", "warning"}),
}


def fails(finding: Finding, fail_on: str) -> bool:
    statuses, severities = FAIL_ON[fail_on]
    return finding.status in statuses and finding.severity in severities


def exit_code(results: list[CaseResult], fail_on: str = "error") -> int:
    code = EXIT_OK
    for result in results:
        if result.error:
            code = max(code, EXIT_INTERNAL if result.error["kind"] in INTERNAL else EXIT_INPUT)
        elif any(fails(f, fail_on) for f in result.findings):
            code = max(code, EXIT_VIOLATIONS)
        if any(n.get("level") == "error" for n in result.notices):   # e.g. a waiver of an unknown rule
            code = max(code, EXIT_INPUT)
    return code


def summary(results: list[CaseResult]) -> dict:
    """Cases per status, the ten rules violated most often, and cases per board (a case without a
    board under its case type; one that could not be read under "-")."""
    counts = {"cases": len(results), "clean": 0, "violations": 0, "not_evaluable": 0,
              "input_error": 0, "engine_error": 0, "internal_error": 0}
    by_rule: dict[str, int] = {}
    by_board: dict[str, dict[str, int]] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        board = by_board.setdefault(result.board or result.case_type or "-", {"cases": 0, "violations": 0})
        board["cases"] += 1
        board["violations"] += result.status == "violations"
        for f in result.findings:
            if f.status == "violation":
                by_rule[f.rule_id] = by_rule.get(f.rule_id, 0) + 1
    counts["top_rules"] = sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    counts["by_board"] = dict(sorted(by_board.items()))
    return counts
