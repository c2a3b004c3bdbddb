"""The compensation the agreed formula gives, for each year a restructuring declares one.

Maps a case's `performance` block onto checker/compensation's terms, runs the schedule, and puts
formula and declared figures side by side on one `comp_year` fact per declared year; the rule
(rules/restructuring/compensation.yaml) compares them. A figure the formula cannot give (a term
missing from the case, the contract's share rounding not stated, a cut-off formula) stays absent
with the reason, so the rule is not_evaluated rather than passed.
"""

from __future__ import annotations

from fractions import Fraction

from ..compensation import CompensationTerms, DualTest, Reward, YearFigures, schedule
from ..facts import Fact
from ..loading import Document
from ..model.performance import Performance
from ..model.restructuring import RestructuringCase


class NotComputable(Exception):
    """The case lacks a term the formula needs; `reason` is {zh, en}."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.reason = {"zh": zh, "en": en}


def _dual(d) -> DualTest | None:
    if d is None:
        return None
    return DualTest(annual_years=d.annual_years, annual_floor=d.annual_floor, annual_base=d.annual_base,
                    annual_share_fraction=Fraction(1, d.annual_share_divisor),
                    profit_threshold=d.profit_threshold, profit_denominator=d.profit_denominator,
                    profit_netted_years=d.profit_netted_years, cash_flow_years=d.cash_flow_years,
                    cash_flow_threshold=d.cash_flow_threshold, cash_flow_denominator=d.cash_flow_denominator,
                    cash_flow_netted_years=d.cash_flow_netted_years)


def terms_of(case: RestructuringCase, p: Performance | None = None) -> CompensationTerms:
    """The compensation terms of commitment `p` (default: the case's only one); NotComputable names
    what is missing."""
    if p is None:
        blocks = case.commitment_blocks()
        if len(blocks) > 1:
            raise NotComputable("案例有多项业绩承诺（commitments），需逐项计算",
                                "the case has several commitments (commitments): one at a time")
        p = blocks[0][1] if blocks else None
    if p is None:
        raise NotComputable("案例没有业绩承诺（performance）", "the case has no performance commitment")
    if p.formula is None:
        raise NotComputable("未给出补偿公式类型（performance.formula）",
                            "no formula kind (performance.formula)")
    if p.committed_profit is None:
        raise NotComputable("未给出各年承诺净利润（performance.committed_profit）",
                            "no committed profit per year (performance.committed_profit)")
    actual = p.actual_profit or [None] * len(p.years)
    ocf = p.operating_cash_flow or [None] * len(p.years)
    rows = zip(p.years, p.committed_profit, actual, ocf, strict=True)
    years = [YearFigures(y, Fraction(c), _fraction(a), _fraction(f)) for y, c, a, f in rows]
    optional = {"value": p.valued_price, "issue_price": case.issue_price,
                "base_shares": p.base_shares, "denominator": p.denominator,
                "cash_ratio": _fraction_of(p.cash_pct),
                "value_cap": p.value_cap, "shares_cap": p.shares_cap, "shares_held": p.obligor_shares_held,
                "impairment": p.impairment.amount if p.impairment else None,
                "periodic_trigger": _fraction_of(p.periodic_trigger_pct), "dual": _dual(p.dual_test)}
    r = case.reward
    if r is not None and r.base.value == "excess":
        optional["reward"] = Reward(ratio=Fraction(r.pct) / 100)
    named = {k: v for k, v in optional.items() if v is not None}
    if p.method is not None:
        named["method"] = p.method.value
    if p.share_rounding is not None:
        named["share_rounding"] = p.share_rounding.value
    if p.money_rounding is not None:
        named["money_rounding"] = p.money_rounding.value
    try:
        return CompensationTerms(formula=p.formula.value, years=tuple(years), **named)
    except ValueError as exc:
        raise NotComputable(f"补偿条款不完整：{exc}", f"incomplete compensation terms: {exc}") from None


def _fraction(value) -> Fraction | None:
    return None if value is None else Fraction(value)


def _fraction_of(percent) -> Fraction | None:
    return None if percent is None else Fraction(percent) / 100


def _year_figures(case: RestructuringCase, p: Performance):
    """{year: (formula shares, formula cash)} and {year: reason} for the years it cannot give."""
    try:
        s = schedule(terms_of(case, p))
    except NotComputable as exc:
        return {}, dict.fromkeys(p.years, exc.reason)
    figures, reasons = {}, {}
    for row in s.rows:
        if row.status != "computed":
            reasons[row.year] = {"zh": f"{row.year} 年公式结果无法得出（{row.status}）",
                                 "en": f"the formula gives nothing for {row.year} ({row.status})"}
            continue
        shares, cash = row.shares_delivered, row.cash
        if p.share_rounding is None and shares is not None and Fraction(shares).denominator != 1:
            reasons[row.year] = {"zh": "合同的股份取整方式未在案例中说明（performance.share_rounding）",
                                 "en": "the contract's share rounding is not stated "
                                       "(performance.share_rounding)"}
            continue
        figures[row.year] = (None if shares is None else int(shares), cash)
    return figures, reasons


def _due(declared, formula):
    """What was due: the declared figure, else the formula's."""
    return declared if declared is not None else formula


def facts(case: RestructuringCase, doc: Document, label: str) -> list[Fact]:
    """One `comp_year` fact per year a commitment declares or reports performed compensation for."""
    out: list[Fact] = []
    blocks = case.commitment_blocks()
    for path, p in blocks:
        if not p.declared and not p.performed:
            continue
        figures, reasons = _year_figures(case, p)
        if path != ("performance",):   # name the block the case writes: commitments[i].…
            key = f"{path[0]}[{path[1]}]."
            reasons = {y: {lang: text.replace("performance.", key) for lang, text in r.items()}
                       for y, r in reasons.items()}
        declared = {d.year: (i, d) for i, d in enumerate(p.declared)}
        performed = {d.year: (i, d) for i, d in enumerate(p.performed)}
        name = f"{p.asset} · " if p.asset and len(blocks) > 1 else ""
        for year in sorted(set(declared) | set(performed)):
            di, d = declared.get(year, (None, None))
            pi, done = performed.get(year, (None, None))
            dbase = path + ("declared", di) if d is not None else path + ("declared",)
            pbase = path + ("performed", pi) if done is not None else path + ("performed",)
            shares, cash = figures.get(year, (None, None))
            d_shares = d.shares if d is not None else None
            d_cash = d.cash if d is not None else None
            values = {"comp_year.year": year, "comp_year.declared_stated": d is not None,
                      "comp_year.declared_shares": d_shares, "comp_year.declared_cash": d_cash,
                      "comp_year.formula_shares": shares, "comp_year.formula_cash": cash,
                      "comp_year.due_shares": _due(d_shares, shares),
                      "comp_year.due_cash": _due(d_cash, cash),
                      "comp_year.performed_stated": done is not None,
                      "comp_year.performed_shares": done.shares_cancelled if done is not None else None,
                      "comp_year.performed_cash": done.cash_paid if done is not None else None}
            formula_at = doc.position(path + ("formula",))
            positions = {"comp_year.year": doc.position((dbase if d is not None else pbase) + ("year",)),
                         "comp_year.declared_stated": doc.position(dbase),
                         "comp_year.declared_shares": doc.position(dbase + ("shares",)),
                         "comp_year.declared_cash": doc.position(dbase + ("cash",)),
                         "comp_year.formula_shares": formula_at, "comp_year.formula_cash": formula_at,
                         "comp_year.due_shares": doc.position(dbase + ("shares",)) if d_shares is not None
                         else formula_at,
                         "comp_year.due_cash": doc.position(dbase + ("cash",)) if d_cash is not None
                         else formula_at,
                         "comp_year.performed_stated": doc.position(pbase),
                         "comp_year.performed_shares": doc.position(pbase + ("shares_cancelled",)),
                         "comp_year.performed_cash": doc.position(pbase + ("cash_paid",))}
            absent = {}
            if year in reasons:
                absent = {"comp_year.formula_shares": reasons[year], "comp_year.formula_cash": reasons[year]}
                if d_shares is None:
                    absent["comp_year.due_shares"] = reasons[year]
                if d_cash is None:
                    absent["comp_year.due_cash"] = reasons[year]
            related = {}
            if d is not None and done is not None:
                related = {"comp_year.performed_shares": [(f"{year} 年应补偿", doc.position(dbase))],
                           "comp_year.performed_cash": [(f"{year} 年应补偿", doc.position(dbase))]}
            out.append(Fact("comp_year", f"y{len(out)}", values, positions, related,
                            f"{label} · {name}{year}", doc.position(dbase if d is not None else pbase),
                            absent))
    return out
