"""Facts of a restructuring: one `deal` fact, one `counterparty` fact per counterparty line.

Figures only: totals of the declared compensation and of what the obligors received, the reward
amount, lock-up end dates and the controller-side flag. Every comparison with a limit is a rule's.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..facts import Fact
from ..loading import Document
from ..model.restructuring import EARNINGS_BASED, RestructuringCase
from . import compensation
from .dates import last_day

FEN = Decimal("0.01")


def earnings_valuation(case: RestructuringCase) -> bool | None:
    """Valued on future earnings (收益法, 假设开发法); None when the method is not stated."""
    m = case.valuation_method
    return None if m is None else m in EARNINGS_BASED


def control_change(case: RestructuringCase) -> bool | None:
    """Stated, else true when a counterparty gains control; None when neither says."""
    if case.control_change is not None:
        return case.control_change
    return True if any(c.gains_control for c in case.counterparties) else None


def receives_shares(cp) -> bool | None:
    if cp.shares_received is not None:
        return cp.shares_received > 0
    return cp.receives_shares


def lockup_end(cp) -> dt.date | None:
    """Last locked day: N months from the start date end the day before the same date N months on."""
    lock = cp.lockup
    if lock is None or lock.start_date is None or lock.months is None:
        return None
    return last_day(lock.start_date, lock.months)


def _total(values):
    return None if any(v is None for v in values) else sum(values)


def declared_totals(case: RestructuringCase):
    """(count, shares, cash, value) of the declared compensation; a part is None when any year
    leaves it out, the value also when the issue price is unknown."""
    declared = [d for _, p in case.commitment_blocks() for d in p.declared]
    shares = _total([d.shares for d in declared])
    cash = _total([d.cash for d in declared])
    price = case.issue_price
    value = None
    if shares is not None and cash is not None and (price is not None or shares == 0):
        value = Decimal(shares) * (price or 0) + cash
    return len(declared), shares, cash, value


def obligor_totals(case: RestructuringCase):
    """(shares, consideration) the obligors received; None when any obligor's figure is unknown.

    The consideration is each obligor's shares × issue price + cash, or the whole price when every
    counterparty is an obligor and the per-line figures are not stated. None as well when a
    counterparty does not say whether it is an obligor (a line left out would understate them)."""
    if any(c.obligor is None for c in case.counterparties):
        return None, None   # who the obligors are is not fully stated: their totals are unknown
    obligors = [c for c in case.counterparties if c.obligor]
    if not obligors:
        return None, None
    shares = _total([c.shares_received for c in obligors])
    price = case.issue_price
    parts = [None if c.shares_received is None or c.cash_received is None or price is None
             else Decimal(c.shares_received) * price + c.cash_received for c in obligors]
    value = _total(parts)
    if value is None and all(c.obligor for c in case.counterparties):
        value = case.consideration.total
    if shares is None and all(c.obligor for c in case.counterparties):
        shares = case.consideration.shares_issued
    return shares, value


def reward_figures(case: RestructuringCase):
    """(excess, amount): Σ actual − Σ committed when every year is reported; the reward declared,
    else ratio × max(excess, 0) for a reward on the excess."""
    r = case.reward
    excess = None
    parts: list[Decimal] = []
    for _, p in case.commitment_blocks():
        actual = [a for a in p.actual_profit if a is not None] if p.actual_profit else None
        if p.committed_profit is None or actual is None or len(actual) != len(p.actual_profit or ()):
            parts = []   # a commitment not fully reported: the excess is unknown
            break
        parts.append(Decimal(sum(actual)) - Decimal(sum(p.committed_profit)))
    if parts:
        excess = sum(parts, Decimal(0))
    if r is None:
        return excess, None
    if r.amount is not None:
        return excess, r.amount
    if r.base.value == "excess" and excess is not None:
        return excess, (r.pct * max(excess, Decimal(0)) / 100).quantize(FEN, ROUND_HALF_UP)
    return excess, None


STANDARD_WINDOWS = (20, 60, 120)


def pricing_figures(case: RestructuringCase, doc: Document):
    """(values, positions, absent reasons) of the issue-price floor (ma.pricing.*).

    The reference is the average of the window the deal chose; when the deal does not say which,
    and states the averages of all three windows, the lowest of them (the price is then at least
    the floor of whichever window it was set on exactly when it is at least that of the lowest).
    The stated floor (交易均价的80%) is taken the same way. The price compared is the one set
    against the reference (pricing.issue_price), else the consideration's."""
    pr, at = case.pricing, doc.position
    values: dict[str, Any] = {"pricing.stated": pr is not None, "pricing.window_days": None,
                              "pricing.window_stated": None,
              "pricing.floor_stated": None,
              "pricing.reference_price": None, "pricing.stated_floor": None, "pricing.issue_price": None}
    positions = {name: at(("pricing",)) for name in values}
    reasons: dict = {}
    if pr is None:
        values["pricing.window_stated"] = values["pricing.floor_stated"] = False
        none = {"zh": "案例未给出发行价格的市场参考价（pricing）",
                "en": "the case states no market reference price (pricing)"}
        reasons = {"pricing.reference_price": none}
        values["pricing.issue_price"], positions["pricing.issue_price"] = _stated_issue_price(case, doc)
        return values, positions, reasons
    values["pricing.window_stated"] = pr.window_days is not None
    values["pricing.window_days"] = pr.window_days
    positions["pricing.window_days"] = at(("pricing", "window_days"))
    positions["pricing.window_stated"] = at(("pricing", "window_days"))
    if pr.issue_price is not None:
        values["pricing.issue_price"] = pr.issue_price
        positions["pricing.issue_price"] = at(("pricing", "issue_price"))
    else:
        values["pricing.issue_price"], positions["pricing.issue_price"] = _stated_issue_price(case, doc)
    index = {a.days: i for i, a in enumerate(pr.averages)}
    for name, part in (("pricing.reference_price", "price"), ("pricing.stated_floor", "floor")):
        if pr.window_days is not None:
            i = index.get(pr.window_days)
            value = None if i is None else getattr(pr.averages[i], part)
            where = at(("pricing", "averages", i, part)) if i is not None else at(("pricing", "averages"))
        else:
            figures = [(getattr(pr.averages[index[d]], part), index[d])
                       for d in STANDARD_WINDOWS if d in index]
            known = len(figures) == len(STANDARD_WINDOWS) and all(v is not None for v, _ in figures)
            value, i = min(figures, key=lambda f: f[0]) if known else (None, None)
            where = at(("pricing", "averages", i, part)) if i is not None else at(("pricing", "averages"))
        values[name] = value
        positions[name] = where
        if part == "floor":
            values["pricing.floor_stated"] = value is not None
            positions["pricing.floor_stated"] = where
        if value is None:
            reasons[name] = {
                "zh": f"未给出所选窗口的{'交易均价' if part == 'price' else '均价的80%/90%'}"
                      "（pricing.window_days 及 "
                      f"pricing.averages 中该窗口的 {part}；未说明窗口时需20、60、120日三者俱全）",
                "en": f"the chosen window's {'average' if part == 'price' else 'stated floor'} is not given "
                      f"(pricing.window_days and that window's {part} in pricing.averages; without a window, "
                      f"all of 20, 60 and 120 days)"}
    return values, positions, reasons


