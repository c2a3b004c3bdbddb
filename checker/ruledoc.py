"""The documentation of a rule, from one template: what it checks, why, the text cited, and a passing
and a failing example run through the checker (the failing one with the finding it gives in zh and en).

All dated versions of a rule id are documented together; a topic documents each of its rule ids.
`offering-check explain` prints it as plain text, `offering-check docs` writes it as Markdown into
docs/rules/ (both through checker/docblocks.py). Headings and labels are bilingual (zh / en), or
in one language when asked.
"""

from __future__ import annotations

import datetime as dt
import os

from . import expr
from .coverage import status
from .docblocks import Anchor, Block, Code, Raw, heading, item, para

# the four sections every rule's documentation has, in order
SECTIONS = (("检查什么", "What it checks"), ("为什么", "Why"), ("所引条文", "The text cited"),
            ("示例", "Examples"))

CONFIDENCE = {
    "verified": ("已读条文原文（所注条款与版本）",
                 "the rule's own wording (the article, in the version named) was read"),
    "secondary": ("原文未读，读到问答、考题、新闻或论坛的转述",
                  "the text itself was not read; a Q&A, exam page, news report or forum post "
                  "restating it was"),
    "seed": ("原文未读，仅见实际发行或交易文件据以执行",
             "the text was not read; only a real announcement or deal document applying it"),
    "memory": ("凭记忆，未见任何文字印证，仅作警告", "from memory, no page read confirms it; a warning only"),
}
STAGE = {
    "plan": ("发行方案即可检查", "checked on a plan"),
    "results": ("需要发行结果；方案阶段为 pending", "needs the offering's results; pending on a plan"),
}
EXPECT = {"pass": ("通过", "pass"), "fail": ("违规", "fail"), "not_evaluated": ("无法评估", "not evaluated"),
          "pending": ("待结果", "pending")}

_OPS = {"<=": "≤", ">=": "≥", "==": "=", "!=": "≠", "*": "×"}
_TIGHT_AFTER = {"(", "["}
_TIGHT_BEFORE = {")", "]", ","}


class Lang:
    """Which language(s) to write: 'zh', 'en' or 'both' (zh / en)."""

    def __init__(self, lang: str = "both"):
        self.lang = lang

    def bi(self, zh: str, en: str) -> str:
        if self.lang == "zh":
            return zh
        if self.lang == "en":
            return en
        return zh if zh == en else f"{zh} / {en}"

    def pair(self, pair: tuple[str, str]) -> str:
        return self.bi(*pair)

    def langs(self) -> tuple[str, ...]:
        return ("zh", "en") if self.lang == "both" else (self.lang,)


def condition_text(text: str) -> str:
    """A rule condition as it reads: ≤ ≥ = ≠ ×, numbers with thousands separators, even spacing."""
    out: list[str] = []
    previous: tuple[str, str] | None = None
    after_unary = False
    for kind, value, _ in expr.tokenize(text):
        if kind == "end":
            break
        if kind == "num":
            digits, pct = value.rstrip("%").replace("_", ""), "%" if value.endswith("%") else ""
            whole, dot, frac = digits.partition(".")
            value = f"{int(whole):,}{dot}{frac}{pct}"
        tight = (previous is None or after_unary or previous[1] in _TIGHT_AFTER or value in _TIGHT_BEFORE
                 or value == "(" and previous[0] == "name")
        after_unary = value == "-" and (previous is None or previous[0] == "kw"
                                        or previous[0] == "op" and previous[1] not in (")", "]"))
        out.append(_OPS.get(value, value) if tight else " " + _OPS.get(value, value))
        previous = (kind, value)
    return "".join(out)


def value_text(value) -> str:
    """A `set:` value as the YAML would write it: null, true/false, dates, lists and mappings."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return value if value and value.strip() == value else repr(value)
    return str(value)   # int, Decimal


def changes_text(changes: dict) -> str:
    return ", ".join(f"{path} = {value_text(v)}" for path, v in changes.items())


def relative(path: str, root: str) -> str:
    """A path as the repository names it: relative to `root`, with forward slashes."""
    if os.path.isabs(path):
        path = os.path.relpath(path, root or os.getcwd())
    return path.replace(os.sep, "/")


def where(rule, catalogue) -> str:
    """The rule's file:line as `rules/…`, wherever the packs are installed."""
    path = relative(os.path.abspath(rule.file), os.path.abspath(catalogue.root))
    return f"rules/{path}:{rule.position.line}"


