"""Check one case file: load → validate → derive → evaluate (engine) → findings.

Who decides what:
- the engine decides every violation: it evaluates `when and not require` on each fact;
- Python decides only what the engine must never be asked: a rule whose fields are absent or
  whose divisor is zero, when that could change the answer (Kleene logic of the reference
  evaluator), is `not_evaluated`; a topic with no rule in force on the date is `not_covered`.
  The engine never sees an absent field: such fields are sent with a neutral filler value, and
  only for rules whose answer the filler cannot change.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from . import evaluate as ev
from . import waivers
from .casetypes import CASE_TYPES, FACT_KINDS
from .derive import derive, notices
from .derive.dates import add_months
from .engine import Engine, EngineError
from .errors import CheckerError, InputError, Position
from .expr import And, BinOp, Call, Field, Neg, fields
from .facts import Fact
from .findings import CaseResult, Finding
from .loading import Document, decode, load_file, load_text
from .options import Options
from .rulepack import Catalogue, Rule, load_catalogue, rules_dir
from .validate import validate
from .wire import encode_fact

_OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}


@dataclass(frozen=True)
class InForce:
    """A case type's rule versions for one board, and what follows from the ones in force in one
    period: the same for every case of that period, so worked out once."""

    rules: list[Rule]                  # every version for the case type and board
    in_force: list[Rule]
    ids: tuple[str, ...]               # ids in force, sorted
    keys: frozenset[str]               # versions in force
    uncovered: tuple[str, ...]         # topics with versions but none in force, sorted
    _unsure: dict = field(default_factory=dict, compare=False, repr=False)

    def unsure(self, kind: str, present: frozenset[str],
               zero: frozenset[str]) -> tuple[tuple[int, Rule], ...]:
        """The rules in force (with their places in `in_force`) that an absent field or a zero
        divisor of a fact of `kind` could leave undecided; the engine decides the rest alone.
        Memoised by the fact's shape: cases of one batch mostly share a few."""
        key = (kind, present, zero)
        found = self._unsure.get(key)
        if found is None:
            found = tuple((i, r) for i, r in enumerate(self.in_force) if r.kind == kind
                          and not (r.fields <= present and r.divisors.isdisjoint(zero)))
            if len(self._unsure) < 4096:   # bounded, whatever the batch
                self._unsure[key] = found
        return found

    @classmethod
    def of(cls, rules: list[Rule], in_force: list[Rule], required=lambda topic: True) -> InForce:
        """`required(topic)`: false where the topic's requirement did not exist (rules/_topics.yaml
        `not_required`): such a topic without a rule in force is not a gap."""
        covered = {r.spec.topic for r in in_force}
        missing = {r.spec.topic for r in rules} - covered
        return cls(rules, in_force, tuple(sorted({r.id for r in in_force})),
                   frozenset(r.key for r in in_force), tuple(sorted(t for t in missing if required(t))))


