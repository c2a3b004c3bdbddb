"""Declared figures and their computed counterparts; the facts the abort conditions need.

Announcements state totals, percentages and proceeds rounded. Derive passes on what is stated,
the precision it was stated to, and the exact figures to compare it with; the rules
(rules/ipo/consistency.yaml, rules/ipo/abort.yaml) decide, within that precision.
"""

from __future__ import annotations

from decimal import Decimal
from math import gcd

from ..facts import MAX_ABS
from ..model.ipo import IpoCase, Offering, Pricing, StrategicInvestor
from . import strategic
from .strategic import sponsor_paid

WAN_YUAN_CENTS = Decimal(100)   # 万元 with two decimals: the stated gross is a multiple of ¥100
MIN_STEP_EXPONENT = -4          # percentages are carried to four decimals


def stated_step(value: Decimal | None) -> Decimal | None:
    """The last decimal place a percentage was stated to: 3.00 → 0.01, 2.9877 → 0.0001, 20 → 1.

    Trailing zeros count (3.00 is stated to the hundredth). More than four decimals is taken as
    four, the looser reading, so that a precision the facts cannot carry never raises an alarm.
    """
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return None
    return Decimal(1).scaleb(min(0, max(exponent, MIN_STEP_EXPONENT)))


def gross_rounding(stated_unit: Decimal | None) -> Decimal:
    """The unit the stated gross proceeds were rounded to: as given, else ¥100 (万元, 2 decimals)."""
    return WAN_YUAN_CENTS if stated_unit is None else stated_unit


def expected_market_cap(price: Decimal | None, post_issue_shares: int | None) -> Decimal | None:
    """预计发行后总市值 = issue price × post-issue total shares, exact."""
    if price is None or post_issue_shares is None:
        return None
    return price * post_issue_shares


def greenshoe_known(o: Offering) -> bool | None:
    """Is there an over-allotment option? Stated (greenshoe), implied by a figure above 0, denied by
    greenshoe_shares: 0; else None (unknown: its absence is never assumed)."""
    if o.greenshoe is not None:
        return o.greenshoe
    if o.greenshoe_shares or o.greenshoe_exercised_shares:
        return True
    return False if o.greenshoe_shares == 0 else None


def greenshoe_shares(o: Offering) -> int | None:
    """The over-allotment size: as stated; 0 when the case says there is none; else None."""
    if o.greenshoe_shares is not None:
        return o.greenshoe_shares
    return 0 if greenshoe_known(o) is False else None


def exclusion(p: Pricing) -> tuple[int | None, int | None, int | None]:
    """The highest-price exclusion as num/den ± tol/den: from the share counts when both are given
    (exact, tol 0), else from the stated excluded_bid_pct within half its last decimal place."""
    if p.excluded_bid_shares is not None and p.total_bid_shares:
        num, den = lowest_terms(p.excluded_bid_shares, p.total_bid_shares, MAX_ABS)
        return num, den, (None if den is None else 0)
    if p.excluded_bid_pct is None:
        return None, None, None
    # percent to 4 decimals: pct% = 2·10^4·pct / 2·10^6, half a step = 10^4·step / 2·10^6
    step = stated_step(p.excluded_bid_pct)
    assert step is not None   # the percentage is stated
    return int(p.excluded_bid_pct * 20000), 2_000_000, int(step * 10000)


def lowest_terms(part: int | None, whole: int | None, bound: int) -> tuple[int | None, int | None]:
    """part/whole in lowest terms, for exact percentage checks on figures too large to multiply.

    Bid books run past 10^12 shares; reduced (they are multiples of 10万 in practice) they stay
    small. (None, None) when a figure is absent, whole is not positive, or the reduced pair
    still exceeds `bound`.
    """
    if part is None or whole is None or whole <= 0:
        return None, None
    g = gcd(part, whole)
    if whole // g > bound:
        return None, None
    return part // g, whole // g


def _pct(values: dict, name: str, stated: Decimal | None) -> None:
    values[name] = stated
    values[name + "_step"] = stated_step(stated)


def offering_values(case: IpoCase) -> dict:
    o, p, s, a, r = case.offering, case.pricing, case.strategic, case.allocation, case.results
    values = {
        "issuer.listing_standard_market_cap": case.issuer.listing_standard_market_cap,
        "offering.expected_market_cap": expected_market_cap(o.price, o.post_issue_total_shares),
        "offering.gross_proceeds_rounding": gross_rounding(o.gross_proceeds_rounding),
        "offering.has_greenshoe": greenshoe_known(o),
        "offering.has_old_shares": None if o.old_shares is None else o.old_shares > 0,
        "pricing.price_notice_on_time": p.price_notice_on_time,
        "strategic.final_shares": s.final_shares,
        "strategic.sponsor_paid": sponsor_paid(s.investors, strategic.no_placement(case), s.lines_complete),
        "results.offline_subscribed_shares": r.offline_subscribed_shares if r else None,
        "results.offline_abandoned_shares": r.offline_abandoned_shares if r else None,
        "results.online_abandoned_shares": r.online_abandoned_shares if r else None,
        "results.offline_locked_shares": r.offline_locked_shares if r else None,
        "results.offline_allottee_count": r.offline_allottee_count if r else None,
        "outcome.regulator_order": case.outcome.regulator_order,
    }
    values["pricing.excluded_ratio_num"], values["pricing.excluded_ratio_den"] = lowest_terms(
        p.excluded_bid_shares, p.total_bid_shares, MAX_ABS)
    (values["pricing.exclusion_num"], values["pricing.exclusion_den"],
     values["pricing.exclusion_tol"]) = exclusion(p)
    # a consistency rule compares a stated figure only when the case states it
    values.update({
        "strategic.final_shares_stated": s.final_shares is not None,
        "strategic.initial_shares_stated": s.initial_shares is not None,
        "strategic.lines_listed": bool(s.investors),
        "offering.gross_proceeds_stated": o.gross_proceeds is not None,
        "allocation.clawback_stated": a.clawback_shares is not None,
        "offering.stated_net_public_shares": o.net_public_shares,
        "offering.net_public_shares_stated": o.net_public_shares is not None,
        "strategic.total_stated": strategic.stated_total(case) is not None,
        "pricing.excluded_shares_stated": p.excluded_bid_shares is not None and bool(p.total_bid_shares),
    })
    for name, stated in (("offering.issue_pct", o.issue_pct),
                         ("pricing.excluded_bid_pct", p.excluded_bid_pct),
                         ("strategic.initial_pct", s.initial_pct), ("strategic.final_pct", s.final_pct),
                         ("allocation.offline_initial_pct", a.offline_initial_pct),
                         ("allocation.online_initial_pct", a.online_initial_pct)):
        values[name + "_stated"] = stated is not None
    _pct(values, "offering.issue_pct", o.issue_pct)
    _pct(values, "pricing.excluded_bid_pct", p.excluded_bid_pct)
    _pct(values, "strategic.initial_pct", s.initial_pct)
    _pct(values, "strategic.final_pct", s.final_pct)
    _pct(values, "allocation.offline_initial_pct", a.offline_initial_pct)
    _pct(values, "allocation.online_initial_pct", a.online_initial_pct)
    return values


