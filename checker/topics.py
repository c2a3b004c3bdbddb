"""The catalogue topics beyond the rules (rules/_topics.yaml): the planned ones, each with the reason
it has no rule yet, and a short note on implemented ones. The coverage table (checker/coverage.py)
reads them; counts, boards and dates come from the rules. Checked against the packs when loaded:
a planned topic that has rules, or a note on a topic without rules, is a RulePackError.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from .errors import RulePackError
from .loading import load_file

TOPICS_FILE = "_topics.yaml"
_TOPIC = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Topics:
    planned: dict[str, str] = field(default_factory=dict)   # topic → why there is no rule yet
    notes: dict[str, str] = field(default_factory=dict)     # implemented topic → note


def load_topics(root: str, implemented: set[str]) -> Topics:
    """rules/_topics.yaml checked against the topics that have rules; empty when the file is absent."""
    path = os.path.join(root, TOPICS_FILE)
    if not os.path.exists(path):
        return Topics()
    doc = load_file(path)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise RulePackError(f"{TOPICS_FILE}: expected a mapping with `planned:` and `notes:`",
                            doc.position(()))
    unknown = sorted(set(data) - {"planned", "notes"})
    if unknown:
        raise RulePackError(f"{TOPICS_FILE}: unknown key '{unknown[0]}' (planned, notes)",
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
    return Topics(sections["planned"], sections["notes"])