class Checker:
    def __init__(self, catalogue: Catalogue, options: Options | None = None):
        self.catalogue = catalogue
        self.options = options or Options()
        self._engines: dict[str, Engine] = {}
        self._selected: dict[tuple, InForce] = {}
        self._verdicts = ev.Verdicts()
        self._dates: dict[tuple, tuple[list[Rule], list[dt.date]]] = {}

    def engine(self, case_type: str) -> Engine:
        if case_type not in self._engines:
            rules = self.catalogue.for_case(case_type)
            self._engines[case_type] = Engine({r.key: r.compiled.condition for r in rules},
                                              {r.key: r.compiled.paths for r in rules})
        return self._engines[case_type]

    def _rules(self, case_type: str, board: str | None, as_of: dt.date) -> InForce:
        """The versions for the case type and board, and those in force on the day. Memoised per
        period between two rule dates (a `from` or `until`): the same rules are in force on every
        day of one, and the memo stays as small as the catalogue however many days a batch has."""
        where = (case_type, board)
        if where not in self._dates:
            rules = [r for r in self.catalogue.for_case(case_type) if r.spec.applies.start(board) is not None]
            dates = sorted({d for r in rules
                            for d in (r.spec.applies.start(board), r.spec.applies.until) if d}
                           | self.catalogue.topics.dates())
            self._dates[where] = (rules, dates)
        rules, dates = self._dates[where]
        key = (where, bisect.bisect_right(dates, as_of))
        if key not in self._selected:
            topics = self.catalogue.topics
            self._selected[key] = InForce.of(rules, [r for r in rules
                                                     if r.spec.applies.in_force(as_of, board)],
                                             lambda topic: topics.required(topic, board, as_of))
        return self._selected[key]

    def check_file(self, path: str) -> CaseResult:
        return self.check_document(path, None)

    def check_document(self, path: str, doc: Document | None) -> CaseResult:
        """Check a file, or an already loaded (possibly edited) document of it."""
        return self._checked(path, lambda: doc if doc is not None else load_file(path))[0]

    def check_bytes(self, path: str, raw: bytes) -> tuple[CaseResult, bool]:
        """Check the bytes read from `path`; also whether the case declares waivers (its result then
        depends on the day they are judged on: checker/result_cache.py)."""
        return self._checked(path, lambda: load_text(decode(raw, path), path))

    def _checked(self, path: str, load) -> tuple[CaseResult, bool]:
        result = CaseResult.for_file(path)
        declares = False
        try:
            doc = load()
            case = validate(doc)
            declares = bool(getattr(case, "waivers", None))
            result.case_id = case.id or result.case_id
            result.case_type = case.case_type
            self._check(case, doc, result)
        except CheckerError as exc:
            result.findings = []
            result.error = error_dict(exc)
        except EngineError as exc:
            result.fail("engine_error", str(exc))
        return result, declares

    def _check(self, case, doc, result: CaseResult) -> None:
        board = case.board   # None for a case type without a board: only board-free rules apply
        choice = case.dates
        as_of = self.options.as_of or case.as_of_date   # the case's own date, unless --as-of
        if as_of is None:
            path = CASE_TYPES[case.case_type].date_path
            where = ".".join(path)
            raise InputError(f"no date to choose the rules in force: give {where} or --as-of",
                             doc.position(path[:-1]), field=where)
        rules_key = ("--as-of" if self.options.as_of else
                     choice.rules_key if choice.rules is not None else choice.event_key)
        result.board, result.as_of = board, as_of.isoformat()
        result.dates = {"rules": as_of.isoformat(), "rules_key": rules_key,
                        "event": choice.event.isoformat() if choice.event else None,
                        "event_key": choice.event_key,
                        "reason": choice.reason if rules_key == choice.rules_key else None}
        date_pos = doc.position(tuple(rules_key.split("."))) if rules_key != "--as-of" else doc.position(())
        coverage = self.catalogue.boards.get(board)
        if board is not None and self.catalogue.boards and (coverage is None or not coverage.covers(as_of)):
            board_wrong = coverage is None or coverage.covered_from is None or (
                coverage.covered_until is not None and as_of >= coverage.covered_until)
            at = doc.position(("issuer", "board")) if board_wrong else date_pos
            result.coverage = "not_checked"
            result.findings.append(_board_not_covered(board, coverage, as_of, at, result))
            return
        selected = self._rules(case.case_type, board, as_of)
        if not selected.in_force:
            result.coverage = "not_checked"
            result.findings.append(_date_not_covered(selected.rules, as_of, date_pos, result))
            return
        gap = _rules_date_gap(choice, rules_key, date_pos, result)
        if gap is not None:
            result.findings.append(gap)
        facts = derive(case.case_type, case, doc)
        kinds = FACT_KINDS[case.case_type]
        if self.options.use_waivers:
            assert self.options.today is not None   # Options.__post_init__ sets it
            waivers.check_horizon(case, doc, self.options.today)
        waivers.check_subjects(case, doc, facts)

        result.rules_checked = list(selected.ids)
        result.uncovered = list(selected.uncovered)
        result.coverage = "partly_checked" if selected.uncovered else "checked"
        plan = not case.has_results
        result.notices.extend(n for n in notices(case.case_type, case, doc) if n["rule_id"] in selected.ids)
        for topic in selected.uncovered:
            result.findings.append(_not_covered(topic, selected.rules, result, board, as_of, facts[0],
                                                coverage.name if coverage else None))

        encoded: list[dict] = []
        by_id: dict[str, Fact] = {}
        unsure: list[tuple[int, int, Rule, Fact]] = []
        for order, fact in enumerate(facts):
            by_id[fact.id] = fact
            encoded.append(encode_fact(fact, kinds[fact.kind], as_of, board))
            present = frozenset(k for k, v in fact.values.items() if v is not None)
            zero = frozenset(k for k in present if fact.values[k] == 0)
            unsure.extend((i, order, rule, fact) for i, rule in selected.unsure(fact.kind, present, zero))
        undecided: set[tuple[str, str]] = set()
        for _, _, rule, fact in sorted(unsure, key=lambda u: u[:2]):   # by rule, then fact
            truth, missing, zero = self._verdicts.decide(rule.key, rule.reads, rule.when, rule.require,
                                                         fact.values)
            if truth is None:
                undecided.add((rule.key, fact.id))
                pending = plan and rule.spec.stage == "results"   # results not out yet: nothing is wrong
                result.findings.append(_not_evaluated(rule, fact, missing, zero, kinds[fact.kind], result,
                                                      pending))

        for key, fact_id in sorted(self.engine(case.case_type).evaluate(encoded)):
            fired = self.catalogue.by_key(key)
            if fired is None or key not in selected.keys or by_id[fact_id].kind != fired.kind:
                raise EngineError(f"the engine fired {key} on {fact_id}, which it does not apply to")
            if (key, fact_id) in undecided:
                continue
            result.findings.append(_violation(fired, by_id[fact_id], kinds[fired.kind], result))

        waivers.apply(case, doc, result, self.catalogue, self.options)
        rank = {"violation": 0, "waived": 1, "not_evaluated": 2, "pending": 3, "not_covered": 4}
        result.findings.sort(key=lambda f: (-1 if f.topic == "coverage" else rank[f.status], f.position.line,
                                            f.position.col, f.rule_id))


