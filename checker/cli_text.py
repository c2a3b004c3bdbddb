"""The command line's own words, Chinese and English: help texts, argparse's frame, CLI messages.

`--lang zh` (the default) or `--lang en` anywhere on the command line picks them, for the help
too (`offering-check --lang en --help`).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata

LANGS = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    # argparse's frame
    "usage": ("用法：", "usage: "),
    "positionals": ("参数", "arguments"),
    "options": ("选项", "options"),
    "help": ("显示本帮助并退出", "show this help message and exit"),
    "version": ("显示版本并退出", "show the version and exit"),
    "error": ("错误", "error"),
    "lang": ("界面与报告语言：zh 中文（默认）、en 英文", "language of help, messages and reports: zh "
             "Chinese (the default), en English"),
    # offering-check [check]
    "description": ("按附有出处的规则包检查 A 股发行案例（YAML）：IPO 发行方案与结果、重组交易、"
                    "网上投资者记录。"
                    "check 是默认命令：offering-check PATH… 即检查这些文件。",
                    "Check A-share offering cases (YAML: IPO plans and results, restructurings, online "
                    "investors' records) against rule packs with citations. check is the default command: "
                    "offering-check PATH… checks those files."),
    "usage_check": ("offering-check [check] PATH… [选项]", "offering-check [check] PATH… [options]"),
    "commands": ("其他命令（各有 --help）：", "other commands (each has --help):"),
    "exit_codes": ("退出码：0 无违反策略的发现；1 有违反策略的违规；2 输入或用法错误；3 内部错误。"
                   "批量检查取最严重者。",
                   "Exit codes: 0 nothing fails the policy; 1 violations that fail it; 2 bad input or "
                   "usage; 3 internal error. In a batch the gravest wins."),
    "paths": ("案例文件、文件夹（查找其中的 *.yaml/*.yml）或通配模式",
              "case files, folders (searched for *.yaml/*.yml) or glob patterns"),
    "format": ("auto（默认：终端上为 console，否则为 lines）；{listing}；可同时输出多种：NAME=FILE,NAME=FILE"
               "（FILE 为 - 表示标准输出，至多一个）",
               "auto (the default: console on a terminal, lines otherwise); {listing}; several at once "
               "as NAME=FILE,NAME=FILE (FILE - is stdout; at most one there)"),
    "output": ("把（单一）报告写入此文件，而非标准输出", "write the (single) report here instead of stdout"),
    "expand": ("控制台报告逐条列出无法评估、待发行结果和未覆盖的发现（默认按案例折叠为计数）",
               "the console report lists the findings not evaluated, pending and not covered one by one "
               "(by default they are folded into counts per case)"),
    "sarif_results": ("SARIF 报告中的结果：all（默认）为每条发现，豁免的附已接受的 suppression，无法评估的为 "
                      "note；open 只保留应作为未关闭告警显示的结果（未豁免的失败），其余计入 "
                      "run.properties.omitted（GitHub 代码扫描不理会 suppression）",
                      "results in the SARIF report: all (the default) every finding, waived ones with an "
                      "accepted suppression, those not evaluated as notes; open only those a code-scanning "
                      "UI should show as open alerts (failures not waived), the others counted in "
                      "run.properties.omitted (GitHub code scanning ignores suppressions)"),
    "baseline": ("与上次运行的 JSON 报告比较：每条列出的发现标为新增或未变（按案例、规则和对象匹配，"
                 "不按行号），并列出已修复的发现",
                 "compare with a previous run's JSON report: each listed finding is marked new or "
                 "unchanged (matched by case, rule and subject, not by line), and the fixed "
                 "ones are listed"),
    "fail_on_new": ("只有新增的发现使退出码为 1（需 --baseline）：接受既有状态、只拦截新问题",
                    "only new findings make the exit code 1 (needs --baseline): start from a known state "
                    "and stop only what is new"),
    "as_of": ("按 DATE 当日有效的规则检查，而非各案例的 T 日", "check against the rules in force on DATE "
              "instead of each case's T day"),
    "today": ("判断豁免是否到期的日期：豁免在其 expires 当日仍有效（默认：实际日期）",
              "the date waiver expiry is judged against: a waiver applies through its `expires` day "
              "(default: the real date)"),
    "no_waivers": ("不适用任何豁免：所有违规照常计入；报告注明未适用豁免（供审计）",
                   "apply no waiver: every violation stands; the reports say waivers were not applied "
                   "(for auditors)"),
    "rule": ("只报告这些规则：规则编号或主题、以“.”结尾的前缀，或通配模式如 'ipo.strategic.*'；可重复",
             "report only these rules: an id or topic, a prefix ending in '.' or a glob such as "
             "'ipo.strategic.*'; repeatable"),
    "severity": ("只报告这些规则级别的发现：error、warning、info；可重复或用逗号分隔",
                 "report only findings of these rule severities: error, warning, info; repeatable or a "
                 "comma list"),
    "board": ("只报告这些板块的案例：{boards}，或板块组：{groups}；{boardless}案例无板块，会被排除；"
              "可重复或用逗号分隔",
              "report only cases on these boards: {boards}, or a group: {groups}; {boardless} cases have "
              "no board and are left out; repeatable or a comma list"),
    "fail_on": ("什么使退出码为 1：error 级违规（默认）、同时包括 warning，或同时包括无法评估的发现",
                "what makes the exit code 1: error violations (default), also warnings, or also findings "
                "that could not be evaluated"),
    "accept_uncovered": ("未检查的案例（板块或日期不在规则包覆盖范围内）或规则日期远早于案例日期的案例"
                         "不使运行失败；"
                         "它们仍会列出，审计信息记录此选项",
                         "do not fail the run for cases that were not checked (board or date not covered "
                         "by the rule packs) or whose rules date is far before their own date; they are "
                         "still listed, and the audit header records the option"),
    "rules_dir": ("规则包文件夹（默认：内置规则）", "rule packs folder (default: the bundled rules)"),
    "jobs": ("工作进程数（默认：全部核心；单个文件或 -j 1 在本进程内运行）",
             "worker processes (default: all cores; one file or -j 1 runs in this process)"),
    "timeout": ("每个案例的时限（秒）：超时的案例被停止并报告为引擎错误（默认 120）",
                "per case, in worker processes or in this one: a case running longer is stopped and "
                "reported as an engine error (default 120)"),
    # the other commands
    "cmd_check": ("检查案例文件或文件夹（默认命令）", "check case files or folders (the default command)"),
    "cmd_rules": ("列出规则目录", "list the rule catalogue"),
    "rules_format": ("console（默认）或 json", "console (the default) or json"),
    "rules_lint": ("检查规则包：示例齐备、版本不重叠、限值成立", "check the packs: examples exist, versions "
                   "do not overlap, limits hold"),
    "cmd_explain": ("规则的说明：检查什么、为什么、所引条文、示例", "a rule's documentation: what it checks, "
                    "why, the text cited, examples"),
    "explain_description": ("打印规则编号（各有效版本）或主题（其下各规则）的说明：检查什么、为什么、"
                            "所引条文，"
                            "以及经检查器运行的通过与不通过示例。docs/rules/ 有相同内容的 Markdown。",
                            "Print the documentation of a rule id (every dated version) or of a topic "
                            "(each of its rules): what it checks, why, the text cited, and a passing and a "
                            "failing example run through the checker. docs/rules/ holds the same text as "
                            "Markdown."),
    "explain_id": ("规则编号或主题，如 ipo.strategic.cap_ratio", "a rule id or a topic, e.g. "
                   "ipo.strategic.cap_ratio"),
    "explain_lang": ("说明的语言（默认 both：中文 / 英文）", "language of the text (default both: zh / en)"),
    "docs_out": ("文档文件夹（默认 docs）：写入 DIR/rules/*.md 和 DIR/coverage.md",
                 "the docs folder (default docs): writes DIR/rules/*.md and DIR/coverage.md"),
    "docs_check": ("不写入任何文件；有未更新的文件时以退出码 1 结束并列出它们",
                   "write nothing; exit 1 and name the files that are not up to date"),
    "docs_description": ("由规则包把各规则的说明写入 DIR/rules/（每个规则包一个 Markdown 文件及索引），"
                         "把覆盖表写入 DIR/coverage.md。每个生成的文件开头注明：由 `offering-check docs` "
                         "生成，do not edit（请勿编辑）。",
                         "Render every rule's documentation into DIR/rules/ (one Markdown file per pack and "
                         "an index) and the coverage table into DIR/coverage.md, from the rule packs. Each "
                         "generated file says at its top: generated by `offering-check docs`, do not edit."),
    "cmd_docs": ("由规则包生成 docs/rules/*.md（各规则说明）和 docs/coverage.md",
                 "write docs/rules/*.md (every rule's documentation) and docs/coverage.md from the packs"),
    "cmd_compensate": ("重组案例逐年业绩补偿计算表", "year-by-year performance-compensation schedule of a "
                       "restructuring case"),
    "compensate_case": ("重组案例文件", "a restructuring case file"),
    "compensate_output": ("把 JSON 写入此文件，而非标准输出", "write the JSON here instead of stdout"),
    "cmd_schema": ("案例类型的 JSON Schema（供编辑器使用）", "the JSON Schema of a case type (for editors)"),
    "cmd_new": ("写出一个带注释的新案例模板", "write a commented template for a new case"),
    "cmd_cache": ("结果缓存与规则库缓存：位置、大小；--clear 清除",
                  "the result and catalogue caches: where, how big; --clear removes them"),
    "cache_description": ("未改动的案例文件（同一字节、同一规则库与检查器代码、同一版本与选项）"
                          "不再重复检查，结果取自缓存，报告与不用缓存时逐字节相同。缓存位于 "
                          "$XDG_CACHE_HOME/offering-checker（默认 ~/.cache/offering-checker）；"
                          "OFFERING_CHECK_CACHE=off 关闭，OFFERING_CHECK_CACHE=DIR 改变位置；"
                          "check --no-cache 本次不用结果缓存",
                          "an unchanged case file (same bytes, same rule packs and checker code, same "
                          "version and options) is not checked again: its result comes from the cache, "
                          "and every report is byte for byte what it would be without it. The cache is "
                          "under $XDG_CACHE_HOME/offering-checker (default ~/.cache/offering-checker); "
                          "OFFERING_CHECK_CACHE=off turns it off, OFFERING_CHECK_CACHE=DIR moves it; "
                          "check --no-cache does without the result cache for one run"),
    "cache_clear": ("清除全部缓存的结果与规则库", "remove every cached result and catalogue"),
    "cache_cleared": ("已删除 {n} 个缓存文件", "{n} cache file(s) removed"),
    "cache_off": ("缓存已关闭（OFFERING_CHECK_CACHE=off）", "the cache is off (OFFERING_CHECK_CACHE=off)"),
    "cache_usage": ("缓存位置 {folder}：结果包 {packs} 个，共 {mb:.1f} MB；规则库 {catalogues} 个",
                    "cache at {folder}: {packs} result pack(s), {mb:.1f} MB; {catalogues} catalogue(s)"),
    "cache_hits": ("{hits} 个文件的结果取自缓存（共 {files} 个文件）",
                   "{hits} of {files} file(s) from the result cache"),
    "no_cache": ("本次不读也不写结果缓存（规则库缓存照常）",
                 "neither read nor write the result cache in this run (the catalogue cache still applies)"),
    "new_description": ("写出新案例的模板：必填字段带占位值（标 ←，须替换），其余各块附说明并注释掉；"
                        "按原样即可通过校验。首行的 modeline 让编辑器按 JSON Schema 检查。",
                        "Write a template for a new case: the required fields with placeholders (marked ←, "
                        "to replace), every other block explained and commented out; it validates as "
                        "written. Its first line's modeline lets an editor check it against the JSON "
                        "Schema."),
    "new_board": ("IPO 案例的板块（默认 sse_main）", "the IPO case's board (default sse_main)"),
    "new_date": ("写入的 T 日、公告日或记录截至日（默认今天）", "the T day, announcement date or record date "
                 "written (default: today)"),
    "new_output": ("写入此新文件（已存在则拒绝），而非标准输出",
                   "write to this new file (refused if it exists) instead of stdout"),
    "schema_output": ("把 Schema 写入此文件，而非标准输出", "write the schema here instead of stdout"),
    # messages
    "not_a_date": ("不是日期（YYYY-MM-DD）：{value!r}", "not a date (YYYY-MM-DD): {value!r}"),
    "not_positive": ("不是正整数：{value!r}", "not a positive whole number: {value!r}"),
    "no_such_path": ("{path}：无此文件、文件夹或匹配的模式",
                     "{path}: no such file, folder or matching pattern"),
    "no_case_files": ("未找到案例文件（*.yaml、*.yml）", "no case files (*.yaml, *.yml) found"),
    "interrupted": ("已中断{by}", "interrupted{by}"),
    "interrupted_by": ("（{signal}）", " by {signal}"),
    "stdout_failed": ("报告无法写入标准输出：{reason}",
                      "the report could not be written to stdout: {reason}"),
    "internal_error": ("内部错误：{kind}: {message}", "internal error: {kind}: {message}"),
}


def text(key: str, lang: str, **values) -> str:
    zh, en = TEXT[key]
    chosen = zh if lang == "zh" else en
    return chosen.format(**values) if values else chosen


def lang_of(argv: list[str]) -> str:
    """The --lang of a command line, read before it is parsed (the help is written in it)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in LANGS:
            return value
    return "zh"


