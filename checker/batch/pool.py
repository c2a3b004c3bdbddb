"""Worker processes that survive the death of any one of them.

`concurrent.futures.ProcessPoolExecutor` marks the whole pool broken when one worker dies, failing
every pending future, and `multiprocessing.Pool` waits forever for the lost task. Here each worker
has its own pipe and is given one case at a time, so the parent always knows which case a worker
was on: when its process sentinel fires without a result, that case (and only that one) becomes an
`engine_error` naming the signal or exit status, a fresh worker takes its place, and the batch goes
on. A case that runs past `timeout` seconds is treated the same way after its worker is killed.

Workers are forked where the platform allows it (they inherit the loaded rule catalogue; the parent
runs no threads, so forking is safe) and spawned elsewhere (each then builds its own checker).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import pickle
import signal
import sys
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait
from typing import TYPE_CHECKING

from ..digest import encode as encode_digest
from ..digest import of as digest_of
from ..findings import CaseBrief, CaseResult, Outline
from .safe import check_keyed, failed
from .spool import ResultSpool

if TYPE_CHECKING:
    from ..check import Checker

_inherited: Checker | None = None   # the parent's checker, seen by forked workers


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel sends this worker SIGKILL when its parent ends, however it ends (SIGKILL
    included); a forked worker would otherwise wait in recv() forever, holding the parent's end of
    its own pipe. Elsewhere the parent's own cleanup stops the workers."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:   # the parent ended before the call: nobody will send the signal
        os._exit(1)


def _worker(conn, make_checker, parent: int | None = None, run_salt: bytes | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    for name in ("SIGTERM", "SIGHUP"):   # the parent's handlers (cli) are not the worker's
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if parent is not None and sys.platform.startswith("linux"):
        _die_with_parent(parent)
    checker = _inherited if _inherited is not None else make_checker()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        result, key, declares = check_keyed(checker, path, run_salt)
        brief, data = result.brief(), pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        digest = encode_digest(digest_of(result)) if key is not None else None
        conn.send((index, brief, data, key, declares, digest))


def death_message(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        how = f"was killed by {name}"
        if name == "SIGSEGV":
            how += " (segmentation fault in the engine's C code)"
    else:
        how = f"exited with status {exitcode}"
    return f"the worker process checking this case {how}; the case was not checked"


class _Worker:
    def __init__(self, context, make_checker, run_salt: bytes | None = None):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, make_checker, os.getpid(), run_salt),
                                       daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, str] | None = None
        self.started = 0.0
        self.done = 0

    def give(self, task: tuple[int, str]) -> None:
        self.task, self.started = task, time.monotonic()
        with contextlib.suppress(OSError):   # died before taking it: its sentinel reports the case
            self.conn.send(task)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class WorkerPool:
    def __init__(self, make_checker: Callable[[], Checker], jobs: int, timeout: float | None = None,
                 max_tasks: int | None = None, run_salt: bytes | None = None):
        self.make_checker = make_checker
        self.run_salt = run_salt   # with a result cache: workers send each result's key
        self.jobs = jobs
        self.timeout = timeout
        self.max_tasks = max_tasks
        fork = "fork" in mp.get_all_start_methods()
        self.context = mp.get_context("fork" if fork else "spawn")
        self.fork = fork

    def run(self, files: list[str], on_result: Callable[[CaseBrief], None] | None = None,
            keep: bool = True) -> ResultSpool | None:
        """Results in input order, spooled to disk (the caller closes the spool); with keep=False
        only `on_result` sees them and nothing is kept (a soak)."""
        spool = ResultSpool(len(files)) if keep else None

        def sink(index: int, brief: CaseBrief, data: bytes, _key, _declares, _digest) -> None:
            if spool is not None:
                spool.put_pickled(index, data, Outline.of(brief))
            if on_result:
                on_result(brief)

        try:
            self.feed(files, range(len(files)), sink)
        except BaseException:
            if spool is not None:
                spool.close()
            raise
        return spool

    def feed(self, files: Sequence[str], tasks: Sequence[int], sink) -> None:
        """Check the cases `tasks` (indexes into `files`) in the workers; each result goes to
        `sink(index, brief, pickled, key, declares, digest)` as it arrives (the digest encoded; key
        and digest None: not to be cached)."""
        global _inherited
        seen = bytearray(len(files))
        todo = iter(tasks)   # taken in order, each once
        left = [len(tasks)]
        if self.fork:
            _inherited = self.make_checker()
            gc.freeze()   # what the workers inherit stays shared: the collector no longer touches it
        workers: list[_Worker] = []

        def finish(index: int, result: CaseResult | None, brief: CaseBrief | None = None,
                   pickled: bytes | None = None, key: bytes | None = None, declares: bool = False,
                   digest: bytes | None = None) -> None:
            """A result made here, or one a worker sent as its brief and its pickle."""
            seen[index] = 1
            if pickled is None:
                assert result is not None   # made here, or the worker sent its pickle and brief
                brief = brief or result.brief()
                pickled = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            assert brief is not None
            sink(index, brief, pickled, key, declares, digest)

        def start() -> _Worker:
            worker = _Worker(self.context, self.make_checker, self.run_salt)
            workers.append(worker)
            return worker

        def feed(worker: _Worker) -> None:
            if left[0]:
                left[0] -= 1
                index = next(todo)
                worker.give((index, files[index]))

        def replace(worker: _Worker, kill: bool) -> None:
            worker.stop(kill=kill)
            workers.remove(worker)
            if left[0]:
                feed(start())

        try:
            for _ in range(min(self.jobs, len(tasks))):
                feed(start())
            while any(w.task for w in workers):
                busy = [w for w in workers if w.task]
                handles = [w.conn for w in busy] + [w.process.sentinel for w in busy]
                ready = set(wait(handles, timeout=self._wait_time(busy)))
                for worker in busy:
                    if worker.conn in ready or worker.process.sentinel in ready:
                        self._collect(worker, finish, feed, replace)
                    elif self.timeout and time.monotonic() - worker.started > self.timeout:
                        assert worker.task is not None   # busy workers have a task
                        index, path = worker.task
                        finish(index, failed(path, "engine_error",
                                             f"the case took longer than {self.timeout:g} s; "
                                             "its worker process was stopped and the case was not checked"))
                        worker.task = None
                        replace(worker, kill=True)
        finally:
            for worker in list(workers):
                worker.stop(kill=any(w.task for w in workers))
            _inherited = None
            if self.fork:
                gc.unfreeze()
        lost = [files[i] for i in tasks if not seen[i]]
        if lost:
            raise RuntimeError(f"the worker pool lost {len(lost)} case(s), first {lost[0]}")

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if not self.timeout:
            return None
        oldest = min(w.started for w in busy)
        return max(0.0, oldest + self.timeout - time.monotonic()) + 0.01

    def _collect(self, worker: _Worker, finish, feed, replace) -> None:
        assert worker.task is not None   # only busy workers are collected
        index, path = worker.task
        received = None
        try:
            if worker.conn.poll():
                received = worker.conn.recv()
        except Exception:   # EOF, or a result cut short by the worker's death
            received = None
        if received is not None and received[0] == index:
            worker.task = None
            worker.done += 1
            finish(index, None, *received[1:])
            if not worker.process.is_alive() or (self.max_tasks and worker.done >= self.max_tasks):
                replace(worker, kill=False)
            else:
                feed(worker)
            return
        worker.process.join(5)
        if worker.process.is_alive():   # the pipe broke but the process lingers: end it
            worker.process.kill()
            worker.process.join()
        worker.task = None
        finish(index, failed(path, "engine_error", death_message(worker.process.exitcode)))
        replace(worker, kill=False)