def error_dict(exc: CheckerError) -> dict:
    pos = exc.position or Position("?", 1, 1)
    out: dict[str, Any] = {"kind": exc.kind, "message": exc.message, "field": exc.field,
           "location": {"file": pos.file, "line": pos.line, "col": pos.col}}
    if exc.more:
        out["more"] = [error_dict(e) for e in exc.more]
    return out


def _base(rule: Rule, fact: Fact, result: CaseResult, status: str, position: Position) -> Finding:
    s = rule.spec
    return Finding(case_id=result.case_id, rule_id=s.id, topic=s.topic, title=rule.title,
                   severity=s.severity, confidence=s.confidence, status=status, message={}, expected={},
                   actual={}, citation=rule.citation, position=position, subject=fact.label,
                   item=waivers.item_of(fact), version=rule.window)


def _at(fact: Fact, name: str | None) -> Position:
    """Where a finding about `name` on this fact points: its figure, else the fact's own block."""
    position = (fact.positions.get(name) if name else None) or fact.position
    assert position is not None, f"derive gave the {fact.kind} fact no position"
    return position


def _violation(rule: Rule, fact: Fact, specs, result: CaseResult) -> Finding:
    """Located at the first figure of `actual` (derive puts a total at its first line); every
    other figure the rule compared (in `require`, then in `when`), and the lines a total adds up,
    are listed as related lines."""
    env, memo = ev.Env(fact.values), dict[Any, Any]()   # each placeholder worked out once for both languages
    first = _failing_field(rule.require, rule.actual, env) or _first_field(rule.actual)
    compared = fields(rule.actual) | fields(rule.require)
    others = sorted(compared - {first})
    conditions = sorted(fields(rule.when) - compared - {first}) if rule.when is not None else []
    anchor = [first, *others, *conditions] if first else [*others, *conditions]
    position = _at(fact, first)
    finding = _base(rule, fact, result, "violation", position)
    for lang in ("zh", "en"):
        finding.message[lang] = ev.render(rule.message[lang], env, specs, lang, memo)
        finding.actual[lang] = ev.render_value(rule.actual, env, specs, lang, None, memo)
        if rule.expected_text is not None:
            finding.expected[lang] = ev.render(rule.expected_text[lang], env, specs, lang, memo)
        else:
            limit = ev.render_value(rule.expected, env, specs, lang, ev.unit_of(rule.actual, specs), memo)
            finding.expected[lang] = f"{_OPS[rule.op or '']} {limit}"
    seen = {(position.line, position.col)}
    for name in anchor:
        own = [(fact.key(name), fact.positions[name])] if name != first and name in fact.positions else []
        refs = own + fact.related.get(name, [])
        for label, pos in refs:
            if (pos.line, pos.col) not in seen and pos.line != position.line and pos != fact.position:
                seen.add((pos.line, pos.col))
                finding.related.append({"label": label, "file": pos.file, "line": pos.line, "col": pos.col})
    return finding


