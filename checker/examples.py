"""Run a rule's own pass/fail examples: a case file, optionally with some fields changed.

`set` paths are dotted, list items by index (`strategic.investors.2.shares`); a changed value
keeps the line of the node it replaces, a new one takes the line of its nearest parent. A `fail`
example may pin its violation: `at` ('line:col' in the case file) and `message` (zh/en, whole);
`pin_mismatches` says which pin does not hold.
"""

from __future__ import annotations

import copy
import datetime as dt
import os

from .check import Checker
from .errors import InputError
from .loading import Document, load_file


def apply_set(doc: Document, changes: dict) -> Document:
    data = copy.deepcopy(doc.data)
    for dotted, value in changes.items():
        parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        node = data
        for i, part in enumerate(parts[:-1]):
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    raise InputError(f"example path {dotted}: no item {part}")
                node = node[part]
            else:
                if node.get(part) is None:
                    node[part] = [] if isinstance(parts[i + 1], int) else {}
                node = node[part]
        node[parts[-1]] = value
    return Document(doc.file, data, doc.marks, doc.key_marks)


def outcome(checker: Checker, rule_id: str, case: str, changes: dict, root: str,
            version: str | None = None) -> tuple[str, list]:
    """'pass', 'fail', 'not_evaluated' or 'pending' for one rule on one example; also the findings seen.

    With `version` (a rule key), 'not_in_force' when the example's date or board selects
    another version, or none: such an example would test something else."""
    path = os.path.join(root, case)
    doc = apply_set(load_file(path), changes)
    result = checker.check_document(case, doc)
    if result.error:
        raise InputError(f"example {case} {changes}: {result.error['message']}")
    if version is not None:
        rule = checker.catalogue.by_key(version)
        board = result.board
        as_of = dt.date.fromisoformat(result.as_of) if result.as_of else None
        if rule is None or as_of is None or not rule.spec.applies.in_force(as_of, board):
            return "not_in_force", []
    mine = [f for f in result.findings if f.rule_id == rule_id]
    statuses = {f.status for f in mine}
    if "violation" in statuses:
        return "fail", mine
    if "not_evaluated" in statuses:
        return "not_evaluated", mine
    if "pending" in statuses:
        return "pending", mine
    newest = checker.catalogue.by_id(rule_id)
    topic = newest.spec.topic if newest is not None else rule_id
    if any(f.status == "not_covered" and f.rule_id == topic for f in result.findings):
        return "not_covered", mine
    return "pass", mine


def pin_mismatches(example, findings: list) -> list[str]:
    """What a `fail` example pins (`at`, `message`) and the rule's first violation does not match:
    one 'pin: expected …, got …' per mismatch; empty when every pin holds or none is given."""
    if example.at is None and example.message is None:
        return []
    first = next((f for f in findings if f.status == "violation"), None)
    if first is None:
        return ["no violation to compare the pins with"]
    problems = []
    got = f"{first.position.line}:{first.position.col}"
    if example.at is not None and example.at != got:
        problems.append(f"at: expected {example.at}, got {got}")
    for lang in ("zh", "en"):
        want = getattr(example.message, lang) if example.message is not None else None
        if want is not None and want != first.message[lang]:
            problems.append(f"message.{lang}: expected {want!r}, got {first.message[lang]!r}")
    return problems
