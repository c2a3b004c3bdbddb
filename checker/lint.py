"""Rule-pack lint: what loading cannot see in one rule alone."""

from __future__ import annotations

import datetime as dt
import os

from .casetypes import CASE_TYPES, FACT_KINDS
from .compile import MAX_PATHS_PER_RULE
from .engine import SHARD_PATHS, assert_no_collisions
from .errors import CheckerError, EngineError
from .wire import RESERVED, engine_name


def run_examples(catalogue) -> list[str]:
    """Every rule's examples, each checked for the outcome it declares and what it pins."""
    from .check import Checker
    from .examples import outcome, pin_mismatches
    checker = Checker(catalogue)
    problems = []
    for rule in catalogue.rules:
        for index, ex in enumerate(rule.spec.examples):
            if not os.path.exists(os.path.join(catalogue.examples_root, ex.case)):
                continue
            try:
                got, found = outcome(checker, rule.id, ex.case, ex.set, catalogue.examples_root, rule.key)
            except CheckerError as exc:  # report every broken example, not only the first
                problems.append(f"{rule.file}:{rule.position.line}: {rule.id}: example {ex.set}: {exc}")
                continue
            if got == "not_in_force":
                problems.append(f"{rule.file}:{rule.position.line}: {rule.id}: example {ex.case} "
                                f"{ex.set} is dated or boarded outside this version ({rule.window}); "
                                "set timetable.t_day / issuer.board to test it")
            elif got != ex.expect:
                problems.append(f"{rule.file}:{rule.position.line}: {rule.id}: example {ex.case} "
                                f"{ex.set} expected {ex.expect}, got {got}")
            elif pins := pin_mismatches(ex, found):
                problems.append(f"{rule.file}:{rule.position.line}: {rule.id}: example #{index} {ex.case} "
                                f"{ex.set}: {'; '.join(pins)}")
    return problems


def coverage_gaps(catalogue) -> list[tuple[str, str, str, str | None]]:
    """(topic, board, from, until) for each stretch, from the board's coverage start on, where a
    topic that has rules for the board has no version in force; until None means "to date"."""
    gaps = []
    covered = {code: b.covered_from for code, b in catalogue.boards.items() if b.covered_from}
    ceased = {code: b.covered_until for code, b in catalogue.boards.items() if b.covered_until}
    topics: dict[str, list] = {}
    for name, declared in CASE_TYPES.items():
        if declared.has_board:
            for rule in catalogue.for_case(name):
                topics.setdefault(rule.spec.topic, []).append(rule)
    for topic, rules in sorted(topics.items()):
        for board, start in sorted(covered.items()):
            windows = sorted(((r.spec.applies.start(board), r.spec.applies.until) for r in rules
                              if r.spec.applies.start(board) is not None),
                             key=lambda w: (w[0], w[1] or dt.date.max))   # open-ended last
            if not windows:
                continue
            cursor = start
            for begin, end in windows:
                if cursor is not None and begin > cursor:
                    gaps.append((topic, board, cursor.isoformat(), begin.isoformat()))
                cursor = None if end is None or cursor is None else max(cursor, end)
            if cursor is not None:
                gaps.append((topic, board, cursor.isoformat(), None))
    return [g for gap in gaps for g in _less_absences(_until_ceased(gap, ceased), catalogue.topics)]


def _until_ceased(gap, ceased: dict):
    """A gap cut at the day its board ceased; None when it starts after it."""
    topic, board, start, end = gap
    stop = ceased.get(board)
    if stop is None:
        return gap
    if dt.date.fromisoformat(start) >= stop:
        return None
    if end is None or dt.date.fromisoformat(end) > stop:
        return (topic, board, start, stop.isoformat())
    return gap


def _less_absences(gap, topics):
    """A gap less the periods in which the topic's requirement did not exist on the board."""
    if gap is None:
        return []
    topic, board, start, end = gap
    pieces = [(dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None)]
    for a in topics.not_required.get(topic, ()):
        if board not in a.boards:
            continue
        low = a.start or dt.date.min
        cut = []
        for begin, until in pieces:
            if begin < low:
                cut.append((begin, min(low, until) if until else low))
            if a.until is not None and (until is None or until > a.until):
                cut.append((max(begin, a.until), until))
        pieces = [(b, u) for b, u in cut if u is None or b < u]
    return [(topic, board, b.isoformat(), u.isoformat() if u else None) for b, u in pieces]


def lint(catalogue) -> list[str]:
    problems = []
    for rule in catalogue.rules:
        for ex in rule.spec.examples:
            if not os.path.exists(os.path.join(catalogue.examples_root, ex.case)):
                problems.append(f"{rule.file}:{rule.position.line}: {rule.id}: example case {ex.case} "
                                "does not exist")
        if rule.compiled.paths > MAX_PATHS_PER_RULE or rule.compiled.paths > SHARD_PATHS:
            problems.append(f"{rule.file}:{rule.position.line}: {rule.id}: too many alternatives")
    problems.extend(run_examples(catalogue))
    try:
        assert_no_collisions([r.key for r in catalogue.rules], "rule keys")
        for kinds in FACT_KINDS.values():
            for specs in kinds.values():
                assert_no_collisions([engine_name(n) for n in specs] + list(RESERVED), "field names")
        assert_no_collisions([f"f{i}" for i in range(1000)], "fact ids")
    except EngineError as exc:
        problems.append(str(exc))
    return problems