def _not_evaluated(rule: Rule, fact: Fact, unknown: frozenset[str], zero_divisors: frozenset[str], specs,
                   result: CaseResult, pending: bool = False) -> Finding:
    missing = sorted(unknown)
    zero = sorted(zero_divisors)
    position = _at(fact, (missing or zero)[0] if missing or zero else None)
    finding = _base(rule, fact, result, "pending" if pending else "not_evaluated", position)
    keys = {m: fact.key(m) for m in (*missing, *zero)}   # as the case file writes them
    finding.missing = list(dict.fromkeys(keys[m] for m in missing)) + [f"{keys[z]} = 0" for z in zero]
    reasons = tuple((keys[m], fact.absent_reasons[m]["zh"], fact.absent_reasons[m]["en"])
                    for m in missing if m in fact.absent_reasons)
    named = tuple(dict.fromkeys((keys[m], zh_doc(specs[m].doc)) for m in missing))
    key = (named, tuple(keys[z] for z in zero), reasons, pending)
    texts = _UNEVALUATED.get(key)
    if texts is None:
        texts = _unevaluated_texts(named, [keys[z] for z in zero], reasons, pending)
        if len(_UNEVALUATED) < 4096:
            _UNEVALUATED[key] = texts
    (finding.message, finding.actual, finding.expected) = (dict(t) for t in texts)
    return finding


_UNEVALUATED: dict[tuple, tuple[dict, dict, dict]] = {}   # the texts by what is missing (few shapes)


_CJK = re.compile(r"[\u3400-\u9fff]")
_ASIDE = re.compile(r"\s*\([^()]*\)")
_TAIL = re.compile(r"(\s+[A-Za-z0-9_./+×÷=−→%,'\-]+)+$")


@functools.lru_cache(maxsize=1024)   # few docs, asked for on every finding not evaluated
def zh_doc(doc: str) -> str:
    """The Chinese part of a field's doc, for a Chinese message: English asides and tails dropped
    ("发行股份占发行后总股本比例 (stated, %)" → "发行股份占发行后总股本比例"); "" when none."""
    text = _ASIDE.sub(lambda m: m.group(0) if _CJK.search(m.group(0)) else "", doc)
    text = _TAIL.sub("", re.split(r"[:;]\s", text)[0]).strip().rstrip(",，;；:")
    return text if _CJK.search(text) else ""


