"""`--format` parsing: one format (to --output or stdout), or several as NAME=FILE,NAME=FILE.

`-` as a file means stdout; at most one format may go there.
"""

from __future__ import annotations

import os

FORMATS = ("console", "json", "sarif", "junit", "markdown", "html")
STDOUT = "-"


class UsageError(ValueError):
    pass


def parse(spec: str, output: str | None = None) -> list[tuple[str, str]]:
    """[(format, destination)], destination a file path or STDOUT; UsageError when ambiguous."""
    items = [part.strip() for part in spec.split(",")]
    if any(not part for part in items):
        raise UsageError(f"empty entry in {spec!r}; write NAME or NAME=FILE, separated by commas")
    targets: list[tuple[str, str | None]] = []
    for item in items:
        name, sep, dest = item.partition("=")
        name, dest = name.strip(), dest.strip()
        if name not in FORMATS:
            raise UsageError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
        if sep and not dest:
            raise UsageError(f"{item!r}: no file after '='; give a file name or - for stdout")
        targets.append((name, dest or None))
    if output is not None:
        if len(targets) > 1 or targets[0][1] is not None:
            raise UsageError("--output names the file of a single format; for several formats write "
                             "--format NAME=FILE,NAME=FILE")
        targets = [(targets[0][0], output)]
    resolved = [(name, dest or STDOUT) for name, dest in targets]
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
        folder = os.path.dirname(os.path.abspath(dest))
        if not os.path.isdir(folder):
            raise UsageError(f"{dest}: folder {folder} does not exist")
    return resolved
