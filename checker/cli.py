"""Command line: `offering-check [check] PATH…`, `rules`, `explain ID`, `docs`, `compensate CASE`,
`schema TYPE`."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import os
import signal
import sys

from . import __version__
from .casetypes import CASE_TYPES
from .errors import EXIT_INPUT, EXIT_INTERNAL, CheckerError
from .report.formats import listing

COMMANDS = ("check", "rules", "explain", "docs", "compensate", "schema")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="offering-check",
        description="Check A-share offering cases (YAML) against rule packs with citations.",
        epilog="Exit codes: 0 nothing fails the policy; 1 violations that fail it; 2 bad input or "
               "usage; 3 internal error. In a batch the gravest wins.")
    parser.add_argument("--version", action="version", version=f"offering-check {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="check case files or folders (the default command)")
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help="case files, folders (searched for *.yaml/*.yml) or glob patterns")
    check.add_argument("--format", default="auto", metavar="FORMAT[=FILE][,…]",
                       help="auto (the default: console on a terminal, lines otherwise); " + listing()
                            + "; several at once as NAME=FILE,NAME=FILE "
                            "(FILE - is stdout; at most one there)")
    check.add_argument("--output", metavar="FILE", help="write the (single) report here instead of stdout")
    check.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (default zh)")
    check.add_argument("--as-of", type=_date, metavar="DATE",
                       help="check against the rules in force on DATE instead of each case's T day")
    check.add_argument("--today", type=_date, metavar="DATE",
                       help="the date waiver expiry is judged against: a waiver applies through its "
                            "`expires` day (default: the real date)")
    check.add_argument("--no-waivers", action="store_true",
                       help="apply no waiver: every violation stands; the reports say waivers were "
                            "not applied (for auditors)")
    from .select import board_help, board_list, severity_list
    check.add_argument("--rule", action="append", metavar="PATTERN",
                       help="report only these rules: an id or topic, a prefix ending in '.' or a glob "
                            "such as 'ipo.strategic.*'; repeatable")
    check.add_argument("--severity", action="extend", type=severity_list, metavar="LEVEL[,LEVEL]",
                       help="report only findings of these rule severities: error, warning, info; "
                            "repeatable or a comma list")
    check.add_argument("--board", action="extend", type=board_list, metavar="BOARD[,BOARD]",
                       help=board_help())
    check.add_argument("--fail-on", choices=("error", "warning", "not-evaluated"), default="error",
                       help="what makes the exit code 1: error violations (default), also warnings, "
                            "or also findings that could not be evaluated")
    check.add_argument("--accept-uncovered", action="store_true",
                       help="do not fail the run for cases that were not checked (board or date not "
                            "covered by the rule packs) or whose rules date is far before their own "
                            "date; they are still listed, and the audit header records the option")
    check.add_argument("--rules", metavar="DIR", help="rule packs folder (default: the bundled rules)")
    check.add_argument("--jobs", "-j", type=_positive, metavar="N",
                       help="worker processes (default: all cores; one file or -j 1 runs in this process)")
    check.add_argument("--timeout", type=_positive, default=120, metavar="SECONDS",
                       help="per case, in worker processes or in this one: a case running longer is "
                            "stopped and reported as an engine error (default 120)")

    rules = sub.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--format", choices=("console", "json"), default="console")
    rules.add_argument("--lang", choices=("zh", "en"), default="zh")
    rules.add_argument("--lint", action="store_true",
                       help="check the packs: examples exist, versions do not overlap, limits hold")
    rules.add_argument("--rules", metavar="DIR", help="rule packs folder (default: the bundled rules)")

    explain = sub.add_parser(
        "explain", help="a rule's documentation: what it checks, why, the text cited, examples",
        description="Print the documentation of a rule id (every dated version) or of a topic (each of "
                    "its rules): what it checks, why, the text cited, and a passing and a failing "
                    "example run through the checker. docs/rules/ holds the same text as Markdown.")
    explain.add_argument("rule_id", metavar="RULE_OR_TOPIC",
                         help="a rule id or a topic, e.g. ipo.strategic.cap_ratio")
    explain.add_argument("--lang", choices=("zh", "en", "both"), default="both",
                         help="language of the text (default both: zh / en)")
    explain.add_argument("--rules", metavar="DIR", help="rule packs folder (default: the bundled rules)")

    from . import docs
    docs.add_arguments(sub.add_parser(
        "docs", help="write docs/rules/*.md (every rule's documentation) and docs/coverage.md from the packs",
        description=docs.DESCRIPTION))

    comp = sub.add_parser("compensate",
                          help="year-by-year performance-compensation schedule of a restructuring case")
    comp.add_argument("case", metavar="CASE", help="a restructuring case file")
    comp.add_argument("--format", choices=("console", "json"), default="console")
    comp.add_argument("--output", metavar="FILE", help="write the JSON here instead of stdout")
    comp.add_argument("--lang", choices=("zh", "en"), default="zh")

    schema = sub.add_parser("schema", help="the JSON Schema of a case type (for editors)")
    schema.add_argument("case_type", choices=tuple(CASE_TYPES))
    schema.add_argument("--output", metavar="FILE", help="write the schema here instead of stdout")
    return parser


def is_case_file(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))   # .YAML and .YML too


def _walk(folder: str) -> list[str]:
    """Case files under a folder, following linked sub-folders once each (a link back up is not
    followed again, so a loop ends)."""
    found: list[str] = []
    visited: set[str] = set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs.sort()
        found.extend(os.path.join(root, name) for name in names if is_case_file(name))
    return sorted(found)


def expand_paths(paths: list[str]) -> tuple[list[str], list[str], list[dict]]:
    """Files to check, the arguments that matched nothing, and how many files each argument gave."""
    files, unmatched, counts = [], [], []
    for path in paths:
        if os.path.isdir(path):
            found, kind = _walk(path), "folder"
        elif os.path.exists(path):
            found, kind = [path], "file"
        else:
            found, kind = [m for m in sorted(glob.glob(path, recursive=True)) if os.path.isfile(m)], "pattern"
            if not found:
                unmatched.append(path)
        files.extend(found)
        counts.append({"path": path, "kind": kind, "files": len(found)})
    seen, unique = set(), []
    for f in files:
        key = os.path.normpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, unmatched, counts


def _stdout_failed(exc: OSError) -> bool:
    """A write to stdout failed: a closed pipe, or a full device."""
    import errno
    return isinstance(exc, BrokenPipeError) or exc.errno in (errno.ENOSPC, errno.EPIPE)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: unwound like Ctrl-C, so temporary reports are removed and the workers stopped."""


