"""`offering-check new TYPE`: a commented case template that validates as written.

The templates (checker/templates/TYPE.yaml) hold the required fields with placeholders marked ←
and every other block commented out: what a new case does not state stays unknown.
"""

from __future__ import annotations

import datetime as dt
import os
from importlib.resources import files
from string import Template

from .boards import declared_boards
from .errors import UsageError


def schema_path(case_type: str, output: str | None) -> str:
    """The modeline's schema: the checkout's cases/schema copy, relative to where the case is
    written, when the current folder has one; else a file of that name beside the case (written by
    `offering-check schema TYPE --output`)."""
    bundled = os.path.join("cases", "schema", f"{case_type}.schema.json")
    if not os.path.isfile(bundled):
        return f"{case_type}.schema.json"
    return os.path.relpath(bundled, os.path.dirname(os.path.abspath(output)) if output else os.curdir)


def render(case_type: str, board: str, today: dt.date, schema: str) -> str:
    boards = declared_boards()
    if board not in boards:
        raise UsageError(f"unknown board {board!r} (known: {', '.join(boards)})")
    if case_type == "ipo" and not boards[board].covers(today):
        b = boards[board]
        raise UsageError(f"{board} is covered from {b.covered_from} until {b.covered_until or 'today'}, "
                         f"not on {today}: give the case's own T day with --date")
    text = files("checker").joinpath("templates", f"{case_type}.yaml").read_text(encoding="utf-8")
    return Template(text).substitute(board=board, boards=", ".join(boards), today=today.isoformat(),
                                     schema=schema.replace(os.sep, "/"))


def refuse_existing(output: str | None) -> None:
    if output and os.path.lexists(output):
        raise UsageError(f"{output} exists: the template is never written over a file (choose a new name)")