def _stated_issue_price(case: RestructuringCase, doc: Document):
    """The issue price the deal states elsewhere (the consideration's, else the compensation
    terms' P) and where it stands."""
    if case.consideration.issue_price is not None:
        return case.consideration.issue_price, doc.position(("consideration", "issue_price"))
    for path, p in case.commitment_blocks():
        if p.issue_price is not None:
            return p.issue_price, doc.position(path + ("issue_price",))
    return None, doc.position(("consideration", "issue_price"))


def issues_shares(case: RestructuringCase) -> bool | None:
    """True when any counterparty is paid in shares, False when every one is known not to be."""
    flags = [receives_shares(c) for c in case.counterparties]
    if any(flags):
        return True
    if case.consideration.shares_issued:
        return True
    return False if all(f is False for f in flags) else None


def commitment_summary(case: RestructuringCase):
    """(has a commitment, shortest period in years, the method all commitments share) — the
    method None when one leaves it out or they differ; the path of the block they come from."""
    blocks = case.commitment_blocks()
    if not blocks:
        return False, None, None, ("performance",)
    shortest_path, shortest = min(blocks, key=lambda b: len(b[1].years))
    methods = {p.method.value if p.method is not None else None for _, p in blocks}
    method = methods.pop() if len(methods) == 1 else None
    return True, len(shortest.years), method, shortest_path


