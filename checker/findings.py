"""The result model every reporter formats: findings per case, and the case's own status."""

from __future__ import annotations

import copy
import hashlib
import os
from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import Position

STATUSES = ("violation", "waived", "not_evaluated", "pending", "not_covered")
# Coverage verdicts of a case: every topic in force was checked; some topics have no rule for the
# board and date (named in `uncovered`); or nothing was checked (board or date not covered).
COVERAGE = ("checked", "partly_checked", "not_checked")
COVERAGE_RULES = "coverage."   # rule ids of the case-level coverage findings start with it


# A rule's title and citation, shared by every finding of the rule, cross the pipe, the spool and
# the result cache as a token (the rule version's key and a digest of the content): nearly half of
# a pickled result otherwise. The catalogue registers them wherever it is loaded (checker/rulepack.py);
# equal tokens mean equal content, so a token never resolves to another catalogue's text.
_SHARED: dict[str, dict] = {}
_TOKENS: dict[int, tuple[str, dict]] = {}   # id → (token, the object: held, so the id stays its own)
_BY_REFERENCE = ("title", "citation")


def share(key: str, obj: dict) -> None:
    """Register a rule's read-only title or citation dict under a token made of `key` and its content."""
    token = f"{key}#{hashlib.blake2b(repr(sorted(obj.items())).encode(), digest_size=12).hexdigest()}"
    _SHARED.setdefault(token, obj)
    _TOKENS[id(obj)] = (token, obj)


@dataclass
class Finding:
    case_id: str
    rule_id: str
    topic: str
    title: dict[str, str]
    severity: str
    confidence: str
    status: str                      # violation | waived | not_evaluated | pending | not_covered
    message: dict[str, str]
    expected: dict[str, str]
    actual: dict[str, str]
    citation: dict
    position: Position
    subject: str = ""                # the investor line or offering the finding is about
    item: str | None = None          # the subject as the case names it, for a waiver's `item`
    missing: list[str] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)
    waiver: dict | None = None
    version: str = ""                # the rule version's window, "from–until"
    fails_run: bool | None = None    # the policy's marks (policy.Policy.mark); None: not yet judged
    listed: bool | None = None       # a line of its own in the lines and Markdown reports, else counted
    change: str | None = None        # against --baseline: new | unchanged; None without one

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for name in _BY_REFERENCE:
            shared = _TOKENS.get(id(state[name]))
            if shared is not None and shared[1] is state[name]:
                state[name] = shared[0]
        return state

    def __setstate__(self, state: dict) -> None:
        for name in _BY_REFERENCE:
            if isinstance(state[name], str):
                state[name] = _SHARED[state[name]]   # registered by the catalogue the result was made with
        self.__dict__.update(state)

    def to_dict(self) -> dict:
        """As `dataclasses.asdict`, with `position` as `location` last (written by hand: asdict's
        deep copy was most of a report's time; a test keeps the two equal)."""
        pos = self.position
        return {"case_id": self.case_id, "rule_id": self.rule_id, "topic": self.topic,
                "title": dict(self.title), "severity": self.severity, "confidence": self.confidence,
                "status": self.status, "message": dict(self.message), "expected": dict(self.expected),
                "actual": dict(self.actual),
                "citation": {k: list(v) if isinstance(v, list) else v for k, v in self.citation.items()},
                "subject": self.subject, "item": self.item, "missing": list(self.missing),
                "related": [dict(r) for r in self.related], "waiver": copy.deepcopy(self.waiver),
                "version": self.version, "fails_run": self.fails_run, "listed": self.listed,
                "change": self.change, "location": {"file": pos.file, "line": pos.line, "col": pos.col}}


@dataclass
class CaseResult:
    file: str
    case_id: str
    case_type: str | None = None
    board: str | None = None
    as_of: str | None = None
    findings: list[Finding] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)   # expired / unused waivers, …
    error: dict | None = None                            # input_error / engine_error, with location
    rules_checked: list[str] = field(default_factory=list)  # ids of the rules in force on the case
    coverage: str | None = None                          # one of COVERAGE once the case was read
    uncovered: list[str] = field(default_factory=list)   # topics with no rule for the board and date
    dates: dict | None = None                            # the rules date and the case's own date
    fails_run: bool | None = None                        # the policy's mark; None: not yet judged

    @classmethod
    def for_file(cls, path: str) -> CaseResult:
        """A result named after its file until the case states its own id."""
        return cls(file=path, case_id=os.path.splitext(os.path.basename(path))[0])

    def fail(self, kind: str, message: str) -> CaseResult:
        """Mark the whole case failed (engine or internal error): no findings, located at its start."""
        self.findings = []
        self.error = {"kind": kind, "message": message, "location": {"file": self.file, "line": 1, "col": 1}}
        return self

    def brief(self) -> CaseBrief:
        return CaseBrief(self.file, self.case_id, self.case_type, self.board, self.status, self.error,
                         self.notices, tuple(FindingBrief(f.status, f.severity, f.rule_id, f.subject,
                                                          f.waiver) for f in self.findings),
                         self.coverage)

    @property
    def status(self) -> str:
        if self.error:
            return self.error["kind"]
        if self.coverage == "not_checked":
            return "not_checked"
        if any(f.status == "violation" for f in self.findings):
            return "violations"
        if any(f.status == "not_evaluated" for f in self.findings):
            return "not_evaluable"
        return "clean"

    def to_dict(self) -> dict:
        return {
            "file": self.file, "case_id": self.case_id, "case_type": self.case_type,
            "board": self.board, "as_of": self.as_of, "status": self.status,
            "error": self.error, "notices": self.notices,
            "findings": [f.to_dict() for f in self.findings],
            "rules_checked": self.rules_checked,
            "coverage": self.coverage, "uncovered": self.uncovered, "dates": self.dates,
            "fails_run": self.fails_run,
        }


class FindingBrief(NamedTuple):
    status: str
    severity: str
    rule_id: str
    subject: str
    waiver: dict | None


class CaseBrief(NamedTuple):
    """What a batch's parent sees of a case as it arrives: enough for the progress bar, the summary,
    the exit code and the header's waiver lists (policy.Tally and audit.WaiverLog read it as they
    read a CaseResult). The result itself goes to the spool as the worker pickled it."""

    file: str
    case_id: str
    case_type: str | None
    board: str | None
    status: str
    error: dict | None
    notices: list[dict]
    findings: tuple[FindingBrief, ...]
    coverage: str | None = None


class Outline(NamedTuple):
    """A case in a few numbers, kept beside each spooled result, so a report that lists only some
    cases (the lines report) unpickles no other: its findings per status (in STATUSES order),
    whether it failed, whether it has a waiver notice, and whether it has a coverage finding."""

    counts: tuple[int, ...]
    error: bool
    waiver_notices: bool
    coverage: bool = False   # has a case-level coverage finding (not checked, rules date far off)

    @classmethod
    def of(cls, case: CaseResult | CaseBrief) -> Outline:
        counts = dict.fromkeys(STATUSES, 0)
        coverage = False
        for f in case.findings:
            counts[f.status] += 1
            coverage = coverage or f.rule_id.startswith(COVERAGE_RULES)
        return cls(tuple(counts.values()), bool(case.error),
                   any(n["kind"].startswith("waiver_") for n in case.notices), coverage)
