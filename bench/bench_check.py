"""Single-process throughput of the checker on generated cases (bench/generate.py).

    python bench/bench_check.py [N]          (or: tox -e bench)

Prints, measured in the same run: the time PyYAML's C loader takes to read the files (the
baseline), the checker's time in this one process (load + validate + derive + engine + findings),
the ratio of the two, per-case milliseconds, cases per second and peak RSS. Figures only; nothing
is asserted. bench/bench_batch.py measures the batch across worker processes.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.bench_batch import yaml_baseline  # noqa: E402
from bench.generate import generate  # noqa: E402
from checker.check import default_checker  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as folder:
        paths = generate(n, folder, seed=7)
        baseline = yaml_baseline(paths)
        checker = default_checker()
        for path in paths[:40]:   # build each case type's engine once, as a batch does
            checker.check_file(path)
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
