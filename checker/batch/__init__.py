"""Check many case files: in this process for one file or `--jobs 1`, else in worker processes.

The flow is the same either way: each path becomes exactly one CaseResult, in input order, spooled
to a temporary file as it arrives (checker/batch/spool.py), so the batch holds no results in memory.
A bug in the checker (an exception that is neither bad input nor an engine error) is recorded as
that case's `internal_error` (exit 3) with its traceback on stderr, and the batch goes on; a
worker process that dies (the engine is C code) costs only the case it was on (`engine_error`).
"""

from __future__ import annotations

import os
import pickle
from array import array
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..digest import Digest
from ..digest import encode as encode_digest
from ..digest import of as digest_of
from ..errors import InputError
from ..filebytes import read_bytes
from ..findings import CaseBrief, Outline
from ..result_cache import ResultCache
from .safe import check_in_time
from .spool import ResultSpool

if TYPE_CHECKING:
    from ..check import Checker


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


def run_batch(files: Sequence[str], make_checker: Callable[[], Checker], jobs: int | None = None,
              on_result: Callable[[int, CaseBrief | Digest], None] | None = None,
              timeout: float | None = None, max_tasks: int | None = None,
              cache: ResultCache | None = None, listing: tuple[str, str, bool] | None = None) -> ResultSpool:
    """One result per file, in the order given, as a spool (a read-only sequence; close it, or use
    it as a context manager). `make_checker` builds the checker (in a worker too when processes
    cannot be forked); `on_result(index, brief)` sees each case's brief (file, id, status, findings,
    error) as it arrives. With a `cache`, an unchanged file's result comes from it, and each result
    checked here is stored in it (the caller closes the cache). `listing` (lang, fail_on,
    accept_uncovered), for a run whose only report is the lines report: a cached case is spooled as
    its lines alone, and `on_result` sees its Digest instead of its brief."""
    spool = ResultSpool(len(files))
    try:
        todo = _from_cache(files, cache, spool, on_result, listing) if cache else range(len(files))
        jobs = min(jobs or default_jobs(), len(todo))
        run_salt = cache.salt if cache else None

        def finish(index: int, brief: CaseBrief, data: bytes, key: bytes | None, declares: bool,
                   digest: bytes | None) -> None:
            spool.put_pickled(index, data, Outline.of(brief))
            if cache is not None and key is not None and digest is not None:
                cache.store(key, declares, brief, data, digest)
            if on_result:
                on_result(index, brief)

        if jobs <= 1 and todo:
            checker = make_checker()
            for index in todo:
                path = files[index]
                result, key, declares = check_in_time(checker, path, timeout, run_salt)
                brief, data = result.brief(), pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                finish(index, brief, data, key, declares,
                       encode_digest(digest_of(result)) if key is not None else None)
        elif todo:
            from .pool import WorkerPool
            WorkerPool(make_checker, jobs, timeout=timeout, max_tasks=max_tasks, run_salt=run_salt).feed(
                files, todo, finish)
    except BaseException:
        spool.close()
        raise
    return spool


def _from_cache(files: Sequence[str], cache: ResultCache, spool: ResultSpool, on_result,
                listing: tuple[str, str, bool] | None) -> Sequence[int]:
    """Spool every result the cache has (only its lines, with `listing`); the cases still to check."""
    todo = array("L")   # the indexes of the cases still to check
    for index, path in enumerate(files):
        try:
            hit = cache.lookup(path, read_bytes(path), shown=(listing[0], listing[2]) if listing else None)
        except InputError:   # unreadable or oversize: checked, and reported as always
            hit = None
        if hit is None:
            todo.append(index)
            continue
        if listing is None:
            assert hit.data is not None and hit.brief is not None
            spool.put_pickled(index, hit.data, hit.outline)
        else:
            spool.put_listing(index, hit.outline, hit.digest.listing(*listing))
        if on_result:
            on_result(index, hit.brief if listing is None else hit.digest)
    return todo
