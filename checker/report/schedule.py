"""A compensation schedule (checker.compensation) as a rich table (zh/en) and as JSON.

JSON, schema version 1:
    {"schema": "compensation-schedule", "schema_version": 1, "status", "formula", "method",
     "share_rounding", "money_rounding",
     "rows": [ROW], "impairment": ROW | null, "totals": {amount_due, shares_delivered, cash,
     paid_value, unpaid_shares}, "reward": {excess, over_threshold, amount_exact, amount, limited}
     | null, "price_adjustment": {ratio, ratio_used, floor_met, first_year_below_floor,
     threshold_met, amount_exact, amount, notes} | null, "notes": [NOTE]}
    ROW: {"kind": "year" | "impairment", "year", "status", "committed", "actual", "cum_committed",
          "cum_actual", "cum_gap", "amount_due", "shares_due", "shares_rounded", "shares_delivered",
          "cash_exact", "cash", "unpaid_shares", "cum_shares_delivered", "cum_cash",
          "cum_paid_value", "value_cap_left", "shares_cap_left", "parts": {name: NUMBER},
          "notes": [NOTE]}
    NOTE: {"code", "values": {name: NUMBER | string}, "message": {"zh", "en"}}
A NUMBER is a string holding the exact value: a decimal ("19011142.06") when it terminates,
otherwise a fraction "p/q" ("170625000000/732001"); both parse with fractions.Fraction. null =
not known or not computable (the row's notes say why). Money in yuan, shares in shares.
"""

from __future__ import annotations

import json
from dataclasses import fields
from fractions import Fraction
from typing import Any

from rich.table import Table

from checker import humanize as h
from checker.compensation.result import Note, Row, Schedule

SCHEMA_VERSION = 1

HEAD = {
    "zh": ("年度", "承诺净利润（元）", "实际净利润（元）", "累计差额（元）", "应补偿金额（元）",
           "应补偿股份（股）", "交付股份（股）", "现金补偿（元）", "累计已补偿（元）", "剩余上限", "状态"),
    "en": ("Year", "Committed (¥)", "Actual (¥)", "Cumulative gap (¥)", "Amount due (¥)",
           "Shares due", "Shares delivered", "Cash (¥)", "Cumulative paid (¥)", "Cap left", "Status"),
}
WORDS = {
    "zh": {"computed": "已计算", "pending": "待定", "not_computable": "无法计算", "not_reached": "未计算",
           "impairment": "减值测试", "total": "合计", "title": "业绩补偿计算表", "reward": "业绩奖励",
           "adjustment": "对价调增", "limited": "（受约定上限限制）"},
    "en": {"computed": "computed", "pending": "pending", "not_computable": "not computable",
           "not_reached": "not computed", "impairment": "Impairment", "total": "Total",
           "title": "Performance compensation schedule", "reward": "Reward", "adjustment":
           "Price adjustment", "limited": " (contract limit binds)"},
}
NOTES = {
    "negative_as_zero": ("公式结果为负（{raw}），按0计，已补偿部分不冲回",
                         "formula result negative ({raw}): counted as 0, nothing paid is returned"),
    "value_cap_binding": ("补偿总额上限生效，核减{capped}元", "total-value cap binds: {capped} yuan cut"),
    "shares_cap_binding": ("股份补偿上限生效，核减{capped}股", "share cap binds: {capped} shares cut"),
    "value_cap_unchecked": ("缺少发行价格，无法核对补偿总额上限", "no issue price: value cap not checked"),
    "shares_cap_unchecked": ("缺少发行价格，无法核对股份上限", "no issue price: share cap not checked"),
    "shares_run_out": ("股份不足：仅交付{shares}股，差额以现金{cash}元补足",
                       "shares run out: {shares} delivered, the rest in cash ({cash} yuan)"),
    "shares_short_unpaid": ("持股不足且约定不以现金补足：{shares}股未支付",
                            "shares due but not held, no cash top-up: {shares} shares unpaid"),
    "pending": ("实际数尚未确定（{field}）", "actual figure not known yet ({field})"),
    "not_reached": ("此前年度未能计算", "an earlier year is not computed"),
    "no_issue_price": ("缺少发行价格，无法计算股份或现金",
                       "no issue price: shares or cash cannot be computed"),
    "periodic_formula_cut_off": (
        "{year}年实际数低于当年承诺的触发比例，应适用“分期计算补偿公式”（Y2），但种子原文该公式不完整，无法计算",
        "{year}: actual below the trigger share of its commitment, so the per-period formula Y2 "
        "applies; the seed cuts that formula off: not computable"),
    "periodic_not_triggered": ("未触发分期计算补偿公式，按累积计算补偿公式（Y1）",
                               "per-period formula not triggered: amount = Y1"),
    "cumulative_end_no_test": ("仅于承诺期末累计测试：本年度不测试",
                               "cumulative test at the period end only: no test this year"),
    "cumulative_end_test": ("承诺期末累计测试：（累计承诺 − 累计实现）÷ 承诺合计",
                            "the period-end cumulative test: (ΣC − ΣA) / ΣC"),
    "dual_annual_test": ("年度净利润测试", "annual profit test"),
    "dual_final_test": ("期末测试：取净利润指标与经营性净现金流指标计算结果孰高",
                        "final test: the higher of the profit and cash-flow formulas"),
    "dual_final_not_triggered": ("期末累计指标均达标，不触发期末补偿", "final thresholds met: no final test"),
    "dual_no_test": ("本年度无测试", "no test this year"),
    "holdings_unstated": ("未载明补偿义务人持股数：应补偿股份均视为可交付",
                          "shares held not stated: every share due counted as delivered"),
    "impairment_none": ("期末减值额不超过已补偿金额（{paid}元），无需另行补偿",
                        "impairment not above compensation paid ({paid} yuan): no top-up"),
    "adjustment_threshold_differs": ("对价调整门槛{threshold}元与承诺净利润合计{total_committed}元不一致"
                                     "（按原文）",
                                     "adjustment threshold {threshold} yuan ≠ total commitment "
                                     "{total_committed} yuan (kept as written)"),
}
SHARE_KEYS = {"shares"}


