"""Board coverage: which boards the rule packs cover and from when (rules/_boards.yaml)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from .errors import RulePackError
from .loading import load_file

BOARDS_FILE = "_boards.yaml"


@dataclass(frozen=True)
class BoardCoverage:
    code: str
    name: dict[str, str]
    covered_from: dt.date | None   # None: the board is not covered at all
    note: str

    def covers(self, day: dt.date) -> bool:
        return self.covered_from is not None and day >= self.covered_from


def load_boards(root: str) -> dict[str, BoardCoverage]:
    """The coverage table; empty when the rules folder has none (every board then counts as covered)."""
    path = os.path.join(root, BOARDS_FILE)
    if not os.path.exists(path):
        return {}
    doc = load_file(path)
    boards = doc.data.get("boards") if isinstance(doc.data, dict) else None
    if not isinstance(boards, dict):
        raise RulePackError(f"{path}: expected a mapping `boards:`", doc.position(()))
    out = {}
    for code, entry in boards.items():
        where = doc.position(("boards", code))
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), dict):
            raise RulePackError(f"board {code}: needs name {{zh, en}}, covered_from and note", where)
        start = entry.get("covered_from")
        if start is not None and not isinstance(start, dt.date):
            raise RulePackError(f"board {code}: covered_from must be a date or null", where)
        out[code] = BoardCoverage(code, dict(entry["name"]), start, str(entry.get("note", "")))
    return out
