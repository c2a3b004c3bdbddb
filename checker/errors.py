"""Error types and the exit codes (README.md, "Exit codes")."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


@dataclass(frozen=True)
class Position:
    """1-based line and column in a source file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class CheckerError(Exception):
    """An error that the user can act on; it carries where it happened."""

    exit_code = EXIT_INPUT
    kind = "input_error"

    def __init__(self, message: str, position: Position | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.position = position
        self.field = field
        self.more: list[CheckerError] = []

    def __str__(self) -> str:
        where = f"{self.position}: " if self.position else ""
        return f"{where}{self.message}"


class InputError(CheckerError):
    """Bad case input: malformed YAML, wrong types, missing fields, limits exceeded."""


class UsageError(CheckerError):
    """A command line that cannot be carried out (a --format, --rule … that makes no sense): exit 2."""

    kind = "usage_error"


class RulePackError(CheckerError):
    """A rule pack that cannot be used: unknown field, bad operator, missing citation, …"""

    kind = "rule_pack_error"


class SpaceError(CheckerError):
    """The machine ran out of room for the run's own working files (the batch spool): exit 3, the
    checker could not finish; no report is written, and the old reports stay as they were."""

    exit_code = EXIT_INTERNAL
    kind = "space_error"


class EngineError(Exception):
    """The rules engine failed on a case (reported for that case; the batch goes on)."""

    exit_code = EXIT_INTERNAL
