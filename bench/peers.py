"""The peer tools bench/bench_batch.py times beside the checker: their command lines, nothing else.

    pip install -e '.[bench]'            (tox -e bench installs them)

yamllint (`-d relaxed`) and check-jsonschema (`--schemafile cases/schema/TYPE.schema.json`), each
run as `python -m MODULE` with this interpreter, like the bench runs the checker. Over a batch both
get the same chunks of files: the files grouped by their `case_type` (each type has its own schema,
as the checker validates each case with its own model), a group cut only where its command line
would pass half of the system's argument limit. A peer whose module is not installed is skipped.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMAS = os.path.join(ROOT, "cases", "schema")
CASE_TYPE = re.compile(r"^case_type:\s*['\"]?(\w+)", re.MULTILINE)


def schema_of(case_type: str) -> str:
    path = os.path.join(SCHEMAS, f"{case_type}.schema.json")
    if not os.path.exists(path):
        raise SystemExit(f"no schema for case_type {case_type!r}: {path}")
    return path


def case_type(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        found = CASE_TYPE.search(fh.read())
    if found is None:
        raise SystemExit(f"no case_type in {path}")
    return found.group(1)


def _budget() -> int:
    """Bytes of arguments one command line may take: half of what the system leaves after the
    environment (each argument costs its bytes, a NUL and a pointer)."""
    env = sum(len(k) + len(v) + 2 + 8 for k, v in os.environ.items())
    return (os.sysconf("SC_ARG_MAX") - env) // 2


def chunks(paths: list[str]) -> list[tuple[str, list[str]]]:
    """(schema, files) chunks covering paths: grouped by case type, cut at the argument budget."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(case_type(path), []).append(path)
    budget, found = _budget(), []
    for kind, files in sorted(groups.items()):
        schema, chunk, used = schema_of(kind), [], 0
        for path in files:
            cost = len(os.fsencode(path)) + 1 + 8
            if chunk and used + cost > budget:
                found.append((schema, chunk))
                chunk, used = [], 0
            chunk.append(path)
            used += cost
        found.append((schema, chunk))
    return found


@dataclass(frozen=True)
class Peer:
    name: str                  # as printed
    module: str                # run as `python -m module`
    options: tuple[str, ...]   # before the files
    uses_schema: bool          # takes `--schemafile SCHEMA`

    def installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def command(self, files: list[str], schema: str | None = None) -> list[str]:
        cmd = [sys.executable, "-m", self.module, *self.options]
        if self.uses_schema:
            cmd += ["--schemafile", schema or schema_of("ipo")]
        return cmd + files

    def label(self, what: str = "CASE", schema: str = "ipo") -> str:
        """The command as printed: `schema` is the case type's name or TYPE."""
        words = [self.name, *self.options]
        if self.uses_schema:
            words += ["--schemafile", f"cases/schema/{schema}.schema.json"]
        return " ".join([*words, what])

    def batch(self, parts: list[tuple[str, list[str]]]) -> list[list[str]]:
        """One command a chunk (from chunks())."""
        return [self.command(files, schema) for schema, files in parts]


YAMLLINT = Peer("yamllint", "yamllint", ("-d", "relaxed"), uses_schema=False)
CHECK_JSONSCHEMA = Peer("check-jsonschema", "check_jsonschema", (), uses_schema=True)
PEERS = (YAMLLINT, CHECK_JSONSCHEMA)
