"""What fails the run, and the exit code: the gravest wins (3 engine error > 2 input error >
1 violations > 0). A notice of level "error" (a waiver naming an unknown rule) is bad input: exit 2
whatever --fail-on.

Coverage findings (rule ids `coverage.…`: a case not checked because its board or date is not
covered, or rules chosen by a date far from the case's own) fail the run whatever their severity,
unless `--accept-uncovered` accepts them; `pending` (a results-stage rule on a plan) never fails.

The policy marks every finding (`fails_run`, `listed`: given a line of its own, or folded into a
count) and every case (`fails_run`) as the reports read them (`Policy.marked`); reporters show the
marks and decide nothing themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .baseline import Baseline
from .digest import POLICIES, Digest, Listing
from .errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_VIOLATIONS
from .findings import COVERAGE_RULES, STATUSES, CaseBrief, CaseResult, Finding, Outline

BASELINE = "_baseline"   # the header's in-process key for the Baseline (never written to a report)
INTERNAL = ("engine_error", "internal_error")   # exit 3: the checker, not the input, failed
FAIL_ON = {
    "error": ({"violation"}, {"error"}),
    "warning": ({"violation"}, {"error", "warning"}),
    "not-evaluated": ({"violation", "not_evaluated"}, {"error", "warning"}),
}


def is_coverage(finding) -> bool:
    return finding.rule_id.startswith(COVERAGE_RULES)


def fails(finding: Finding, fail_on: str, accept_uncovered: bool = False) -> bool:
    if is_coverage(finding):
        return not accept_uncovered
    statuses, severities = FAIL_ON[fail_on]
    return finding.status in statuses and finding.severity in severities


def listed(finding: Finding, fail_on: str) -> bool:
    """Listed one per line (lines report): violations, waived ones, coverage findings, and under
    --fail-on not-evaluated the findings not evaluated. Pending and per-topic not_covered are
    counted, never listed: nothing in the file can fix them."""
    return finding.status in listed_statuses(fail_on) or is_coverage(finding)


def listed_statuses(fail_on: str) -> frozenset[str]:
    return frozenset({"violation", "waived"} | ({"not_evaluated"} if fail_on == "not-evaluated" else set()))


def from_header(header: dict) -> tuple[str, bool]:
    """The policy a report was made under: (fail_on, accept_uncovered)."""
    return header.get("fail_on", "error"), bool(header.get("accept_uncovered", False))


@dataclass(frozen=True)
class Policy:
    fail_on: str = "error"
    accept_uncovered: bool = False
    baseline: Baseline | None = None   # --baseline: listed findings are marked new or unchanged
    new_only: bool = False             # --fail-on-new: only new findings fail the run

    @classmethod
    def of(cls, header: dict) -> Policy:
        record = header.get("baseline") or {}
        return cls(*from_header(header), header.get(BASELINE), bool(record.get("new_only")))

    def change(self, result, f) -> str | None:
        if self.baseline is None or not listed(f, self.fail_on):
            return None
        return self.baseline.change(result, f)

    def fails(self, result, f) -> bool:
        return fails(f, self.fail_on, self.accept_uncovered) and (
            not self.new_only or self.change(result, f) == "new")

    def case_fails(self, result) -> bool:
        """A case fails the run: it could not be checked, a finding fails, or a notice is an error."""
        return (bool(result.error) or any(self.fails(result, f) for f in result.findings)
                or any(n.get("level") == "error" for n in result.notices))

    def mark(self, result: CaseResult) -> CaseResult:
        for f in result.findings:
            f.fails_run = self.fails(result, f)
            f.listed = listed(f, self.fail_on)
            f.change = self.change(result, f)
        result.fails_run = self.case_fails(result)
        return result

    def may_list(self, outline: Outline) -> bool:
        """Whether a case may have anything listed, from its outline alone (so the others need not
        be read): an error, a waiver notice, a coverage finding, or a finding of a listed status."""
        statuses = listed_statuses(self.fail_on)
        return (outline.error or outline.waiver_notices or outline.coverage
                or any(n and status in statuses for status, n in zip(STATUSES, outline.counts, strict=True)))

    def marked(self, results) -> Marked:
        return results if isinstance(results, Marked) and results.policy == self else Marked(results, self)


def marked(results, header: dict) -> Marked:
    """The results as a report reads them: each case marked by the policy of `header`."""
    return Policy.of(header).marked(results)


class Marked:
    """Results marked as they are read (a spool unpickles a fresh case on every read)."""

    def __init__(self, results, policy: Policy):
        self.results, self.policy = results, policy

    def __iter__(self) -> Iterator[CaseResult]:
        return (self.policy.mark(r) for r in self.results)

    def __len__(self) -> int:
        return len(self.results)

    def read_if(self, wanted: Callable[[Outline], bool]
                ) -> Iterator[tuple[Outline, CaseResult | Listing | None]]:
        """(outline, case) with only the wanted cases read, as the spool gives them (a Listing: only
        the lines a lines-only re-run kept of a cached case)."""
        if hasattr(self.results, "read_if"):
            pairs = self.results.read_if(wanted)
        else:
            pairs = ((o, r if wanted(o) else None) for o, r in ((Outline.of(r), r) for r in self.results))
        return ((o, r if r is None or isinstance(r, Listing) else self.policy.mark(r)) for o, r in pairs)


class Tally:
    """The exit code and the summary, gathered one result at a time (one pass, nothing held but
    counts)."""

    def __init__(self, fail_on: str = "error", accept_uncovered: bool = False, policy: Policy | None = None):
        self.fail_on = fail_on
        self.accept_uncovered = accept_uncovered
        self.policy = policy or Policy(fail_on, accept_uncovered)
        self._kept: int | None = None   # which of a digest's failing counts is this policy's
        self.exit_code = EXIT_OK
        self.counts = {"cases": 0, "clean": 0, "violations": 0, "not_evaluable": 0, "not_checked": 0,
                       "partly_checked": 0, "pending": 0,
                       "input_error": 0, "engine_error": 0, "internal_error": 0}
        self.by_rule: dict[str, int] = {}
        self.by_board: dict[str, dict[str, int]] = {}

    def add(self, result: CaseResult | CaseBrief) -> None:
        code = self.exit_code
        if result.error:
            code = max(code, EXIT_INTERNAL if result.error["kind"] in INTERNAL else EXIT_INPUT)
        elif any(self.policy.fails(result, f) for f in result.findings):
            code = max(code, EXIT_VIOLATIONS)
        if any(n.get("level") == "error" for n in result.notices):   # e.g. a waiver of an unknown rule
            code = max(code, EXIT_INPUT)
        self.exit_code = code
        counts = self.counts
        counts["cases"] += 1
        counts[result.status] = counts.get(result.status, 0) + 1
        counts["partly_checked"] += getattr(result, "coverage", None) == "partly_checked"
        key = result.board or result.case_type or "-"
        board = self.by_board.setdefault(key, {"cases": 0, "violations": 0})
        board["cases"] += 1
        board["violations"] += result.status == "violations"
        for f in result.findings:
            if f.status == "violation":
                self.by_rule[f.rule_id] = self.by_rule.get(f.rule_id, 0) + 1
            elif f.status == "pending":
                counts["pending"] += 1

    def add_digest(self, d: Digest) -> None:
        """As `add`, from a cached digest (a run without a baseline): the same counts."""
        if self.policy.baseline is not None:
            raise ValueError("a digest has no baseline marks: add the case's brief instead")
        if self._kept is None:
            self._kept = POLICIES.index((self.policy.fail_on, self.policy.accept_uncovered))
        code = self.exit_code
        if d.error:
            code = max(code, EXIT_INTERNAL if d.error in INTERNAL else EXIT_INPUT)
        elif d.failing[self._kept]:
            code = max(code, EXIT_VIOLATIONS)
        if d.error_notices:
            code = max(code, EXIT_INPUT)
        self.exit_code = code
        counts = self.counts
        counts["cases"] += 1
        counts[d.status] = counts.get(d.status, 0) + 1
        counts["partly_checked"] += d.partly_checked
        board = self.by_board.setdefault(d.board_key, {"cases": 0, "violations": 0})
        board["cases"] += 1
        board["violations"] += d.status == "violations"
        for rule_id in d.violations:
            self.by_rule[rule_id] = self.by_rule.get(rule_id, 0) + 1
        counts["pending"] += d.pending

    def summary(self) -> dict:
        """Cases per status, the ten rules violated most often, and cases per board (a case without
        a board under its case type; one that could not be read under "-")."""
        return {**self.counts, "top_rules": sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
                "by_board": dict(sorted(self.by_board.items()))}


def tally(results: Iterable[CaseResult], fail_on: str = "error", accept_uncovered: bool = False) -> Tally:
    t = Tally(fail_on, accept_uncovered)
    for result in results:
        t.add(result)
    return t


def exit_code(results: Iterable[CaseResult], fail_on: str = "error", accept_uncovered: bool = False) -> int:
    return tally(results, fail_on, accept_uncovered).exit_code


def summary(results: Iterable[CaseResult]) -> dict:
    """See Tally.summary."""
    return tally(results).summary()
