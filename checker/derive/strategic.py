"""Strategic placement figures: from the lines when the case lists them, else from what it states.

A case that lists no strategic lines does not prove there is no strategic placement: the total is
then the stated `strategic.final_shares`, and `final_shares: 0` is how a case says there is none.
Without either, the total and everything counted over the lines are absent (unknown).
"""

from __future__ import annotations

from ..model.ipo import InvestorType, IpoCase, StrategicInvestor

UNKNOWN_PLACEMENT = {
    "zh": "案例未列战略投资者，也未给出最终战略配售数量（strategic.final_shares；0 表示无战略配售）",
    "en": "the case lists no strategic investors and states no strategic.final_shares "
          "(0 says there is no strategic placement)"}

# the facts counted over the lines; with no lines they are known only when there is no placement
OVER_LINES = ("strategic.total_shares", "strategic.investor_count", "strategic.sponsor_shares",
              "strategic.sponsor_lines", "strategic.employee_plan_shares", "strategic.sponsor_paid")


def no_placement(case: IpoCase) -> bool:
    """The case says there is no strategic placement: no lines and a stated final total of 0."""
    return not case.strategic.investors and case.strategic.final_shares == 0


def lines_total(case: IpoCase) -> int | None:
    """The sum of the strategic lines; None when the case lists none, or only some
    (`lines_complete: false`)."""
    lines = case.strategic.investors
    return sum(x.shares for x in lines) if lines and case.strategic.lines_complete else None


def stated_total(case: IpoCase) -> int | None:
    """The total from what the case writes about the placement: the lines' sum, else final_shares."""
    summed = lines_total(case)
    return summed if summed is not None else case.strategic.final_shares


def total(case: IpoCase) -> int | None:
    """最终战略配售数量: the lines' sum, else the stated final_shares, else issue − the stated net
    public issue, else None (unknown)."""
    known = stated_total(case)
    net = case.offering.net_public_shares
    if known is None and net is not None and net <= case.offering.issue_shares:
        return case.offering.issue_shares - net
    return known


def net_public(case: IpoCase) -> int | None:
    """扣除最终战略配售后的发行数量: issue − the strategic total, else the stated figure."""
    known = stated_total(case)
    return case.offering.issue_shares - known if known is not None else case.offering.net_public_shares


def over_lines(case: IpoCase, value, listed: bool = False):
    """A figure counted over the lines: itself when there are lines (when they are only some of
    them, only if `listed`: what it counts is among the lines given), 0/False-like `value` when the
    case says there is no placement (the caller passes what 'none' gives), else None."""
    if case.strategic.investors:
        return value if case.strategic.lines_complete or listed else None
    return value if no_placement(case) else None


def sponsor_paid(lines: list[StrategicInvestor], no_placement: bool = False,
                 complete: bool = True) -> bool | None:
    """Did the sponsor's subsidiary co-invest and pay? Lines listed and none a sponsor line, or no
    placement stated: False. No lines and no stated total: None (unknown). A line unpaid: False."""
    if not lines:
        return False if no_placement else None
    sponsor = [x for x in lines if x.type == InvestorType.sponsor_subsidiary]
    if not sponsor and (not complete or any(x.type == InvestorType.unknown for x in lines)):
        return None   # a line of unknown kind, or one not given, may be the sponsor's
    if not sponsor or any(x.paid is False for x in sponsor):
        return False
    if any(x.paid is None for x in sponsor):
        return None
    return True


def sponsor_paid_path(case: IpoCase) -> tuple:
    """Where the co-investment is decided: the `paid` of the first sponsor line not known to have
    paid (false, or not stated), else the strategic figures."""
    for i, line in enumerate(case.strategic.investors):
        if line.type == InvestorType.sponsor_subsidiary and line.paid is not True:
            return ("strategic", "investors", i, "paid")
    return path(case)


def absent_reasons(case: IpoCase, values: dict) -> dict:
    if case.strategic.investors or no_placement(case):
        return {}
    return {name: UNKNOWN_PLACEMENT for name in OVER_LINES + ("offering.net_public_shares",)
            if values.get(name) is None}


def path(case: IpoCase) -> tuple:
    """Where the strategic figures are written: the lines, else the stated total, else the block."""
    if case.strategic.investors:
        return ("strategic", "investors")
    if case.strategic.final_shares is not None:
        return ("strategic", "final_shares")
    return ("strategic",)