def absent_reasons(case: IpoCase, values: dict) -> dict[str, dict[str, str]]:
    """Why a value the case does state figures for is still absent."""
    p = case.pricing
    stated = p.total_bid_shares and p.excluded_bid_shares is not None
    reasons = greenshoe_reasons(case.offering)
    if case.offering.old_shares is None:
        reasons["offering.has_old_shares"] = {
            "zh": "案例未给出老股转让股数（offering.old_shares；0 表示全部为新股）",
            "en": "the case does not state offering.old_shares (0 when every share offered is new)"}
    if values["pricing.excluded_ratio_den"] is None and stated:
        reason = {"zh": "拟申购总量约分后仍超过10^12股，无法精确比较",
                  "en": "the bid totals, reduced to lowest terms, still exceed 10^12 shares and cannot be "
                        "compared exactly"}
        reasons.update({name: reason for name in (
            "pricing.excluded_ratio_num", "pricing.excluded_ratio_den", "pricing.exclusion_num",
            "pricing.exclusion_den", "pricing.exclusion_tol")})
    return reasons


def greenshoe_reasons(o: Offering) -> dict[str, dict[str, str]]:
    if greenshoe_shares(o) is not None:
        return {}
    if greenshoe_known(o):
        reason = {"zh": "设有超额配售选择权，但未给出其股数（offering.greenshoe_shares）",
                  "en": "the offering has an over-allotment option whose size is not stated "
                        "(offering.greenshoe_shares)"}
        return {"offering.greenshoe_shares": reason}
    reason = {"zh": "案例未说明是否设有超额配售选择权（offering.greenshoe: true/false，或 greenshoe_shares）",
              "en": "the case does not say whether there is an over-allotment option "
                    "(offering.greenshoe: true/false, or greenshoe_shares)"}
    return {"offering.greenshoe_shares": reason, "offering.has_greenshoe": reason}


def offering_paths(case: IpoCase) -> dict[str, tuple]:
    """Where each value above is written in the case (a derived one: the figure it comes from)."""
    paths = {name: tuple(name.split(".")) for name in offering_values(case)}
    for name in list(paths):
        if name.endswith("_step"):
            paths[name] = paths[name[: -len("_step")]]
    for name in list(paths):
        if name.endswith("_stated"):
            paths[name] = {"strategic.lines_listed": ("strategic", "investors"),
                           "strategic.total_stated": strategic.path(case),
                           "pricing.excluded_shares_stated": ("pricing", "excluded_bid_shares"),
                           "allocation.clawback_stated": ("allocation", "clawback_shares")}.get(
                               name, paths[name][:-1] + (paths[name][-1][: -len("_stated")],))
    exclusion_from = ("pricing", "excluded_bid_shares") if case.pricing.excluded_bid_shares is not None \
        and case.pricing.total_bid_shares else ("pricing", "excluded_bid_pct")
    paths.update({
        "offering.stated_net_public_shares": ("offering", "net_public_shares"),
        "pricing.exclusion_num": exclusion_from,
        "pricing.exclusion_den": exclusion_from,
        "pricing.exclusion_tol": exclusion_from,
        "offering.expected_market_cap": ("offering", "price"),
        "offering.has_greenshoe": ("offering", "greenshoe") if case.offering.greenshoe is not None
        else ("offering", "greenshoe_shares"),
        "offering.has_old_shares": ("offering",),
        "strategic.sponsor_paid": strategic.path(case),
        "pricing.excluded_ratio_num": ("pricing", "excluded_bid_shares"),
        "pricing.excluded_ratio_den": ("pricing", "total_bid_shares"),
    })
    return paths


def investor_values(line: StrategicInvestor) -> dict:
    values: dict = {}
    _pct(values, "investor.pct_of_issue", line.pct_of_issue)
    values["investor.pct_of_issue_stated"] = line.pct_of_issue is not None
    return values


INVESTOR_PATHS = {"investor.pct_of_issue": ("pct_of_issue",), "investor.pct_of_issue_step": ("pct_of_issue",),
                  "investor.pct_of_issue_stated": ("pct_of_issue",)}
