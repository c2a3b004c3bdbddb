"""Varied cases of realistic size, generated from the bundled real cases and violators.

    python bench/generate.py N FOLDER [--seed S]

Each generated case is one bundled case (IPO, investor or restructuring; real or violator) with a
few figures changed: share counts and amounts moved by up to ±20% or by ±1 (boundaries), lock-up
months redrawn from the values the rules care about. So a generated case is as large as a real one
(not padded); two in five are left unchanged, most stay valid input and some cross a limit.
Seeded: the same N and seed give the same files. Used by `bench/` and by the batch acceptance test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import random
from decimal import Decimal

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE_FOLDERS = ("ipo", "real", "violations", "investor", "restructuring")
MONTHS = (0, 6, 11, 12, 18, 24, 35, 36, 48, 60)


def templates() -> list[tuple[str, dict]]:
    found = []
    for folder in TEMPLATE_FOLDERS:
        for path in sorted(glob.glob(os.path.join(ROOT, "cases", folder, "*.yaml"))):
            with open(path, encoding="utf-8") as fh:
                found.append((f"{folder}-{os.path.splitext(os.path.basename(path))[0]}", yaml.safe_load(fh)))
    return found


def leaves(node, path=()):
    """(path, value) of every int leaf worth changing: share counts, amounts, months."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    elif isinstance(node, int) and not isinstance(node, bool) and node > 0:
        yield path, node


def put(node, path, value) -> None:
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def mutate(data: dict, rng: random.Random) -> dict:
    """Two cases in five stay as they were; the others get one to three figures changed."""
    points = [(path, value) for path, value in leaves(data) if not any("year" in str(p) for p in path)]
    if rng.random() < 0.4 or not points:
        return data
    for path, value in rng.sample(points, min(len(points), rng.randint(1, 3))):
        name = str(path[-1])
        if "month" in name:
            new = rng.choice(MONTHS)
        elif value >= 1000:
            new = value + rng.choice((-1, 1)) if rng.random() < 0.3 else round(value * rng.uniform(0.8, 1.2))
        else:
            continue
        put(data, path, max(new, 0))
    return data


def _represent(dumper, value):
    if isinstance(value, Decimal):
        return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))
    if isinstance(value, float):
        return dumper.represent_scalar("tag:yaml.org,2002:float", format(Decimal(repr(value)), "f"))
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(float, _represent)
_Dumper.add_representer(dt.date, _represent)


def generate(n: int, folder: str, seed: int = 1) -> list[str]:
    """Write n cases into folder; return their paths."""
    rng = random.Random(seed)
    bases = templates()
    os.makedirs(folder, exist_ok=True)
    paths = []
    for i in range(n):
        name, base = bases[i % len(bases)] if i < len(bases) else rng.choice(bases)
        data = mutate(yaml.safe_load(yaml.dump(base, Dumper=_Dumper)), rng)
        if isinstance(data.get("id"), str):
            data["id"] = f"{data['id']}-g{i:05d}"
        path = os.path.join(folder, f"g{i:05d}-{name}.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            yaml.dump(data, fh, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("folder")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{len(generate(args.n, args.folder, args.seed))} cases written to {args.folder}")


if __name__ == "__main__":
    main()
