"""A progress bar on stderr when it is a terminal and there is more than one case; else nothing.

The bar is refreshed by the caller (no refresh thread), so worker processes can still be forked
safely while it is shown; redraws are limited to ten a second.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..findings import CaseBrief


def wanted(total: int, stream=None) -> bool:
    stream = stream or sys.stderr
    return total > 1 and hasattr(stream, "isatty") and stream.isatty()


@contextmanager
def progress(total: int, lang: str = "zh", enabled: bool | None = None
             ) -> Iterator[Callable[[CaseBrief], None]]:
    if not (wanted(total) if enabled is None else enabled):
        yield lambda _result: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    label = {"zh": "检查中", "en": "checking"}[lang]
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[problems]}"), TimeRemainingColumn(),
                   console=Console(stderr=True), auto_refresh=False, transient=True,
                   redirect_stdout=False, redirect_stderr=False)
    task = bar.add_task(label, total=total, problems="")
    counts = {"violations": 0, "errors": 0}
    last = [0.0]

    def advance(result: CaseBrief) -> None:
        if result.status == "violations":
            counts["violations"] += 1
        elif result.error:
            counts["errors"] += 1
        words = {"zh": "违规 {violations} · 错误 {errors}", "en": "{violations} with violations · "
                 "{errors} errors"}[lang]
        bar.update(task, advance=1, problems=words.format(**counts))
        now = time.monotonic()
        if now - last[0] >= 0.1 or bar.tasks[0].completed >= total:
            last[0] = now
            bar.refresh()

    with bar:
        bar.refresh()
        yield advance
