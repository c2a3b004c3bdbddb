"""Boards: the listing boards and named groups of them, declared once in rules/_boards.yaml, and
which boards the rule packs cover from when.

The bundled file declares the board codes the case model accepts, the groups a rule's
`applies.boards` and `--board` may name, and the coverage. A `--rules DIR` of one's own may carry
its own `_boards.yaml` for coverage; it can only name declared boards.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import RulePackError

if TYPE_CHECKING:
    from .loading import Document

BOARDS_FILE = "_boards.yaml"


@dataclass(frozen=True)
class BoardCoverage:
    code: str
    name: dict[str, str]
    covered_from: dt.date | None   # None: the board is not covered at all
    note: str
    covered_until: dt.date | None = None   # exclusive: the board ceased (the SME board's merger)

    def covers(self, day: dt.date) -> bool:
        return (self.covered_from is not None and day >= self.covered_from
                and (self.covered_until is None or day < self.covered_until))


@dataclass(frozen=True)
class BoardGroup:
    code: str
    name: dict[str, str]
    boards: tuple[str, ...]


def rules_dir() -> str:
    """The rule packs: inside the installed package, else the repository's rules/ folder."""
    here = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(here, "_rules")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(here), "rules")


def pack_files(root: str) -> list[str]:
    """Rule packs: every *.yaml under root but data files whose name starts with "_"."""
    return sorted(f for f in glob.glob(os.path.join(root, "**", "*.yaml"), recursive=True)
                  if not os.path.basename(f).startswith("_"))


def _read(root: str) -> Document | None:
    path = os.path.join(root, BOARDS_FILE)
    if not os.path.exists(path):
        return None
    from .loading import load_file  # PyYAML: not for a run that only finds the packs
    doc = load_file(path)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("boards"), dict):
        raise RulePackError(f"{path}: expected a mapping `boards:`", doc.position(()))
    unknown = sorted(set(doc.data) - {"boards", "groups"})
    if unknown:
        raise RulePackError(f"{path}: unknown top-level key '{unknown[0]}'", doc.position((unknown[0],)))
    return doc


def load_boards(root: str) -> dict[str, BoardCoverage]:
    """The coverage table; empty when the rules folder has none (every board then counts as covered)."""
    doc = _read(root)
    if doc is None:
        return {}
    known = set(declared_boards()) if os.path.realpath(root) != os.path.realpath(rules_dir()) else None
    return _coverage(doc, known)


def _coverage(doc: Document, known: set[str] | None) -> dict[str, BoardCoverage]:
    out = {}
    for code, entry in doc.data["boards"].items():
        where = doc.position(("boards", code))
        if known is not None and code not in known:
            raise RulePackError(f"board {code}: not a board the case model knows (one of: "
                                f"{', '.join(sorted(known))}; declared in the bundled {BOARDS_FILE})", where)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), dict):
            raise RulePackError(f"board {code}: needs name {{zh, en}}, covered_from and note", where)
        start, end = entry.get("covered_from"), entry.get("covered_until")
        if start is not None and not isinstance(start, dt.date):
            raise RulePackError(f"board {code}: covered_from must be a date or null", where)
        if end is not None and (not isinstance(end, dt.date) or start is None or end <= start):
            raise RulePackError(f"board {code}: covered_until must be a date after covered_from", where)
        out[code] = BoardCoverage(code, dict(entry["name"]), start, str(entry.get("note", "")), end)
    return out


def _load_groups(doc: Document, boards: dict[str, BoardCoverage]) -> dict[str, BoardGroup]:
    groups = doc.data.get("groups") or {}
    if not isinstance(groups, dict):
        raise RulePackError("expected a mapping `groups:`", doc.position(("groups",)))
    out = {}
    for code, entry in groups.items():
        where = doc.position(("groups", code))
        if code in boards:
            raise RulePackError(f"group {code}: the name of a board", where)
        members = entry.get("boards") if isinstance(entry, dict) else None
        if not isinstance(entry.get("name") if isinstance(entry, dict) else None, dict) \
                or not isinstance(members, list) or not members:
            raise RulePackError(f"group {code}: needs name {{zh, en}} and a list of boards", where)
        unknown = [m for m in members if m not in boards]
        if unknown:
            raise RulePackError(f"group {code}: unknown board {unknown[0]!r}", where)
        out[code] = BoardGroup(code, dict(entry["name"]), tuple(members))
    return out


@functools.cache
def _declared() -> tuple[dict[str, BoardCoverage], dict[str, BoardGroup]]:
    doc = _read(rules_dir())
    if doc is None:
        raise RulePackError(f"{os.path.join(rules_dir(), BOARDS_FILE)}: missing; it declares the boards")
    boards = _coverage(doc, None)   # the file read once for both
    return boards, _load_groups(doc, boards)


def declared_boards() -> dict[str, BoardCoverage]:
    """Every board, in file order."""
    return _declared()[0]


def declared_groups() -> dict[str, BoardGroup]:
    return _declared()[1]


def board_name(code: str, lang: str) -> str:
    """A declared board's or group's name in `lang`; any other code as it is."""
    boards, groups = _declared()
    found = boards.get(code) or groups.get(code)
    return found.name[lang] if found else code


def board_codes() -> dict[str, tuple[str, ...]]:
    """Each board and each group → its board codes."""
    return {**{code: (code,) for code in declared_boards()},
            **{code: g.boards for code, g in declared_groups().items()}}


def expand(names: list[str]) -> list[str]:
    """Boards and group names → board codes, in order, each once; ValueError for an unknown name."""
    boards, groups = _declared()
    out: list[str] = []
    for name in names:
        if name in groups:
            codes: tuple[str, ...] = groups[name].boards
        elif name in boards:
            codes = (name,)
        else:
            raise ValueError(f"unknown board {name!r}: boards {', '.join(boards)}; "
                             f"groups {', '.join(groups)}")
        out.extend(c for c in codes if c not in out)
    return out