def _unevaluated_texts(missing: tuple[tuple[str, str], ...], zero: list[str], reasons,
                       pending: bool = False) -> tuple[dict, dict, dict]:
    """The texts of a finding not evaluated (or pending): `missing` is (key, doc) pairs."""
    zh, en = [], []
    if missing:
        zh.append("缺少 " + "、".join(f"{m}（{doc}）" if doc else m for m, doc in missing))
        en.append("missing " + ", ".join(m for m, _ in missing))
    for m, why_zh, why_en in reasons:
        zh.append(f"{m} 无法得出：{why_zh}")
        en.append(f"{m} unavailable: {why_en}")
    if zero:
        zh.append("除数为零：" + "、".join(zero))
        en.append("zero divisor: " + ", ".join(zero))
    if pending:
        return ({"zh": "待发行结果（计划阶段，尚无发行结果）：" + "；".join(zh),
                 "en": "pending the offering's results (a plan has none yet): " + "; ".join(en)},
                {"zh": "尚无发行结果", "en": "no results yet"}, {"zh": "发行结果", "en": "the results"})
    return ({"zh": "无法评估：" + "；".join(zh), "en": "not evaluated: " + "; ".join(en)},
            {"zh": "缺失" if missing else "除数为零", "en": "absent" if missing else "zero divisor"},
            {"zh": "需要上述数据", "en": "the data above"})


def _not_covered(topic: str, rules: list[Rule], result: CaseResult, board: str | None, as_of: dt.date,
                 fact: Fact, board_name: dict | None = None) -> Finding:
    windows = sorted({(r.spec.applies.start(board), r.spec.applies.until) for r in rules
                      if r.spec.topic == topic})
    text = ", ".join(f"{a}–{b or '…'}" for a, b in windows)
    sample = next(r for r in rules if r.spec.topic == topic)
    finding = _base(sample, fact, result, "not_covered", fact.position or Position(result.file, 1, 1))
    finding.rule_id = topic
    finding.version = ""   # no version is in force: the sample rule supplies the citation only
    finding.title = {"zh": f"{topic}（该日期无已建模规则）", "en": f"{topic} (no rule modelled for the date)"}
    name = board_name or {"zh": board, "en": board}
    where_zh, where_en = (f"在{name['zh']}", f" for the {name['en']}") if board else ("", "")
    finding.message = {
        "zh": f"{topic}：{as_of} {where_zh}没有已建模的规则（已建模期间：{text}），未检查",
        "en": f"{topic}: no rule modelled{where_en} on {as_of} (modelled: {text}); not checked",
    }
    finding.actual = {"zh": str(as_of), "en": str(as_of)}
    finding.expected = {"zh": text, "en": text}
    return finding


def _case_finding(rule_id: str, title: dict, severity: str, message: dict, expected: str, actual: str,
                  note: str, position: Position, result: CaseResult) -> Finding:
    """A finding about the whole case's coverage (rule ids `coverage.…`: see policy)."""
    return Finding(case_id=result.case_id, rule_id=rule_id, topic="coverage", title=title,
                   severity=severity, confidence="verified", status="not_covered", message=message,
                   expected={"zh": expected, "en": expected}, actual={"zh": actual, "en": actual},
                   citation={"source": "规则库覆盖范围 / rule-pack coverage (rules/_boards.yaml)",
                             "number": None, "article": None,
                             "version": "板块及期间 / boards and periods modelled", "urls": [], "note": note},
                   position=position)


_NOT_CHECKED = {"zh": "案例未检查：板块或期间未覆盖", "en": "Case not checked: board or period not covered"}


def _board_not_covered(board: str, coverage, as_of: dt.date, position: Position,
                       result: CaseResult) -> Finding:
    """One finding for the whole case: nothing was checked, and the reason."""
    if coverage is None:
        zh = f"板块 {board} 不在规则库覆盖范围内，未检查"
        en = f"board {board} is not covered by the rule packs; not checked"
    elif coverage.covered_from is None:
        zh = f"{coverage.name['zh']}不在规则库覆盖范围内，未检查：{coverage.note}"
        en = f"{coverage.name['en']} is not covered by the rule packs; not checked: {coverage.note}"
    elif coverage.covered_until is not None and as_of >= coverage.covered_until:
        zh = (f"{coverage.name['zh']}自 {coverage.covered_until} 起不复存在，规则日期 {as_of} 晚于此日，"
              f"未检查（{coverage.note}）")
        en = (f"the {coverage.name['en']} ceased on {coverage.covered_until}; the rules date {as_of} is "
              "later, so nothing was checked")
    else:
        zh = (f"{coverage.name['zh']}的规则自 {coverage.covered_from} 起建模，规则日期 {as_of} 早于此日，"
              f"未检查（{coverage.note}）")
        en = (f"{coverage.name['en']} rules are modelled from {coverage.covered_from}; the rules date "
              f"{as_of} is earlier, so nothing was checked")
    since = coverage.covered_from.isoformat() if coverage and coverage.covered_from else "—"
    return _case_finding("coverage.not_checked", _NOT_CHECKED, "error", {"zh": zh, "en": en}, since,
                         f"{board} {as_of}", coverage.note if coverage else "", position, result)


