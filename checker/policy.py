"""Exit codes from results: the gravest wins (3 engine error > 2 input error > 1 violations > 0).
A notice of level "error" (a waiver naming an unknown rule) is bad input: exit 2 whatever --fail-on."""

from __future__ import annotations

from collections.abc import Iterable

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


class Tally:
    """The exit code and the summary, gathered one result at a time (one pass, nothing held but
    counts)."""

    def __init__(self, fail_on: str = "error"):
        self.fail_on = fail_on
        self.exit_code = EXIT_OK
        self.counts = {"cases": 0, "clean": 0, "violations": 0, "not_evaluable": 0,
                       "input_error": 0, "engine_error": 0, "internal_error": 0}
        self.by_rule: dict[str, int] = {}
        self.by_board: dict[str, dict[str, int]] = {}

    def add(self, result: CaseResult) -> None:
        code = self.exit_code
        if result.error:
            code = max(code, EXIT_INTERNAL if result.error["kind"] in INTERNAL else EXIT_INPUT)
        elif any(fails(f, self.fail_on) for f in result.findings):
            code = max(code, EXIT_VIOLATIONS)
        if any(n.get("level") == "error" for n in result.notices):   # e.g. a waiver of an unknown rule
            code = max(code, EXIT_INPUT)
        self.exit_code = code
        counts = self.counts
        counts["cases"] += 1
        counts[result.status] = counts.get(result.status, 0) + 1
        key = result.board or result.case_type or "-"
        board = self.by_board.setdefault(key, {"cases": 0, "violations": 0})
        board["cases"] += 1
        board["violations"] += result.status == "violations"
        for f in result.findings:
            if f.status == "violation":
                self.by_rule[f.rule_id] = self.by_rule.get(f.rule_id, 0) + 1

    def summary(self) -> dict:
        """Cases per status, the ten rules violated most often, and cases per board (a case without
        a board under its case type; one that could not be read under "-")."""
        return {**self.counts, "top_rules": sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
                "by_board": dict(sorted(self.by_board.items()))}


def tally(results: Iterable[CaseResult], fail_on: str = "error") -> Tally:
    t = Tally(fail_on)
    for result in results:
        t.add(result)
    return t


def exit_code(results: Iterable[CaseResult], fail_on: str = "error") -> int:
    return tally(results, fail_on).exit_code


def summary(results: Iterable[CaseResult]) -> dict:
    """See Tally.summary."""
    return tally(results).summary()