def exact_text(value) -> str | None:
    """The exact value as a string: a terminating decimal, else 'p/q'."""
    if value is None:
        return None
    value = Fraction(value)
    d, places = value.denominator, 0
    while d % 10 == 0 or d % 2 == 0 or d % 5 == 0:
        if d % 10 == 0:
            d //= 10
        elif d % 2 == 0:
            d //= 2
        else:
            d //= 5
        places += 1
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    scaled = abs(value) * 10**places
    digits = str(scaled.numerator).rjust(places + 1, "0")
    text = digits if not places else f"{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")
    return ("-" if value < 0 else "") + text


def message(note: Note, lang: str) -> str:
    def fmt(key, v):
        if not isinstance(v, Fraction | int):
            return str(v)
        if key in SHARE_KEYS or note.code == "shares_cap_binding" or key == "raw":
            return h.number(v, 4)
        return str(v) if key == "year" else h.fixed(v, 2)

    template = NOTES.get(note.code, (note.code, note.code))[0 if lang == "zh" else 1]
    return template.format(**{k: fmt(k, v) for k, v in note.values.items()})


def _note_dict(note: Note) -> dict:
    values = {k: v if isinstance(v, str) else exact_text(v) for k, v in note.values.items()}
    return {"code": note.code, "values": values,
            "message": {"zh": message(note, "zh"), "en": message(note, "en")}}


def _row_dict(row: Row) -> dict:
    out: dict[str, Any] = {}
    for f in fields(row):
        v = getattr(row, f.name)
        if f.name == "parts":
            out[f.name] = {k: exact_text(x) for k, x in v.items()}
        elif f.name == "notes":
            out[f.name] = [_note_dict(n) for n in v]
        elif isinstance(v, Fraction):
            out[f.name] = exact_text(v)
        else:
            out[f.name] = v
    return out


