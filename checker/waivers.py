"""Waivers: match a case's waivers to its violations, decide expiry, and say what went unused.

- A waiver names a rule id and optionally an `item`. Only violations are waived: a finding that
  could not be evaluated (missing data) or is not covered is never turned into `waived`.
- The item is the subject as the case itself names it (ITEM_FIELD): a strategic investor's
  `name`, a placing object's `name` (its defaults too), a counterparty's `name`, a compensation
  year, a subscription's `security` (or `code`). Rules on the offering, deal or investor account as
  a whole have no item: only a waiver without `item` covers them. Names compare after Unicode
  NFKC and trimming, so full-width and ASCII brackets are the same name; nothing else is loosened.
- Expiry is decided in `in_force` alone: a waiver applies up to and including its `expires` day,
  judged against `today` (--today; the CLI resolves the real date once).
- When several live waivers cover a violation, the item waiver is shown before a rule-wide one,
  then file order; each of them counts as used.
- Notices: `waiver_expired` (it waives nothing; the violations it names stand), `waiver_unused`
  (matched no violation; lists the items the rule did fire on), `waiver_unknown_rule` (level
  "error": a rule id that is not in the catalogue is a defect of the input, and it makes the run
  exit 2 whatever --fail-on says, while the case's own findings are still reported).
- With waivers off (--no-waivers) nothing is waived and only unknown rule ids are reported.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from . import suggest
from .casetypes import ITEM_FIELD
from .errors import InputError, Position
from .facts import Fact
from .findings import CaseResult, Finding


def item_of(fact: Fact) -> str | None:
    """The identifier a waiver's `item` names this fact by; None for a fact about the whole case."""
    name = ITEM_FIELD.get(fact.kind)
    value = fact.values.get(name) if name else None
    return None if value is None else str(value)


def in_force(expires: dt.date, today: dt.date) -> bool:
    """The one expiry decision: a waiver applies up to and including its `expires` day."""
    return today <= expires


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def covers(waiver, finding: Finding) -> bool:
    if waiver.rule != finding.rule_id:
        return False
    return waiver.item is None or (finding.item is not None and _key(waiver.item) == _key(finding.item))


def _loc(doc, path: tuple) -> dict:
    where = doc.position(path)
    return {"file": where.file, "line": where.line, "col": where.col}


def _info(waiver, index: int, doc) -> dict:
    return {"rule_id": waiver.rule, "item": waiver.item, "reason": waiver.reason,
            "approver": waiver.approver, "expires": waiver.expires.isoformat(),
            "location": _loc(doc, ("waivers", index))}


def _named(waiver) -> tuple[str, str]:
    if waiver.item is None:
        return waiver.rule, waiver.rule
    return f"{waiver.rule}（{waiver.item}）", f"{waiver.rule} ({waiver.item})"


def _fired_on(findings: list[Finding]) -> list[str | None]:
    out: list[str | None] = []
    for f in findings:
        if f.item not in out:
            out.append(f.item)
    return out


def _items_text(items: list[str | None]) -> tuple[str, str]:
    zh = "、".join(i if i is not None else "（案例整体，无 item）" for i in items)
    en = ", ".join(repr(i) if i is not None else "(the case as a whole, no item)" for i in items)
    return zh, en


HORIZON_YEARS = 3   # a waiver may run at most this long after the day it is judged on


def check_horizon(case, doc, today: dt.date) -> None:
    """An expiry decades ahead makes a waiver permanent in practice: refused as input."""
    limit = today.replace(year=today.year + HORIZON_YEARS) if not (today.month == 2 and today.day == 29) \
        else dt.date(today.year + HORIZON_YEARS, 2, 28)
    for i, w in enumerate(getattr(case, "waivers", [])):
        if w.expires > limit:
            raise InputError(f"waiver of {w.rule}: expires {w.expires} is more than {HORIZON_YEARS} years "
                             f"after {today} (the day waivers are judged on); a waiver is temporary: "
                             f"give an expiry on or before {limit}",
                             doc.position(("waivers", i, "expires")), field=f"waivers[{i}].expires")


