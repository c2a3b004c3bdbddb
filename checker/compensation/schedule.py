"""The year-by-year compensation schedule of one agreement (catalogue §3), plus the impairment
top-up at period end (ma.comp.impairment_test), the reward and the price adjustment.

A year without its actual profit is `pending` and every later year `not_reached`: nothing is
guessed. §3.7's per-period formula Y2 is cut off in the seed: from the first year below the
trigger on, rows are `not_computable` with that reason.
"""

from __future__ import annotations

from fractions import Fraction

from checker.compensation import formulas as f
from checker.compensation import outcomes
from checker.compensation.result import Note, Row, Schedule
from checker.compensation.settle import Ledger, Payment, settle
from checker.compensation.terms import END_ONLY_FORMULAS, VALUE_FORMULAS, CompensationTerms

ZERO = Fraction(0)


class _Stop(Exception):
    def __init__(self, status: str, note: Note):
        self.status, self.note = status, note


def _end_only(terms, index, notes) -> bool:
    """A cumulative-only commitment before its last year: no test (True), the note recorded."""
    if terms.formula in END_ONLY_FORMULAS and index != len(terms.years) - 1:
        notes.append(Note("cumulative_end_no_test"))
        return True
    if terms.formula in END_ONLY_FORMULAS:
        notes.append(Note("cumulative_end_test"))
    return False


def _due_value(terms, ledger, index, cum_c, cum_a, notes, parts):
    y = terms.years[index]
    if _end_only(terms, index, notes):
        return f.Due(ZERO)
    if terms.formula == "annual":
        d = f.annual_amount(y.committed, y.actual, terms.total_denominator, terms.value)
    else:
        if terms.formula == "max_cumulative_annual":
            for earlier in terms.years[:index + 1]:
                if f.periodic_triggered(earlier.actual, earlier.committed, terms.periodic_trigger):
                    raise _Stop("not_computable", Note("periodic_formula_cut_off", {"year": earlier.year}))
            notes.append(Note("periodic_not_triggered"))
        settled = ledger.settled_value()
        if settled is None:
            raise _Stop("not_computable", Note("no_issue_price"))
        d = f.cumulative_amount(cum_c, cum_a, terms.total_denominator, terms.value, settled)
        parts["Y1"] = d.raw
    return d


def _due_shares(terms, ledger, index, cum_c, cum_a, notes, parts):
    y = terms.years[index]
    if _end_only(terms, index, notes):
        return f.Due(ZERO)
    if terms.formula in ("cumulative_shares", "cumulative_end_shares"):
        settled = ledger.settled_shares()
        if settled is None:
            raise _Stop("not_computable", Note("no_issue_price"))
        return f.cumulative_shares(cum_c, cum_a, terms.total_denominator, terms.share_base, settled)
    dual, s = terms.dual, terms.base_shares
    if y.year in dual.annual_years:
        notes.append(Note("dual_annual_test"))
        d = f.dual_annual_shares(y.actual, dual.annual_floor, dual.annual_base, s, dual.annual_share_fraction)
        parts["annual"] = d.raw
        return d
    if index != len(terms.years) - 1:
        notes.append(Note("dual_no_test"))
        return f.Due(ZERO)
    flows = [x.operating_cash_flow for x in terms.years if x.year in dual.cash_flow_years]
    if None in flows or len(flows) != len(dual.cash_flow_years):
        raise _Stop("pending", Note("pending", {"field": "operating_cash_flow"}))
    cum_flow = sum(flows, ZERO)
    if cum_a >= dual.profit_threshold and cum_flow >= dual.cash_flow_threshold:
        notes.append(Note("dual_final_not_triggered"))
        return f.Due(ZERO)
    netted = ledger.settled_by_year
    x = f.dual_final_part(dual.profit_threshold, cum_a, dual.profit_denominator, s,
                          sum((netted.get(v, ZERO) for v in dual.profit_netted_years), ZERO))
    yv = f.dual_final_part(dual.cash_flow_threshold, cum_flow, dual.cash_flow_denominator, s,
                           sum((netted.get(v, ZERO) for v in dual.cash_flow_netted_years), ZERO))
    parts.update(X=x.raw, Y=yv.raw, cum_cash_flow=cum_flow)
    notes.append(Note("dual_final_test"))
    return f.Due(f.dual_final(x, yv))


def _pay(terms, ledger, value, shares, year, notes) -> Payment:
    pay = settle(terms, ledger, value, shares)
    notes.extend(pay.notes)
    if pay.error:
        raise _Stop("not_computable", Note(pay.error))
    ledger.apply(pay, year)
    return pay