class ExampleRunner:
    """Runs a rule's examples through the real checker, building the checker once, when first needed."""

    def __init__(self, catalogue, checker=None):
        self.catalogue, self._checker = catalogue, checker

    def run(self, rule, example):
        """(outcome, findings), or None when the example's case file is not here (an installed
        package run outside the repository)."""
        from .check import Checker
        from .examples import outcome
        root = self.catalogue.examples_root
        if not os.path.isfile(os.path.join(root, example.case)):
            return None
        if self._checker is None:
            self._checker = Checker(self.catalogue)
        return outcome(self._checker, rule.id, example.case, example.set, root, rule.key)


def rule_doc(catalogue, rule_id: str, lang: Lang, runner: ExampleRunner, level: int = 1) -> list:
    """Every version of one rule id, oldest first."""
    versions = catalogue.versions(rule_id)
    newest = versions[-1].spec
    blocks = [Anchor(rule_id), heading(level, Code(rule_id)), para(lang.bi(newest.title.zh, newest.title.en))]
    others = [Code(i) for i in topic_ids(catalogue, newest.topic) if i != rule_id]
    if others:
        blocks.append(para(lang.bi("同专题的其他规则", "Other rules of its topic"), " ", Code(newest.topic),
                           ": ", *_joined(others)))
    several = len(versions) > 1
    if several:
        blocks.append(para(lang.bi(f"{len(versions)} 个版本", f"{len(versions)} versions"), ": ",
                           "; ".join(v.window for v in versions)))
    for rule in versions:
        inner = level + 1
        if several:
            blocks.append(heading(inner, lang.bi("版本", "Version"), " ", rule.window))
            inner += 1
        blocks += _checks(rule, catalogue, lang, inner, several)
        blocks += _why(rule, lang, inner)
        blocks += _cited(rule, lang, inner)
        blocks += _examples(rule, lang, runner, inner)
    return blocks


def topic_doc(catalogue, topic: str, lang: Lang, runner: ExampleRunner, level: int = 1,
              ids: list[str] | None = None) -> list:
    """A topic and each of its rule ids (in the order the packs give them, unless `ids` is given)."""
    ids = ids if ids is not None else topic_ids(catalogue, topic)
    count = sum(len(catalogue.versions(i)) for i in ids)
    blocks = [Anchor(topic_anchor(topic)), heading(level, lang.bi("专题", "Topic"), " ", Code(topic)),
              para(lang.bi(f"{len(ids)} 条规则" + (f"，{count} 个版本" if count != len(ids) else ""),
                           status(len(ids), count)), ": ",
                   *_joined([Code(i) for i in ids]))]
    note = catalogue.topics.notes.get(topic)
    if note:
        blocks.append(para(lang.bi("说明", "Note"), ": ", Raw(note)))
    for rule_id in ids:
        blocks += rule_doc(catalogue, rule_id, lang, runner, level + 1)
    return blocks


def topic_anchor(topic: str) -> str:
    """A topic's anchor in docs/rules/ (a rule's anchor is its id: a topic may share that id)."""
    return f"topic-{topic}"


def topic_ids(catalogue, topic: str) -> list[str]:
    """The rule ids of a topic, in the order the packs give them."""
    return list(dict.fromkeys(r.id for r in catalogue.rules if r.spec.topic == topic))


def _joined(parts: list, sep: str = ", ") -> list:
    out = []
    for i, part in enumerate(parts):
        out += [sep, part] if i else [part]
    return out


def _checks(rule, catalogue, lang: Lang, level: int, several: bool) -> list:
    s = rule.spec
    a = s.applies
    boards = sorted(a.board_set) if a.board_set else None
    blocks: list[Block] = [heading(level, lang.pair(SECTIONS[0]))]
    if several:
        blocks.append(item(0, lang.bi("标题", "Title"), ": ", lang.bi(s.title.zh, s.title.en)))
    blocks += [
        item(0, lang.bi("专题", "Topic"), ": ", Code(s.topic), "; ", lang.bi("案件类型", "case type"), ": ",
             Code(a.case)),
        item(0, lang.bi("板块", "Boards"), ": ",
             ", ".join(boards) if boards else lang.bi("全部板块", "every board")),
        item(0, lang.bi("施行", "In force"), ": ", rule.window,
             f" ({lang.bi('截止日不含', 'the end day excluded')})" if a.until else ""),
        item(0, lang.bi("严重程度", "Severity"), ": ", s.severity),
        item(0, lang.bi("阶段", "Stage"), ": ", s.stage, " (", lang.pair(STAGE[s.stage]), ")"),
        item(0, lang.bi("逐项检查", "For each"), ": ", Code(s.for_each)),
        item(0, lang.bi("适用条件", "When"), ": ",
             Code(condition_text(s.when)) if s.when else lang.bi("总是适用", "always")),
        item(0, lang.bi("要求", "Require"), ": ", Code(condition_text(s.require))),
        item(0, lang.bi("不满足时报告", "Reports when it fails"), ":"),
    ]
    for code in lang.langs():
        blocks.append(item(1, f"{code}: ", getattr(s.message, code)))
    blocks.append(item(0, lang.bi("定义于", "Defined at"), ": ", Code(where(rule, catalogue))))
    return blocks


