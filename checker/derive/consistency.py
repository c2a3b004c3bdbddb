"""Declared figures and their computed counterparts; the facts the abort conditions need.

Announcements state totals, percentages and proceeds rounded. Derive passes on what is stated,
the precision it was stated to, and the exact figures to compare it with; the rules
(rules/ipo/consistency.yaml, rules/ipo/abort.yaml) decide, within that precision.
"""

from __future__ import annotations

from decimal import Decimal
from math import gcd

from ..facts import MAX_ABS
from ..model.ipo import InvestorType, IpoCase, StrategicInvestor

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


def sponsor_paid(lines: list[StrategicInvestor]) -> bool | None:
    """Did the sponsor's subsidiary co-invest and pay? No sponsor line: False. Unknown: None."""
    sponsor = [x for x in lines if x.type == InvestorType.sponsor_subsidiary]
    if not sponsor or any(x.paid is False for x in sponsor):
        return False
    if any(x.paid is None for x in sponsor):
        return None
    return True


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
        "offering.has_greenshoe": bool(o.greenshoe_shares),
        "offering.has_old_shares": bool(o.old_shares),
        "pricing.price_notice_on_time": p.price_notice_on_time,
        "strategic.final_shares": s.final_shares,
        "strategic.sponsor_paid": sponsor_paid(s.investors),
        "results.offline_subscribed_shares": r.offline_subscribed_shares if r else None,
        "results.offline_abandoned_shares": r.offline_abandoned_shares if r else None,
        "results.online_abandoned_shares": r.online_abandoned_shares if r else None,
        "results.offline_locked_shares": r.offline_locked_shares if r else None,
        "results.offline_allottee_count": r.offline_allottee_count if r else None,
        "outcome.regulator_order": case.outcome.regulator_order,
    }
    values["pricing.excluded_ratio_num"], values["pricing.excluded_ratio_den"] = lowest_terms(
        p.excluded_bid_shares, p.total_bid_shares, MAX_ABS)
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
    if values["pricing.excluded_ratio_den"] is None and stated:
        reason = {"zh": "拟申购总量约分后仍超过10^12股，无法精确比较",
                  "en": "the bid totals, reduced to lowest terms, still exceed 10^12 shares and cannot be "
                        "compared exactly"}
        return {"pricing.excluded_ratio_num": reason, "pricing.excluded_ratio_den": reason}
    return {}


def offering_paths(case: IpoCase) -> dict[str, tuple]:
    """Where each value above is written in the case (a derived one: the figure it comes from)."""
    paths = {name: tuple(name.split(".")) for name in offering_values(case)}
    for name in list(paths):
        if name.endswith("_step"):
            paths[name] = paths[name[: -len("_step")]]
    paths.update({
        "offering.expected_market_cap": ("offering", "price"),
        "offering.has_greenshoe": ("offering",),
        "offering.has_old_shares": ("offering",),
        "strategic.sponsor_paid": ("strategic", "investors"),
        "pricing.excluded_ratio_num": ("pricing", "excluded_bid_shares"),
        "pricing.excluded_ratio_den": ("pricing", "total_bid_shares"),
    })
    return paths


def investor_values(line: StrategicInvestor) -> dict:
    values: dict = {}
    _pct(values, "investor.pct_of_issue", line.pct_of_issue)
    return values


INVESTOR_PATHS = {"investor.pct_of_issue": ("pct_of_issue",), "investor.pct_of_issue_step": ("pct_of_issue",)}
