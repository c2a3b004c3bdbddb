"""The catalogue topics beyond the rules (rules/_topics.yaml): the planned ones, each with the reason
it has no rule yet, a short note on implemented ones, and the periods in which a topic's
requirement did not exist on a board (`not_required`). The coverage table (checker/coverage.py)
reads them; counts, boards and dates come from the rules. Checked against the packs when loaded:
a planned topic that has rules, or a note on a topic without rules, is a RulePackError.

`not_required` is what keeps an era without a requirement from reading as a gap: before
2023-02-17 the main boards had no mandatory offline lock-up, so an approval-era offering is not
"not covered" for it. Each window names its boards (codes or groups), `from` (inclusive) and/or
`until` (exclusive; left out: to date, for a requirement that ended), and `why`; a case there
gets no `not_covered` finding for the topic, and `rules --lint` counts no gap.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from .errors import RulePackError
from .loading import load_file

TOPICS_FILE = "_topics.yaml"
_TOPIC = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Absence:
    """A period in which a topic's requirement did not exist on some boards."""

    boards: frozenset[str]
    start: dt.date | None     # inclusive; None: from the earliest date
    until: dt.date | None     # exclusive; None: to date (a requirement that ended)
    why: str

    def holds(self, board: str | None, day: dt.date) -> bool:
        return (board in self.boards and (self.start is None or day >= self.start)
                and (self.until is None or day < self.until))


@dataclass(frozen=True)
class Topics:
    planned: dict[str, str] = field(default_factory=dict)   # topic → why there is no rule yet
    notes: dict[str, str] = field(default_factory=dict)     # implemented topic → note
    not_required: dict[str, tuple[Absence, ...]] = field(default_factory=dict)

    def required(self, topic: str, board: str | None, day: dt.date) -> bool:
        """False when the topic's requirement did not exist on the board that day."""
        return not any(a.holds(board, day) for a in self.not_required.get(topic, ()))

    def dates(self) -> set[dt.date]:
        """Every date a `not_required` window starts or ends on."""
        return {d for windows in self.not_required.values() for a in windows
                for d in (a.start, a.until) if d is not None}


def load_topics(root: str, implemented: set[str], boards: dict[str, tuple[str, ...]] | None = None) -> Topics:
    """rules/_topics.yaml checked against the topics that have rules; empty when the file is absent.
    `boards`: each board and group code → its board codes (for `not_required`)."""
    path = os.path.join(root, TOPICS_FILE)
    if not os.path.exists(path):
        return Topics()
    doc = load_file(path)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise RulePackError(f"{TOPICS_FILE}: expected a mapping with `planned:` and `notes:`",
                            doc.position(()))
    unknown = sorted(set(data) - {"planned", "notes", "not_required"})
    if unknown:
        raise RulePackError(f"{TOPICS_FILE}: unknown key '{unknown[0]}' (planned, notes, not_required)",
                            doc.position((unknown[0],)))
    sections = {}
    for section in ("planned", "notes"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise RulePackError(f"{TOPICS_FILE}: `{section}` maps a topic to its text",
                                doc.position((section,)))
        for topic, text in entries.items():
            where = doc.position((section, topic))
            if not isinstance(topic, str) or not _TOPIC.match(topic):
                raise RulePackError(f"{section}: {topic!r} is not a topic id (e.g. ipo.strategic.cap_ratio)",
                                    where)
            if not isinstance(text, str) or not text.strip():
                raise RulePackError(f"{section}: {topic}: give the text as a string", where)
            if section == "planned" and topic in implemented:
                raise RulePackError(f"planned: {topic} has rules; move its entry to `notes` or drop it",
                                    where)
            if section == "notes" and topic not in implemented:
                raise RulePackError(f"notes: {topic} has no rules; move its entry to `planned` or drop it",
                                    where)
        sections[section] = {t: " ".join(v.split()) for t, v in entries.items()}
    absent = _not_required(doc, data.get("not_required") or {}, implemented, boards or {})
    return Topics(sections["planned"], sections["notes"], absent)


_WINDOW_KEYS = {"boards", "from", "until", "why"}


def _not_required(doc, entries, implemented: set[str], boards: dict[str, tuple[str, ...]]):
    where = doc.position(("not_required",))
    if not isinstance(entries, dict):
        raise RulePackError(f"{TOPICS_FILE}: `not_required` maps a topic to a list of periods", where)
    out = {}
    for topic, windows in entries.items():
        at = doc.position(("not_required", topic))
        if topic not in implemented:
            raise RulePackError(f"not_required: {topic} has no rules; a period without the requirement is "
                                "only said of a topic that has rules", at)
        if not isinstance(windows, list) or not windows:
            raise RulePackError(f"not_required: {topic}: give a list of {{boards, until, why}}", at)
        parsed = []
        for i, w in enumerate(windows):
            wat = doc.position(("not_required", topic, i))
            if not isinstance(w, dict) or set(w) - _WINDOW_KEYS or not {"boards", "why"} <= set(w) \
                    or not ({"from", "until"} & set(w)):
                raise RulePackError(f"not_required: {topic}: each period has boards, why and from or until "
                                    "(or both), and nothing else", wat)
            codes = w["boards"] if isinstance(w["boards"], list) else [w["boards"]]
            bad = [c for c in codes if c not in boards]
            if bad or not codes:
                raise RulePackError(f"not_required: {topic}: unknown board {bad[0] if bad else None!r} "
                                    f"(one of: {', '.join(boards)})", wat)
            start, until = w.get("from"), w.get("until")
            if any(d is not None and not isinstance(d, dt.date) for d in (start, until)):
                raise RulePackError(f"not_required: {topic}: from and until are dates (YYYY-MM-DD)", wat)
            if start is not None and until is not None and start >= until:
                raise RulePackError(f"not_required: {topic}: from {start} is not before until {until}", wat)
            if not isinstance(w["why"], str) or not w["why"].strip():
                raise RulePackError(f"not_required: {topic}: `why` says which text shows the requirement "
                                    "did not exist", wat)
            members = frozenset(b for c in codes for b in boards[c])
            parsed.append(Absence(members, start, until, " ".join(w["why"].split())))
        out[topic] = tuple(parsed)
    return out