def _on_signal(signum, _frame):
    raise Terminated(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) == signal.SIG_DFL:
            with contextlib.suppress(ValueError):   # only the main thread may set a handler
                signal.signal(getattr(signal, name), _on_signal)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "check")  # `check` is the default command
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    if args.command == "check":
        from .report.targets import UsageError, parse
        try:
            args.targets = parse(args.format, args.output)
        except UsageError as exc:
            print(f"offering-check: --format: {exc}", file=sys.stderr)
            return EXIT_INPUT
        args.today = args.today or dt.date.today()   # resolved once: waiver expiry is judged on it
    try:
        from . import commands
        return getattr(commands, f"run_{args.command}")(args)
    except CheckerError as exc:
        print(f"offering-check: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        by = f" by {exc}" if isinstance(exc, Terminated) else ""
        print(f"offering-check: interrupted{by}", file=sys.stderr)
        return EXIT_INTERNAL
    except OSError as exc:
        if not _stdout_failed(exc):
            raise
        # stdout closed early (`| head`) or full (`> /dev/full`): one line, no traceback; nothing is
        # written to it again, even by the interpreter's flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"offering-check: the report could not be written to stdout: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # a bug: say so plainly, never as bad input
        import traceback
        traceback.print_exc()
        print(f"offering-check: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL

