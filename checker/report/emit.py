"""Render every requested format from the one result model, then write them.

Every report is rendered before any is written, so a failing reporter writes nothing; each file
is then replaced atomically (checker.report.atomic). The report for stdout is written last.
"""

from __future__ import annotations

import io
import sys

from rich.console import Console

from ..errors import CheckerError
from . import atomic
from .targets import STDOUT


class ReportWriteError(CheckerError):
    """A report file that cannot be written (missing folder, no permission, disk full)."""


def render(name: str, results, header: dict, summary: dict, lang: str) -> str:
    # each reporter is imported when asked for: a one-file pre-commit run loads only its own
    if name == "lines":
        from . import lines
        return lines.render(results, header, summary, lang)
    if name == "json":
        from . import json_report
        return json_report.render(results, header, summary)
    if name == "sarif":
        from . import sarif
        return sarif.render(results, header, summary, lang)
    if name == "junit":
        from . import junit
        return junit.render(results, header, summary, lang)
    if name == "markdown":
        from . import markdown
        return markdown.render(results, header, summary, lang)
    if name == "html":
        from . import html
        return html.render(results, header, summary, lang)
    if name == "console":
        from . import console as console_report
        buf = io.StringIO()
        plain = Console(file=buf, width=200, soft_wrap=True, highlight=False, color_system=None)
        console_report.render(results, summary, lang, plain, header)
        return buf.getvalue()
    raise ValueError(f"unknown format {name!r}")


def emit(targets: list[tuple[str, str]], results, header: dict, summary: dict, lang: str) -> None:
    rendered = []
    for name, dest in targets:
        live_console = name == "console" and dest == STDOUT
        rendered.append((name, dest, None if live_console else render(name, results, header, summary, lang)))
    for name, dest, text in rendered:
        if dest == STDOUT:
            continue
        try:
            atomic.write_text(dest, text)
        except OSError as exc:
            raise ReportWriteError(f"cannot write the {name} report to {dest}: "
                                   f"{exc.strerror or exc}") from exc
    for name, dest, text in rendered:
        if dest != STDOUT:
            continue
        if text is None:   # the terminal report, with colour when stdout is a terminal
            from . import console as console_report
            console_report.render(results, summary, lang, Console(soft_wrap=True, highlight=False), header)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        if name == "lines":
            from .lines import summary_line
            print(summary_line(results, header), file=sys.stderr)
