"""One case, never raising: bad input and engine errors are handled by the checker; anything
else is a bug, recorded as the case's `internal_error` with its traceback printed to stderr."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import traceback
from typing import TYPE_CHECKING

from ..errors import InputError
from ..filebytes import read_bytes
from ..findings import CaseResult
from ..result_cache import file_key

if TYPE_CHECKING:
    from ..check import Checker


def check_keyed(checker: Checker, path: str, run_salt: bytes | None) -> tuple[CaseResult, bytes | None, bool]:
    """The case's result, never raising; with a result cache's `run_salt` also the key of the bytes
    that were checked and whether the case declares waivers (None and False: nothing to store)."""
    try:
        if run_salt is None:
            return checker.check_file(path), None, False
        try:
            raw = read_bytes(path)
        except InputError:   # unreadable or oversize: reported as always, not cached
            return checker.check_file(path), None, False
        result, declares = checker.check_bytes(path, raw)
        return result, file_key(run_salt, path, raw), declares
    except Exception as exc:   # a bug in the checker: report it, never as bad input
        text = traceback.format_exc()
        print(f"offering-check: internal error on {path}:\n{text}", file=sys.stderr, flush=True)
        return failed(path, "internal_error", f"internal error: {type(exc).__name__}: {exc}"), None, False


def failed(path: str, kind: str, message: str) -> CaseResult:
    return CaseResult.for_file(path).fail(kind, message)


class _TimedOut(BaseException):   # not an Exception: the checker's own handlers never catch it
    pass


def _alarm(_signum, _frame):
    raise _TimedOut


def check_in_time(checker: Checker, path: str, timeout: float | None,
                  run_salt: bytes | None = None) -> tuple[CaseResult, bytes | None, bool]:
    """check_keyed with the batch's --timeout in this process too (one file, -j 1): a case still
    running after `timeout` seconds is stopped and reported as an engine error. An alarm interrupts
    Python code; the engine's C code cannot loop forever (the compiler keeps every rule inside its
    limits), so Python is where a case can be slow."""
    main = threading.current_thread() is threading.main_thread()
    if not (timeout and hasattr(signal, "setitimer") and main):
        return check_keyed(checker, path, run_salt)
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return check_keyed(checker, path, run_salt)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimedOut:
        return failed(path, "engine_error", f"the case took longer than {timeout:g} s and was stopped; "
                                            "it was not checked"), None, False
    finally:
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGALRM, previous)