def instalment_figures(case: RestructuringCase, doc: Document):
    """(values, positions) of the instalment payment: the registration's last valid day (48 months
    from the registration date, the day before the same date 48 months on) and the last tranche's
    issue date; None where the case does not state them."""
    inst, at = case.instalments, doc.position
    values: dict[str, Any] = {"instalment.stated": inst is not None, "instalment.registration_expiry": None,
                              "instalment.registration_expiry_12m": None, "instalment.last_issued_on": None}
    positions = {name: at(("instalments",)) for name in values}
    if inst is None:
        return values, positions
    if inst.registration_date is not None:
        for name, months in (("instalment.registration_expiry", 48),
                             ("instalment.registration_expiry_12m", 12)):
            values[name] = last_day(inst.registration_date, months)
            positions[name] = at(("instalments", "registration_date"))
    dates = [t.issued_on for t in inst.tranches]
    known = [d for d in dates if d is not None]
    if dates and len(known) == len(dates):
        i = dates.index(max(known))
        values["instalment.last_issued_on"] = dates[i]
        positions["instalment.last_issued_on"] = at(("instalments", "tranches", i, "issued_on"))
    return values, positions


def derive(case: RestructuringCase, doc: Document) -> list[Fact]:
    r = case.reward
    count, d_shares, d_cash, d_value = declared_totals(case)
    o_shares, o_value = obligor_totals(case)
    excess, amount = reward_figures(case)
    has_commitment, period_years, method, shortest = commitment_summary(case)
    blocks = case.commitment_blocks()
    first = blocks[0][0] if blocks else ("performance",)
    p0 = blocks[0][1] if blocks else None
    deal = {
        "acquirer.board": case.acquirer.board.value if case.acquirer.board else None,
        "deal.price": case.consideration.total,
        "deal.earnings_valuation": earnings_valuation(case),
        "deal.control_change": control_change(case),
        "deal.reorg_listing": case.reorg_listing,
        "deal.issues_shares": issues_shares(case),
        "deal.absorption_merger": case.absorption_merger,
        "comp.has_commitment": has_commitment,
        "comp.period_years": period_years,
        "comp.method": method,
        "comp.declared_count": count,
        "comp.declared_shares": d_shares,
        "comp.declared_cash": d_cash,
        "comp.declared_value": d_value,
        "comp.issue_price": case.issue_price,
        "comp.obligor_shares": o_shares,
        "comp.obligor_consideration": o_value,
        "reward.has_reward": r is not None,
        "reward.base": r.base.value if r is not None else None,
        "reward.ratio": r.pct / 100 if r is not None else None,
        "reward.price_cap_pct": r.price_cap_pct if r is not None else None,
        "reward.excess": excess,
        "reward.amount": amount,
        "reward.amount_known": amount is not None if r is not None else None,
    }
    at = doc.position
    positions = {
        "acquirer.board": at(("acquirer", "board")),
        "deal.price": at(("consideration", "total")),
        "deal.earnings_valuation": at(("valuation_method",)),
        "deal.control_change": at(("control_change",)),
        "deal.reorg_listing": at(("reorg_listing",)),
        "deal.issues_shares": doc.key_position(("counterparties",)),
        "deal.absorption_merger": at(("absorption_merger",)),
        "comp.has_commitment": at(first),
        "comp.period_years": at(shortest + ("years",)),
        "comp.method": at(first + ("method",)),
        "comp.issue_price": at(first + ("issue_price",)) if p0 is not None and p0.issue_price
        else at(("consideration", "issue_price")),
        "comp.obligor_shares": doc.key_position(("counterparties",)),
        "comp.obligor_consideration": doc.key_position(("counterparties",)),
        "reward.has_reward": at(("reward",)),
        "reward.base": at(("reward", "base")),
        "reward.ratio": at(("reward", "pct")),
        "reward.price_cap_pct": at(("reward", "price_cap_pct")),
        "reward.amount_known": at(("reward",)),
        "reward.excess": at(first + ("actual_profit",)),
        # the stated amount; else the ratio it was worked out from (the profits as related lines)
        "reward.amount": at(("reward", "amount")) if r is not None and r.amount is not None
        else at(("reward", "pct")) if amount is not None else at(("reward",)),
    }
    for name in ("comp.declared_count", "comp.declared_shares", "comp.declared_cash", "comp.declared_value"):
        positions[name] = doc.key_position(first + ("declared",))
    related = {}
    if r is not None and r.amount is None and amount is not None:
        related["reward.amount"] = [("实际净利润", at(path + ("actual_profit",))) for path, _ in blocks]
    lines = [(f"{p.asset + ' · ' if p.asset and len(blocks) > 1 else ''}{d.year} 年补偿",
              at(path + ("declared", i))) for path, p in blocks for i, d in enumerate(p.declared)]
    if lines:
        for name in ("comp.declared_shares", "comp.declared_cash", "comp.declared_value"):
            related[name] = lines
    obligor_lines = [(c.name, at(("counterparties", i)))
                     for i, c in enumerate(case.counterparties) if c.obligor]
    related["comp.obligor_shares"] = related["comp.obligor_consideration"] = obligor_lines
    p_values, p_positions, p_reasons = pricing_figures(case, doc)
    deal.update(p_values)
    positions.update(p_positions)
    i_values, i_positions = instalment_figures(case, doc)
    deal.update(i_values)
    positions.update(i_positions)
    label = f"{case.acquirer.short_name or case.acquirer.name} · {'、'.join(t.name for t in case.targets)}"
    facts = [Fact("deal", "d0", deal, positions, related, label, at(("acquirer",)), p_reasons)]

    copied = {k: deal[k] for k in ("deal.earnings_valuation", "deal.control_change", "deal.reorg_listing",
                                   "deal.absorption_merger",
                                   "comp.has_commitment", "comp.method")}
    for i, cp in enumerate(case.counterparties):
        base = ("counterparties", i)
        lock = cp.lockup
        values = {
            "counterparty.name": cp.name,
            "counterparty.relationship": cp.relationship.value if cp.relationship else None,
            "counterparty.controller_related": cp.controller_related,
            "counterparty.gains_control": cp.gains_control,
            "counterparty.asset_held_months": cp.asset_held_months,
            "counterparty.private_fund": cp.private_fund,
            "counterparty.fund_holding_months": cp.fund_holding_months,
            "counterparty.receives_shares": receives_shares(cp),
            "counterparty.shares_received": cp.shares_received,
            "counterparty.obligor": cp.obligor,
            "counterparty.target_controller": cp.target_controller,
            "counterparty.lockup_months": lock.months if lock else None,
            "counterparty.lockup_end": lockup_end(cp),
            "counterparty.price_drop_extension_months": lock.price_drop_extension_months if lock else None,
            **copied,
        }
        cpos = {name: at(base + (name.split(".", 1)[1],))
                for name in values if name.startswith("counterparty.")}
        cpos["counterparty.controller_related"] = at(base + ("relationship",))
        shares_key = "shares_received" if cp.shares_received is not None else "receives_shares"
        cpos["counterparty.receives_shares"] = at(base + (shares_key,))
        cpos["counterparty.lockup_months"] = at(base + ("lockup", "months"))
        cpos["counterparty.lockup_end"] = at(base + ("lockup", "start_date"))
        cpos["counterparty.price_drop_extension_months"] = at(base + ("lockup",
                                                                      "price_drop_extension_months"))
        for name in copied:
            cpos[name] = positions[name]
        facts.append(Fact("counterparty", f"c{i}", values, cpos, {}, f"{label} · {cp.name}", at(base)))
    return facts + compensation.facts(case, doc, label)