def _plain(obj) -> dict | None:
    if obj is None:
        return None
    out: dict[str, Any] = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if f.name == "notes":
            out[f.name] = [_note_dict(n) for n in v]
        else:
            out[f.name] = exact_text(v) if isinstance(v, Fraction) else v
    return out


def to_dict(s: Schedule) -> dict:
    t = s.terms
    return {"schema": "compensation-schedule", "schema_version": SCHEMA_VERSION, "status": s.status,
            "formula": t.formula, "method": t.method, "share_rounding": t.share_rounding,
            "money_rounding": t.money_rounding, "rows": [_row_dict(r) for r in s.rows],
            "impairment": None if s.impairment is None else _row_dict(s.impairment),
            "totals": {k: exact_text(v) for k, v in s.totals.items()},
            "reward": _plain(s.reward), "price_adjustment": _plain(s.price_adjustment),
            "notes": [_note_dict(n) for n in s.notes]}


def to_json(s: Schedule) -> str:
    return json.dumps(to_dict(s), ensure_ascii=False, indent=2) + "\n"


def _money(v) -> str:
    return "—" if v is None else h.fixed(v, 2)


def _shares(row: Row) -> str:
    if row.shares_due is None:
        return "—"
    text = h.number(row.shares_due, 4)
    if row.shares_rounded is not None and row.shares_rounded != row.shares_due and row.status == "computed":
        text += f" → {h.number(row.shares_rounded, 4)}"
    return text


def _cap_left(row: Row, lang: str) -> str:
    parts = []
    if row.value_cap_left is not None:
        money = h.fixed(row.value_cap_left, 2)
        parts.append(f"{money}元" if lang == "zh" else f"¥{money}")
    if row.shares_cap_left is not None:
        count = h.number(row.shares_cap_left, 4)
        parts.append(f"{count}股" if lang == "zh" else f"{count} shares")
    return " / ".join(parts) or "—"


def table(s: Schedule, lang: str = "zh") -> Table:
    w = WORDS[lang]
    grid = Table(title=w["title"])
    for i, head in enumerate(HEAD[lang]):
        grid.add_column(head, justify="left" if i in (0, 10) else "right")
    for row in (*s.rows, *([s.impairment] if s.impairment else [])):
        label = str(row.year) if row.kind == "year" else w["impairment"]
        grid.add_row(label, _money(row.committed), _money(row.actual), _money(row.cum_gap),
                     _money(row.amount_due), _shares(row),
                     "—" if row.shares_delivered is None else h.number(row.shares_delivered, 4),
                     _money(row.cash), _money(row.cum_paid_value), _cap_left(row, lang), w[row.status])
    t = s.totals
    grid.add_row(w["total"], "", "", "", _money(t["amount_due"]), "", h.number(t["shares_delivered"], 4),
                 _money(t["cash"]), _money(t["paid_value"]), "", "", style="bold")
    return grid


def lines(s: Schedule, lang: str = "zh") -> list[str]:
    """The notes under the table, one per line, each prefixed by its year."""
    w = WORDS[lang]
    out = []
    for row in (*s.rows, *([s.impairment] if s.impairment else [])):
        label = str(row.year) if row.kind == "year" else w["impairment"]
        out += [f"{label}: {message(n, lang)}" for n in row.notes]
    out += [message(n, lang) for n in s.notes]
    if s.reward:
        limited = w["limited"] if s.reward.limited else ""
        out.append(f"{w['reward']}: {h.yuan(s.reward.amount, lang)}{limited}")
    if s.price_adjustment:
        a = s.price_adjustment
        out.append(f"{w['adjustment']}: {h.yuan(a.amount, lang)} ({h.percent(a.ratio_used)})")
        out += [message(n, lang) for n in a.notes]
    return out


def render(s: Schedule, lang: str, console) -> None:
    from rich.markup import escape

    console.print(table(s, lang))
    for line in lines(s, lang):
        console.print("  " + escape(line))
