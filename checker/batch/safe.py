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
    result = CaseResult(file=path, case_id=case_id_of(path))
    result.error = {"kind": kind, "message": message, "location": {"file": path, "line": 1, "col": 1}}
    return result


def case_id_of(path: str) -> str:
    import os
    return os.path.splitext(os.path.basename(path))[0]
