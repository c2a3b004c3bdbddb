"""Single-process throughput of the checker on generated variants of the real 大普微 case.

    python bench/bench_check.py [N]          (or: tox -e bench)

Prints, measured in the same run: the time PyYAML's C loader takes to read the files (the
baseline), the checker's time (load + validate + derive + engine + findings), the ratio of the
two, per-case milliseconds, cases per second and peak RSS. Figures only; nothing is asserted.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checker.check import default_checker  # noqa: E402


def variants(folder: str, n: int) -> list[str]:
    with open(os.path.join(ROOT, "cases", "ipo", "dapuwei-2026.yaml"), encoding="utf-8") as fh:
        base = fh.read()
    rng = random.Random(7)
    paths = []
    for i in range(n):
        text = base.replace("shares: 4811512", f"shares: {4811512 + rng.randint(-2, 2)}")
        text = text.replace("offline_initial_shares: 27918309",
                            f"offline_initial_shares: {27918309 + rng.randint(-600, 600)}")
        path = os.path.join(folder, f"case-{i:05d}.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        paths.append(path)
    return paths


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as folder:
        paths = variants(folder, n)
        start = time.perf_counter()
        for p in paths:
            with open(p, encoding="utf-8") as fh:
                yaml.load(fh, Loader=yaml.CSafeLoader)
        baseline = time.perf_counter() - start
        checker = default_checker()
        checker.check_file(paths[0])  # build the engine once, as a batch does
        start = time.perf_counter()
        violations = sum(1 for p in paths if checker.check_file(p).status == "violations")
        elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cases                      {n}")
    print(f"yaml.CSafeLoader baseline  {baseline:.3f} s  ({baseline / n * 1000:.3f} ms/case)")
    print(f"checker, one process       {elapsed:.3f} s  ({elapsed / n * 1000:.3f} ms/case, "
          f"{n / elapsed:,.0f} cases/s)")
    print(f"ratio checker / baseline   {elapsed / baseline:.2f}")
    print(f"cases with violations      {violations}")
    print(f"peak RSS                   {rss:.1f} MB")


if __name__ == "__main__":
    main()
