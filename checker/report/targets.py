"""`--format` parsing: one format (to --output or stdout), or several as NAME=FILE,NAME=FILE.

`-` as a file means stdout; at most one format may go there. `auto` (the default) is the rich
`console` report when stdout is a terminal and the one-line-per-finding `lines` report otherwise
(a pipe, pre-commit, an editor; to a file too), like yamllint's `--format auto`.
"""

from __future__ import annotations

import os
import sys

from ..errors import UsageError
from .formats import FORMATS

AUTO = "auto"
STDOUT = "-"


def parse(spec: str, output: str | None = None, tty: bool | None = None) -> list[tuple[str, str]]:
    """[(format, destination)], destination a file path or STDOUT; UsageError when ambiguous.

    `tty`: whether stdout is a terminal, for `auto` (default: asked of sys.stdout)."""
    items = [part.strip() for part in spec.split(",")]
    if any(not part for part in items):
        raise UsageError(f"empty entry in {spec!r}; write NAME or NAME=FILE, separated by commas")
    targets: list[tuple[str, str | None]] = []
    for item in items:
        name, sep, dest = item.partition("=")
        name, dest = name.strip(), dest.strip()
        if name not in FORMATS and name != AUTO:
            raise UsageError(f"unknown format {name!r}; choose from {AUTO}, {', '.join(FORMATS)}")
        if sep and not dest:
            raise UsageError(f"{item!r}: no file after '='; give a file name or - for stdout")
        targets.append((name, dest or None))
    if output is not None:
        if len(targets) > 1 or targets[0][1] is not None:
            raise UsageError("--output names the file of a single format; for several formats write "
                             "--format NAME=FILE,NAME=FILE")
        targets = [(targets[0][0], output)]
    resolved = [(name, dest or STDOUT) for name, dest in targets]
    if any(name == AUTO for name, _ in resolved):
        on_tty = _stdout_is_terminal() if tty is None else tty
        resolved = [(_auto(dest, on_tty) if name == AUTO else name, dest) for name, dest in resolved]
    if sum(dest == STDOUT for _, dest in resolved) > 1:
        raise UsageError("only one format can go to stdout; give the others a file (NAME=FILE)")
    seen: set[str] = set()
    for name, dest in resolved:
        if dest == STDOUT:
            continue
        key = os.path.normcase(os.path.abspath(dest))
        if key in seen:
            raise UsageError(f"{dest}: two formats would write the same file")
        seen.add(key)
        if os.path.isdir(dest):
            raise UsageError(f"{dest}: is a folder; give a file name for the {name} report")
        if os.path.islink(dest) or (os.path.exists(dest) and not os.path.isfile(dest)):
            # a report is renamed into place: that would replace a device, a FIFO or a link's target
            raise UsageError(f"{dest}: not a regular file (a device, a FIFO or a symbolic link); "
                             "write the report to a regular file, or to stdout with NAME=-")
        folder = os.path.dirname(os.path.abspath(dest))
        if not os.path.isdir(folder):
            raise UsageError(f"{dest}: folder {folder} does not exist")
    return resolved


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):   # replaced or closed stdout
        return False


def _auto(dest: str, on_tty: bool) -> str:
    return "console" if dest == STDOUT and on_tty else "lines"
