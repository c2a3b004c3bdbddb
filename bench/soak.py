"""Soak: many cases through the engine in one process, and through the whole checker in workers.

    python bench/soak.py [--engine 100000] [--workers 100000] [--jobs N] [--max-tasks K]
    tox -e soak

1. One process, engine only: the facts of 1,000 generated cases are derived once, then asserted
   into the engine again and again (--engine times in all); every evaluation must give the same
   hits as the first one for that case, and no engine error (e.g. a spurious
   MessageObservedException) may occur. RSS is printed every tenth of the run.
2. Worker processes, whole checker: the same 1,000 files checked over and over (--workers cases in
   all) by one long-lived pool; every result's status and findings count must equal the first
   in-process check of that file; no engine or internal error. The summed RSS of the process tree
   is printed every tenth. `--max-tasks K` recycles each worker after K cases (off by default).
Prints the figures; exits 1 on any disagreement or error (a soak that fails says so).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.bench_batch import tree_rss  # noqa: E402
from bench.generate import generate  # noqa: E402
from checker.batch import default_jobs  # noqa: E402
from checker.batch.pool import WorkerPool  # noqa: E402
from checker.casetypes import FACT_KINDS  # noqa: E402
from checker.check import Options, encode_fact  # noqa: E402
from checker.commands import CheckerFactory  # noqa: E402
from checker.derive import derive  # noqa: E402
from checker.engine import EngineError  # noqa: E402
from checker.loading import load_file  # noqa: E402
from checker.rulepack import load_catalogue, rules_dir  # noqa: E402
from checker.validate import validate  # noqa: E402


def rss_mb(pid: int | None = None) -> float:
    return tree_rss(pid or os.getpid()) / 2**20


def engine_soak(checker, paths: list[str], total: int) -> int:
    cases = []
    for path in paths:
        try:
            doc = load_file(path)
            case = validate(doc)
        except Exception:   # input errors never reach the engine
            continue
        if case.as_of_date is None:
            continue
        facts = derive(case.case_type, case, doc)
        kinds = FACT_KINDS[case.case_type]
        try:
            encoded = [encode_fact(f, kinds[f.kind], case.as_of_date, case.board) for f in facts]
        except Exception:
            continue
        cases.append((case.case_type, encoded))
    first = [checker.engine(kind).evaluate([dict(f) for f in facts]) for kind, facts in cases]
    problems, start = 0, time.perf_counter()
    chunk = [start]
    print(f"engine, one process: {len(cases)} distinct cases, {total:,} evaluations; RSS {rss_mb():.1f} MB")
    for i in range(total):
        kind, facts = cases[i % len(cases)]
        try:
            hits = checker.engine(kind).evaluate([dict(f) for f in facts])
        except EngineError as exc:
            problems += 1
            print(f"  evaluation {i}: engine error {exc}")
            continue
        if hits != first[i % len(cases)]:
            problems += 1
            print(f"  evaluation {i}: {len(hits)} hits, first time {len(first[i % len(cases)])}")
        if (i + 1) % (total // 10 or 1) == 0:
            now = time.perf_counter()
            print(f"  {i + 1:>9,} evaluations  RSS {rss_mb():7.1f} MB  "
                  f"{(now - start) / (i + 1) * 1000:.3f} ms each, "
                  f"{(now - chunk[0]) / (total // 10 or 1) * 1000:.3f} ms in this tenth")
            chunk[0] = now
    return problems


def worker_soak(factory, paths: list[str], total: int, jobs: int, max_tasks: int | None) -> int:
    reference = {}
    checker = factory()
    for path in paths:
        r = checker.check_file(path)
        reference[path] = (r.status, len(r.findings))
    files = [paths[i % len(paths)] for i in range(total)]
    state = {"done": 0, "problems": 0, "start": time.perf_counter()}
    print(f"whole checker, {jobs} workers{f', recycled every {max_tasks}' if max_tasks else ''}: "
          f"{total:,} cases; RSS {rss_mb():.1f} MB")

    def seen(result) -> None:
        state["done"] += 1
        got = (result.status, len(result.findings))   # a CaseBrief
        if got != reference[result.file] or result.status in ("engine_error", "internal_error"):
            state["problems"] += 1
            print(f"  {result.file}: {got}, first time {reference[result.file]} {result.error or ''}")
        if state["done"] % (total // 10 or 1) == 0:
            elapsed = time.perf_counter() - state["start"]
            print(f"  {state['done']:>9,} cases  RSS parent+workers {rss_mb():7.1f} MB  "
                  f"{state['done'] / elapsed:.0f} cases/s")
    WorkerPool(factory, jobs, timeout=120, max_tasks=max_tasks).run(files, seen, keep=False)
    return state["problems"]


def main() -> None:
    parser = argparse.ArgumentParser(description="soak the engine and the worker pool")
    parser.add_argument("--engine", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--max-tasks", type=int)
    args = parser.parse_args()
    root = rules_dir()
    factory = CheckerFactory(root, Options(), load_catalogue(root))
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(1000, tmp, seed=3)
        problems = engine_soak(factory(), paths, args.engine) if args.engine else 0
        if args.workers:
            problems += worker_soak(factory, paths, args.workers, args.jobs, args.max_tasks)
    print(f"problems: {problems}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
