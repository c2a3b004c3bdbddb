"""Check many case files: in this process for one file or `--jobs 1`, else in worker processes.

The flow is the same either way: each path becomes exactly one CaseResult, in input order, spooled
to a temporary file as it arrives (checker/batch/spool.py), so the batch holds no results in memory.
A bug in the checker (an exception that is neither bad input nor an engine error) is recorded as
that case's `internal_error` (exit 3) with its traceback on stderr, and the batch goes on; a
worker process that dies (the engine is C code) costs only the case it was on (`engine_error`).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ..check import Checker
from ..findings import CaseBrief
from .safe import check_in_time
from .spool import ResultSpool


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


def run_batch(files: list[str], make_checker: Callable[[], Checker], jobs: int | None = None,
              on_result: Callable[[CaseBrief], None] | None = None,
              timeout: float | None = None, max_tasks: int | None = None) -> ResultSpool:
    """One result per file, in the order given, as a spool (a read-only sequence; close it, or use
    it as a context manager). `make_checker` builds the checker (in a worker too when processes
    cannot be forked); `on_result` sees each case's brief (file, id, status, findings, error) as it
    arrives."""
    jobs = min(jobs or default_jobs(), len(files))
    if jobs <= 1:
        checker = make_checker()
        spool = ResultSpool(len(files))
        try:
            for index, path in enumerate(files):
                result = check_in_time(checker, path, timeout)
                spool.put(index, result)
                if on_result:
                    on_result(result.brief())
        except BaseException:
            spool.close()
            raise
        return spool
    from .pool import WorkerPool
    kept = WorkerPool(make_checker, jobs, timeout=timeout, max_tasks=max_tasks).run(files, on_result)
    assert kept is not None   # run() keeps the results unless told not to
    return kept
