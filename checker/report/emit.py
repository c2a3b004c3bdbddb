"""Write every requested format from the one result model, each streamed from the results.

Every report is rendered whole — a file's report into a temp file beside it, the stdout report into
an anonymous temp file — before any is moved into place, so a failing reporter replaces no old
report and leaves no temp file (checker.report.atomic). The report for stdout is written last.
Reporters iterate the results (a spool on disk; see checker/batch/spool.py) as often as they need
and hold no case: memory does not grow with the batch.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from typing import TextIO

from .. import policy
from ..errors import CheckerError
from . import atomic
from .formats import FORMATS
from .targets import STDOUT


class ReportWriteError(CheckerError):
    """A report file that cannot be written (missing folder, no permission, disk full)."""


def write(name: str, fh: TextIO, results, header: dict, summary: dict, lang: str,
          view: dict | None = None) -> str | None:
    """Write one format to `fh`; returns the line for stderr that goes with it (lines), else None.
    `view`: presentation options, each passed to the formats that take it."""
    fmt = FORMATS.get(name)
    if fmt is None:
        raise ValueError(f"unknown format {name!r}")
    return fmt.writer()(fh, policy.marked(results, header), header, summary, lang, **_options(fmt, view))


def _options(fmt, view: dict | None) -> dict:
    return {k: v for k, v in (view or {}).items() if k in fmt.options}


def render(name: str, results, header: dict, summary: dict, lang: str, view: dict | None = None) -> str:
    """One format as a string (small result sets: tests, one case)."""
    import io
    buf = io.StringIO()
    write(name, buf, results, header, summary, lang, view)
    return buf.getvalue()


def _cannot(name: str, dest: str, exc: OSError) -> ReportWriteError:
    return ReportWriteError(f"cannot write the {name} report to {dest}: {exc.strerror or exc}")


def emit(targets: list[tuple[str, str]], results, header: dict, summary: dict, lang: str,
         view: dict | None = None) -> None:
    files: list[tuple[str, str, atomic.Pending]] = []
    stdout: tuple[str, TextIO | None, str | None] | None = None
    try:
        for name, dest in targets:
            if dest == STDOUT:
                if name == "console":   # the terminal report, drawn live at the end (colour on a tty)
                    stdout = (name, None, None)
                    continue
                spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
                stdout = (name, spool, None)   # known before writing, so a failure closes it
                stdout = (name, spool, write(name, spool, results, header, summary, lang, view))
                continue
            try:
                pending = atomic.Pending(dest)
            except OSError as exc:
                raise _cannot(name, dest, exc) from exc
            files.append((name, dest, pending))
            try:
                write(name, pending.fh, results, header, summary, lang, view)
                pending.finish()
            except OSError as exc:
                raise _cannot(name, dest, exc) from exc
        for name, dest, pending in files:
            try:
                pending.commit()
            except OSError as exc:
                raise _cannot(name, dest, exc) from exc
    except BaseException:
        for _, _, pending in files:
            pending.discard()
        if stdout and stdout[1] is not None:
            stdout[1].close()
        raise
    if stdout is None:
        return
    name, spooled, note = stdout
    if spooled is None:
        from rich.console import Console

        from . import console as console_report
        console_report.render(policy.marked(results, header), summary, lang,
                              Console(soft_wrap=True, highlight=False), header,
                              **_options(FORMATS["console"], view))
        return
    with spooled:
        spooled.seek(0)
        shutil.copyfileobj(spooled, sys.stdout)
    sys.stdout.flush()
    if note:
        print(note, file=sys.stderr)
