"""Command line: `offering-check [check] PATH…`, `rules`, `explain ID`, `docs`, `compensate CASE`,
`schema TYPE`."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import glob
import os
import signal
import sys
from typing import TYPE_CHECKING

from . import __version__
from .casetypes import CASE_TYPES
from .cli_text import LANGS, Parser, lang_of, text
from .errors import EXIT_INPUT, EXIT_INTERNAL, CheckerError
from .report.formats import listing

if TYPE_CHECKING:
    from .batch.paths import PathList

COMMANDS = ("check", "rules", "explain", "docs", "compensate", "schema", "new", "cache")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("not_a_date", _LANG[0], value=value)) from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(text("not_positive", _LANG[0], value=value))
    return number


_LANG = ["zh"]   # the language of this command line, for the argument types' messages


def _commands_epilog(lang: str) -> str:
    names = [c for c in COMMANDS if c != "check"]
    width = max(map(len, names))
    rows = [f"  {name:<{width}}  {text('cmd_' + name, lang)}" for name in names]
    return "\n".join([text("commands", lang), *rows, "", text("exit_codes", lang)])


# --board and --severity: the filters' module (and, for --board's help, the boards file) only when used

def _severity_list(value: str) -> list[str]:
    from .select import severity_list
    return severity_list(value)


def _board_list(value: str) -> list[str]:
    from .select import board_list
    return board_list(value)


def _board_help(lang: str) -> str:
    from .select import board_help
    return board_help(lang)


class _Extend(argparse.Action):
    """As action="extend", with a help text worked out only when it is read (`help_of`)."""

    def __init__(self, option_strings, dest, help_of, **kwargs):
        self._help_of = help_of
        super().__init__(option_strings, dest, **kwargs)

    help = property(lambda self: self._help_of(), lambda self, _value: None)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or ()), *values])


def _check_arguments(check: argparse.ArgumentParser, lang: str) -> None:
    t = functools.partial(text, lang=lang)
    check.add_argument("paths", nargs="+", metavar="PATH", help=t("paths"))
    check.add_argument("--format", default="auto", metavar="FORMAT[=FILE][,…]",
                       help=t("format", listing=listing(lang)))
    check.add_argument("--output", metavar="FILE", help=t("output"))
    check.add_argument("--lang", choices=LANGS, default="zh", help=t("lang"))
    check.add_argument("--expand", action="store_true", help=t("expand"))
    check.add_argument("--sarif-results", choices=("all", "open"), default="all", help=t("sarif_results"))
    check.add_argument("--baseline", metavar="PREVIOUS.json", help=t("baseline"))
    check.add_argument("--fail-on-new", action="store_true", help=t("fail_on_new"))
    check.add_argument("--as-of", type=_date, metavar="DATE", help=t("as_of"))
    check.add_argument("--today", type=_date, metavar="DATE", help=t("today"))
    check.add_argument("--no-waivers", action="store_true", help=t("no_waivers"))
    check.add_argument("--rule", action="append", metavar="PATTERN", help=t("rule"))
    check.add_argument("--severity", action="extend", type=_severity_list, metavar="LEVEL[,LEVEL]",
                       help=t("severity"))
    check.add_argument("--board", action=_Extend, type=_board_list, metavar="BOARD[,BOARD]",
                       help_of=functools.partial(_board_help, lang))
    check.add_argument("--fail-on", choices=("error", "warning", "not-evaluated"), default="error",
                       help=t("fail_on"))
    check.add_argument("--accept-uncovered", action="store_true", help=t("accept_uncovered"))
    check.add_argument("--rules", metavar="DIR", help=t("rules_dir"))
    check.add_argument("--jobs", "-j", type=_positive, metavar="N", help=t("jobs"))
    check.add_argument("--timeout", type=_positive, default=120, metavar="SECONDS", help=t("timeout"))
    check.add_argument("--no-cache", action="store_true", help=t("no_cache"))
    check.add_argument("--version", action="version", version=f"offering-check {__version__}",
                       help=t("version"))


def build_parser(lang: str = "zh") -> Parser:
    """The whole command line. `check` is the default command, so its parser (program name
    `offering-check`) is also what `offering-check --help` shows, with the other commands listed."""
    _LANG[0] = lang
    t = functools.partial(text, lang=lang)
    parser = Parser(prog="offering-check", lang=lang, description=t("description"),
                    epilog=_commands_epilog(lang))
    parser.add_argument("--version", action="version", version=f"offering-check {__version__}",
                        help=t("version"))
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    check = sub.add_parser("check", lang=lang, prog="offering-check", usage=t("usage_check"),
                           help=t("cmd_check"), description=t("description"), epilog=_commands_epilog(lang))
    _check_arguments(check, lang)
    parser.default_command = check

    rules = sub.add_parser("rules", lang=lang, help=t("cmd_rules"), description=t("cmd_rules"))
    rules.add_argument("--format", choices=("console", "json"), default="console", help=t("rules_format"))
    rules.add_argument("--lang", choices=LANGS, default="zh", help=t("lang"))
    rules.add_argument("--lint", action="store_true", help=t("rules_lint"))
    rules.add_argument("--rules", metavar="DIR", help=t("rules_dir"))

    explain = sub.add_parser("explain", lang=lang, help=t("cmd_explain"),
                             description=t("explain_description"))
    explain.add_argument("rule_id", metavar="RULE_OR_TOPIC", help=t("explain_id"))
    explain.add_argument("--lang", choices=(*LANGS, "both"), default="both", help=t("explain_lang"))
    explain.add_argument("--rules", metavar="DIR", help=t("rules_dir"))

    from . import docs
    docs.add_arguments(sub.add_parser("docs", lang=lang, help=t("cmd_docs"),
                                      description=docs.description(lang)), lang)

    comp = sub.add_parser("compensate", lang=lang, help=t("cmd_compensate"), description=t("cmd_compensate"))
    comp.add_argument("case", metavar="CASE", help=t("compensate_case"))
    comp.add_argument("--format", choices=("console", "json"), default="console", help=t("rules_format"))
    comp.add_argument("--output", metavar="FILE", help=t("compensate_output"))
    comp.add_argument("--lang", choices=LANGS, default="zh", help=t("lang"))

    schema = sub.add_parser("schema", lang=lang, help=t("cmd_schema"), description=t("cmd_schema"))
    schema.add_argument("case_type", choices=tuple(CASE_TYPES))
    schema.add_argument("--output", metavar="FILE", help=t("schema_output"))

    new = sub.add_parser("new", lang=lang, help=t("cmd_new"), description=t("new_description"))
    new.add_argument("case_type", choices=tuple(CASE_TYPES))
    new.add_argument("--board", default="sse_main", help=t("new_board"))
    new.add_argument("--output", metavar="FILE", help=t("new_output"))
    new.add_argument("--date", type=_date, metavar="DATE", help=t("new_date"))

    cache = sub.add_parser("cache", lang=lang, help=t("cmd_cache"), description=t("cache_description"))
    cache.add_argument("--clear", action="store_true", help=t("cache_clear"))
    cache.add_argument("--lang", choices=LANGS, default="zh", help=t("lang"))
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


def expand_paths(paths: list[str]) -> tuple[PathList, list[str], list[dict]]:
    """Files to check (a path given twice, by any spelling, once), the arguments that matched
    nothing, and how many files each argument gave."""
    from .batch.paths import PathList
    files, unmatched, counts = PathList(), [], []
    one_folder = len(paths) == 1 and os.path.isdir(paths[0])   # a folder never lists a file twice
    seen: set[str] | None = None if one_folder else set()
    for path in paths:
        if os.path.isdir(path):
            found, kind = _walk(path), "folder"
        elif os.path.exists(path):
            found, kind = [path], "file"
        else:
            found, kind = [m for m in sorted(glob.glob(path, recursive=True)) if os.path.isfile(m)], "pattern"
            if not found:
                unmatched.append(path)
        counts.append({"path": path, "kind": kind, "files": len(found)})
        for f in found:
            if seen is not None:
                key = os.path.normpath(f)
                if key in seen:
                    continue
                seen.add(key)
            files.append(f)
        del found
    return files, unmatched, counts


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
    lang = lang_of(argv)
    if not argv or argv[0] not in COMMANDS:
        argv.insert(0, "check")  # `check` is the default command, and its help the main one
    parser = build_parser(lang)
    if argv == ["check"] and parser.default_command is not None:
        parser.default_command.print_help(sys.stderr)
        return EXIT_INPUT
    args = parser.parse_args(argv)
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
        by = text("interrupted_by", lang, signal=exc) if isinstance(exc, Terminated) else ""
        print(f"offering-check: {text('interrupted', lang, by=by)}", file=sys.stderr)
        return EXIT_INTERNAL
    except OSError as exc:
        if not _stdout_failed(exc):
            raise
        # stdout closed early (`| head`) or full (`> /dev/full`): one line, no traceback; nothing is
        # written to it again, even by the interpreter's flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"offering-check: {text('stdout_failed', lang, reason=exc.strerror or exc)}", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # a bug: say so plainly, never as bad input
        import traceback
        traceback.print_exc()
        print(f"offering-check: {text('internal_error', lang, kind=type(exc).__name__, message=exc)}",
              file=sys.stderr)
        return EXIT_INTERNAL