def _why(rule, lang: Lang, level: int) -> list:
    c = rule.spec.cite
    blocks = [heading(level, lang.pair(SECTIONS[1])),
              item(0, lang.bi("依据", "Required by"), ": ",
                   " ".join(filter(None, (c.source, f"({c.number})" if c.number else None, c.article))),
                   f" ({c.version})")]
    if c.note:
        blocks.append(item(0, lang.bi("条文要点", "What the text says"), ": ", c.note))
    if rule.spec.rationale:
        blocks.append(item(0, lang.bi("规则说明", "How the rule reads it"), ": ",
                           " ".join(rule.spec.rationale.split())))
    return blocks


def _cited(rule, lang: Lang, level: int) -> list:
    s = rule.spec
    c = s.cite
    blocks = [heading(level, lang.pair(SECTIONS[2])),
              item(0, lang.bi("文件", "Instrument"), ": ", c.source),
              item(0, lang.bi("文号", "Number"), ": ", c.number or lang.bi("未注明", "not given")),
              item(0, lang.bi("条款", "Article"), ": ", c.article or lang.bi("未注明", "not given")),
              item(0, lang.bi("版本", "Version"), ": ", c.version),
              item(0, lang.bi("可信度", "Confidence"), ": ", s.confidence, " — ",
                   lang.pair(CONFIDENCE[s.confidence]))]
    if c.urls:
        blocks.append(item(0, lang.bi("所读文本（副本）", "The copies read"), ":"))
        blocks += [item(1, url) for url in c.urls]
    return blocks


def _examples(rule, lang: Lang, runner: ExampleRunner, level: int) -> list:
    examples = rule.spec.examples
    shown = [next(e for e in examples if e.expect == kind) for kind in ("pass", "fail")]
    blocks: list[Block] = [heading(level, lang.pair(SECTIONS[3]))]
    labels = (("通过示例", "Passing example"), ("违规示例", "Failing example"))
    for example, label in zip(shown, labels, strict=True):
        blocks += _example(rule, example, lang.pair(label), lang, runner)
    rest = [e for e in examples if not any(e is s for s in shown)]
    if rest:
        blocks.append(item(0, lang.bi("其他示例", "Other examples"), ":"))
        for e in rest:
            blocks.append(item(1, lang.pair(EXPECT[e.expect]), ": ", *_case(e)))
    return blocks


def _case(example) -> list:
    parts: list = [Code(example.case)]
    if example.set:
        parts += [" set ", Code(changes_text(example.set))]
    if example.note:
        parts += [" (", example.note, ")"]
    return parts


def _example(rule, example, label: str, lang: Lang, runner: ExampleRunner) -> list:
    blocks = [item(0, label, ": ", *_case(example))]
    ran = runner.run(rule, example)
    if ran is None:
        blocks.append(item(1, lang.bi("案例文件不在此处，未运行", "the case file is not here; not run")))
        return blocks
    got, findings = ran
    if got != example.expect:
        blocks.append(item(1, lang.bi(f"⚠ 声明为 {example.expect}，检查结果为 {got}",
                                      f"⚠ declared {example.expect}, the checker gives {got}")))
    if got == "pass":
        blocks.append(item(1, lang.bi("检查结果：通过，无违规", "the checker: passes, no violation")))
    violation = next((f for f in findings if f.status == "violation"), None)
    if violation is not None:
        pos = violation.position
        blocks.append(item(1, lang.bi("检查结果：违规", "the checker: a violation"), " ",
                           Code(f"{relative(pos.file, runner.catalogue.examples_root)}:{pos.line}:{pos.col}"),
                           f" — {violation.subject}" if violation.subject else ""))
        for code in lang.langs():
            frame = ("（应为 ", "；实际 ", "）") if code == "zh" else (" (expected ", "; actual ", ")")
            blocks.append(item(2, f"{code}: ", violation.message[code], frame[0], violation.expected[code],
                               frame[1], violation.actual[code], frame[2]))
    return blocks