def _money_row(terms, ledger, pay, value, shares) -> dict:
    paid = ledger.paid_value()
    return dict(
        amount_due=value, shares_due=shares, shares_rounded=pay.shares_rounded,
        shares_delivered=pay.shares_delivered, cash_exact=pay.cash_exact, cash=pay.cash,
        unpaid_shares=pay.unpaid_shares, cum_shares_delivered=ledger.delivered, cum_cash=ledger.cash_paid,
        cum_paid_value=paid,
        value_cap_left=None if terms.value_cap is None or ledger.cap_used() is None
        else terms.value_cap - ledger.cap_used(),
        shares_cap_left=None if terms.shares_cap is None or ledger.settled_shares() is None
        else terms.shares_cap - ledger.settled_shares())


def _year_row(terms, ledger, index, cum_c, cum_a) -> Row:
    y = terms.years[index]
    notes: list[Note] = []
    parts: dict = {}
    price = terms.issue_price
    if terms.formula in VALUE_FORMULAS:
        d = _due_value(terms, ledger, index, cum_c, cum_a, notes, parts)
        value = d.value
        shares = None if price is None else value / price
    else:
        d = _due_shares(terms, ledger, index, cum_c, cum_a, notes, parts)
        shares = d.value
        value = None if price is None else shares * price
    if d.negative:
        notes.append(Note("negative_as_zero", {"raw": d.raw}))
    pay = _pay(terms, ledger, value, shares, y.year, notes)
    return Row(kind="year", year=y.year, status="computed", committed=y.committed, actual=y.actual,
               cum_committed=cum_c, cum_actual=cum_a, cum_gap=cum_c - cum_a, parts=parts,
               notes=tuple(notes), **_money_row(terms, ledger, pay, value, shares))


def _impairment_row(terms, ledger) -> Row:
    price = terms.issue_price
    paid = ledger.paid_value()
    if paid is None:
        return Row(kind="impairment", year=None, status="not_computable", notes=(Note("no_issue_price"),))
    d = f.impairment_top_up(terms.impairment, paid)
    notes: list[Note] = [] if d.raw > 0 else [Note("impairment_none", {"paid": paid})]
    value = d.value
    shares = None if price is None else value / price
    try:
        pay = _pay(terms, ledger, value, shares, None, notes)
    except _Stop as stop:
        return Row(kind="impairment", year=None, status=stop.status, amount_due=value,
                   parts={"impairment": terms.impairment, "paid": paid}, notes=(*notes, stop.note))
    return Row(kind="impairment", year=None, status="computed", parts={"impairment": terms.impairment,
               "paid": paid}, notes=tuple(notes), **_money_row(terms, ledger, pay, value, shares))


def _totals(rows, ledger) -> dict:
    dues = [r.amount_due for r in rows if r.status == "computed"]
    return {"amount_due": None if None in dues else sum(dues, ZERO),
            "shares_delivered": ledger.delivered, "cash": ledger.cash_paid,
            "paid_value": ledger.paid_value(), "unpaid_shares": ledger.unpaid}


def schedule(terms: CompensationTerms) -> Schedule:
    ledger = Ledger.start(terms)
    rows: list[Row] = []
    status = "complete"
    cum_c = cum_a = ZERO
    for index, y in enumerate(terms.years):
        cum_c += y.committed
        if status != "complete":
            rows.append(Row(kind="year", year=y.year, status="not_reached", committed=y.committed,
                            actual=y.actual, cum_committed=cum_c, notes=(Note("not_reached"),)))
            continue
        if y.actual is None:
            status = "pending"
            rows.append(Row(kind="year", year=y.year, status="pending", committed=y.committed,
                            cum_committed=cum_c, notes=(Note("pending", {"field": "actual"}),)))
            continue
        cum_a += y.actual
        try:
            rows.append(_year_row(terms, ledger, index, cum_c, cum_a))
        except _Stop as stop:   # pending or not_computable: so is the schedule
            status = stop.status
            rows.append(Row(kind="year", year=y.year, status=stop.status, committed=y.committed,
                            actual=y.actual, cum_committed=cum_c, cum_actual=cum_a, cum_gap=cum_c - cum_a,
                            notes=(stop.note,)))
    impairment = None
    if terms.impairment is not None and status == "complete":
        impairment = _impairment_row(terms, ledger)
    notes = () if terms.shares_held is not None or terms.method == "cash" else (Note("holdings_unstated"),)
    all_rows = rows + ([impairment] if impairment else [])
    return Schedule(terms=terms, status=status, rows=tuple(rows), impairment=impairment,
                    totals=_totals(all_rows, ledger), reward=outcomes.reward(terms),
                    price_adjustment=outcomes.price_adjustment(terms), notes=notes)