def _width(chars: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in chars)


_WIDE = r"\u2e80-\u9fff\uff00-\uffef\u3000-\u303f"
_TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")


_CLOSING = set("，。；：、）」』》！？,.;:!?)")
_OPENING = set("（「『《“(")


def _carry(current: list[str], token: str) -> list[str]:
    """The tokens that go to the next line with `token`: closing punctuation with the character it
    follows, an opening one with what it opens (at least one token stays)."""
    i = len(current)
    if token in _CLOSING:
        while i > 1 and current[i - 1] in _CLOSING:
            i -= 1
        i -= 1
    while i > 1 and current[i - 1] in _OPENING:
        i -= 1
    i = max(i, 1)
    carried = current[i:]
    del current[i:]
    return carried


def wrap(line: str, width: int) -> list[str]:
    """One paragraph wrapped to `width` terminal columns: a CJK character is two columns wide and
    a line may break between any two of them, never before closing or after opening punctuation;
    other words break at spaces."""
    out: list[str] = []
    current: list[str] = []
    for token in _TOKEN.findall(" ".join(line.split())):
        if current and _width(("".join(current) + token).rstrip()) > width:
            carried = _carry(current, token)
            out.append("".join(current).rstrip())
            current = carried + ([] if token.isspace() else [token])
        else:
            current.append(token)
    if "".join(current).strip():
        out.append("".join(current).rstrip())
    return out or [""]


def formatter(lang: str) -> type[argparse.HelpFormatter]:
    """argparse's help layout measured in terminal columns (CJK is two wide), with the usage prefix
    in `lang`; descriptions and epilogs keep their line breaks."""

    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):
            super().add_usage(usage, actions, groups, text("usage", lang) if prefix is None else prefix)

        def _split_lines(self, chars, width):
            return wrap(chars, width)

        def _fill_text(self, chars, width, indent):
            return "\n".join(indent + piece for line in chars.splitlines()
                             for piece in ([line] if line.startswith("  ") else wrap(line, width)))

    return Formatter


class Parser(argparse.ArgumentParser):
    """An argument parser whose frame (usage, group titles, -h, errors) is in one language."""

    default_command: argparse.ArgumentParser | None = None   # offering-check's: the parser of `check`

    def __init__(self, *args, lang: str = "zh", **kwargs):
        kwargs.setdefault("formatter_class", formatter(lang))
        kwargs["add_help"] = False   # -h is added below, with its help in `lang`
        super().__init__(*args, **kwargs)
        self.lang = lang
        self._positionals.title = text("positionals", lang)
        self._optionals.title = text("options", lang)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=text("help", lang))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {text('error', self.lang)}: {message}\n")
