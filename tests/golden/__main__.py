"""python -m tests.golden [--update]: compare the golden reports with a fresh run, or rewrite them."""

import argparse
import sys
import tempfile
from pathlib import Path

from . import HERE, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite every golden file from a fresh run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        fresh = generate(Path(tmp))["files"]
    changed = [rel for rel, data in fresh.items()
               if not (HERE / rel).is_file() or (HERE / rel).read_bytes() != data]
    if args.update:
        for rel in changed:
            (HERE / rel).parent.mkdir(parents=True, exist_ok=True)
            (HERE / rel).write_bytes(fresh[rel])
        print(f"{len(changed)} of {len(fresh)} golden file(s) rewritten; review with: git diff tests/golden")
        return 0
    for rel in changed:
        print(f"differs: tests/golden/{rel}")
    print(f"{len(changed)} of {len(fresh)} golden file(s) differ" + ("; rewrite with --update" if changed else ""))
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