def check_subjects(case, doc, facts: list[Fact]) -> None:
    """Two subjects whose names differ but compare equal (after NFKC: 某创投1号基金 and 某创投①号基金)
    would both be covered by one item waiver: an input error naming both lines."""
    if not any(w.item is not None for w in getattr(case, "waivers", [])):
        return
    seen: dict[tuple[str, str], tuple[str, Position]] = {}
    for fact in facts:
        name = item_of(fact)
        if name is None:
            continue
        key = (fact.kind, _key(name))
        pos = fact.position or Position("?", 1, 1)
        first = seen.setdefault(key, (name, pos))
        if first[0] != name:
            raise InputError(f"'{name}' (line {pos.line}) and '{first[0]}' (line {first[1].line}) are the "
                             "same name once full-width and compatibility forms are folded (NFKC): a "
                             "waiver's item could not tell them apart; write the names so that they differ",
                             pos)


def apply(case, doc, result: CaseResult, catalogue, options) -> None:
    """Waive the violations the case's live waivers cover; add a notice for every other waiver.
    `options`: the checker's (today, use_waivers)."""
    entries = list(enumerate(getattr(case, "waivers", [])))
    if not entries:
        return
    today, use = options.today, options.use_waivers
    known = {r.id for r in catalogue.rules}
    for i, w in entries:
        if w.rule not in known:
            result.notices.append(_unknown(w, i, doc, catalogue.ids))
    if not use:
        return
    entries = [(i, w) for i, w in entries if w.rule in known]
    live = sorted(((i, w) for i, w in entries if in_force(w.expires, today)),
                  key=lambda e: (e[1].item is None, e[0]))
    violations = [f for f in result.findings if f.status == "violation"]
    used: set[int] = set()
    for f in violations:
        matching = [(i, w) for i, w in live if covers(w, f)]
        if matching:
            i, w = matching[0]
            f.status, f.waiver = "waived", _info(w, i, doc)
            used.update(j for j, _ in matching)
    for i, w in entries:
        if not in_force(w.expires, today):
            result.notices.append(_expired(w, i, doc, today, [f for f in violations if covers(w, f)]))
        elif i not in used:
            fired = [f for f in violations if f.rule_id == w.rule]
            result.notices.append(_unused(w, i, doc, fired, w.rule in result.rules_checked))


def _expired(w, i: int, doc, today: dt.date, standing: list[Finding]) -> dict:
    zh, en = _named(w)
    return {"kind": "waiver_expired", "level": "warning", **_info(w, i, doc), "today": today.isoformat(),
            "violations": len(standing), "message": {
                "zh": f"{zh} 的豁免已于 {w.expires} 到期（判断日 {today}），不再豁免；"
                      f"其所涉 {len(standing)} 项违规照常计入",
                "en": f"the waiver of {en} expired on {w.expires} (judged on {today}) and waives "
                      f"nothing; the {len(standing)} violation(s) it names stand"}}


def _unused(w, i: int, doc, fired: list[Finding], in_force_on_case: bool) -> dict:
    zh, en = _named(w)
    items = _fired_on(fired)
    if items:
        zh_items, en_items = _items_text(items)
        why_zh, why_en = f"该规则在本案例的违规对象为：{zh_items}", f"the rule fired on: {en_items}"
    elif in_force_on_case:
        why_zh, why_en = "该规则在本案例没有违规", "the rule has no violation in this case"
    else:
        why_zh, why_en = "该规则不适用于本案例（案例类型、板块或日期）", \
            "the rule does not apply to this case (case type, board or date)"
    path = ("waivers", i, "item") if w.item is not None else ("waivers", i)
    return {"kind": "waiver_unused", "level": "warning", **_info(w, i, doc),
            "location": _loc(doc, path), "fired_on": items, "message": {
                "zh": f"{zh} 的豁免未匹配任何违规：{why_zh}",
                "en": f"the waiver of {en} matched no violation: {why_en}"}}


def _unknown(w, i: int, doc, known: tuple[str, ...]) -> dict:
    near = suggest.near(w.rule, known)
    hint_zh, hint_en = (suggest.hint(near, lang) for lang in ("zh", "en"))
    return {"kind": "waiver_unknown_rule", "level": "error", **_info(w, i, doc),
            "location": _loc(doc, ("waivers", i, "rule")), "did_you_mean": near, "message": {
                "zh": f"豁免所列规则 {w.rule} 不在规则库中{hint_zh}；"
                      "该豁免不豁免任何发现，运行以退出码 2 失败",
                "en": f"the waiver names rule {w.rule}, which is not in the rule catalogue{hint_en}; "
                      "it waives nothing and the run fails with exit code 2"}}
