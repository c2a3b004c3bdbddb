"""Filters of a check run (--rule, --severity, --board): which cases and findings are reported.

Every case is checked against the whole catalogue; the filters then drop findings and cases from
the results, so a filtered-out finding neither shows nor counts for the exit code. The audit
header records the filters and what they removed, so a filtered report is never taken for a full
audit.

- `--rule PATTERN`: an exact rule id or topic id (`ipo.strategic.lockup_min`), a prefix ending in
  "." (`ipo.strategic.`) or a glob (`ipo.strategic.*`, `ma.*.cap*`), matched against a finding's
  rule id and its topic. A pattern that matches nothing in the catalogue is a usage error (exit 2)
  with a did-you-mean. Waiver and other notices are kept for the selected rules only, except
  errors (a waiver naming an unknown rule), which are always kept.
- `--severity`: the rule severities reported.
- `--board`: cases on these boards, or on the boards of a group of rules/_boards.yaml (`main`:
  sse_main and szse_main).
  Restructuring and investor cases have no board, so a board filter leaves them out; a case that
  failed before its board was known (an input error) is kept, so no broken file goes unreported.
- The rules listed as checked on a case (`rules_checked`, JUnit's testcases) are filtered alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from . import suggest
from .boards import board_codes, declared_boards, declared_groups
from .casetypes import CASE_TYPES
from .errors import UsageError
from .findings import CaseResult, Finding

if TYPE_CHECKING:
    from .rulepack import Catalogue

SEVERITIES = ("error", "warning", "info")
# each board and each group of rules/_boards.yaml → its board codes
BOARDS = board_codes()


def board_help(lang: str = "en") -> str:
    from .cli_text import text
    sep = "、" if lang == "zh" else " and "
    groups = ", ".join(f"{code} ({g.name[lang]})" for code, g in declared_groups().items())
    boardless = sep.join(n for n, t in CASE_TYPES.items() if not t.has_board)
    return text("board", lang, boards=", ".join(declared_boards()), groups=groups, boardless=boardless)


def _choices(allowed):
    """An argparse type: one value or a comma list, each among `allowed`; gives a list."""
    def parse(text: str) -> list[str]:
        values = [v.strip() for v in text.split(",") if v.strip()]
        bad = [v for v in values if v not in allowed]
        if bad or not values:
            raise argparse.ArgumentTypeError(f"{text!r}: choose from {', '.join(allowed)}")
        return values
    return parse


severity_list = _choices(SEVERITIES)
board_list = _choices(tuple(BOARDS))


def matches(pattern: str, name: str) -> bool:
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(name, pattern)
    if pattern.endswith("."):
        return name.startswith(pattern)
    return name == pattern


def _did_you_mean(pattern: str, names: list[str]) -> list[str]:
    stem = pattern.rstrip(".*")
    if stem and any(n.startswith(stem + ".") for n in names):
        return [stem + ".", stem + ".*"]
    return suggest.near(pattern, names)


@dataclass
class Selection:
    rules: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    boards: tuple[str, ...] = ()          # as given (main, chinext, …)
    catalogue: Catalogue | None = None

    @property
    def active(self) -> bool:
        return bool(self.rules or self.severities or self.boards)

    @cached_property
    def _board_codes(self) -> set[str]:
        return {code for b in self.boards for code in BOARDS[b]}

    def rule_selected(self, rule_id: str, topic: str | None = None) -> bool:
        return not self.rules or any(matches(p, rule_id) or (topic is not None and matches(p, topic))
                                     for p in self.rules)

    def keeps_case(self, result: CaseResult) -> bool:
        if not self.boards:
            return True
        if result.board is None:
            return result.case_type is None   # failed before its type and board were known
        return result.board in self._board_codes

    def keeps_finding(self, f: Finding) -> bool:
        severity_ok = not self.severities or f.severity in self.severities
        return severity_ok and self.rule_selected(f.rule_id, f.topic)

    def _keeps_rule_checked(self, rule_id: str, day: dt.date | None, board: str | None) -> bool:
        """A rule in force on the case: its version in force there decides topic and severity."""
        assert self.catalogue is not None   # called only with a catalogue (see filtered)
        versions = self.catalogue.versions(rule_id)
        current = [v for v in versions if day and v.spec.applies.in_force(day, board)] or versions
        return any(self.rule_selected(rule_id, v.spec.topic)
                   and (not self.severities or v.spec.severity in self.severities) for v in current)

    def filtered(self, r: CaseResult) -> CaseResult:
        """A kept case with only the findings, notices and rules the filters keep (in place)."""
        r.findings = [f for f in r.findings if self.keeps_finding(f)]
        r.notices = [n for n in r.notices if n.get("level") == "error" or self.rule_selected(n["rule_id"])]
        if self.catalogue is not None:
            day = dt.date.fromisoformat(r.as_of) if r.as_of else None
            r.rules_checked = [i for i in r.rules_checked if self._keeps_rule_checked(i, day, r.board)]
        return r

    def apply(self, results: Sequence[CaseResult]) -> tuple[Sequence[CaseResult], dict | None]:
        """The results the filters keep, as a lazy view of `results` (each read is filtered as it
        is read), and the record for the header. One counting pass reads every result first, so
        the counts of what was left out are known before any report starts."""
        if not self.active:
            return results, None
        kept = array("q")
        dropped = 0
        for index, r in enumerate(results):
            if self.keeps_case(r):
                kept.append(index)
                dropped += sum(not self.keeps_finding(f) for f in r.findings)
        return Selected(results, self, kept), {
            "rule": list(self.rules), "severity": list(self.severities), "board": list(self.boards),
            "cases_excluded": len(results) - len(kept), "findings_excluded": dropped}


class Selected(Sequence):
    """The cases a selection keeps, in order, read from the underlying results on demand."""

    def __init__(self, results: Sequence[CaseResult], selection: Selection, kept: array):
        self._results, self._selection, self._kept = results, selection, kept

    def __len__(self) -> int:
        return len(self._kept)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._selection.filtered(self._results[self._kept[index]])

    def __iter__(self) -> Iterator[CaseResult]:
        for index in self._kept:
            yield self._selection.filtered(self._results[index])


def from_args(args, catalogue) -> Selection:
    """The run's filters; a --rule pattern that matches nothing in the catalogue is a usage error."""
    rules = tuple(dict.fromkeys(getattr(args, "rule", None) or []))
    names = sorted({r.id for r in catalogue.rules} | {r.spec.topic for r in catalogue.rules})
    for pattern in rules:
        if not any(matches(pattern, n) for n in names):
            near = _did_you_mean(pattern, names)
            hint = f" (did you mean {' or '.join(near)}?)" if near else ""
            raise UsageError(f"--rule {pattern}: no rule or topic in the catalogue matches{hint}")
    severities = tuple(dict.fromkeys(getattr(args, "severity", None) or []))
    boards = tuple(dict.fromkeys(getattr(args, "board", None) or []))
    return Selection(rules, severities, boards, catalogue)