def _date_not_covered(rules: list[Rule], as_of: dt.date, position: Position, result: CaseResult) -> Finding:
    first = min((r.spec.applies.first for r in rules), default=None)
    since = first.isoformat() if first else "—"
    zh = f"规则日期 {as_of} 没有任何已建模的规则生效（最早自 {since} 起），未检查"
    en = f"no modelled rule is in force on the rules date {as_of} (the earliest from {since}); not checked"
    return _case_finding("coverage.not_checked", _NOT_CHECKED, "error", {"zh": zh, "en": en}, since,
                         str(as_of), "", position, result)


GAP_MONTHS = 3   # a rules date further than this before the case's own date gets a finding of its own


def _rules_date_gap(choice, rules_key: str, position: Position, result: CaseResult) -> Finding | None:
    """A rules date chosen by the case (not --as-of) more than GAP_MONTHS before its own date."""
    if rules_key != choice.rules_key or choice.event is None or choice.rules is None:
        return None
    if add_months(choice.rules, GAP_MONTHS) >= choice.event:
        return None
    zh = (f"按 {choice.rules_key} = {choice.rules} 的规则检查，早于 {choice.event_key} = {choice.event} "
          f"超过{GAP_MONTHS}个月（理由：{choice.reason}）；适用的不是案例自身日期的规则")
    en = (f"checked under the rules of {choice.rules_key} = {choice.rules}, more than {GAP_MONTHS} months "
          f"before {choice.event_key} = {choice.event} (reason given: {choice.reason}); the rules of the "
          "case's own date were not applied")
    title = {"zh": "规则日期远早于案例日期", "en": "Rules date far before the case's own date"}
    return _case_finding("coverage.rules_date", title, "warning", {"zh": zh, "en": en},
                         f"≤ {GAP_MONTHS} months", f"{choice.rules} / {choice.event}", "", position, result)


def _failing_field(require, actual, env: ev.Env) -> str | None:
    """Of a require that is several conditions all of which must hold, the figure that decides the
    violation: the reported figure if the first condition that fails reads it, else that
    condition's leftmost field. None for a single condition."""
    if not isinstance(require, And):
        return None
    part = next((p for p in require.items if ev.truth(p, env) is False), None)
    if part is None:
        return None
    shown = _first_field(actual)
    if shown in fields(part):
        return shown
    return next(iter(_fields_in_order(part)), None)


def _fields_in_order(node) -> list[str]:
    """The fields of an expression, left to right."""
    if isinstance(node, Field):
        return [node.name]
    children = [getattr(node, name) for name in ("left", "right", "operand") if hasattr(node, name)]
    children += list(getattr(node, "items", ())) + list(getattr(node, "args", ()))
    return [f for child in children for f in _fields_in_order(child)]


def _first_field(node) -> str | None:
    """The leftmost field of an expression: the figure a finding points at."""
    while node is not None:
        if isinstance(node, Field):
            return node.name
        if isinstance(node, Neg):
            node = node.operand
        elif isinstance(node, BinOp):
            node = node.left
        elif isinstance(node, Call) and node.args:
            node = node.args[0]
        else:
            return None
    return None



def default_checker(options: Options | None = None) -> Checker:
    return Checker(load_catalogue(rules_dir()), options)
