"""One case, never raising: bad input and engine errors are handled by the checker; anything
else is a bug, recorded as the case's `internal_error` with its traceback printed to stderr."""

from __future__ import annotations

import sys
import traceback

from ..check import Checker
from ..findings import CaseResult


def check_safely(checker: Checker, path: str) -> CaseResult:
    try:
        return checker.check_file(path)
    except Exception as exc:   # a bug in the checker: report it, never as bad input
        text = traceback.format_exc()
        print(f"offering-check: internal error on {path}:\n{text}", file=sys.stderr, flush=True)
        return failed(path, "internal_error", f"internal error: {type(exc).__name__}: {exc}")


def failed(path: str, kind: str, message: str) -> CaseResult:
    return CaseResult.for_file(path).fail(kind, message)
