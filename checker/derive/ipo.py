"""Facts of an IPO case: one `offering` fact and one `strategic_investor` fact per line."""

from __future__ import annotations

from ..facts import Fact
from ..loading import Document
from ..model.ipo import Disclosure, InvestorType, IpoCase
from . import consistency, holders, listing, online, strategic, timetable
from .dates import last_day, whole_months
from .offline_defaults import default_facts, prior_reasons, restriction_positions, restriction_values


def _sum(values):
    return sum(values) if values else 0


BENCHMARKS = ("median_all", "wavg_all", "median_ltf", "wavg_ltf")


def benchmarks(case: IpoCase) -> list:
    """The four benchmark prices as stated (None where not given)."""
    b = case.pricing.benchmarks
    return [None if b is None else getattr(b, name) for name in BENCHMARKS]


def ceiling(case: IpoCase):
    """The published ceiling, else the lowest of the four benchmark values when all four are given."""
    p = case.pricing
    if p.ceiling is not None:
        return p.ceiling, ("pricing", "ceiling")
    if p.benchmarks is None:
        return None, ("pricing",)
    four = benchmarks(case)
    if any(v is None for v in four):
        return None, ("pricing", "benchmarks")
    return min(four), ("pricing", "benchmarks")


def ceiling_values(case: IpoCase) -> dict:
    """What the rules need to judge a price against the ceiling with partial knowledge.

    The rules compare with `pricing.ceiling` when one is published (it is authoritative), else
    with min() of the four benchmarks, so that a price above any one benchmark given is above the
    ceiling whatever the others are. `pricing.ceiling_at_most` is what the messages show: the
    published ceiling, else the lowest benchmark given (the ceiling cannot be higher).
    """
    four = benchmarks(case)
    given = [v for v in four if v is not None]
    low = min(given) if given else None
    published = case.pricing.ceiling
    return {
        "pricing.ceiling_published": published is not None,
        **{f"pricing.benchmarks.{name}": v for name, v in zip(BENCHMARKS, four, strict=True)},
        "pricing.benchmark_count": len(given),
        "pricing.benchmarks_low": low,
        "pricing.ceiling_at_most": published if published is not None else low,
    }


def ceiling_paths(case: IpoCase) -> dict:
    given = [(v, name) for name, v in zip(BENCHMARKS, benchmarks(case), strict=True) if v is not None]
    low = ("pricing", "benchmarks", min(given)[1]) if given else ("pricing",)
    stated = ("pricing", "ceiling") if case.pricing.ceiling is not None else ("pricing",)
    return {
        "pricing.ceiling_published": stated,
        "pricing.benchmark_count": ("pricing", "benchmarks") if given else ("pricing",),
        "pricing.benchmarks_low": low,
        "pricing.ceiling_at_most": stated if case.pricing.ceiling is not None else low,
    }


def investor_count(case: IpoCase):
    """Strategic investors: one per line, an aggregate line counting as its investor_count.

    None (absent) when an aggregate line does not say how many investors it holds: the count
    is then unknown and never guessed.
    """
    total = 0
    for line in case.strategic.investors:
        if line.aggregate:
            if line.investor_count is None:
                return None
            total += line.investor_count
        else:
            total += 1
    return total


def employee_plan_shares(lines, by_type):
    """The employee plans' shares; None (absent) when an aggregate line hides one of them, or a
    line's kind is unknown (it may hold one)."""
    if any(line.includes_employee_plan or line.type == InvestorType.unknown for line in lines):
        return None
    return _sum([x.shares for x in by_type[InvestorType.employee_plan]])


def disclosure_path(doc: Document, notice: Disclosure) -> tuple:
    """Where a notice is written: its key (mapping form), its list item, else the disclosures key."""
    written = doc.data.get("disclosures")
    if isinstance(written, list):
        return ("disclosures", written.index(notice.value)) if notice.value in written else ("disclosures",)
    return ("disclosures", notice.value)


def lockup_months(line, listing_date):
    """Months given, else whole months from the listing date to lockup_until; None if unknown.

    When both are given, the months are used here and ipo.consistency.lockup_dates checks that
    lockup_until is the last day they give (lockup_values), so a disagreement is a violation."""
    if line.lockup_months is not None:
        return line.lockup_months
    if line.lockup_until is not None and listing_date is not None:
        return whole_months(listing_date, line.lockup_until)
    return None


def lockup_values(line, listing_date) -> dict:
    """The two lock-up figures of a line, for their consistency rule: lockup_until as stated and
    the last day lockup_months gives from the listing date (the day before the same date N months
    later: listing 2026-04-15, 12 months → 2027-04-14)."""
    both = line.lockup_months is not None and line.lockup_until is not None
    end = None
    if line.lockup_months is not None and listing_date is not None:
        end = last_day(listing_date, line.lockup_months)
    return {"investor.lockup_both_stated": both, "investor.lockup_until": line.lockup_until,
            "investor.lockup_months_end": end}


LOCKUP_END_ABSENT = {"investor.lockup_months_end": {
    "zh": "未给出上市日（timetable.listing_date），无法由限售月数推出限售期最后一日",
    "en": "no listing date (timetable.listing_date), so the last day of the lock-up months is unknown"}}


def derive(case: IpoCase, doc: Document) -> list[Fact]:
    lines = case.strategic.investors
    strategic_total = strategic.total(case)
    issue = case.offering.issue_shares
    alloc = case.allocation
    lock = alloc.offline_lockup
    res = case.results
    ceil_value, ceil_path = ceiling(case)
    by_type = {t: [x for x in lines if x.type == t] for t in InvestorType}

    values = {
        "issuer.board": case.issuer.board.value,
        "issuer.profitable": case.issuer.profitable,
        "issuer.weighted_voting_rights": case.issuer.weighted_voting_rights,
        "issuer.red_chip": case.issuer.red_chip,
        "offering.issue_shares": issue,
        "offering.post_issue_total_shares": case.offering.post_issue_total_shares,
        "offering.price": case.offering.price,
        "offering.gross_proceeds": case.offering.gross_proceeds,
        "offering.old_shares": case.offering.old_shares,
        "offering.greenshoe_shares": consistency.greenshoe_shares(case.offering),
        "offering.net_public_shares": strategic.net_public(case),
        "pricing.ceiling": ceil_value,
        **ceiling_values(case),
        "pricing.valid_bidder_count": case.pricing.valid_bidder_count,
        "pricing.cutoff_at_issue_price": case.pricing.cutoff_at_issue_price,
        "pricing.method": case.pricing.method.value,
        "pricing.issue_pe": case.pricing.issue_pe,
        "pricing.industry_pe": case.pricing.industry_pe,
        "pricing.total_bid_shares": case.pricing.total_bid_shares,
        "pricing.excluded_bid_shares": case.pricing.excluded_bid_shares,
        "pricing.max_bid_shares": case.pricing.max_bid_shares,
        "strategic.initial_shares": case.strategic.initial_shares,
        "strategic.total_shares": strategic_total,
        "strategic.lines_total": strategic.lines_total(case),
        "strategic.investor_count": strategic.over_lines(case, investor_count(case)),
        "strategic.sponsor_shares": strategic.over_lines(
            case, None if by_type[InvestorType.unknown]   # a line of unknown kind may be the sponsor's
            else _sum([x.shares for x in by_type[InvestorType.sponsor_subsidiary]]),
            listed=bool(by_type[InvestorType.sponsor_subsidiary])),
        "strategic.sponsor_lines": strategic.over_lines(
            case, None if by_type[InvestorType.unknown] else len(by_type[InvestorType.sponsor_subsidiary]),
            listed=bool(by_type[InvestorType.sponsor_subsidiary])),
        "strategic.employee_plan_shares": strategic.over_lines(case, employee_plan_shares(lines, by_type)),
        "allocation.offline_initial_shares": alloc.offline_initial_shares,
        "allocation.online_initial_shares": alloc.online_initial_shares,
        "allocation.online_effective_multiple": alloc.online_effective_multiple,
        "allocation.clawback_shares": alloc.clawback_shares,
        "allocation.offline_final_shares": alloc.offline_final_shares,
        "allocation.online_final_shares": alloc.online_final_shares,
        "allocation.online_cap_shares": alloc.online_cap_shares,
        "allocation.offline_lockup_ratio": lock.pct / 100 if lock else None,
        "allocation.offline_lockup_months": lock.months if lock else None,
        "results.offline_paid_shares": res.offline_paid_shares if res else None,
        "results.online_paid_shares": res.online_paid_shares if res else None,
        "results.underwriter_takeup_shares": res.underwriter_takeup_shares if res else None,
        "outcome.status": case.outcome.status.value,
        "disclosures.investment_risk_notice": case.disclosed(Disclosure.investment_risk_notice),
    }
    absent_reasons = {}
    if lines and values["strategic.employee_plan_shares"] is None:
        absent_reasons["strategic.employee_plan_shares"] = {
            "zh": "某合计行含员工专项资管计划或投资者类别未知，其获配股数未单列（includes_employee_plan / "
                  "type: unknown）",
            "en": "an aggregate line includes an employee plan, or a line's kind is unknown, and its shares "
                  "are not given (includes_employee_plan / type: unknown)"}
    if lines and not case.strategic.lines_complete:
        for name in strategic.OVER_LINES:
            if values.get(name) is None:
                absent_reasons[name] = {
                    "zh": "所列战略投资者不完整（strategic.lines_complete: false），未列者的获配股数未给出",
                    "en": "the strategic lines are only some of the investors (strategic.lines_complete: "
                          "false); the others' allotments are not given"}
    if by_type[InvestorType.unknown]:
        for name in ("strategic.sponsor_shares", "strategic.sponsor_lines", "strategic.sponsor_paid"):
            absent_reasons[name] = {
                "zh": "某战略配售行的投资者类别未知（type: unknown），可能含保荐人相关子公司跟投",
                "en": "a strategic line's kind is unknown (type: unknown): it may hold the sponsor's "
                      "co-investment"}
    for more, reasons in (online.values(case), timetable.values(case), listing.values(case)):
        values.update(more)
        absent_reasons.update(reasons)
    values.update(consistency.offering_values(case))
    absent_reasons.update(consistency.absent_reasons(case, values))
    absent_reasons.update(strategic.absent_reasons(case, values))
    lines_path = ("strategic", "investors")
    paths = {name: tuple(name.split(".")) for name in values}
    paths.update({
        "offering.net_public_shares": ("offering", "issue_shares"),
        "pricing.ceiling": ceil_path,
        **ceiling_paths(case),
        "allocation.offline_lockup_ratio": ("allocation", "offline_lockup", "pct"),
        "allocation.offline_lockup_months": ("allocation", "offline_lockup", "months"),
        "disclosures.investment_risk_notice": disclosure_path(doc, Disclosure.investment_risk_notice),
        "allocation.online_cap_lots_remainder": ("allocation", "online_cap_shares"),
        "timetable.payment_due_date": ("timetable", "t_day"),
        "timetable.payment_cutoff_minutes": ("timetable", "payment_cutoff"),
    })
    paths.update(consistency.offering_paths(case))
    paths.update(listing.PATHS)
    for name in strategic.OVER_LINES + ("strategic.lines_total",):
        paths[name] = strategic.path(case)
    paths["strategic.sponsor_paid"] = strategic.sponsor_paid_path(case)   # the unpaid sponsor line, if any
    paths["offering.net_public_shares"] = ("offering", "issue_shares") \
        if strategic.stated_total(case) is not None or case.offering.net_public_shares is None \
        else ("offering", "net_public_shares")
    uncounted = next((i for i, x in enumerate(lines) if x.aggregate and x.investor_count is None), None)
    if uncounted is not None:   # the count is unknown: point at the line that does not give it
        paths["strategic.investor_count"] = lines_path + (uncounted, "investor_count")
    positions = doc.positions_of(paths)
    for name in strategic.OVER_LINES + ("strategic.lines_total",):
        if len(paths[name]) <= 2:
            positions[name] = doc.key_position(paths[name])  # the block's own line, not its first item

    def line_refs(kind=None):
        return [(x.name, doc.position(lines_path + (i, "shares"))) for i, x in enumerate(lines)
                if kind is None or x.type == kind]

    related = {
        "strategic.total_shares": line_refs(),
        "offering.net_public_shares": line_refs(),
        "strategic.sponsor_shares": line_refs(InvestorType.sponsor_subsidiary),
        "strategic.employee_plan_shares": line_refs(InvestorType.employee_plan),
        "strategic.investor_count": [   # an aggregate line counts its investor_count, others one each
            (x.name, doc.position(lines_path + ((i, "investor_count") if x.aggregate else (i,))))
            for i, x in enumerate(lines)],
    }
    for name in ("strategic.total_shares", "strategic.sponsor_shares", "strategic.employee_plan_shares",
                 "strategic.investor_count"):
        if related[name] and not (name == "strategic.investor_count" and uncounted is not None):
            # a total points at its first line; the others are listed as related
            positions[name] = related[name][0][1]
    label = case.issuer.short_name or case.issuer.name
    facts = [Fact("offering", "f0", values, positions, related, label, doc.position(("offering",)),
                  absent_reasons)]

    listed_on = case.timetable.listing_date
    for i, line in enumerate(lines):
        base = lines_path + (i,)
        lock_path = base + (("lockup_months",) if line.lockup_months is not None else ("lockup_until",))
        ivalues = {
            "investor.name": line.name,
            "investor.type": line.type.value,
            "investor.shares": line.shares,
            "investor.aggregate": line.aggregate,
            "investor.lockup_months": lockup_months(line, listed_on),
            "offering.issue_shares": issue,
            **lockup_values(line, listed_on),
            **consistency.investor_values(line),
        }
        ipositions = doc.positions_of({
            "investor.name": base + ("name",),
            "investor.type": base + ("type",),
            "investor.shares": base + ("shares",),
            "investor.aggregate": base,
            "investor.lockup_months": lock_path,
            "investor.lockup_both_stated": base,
            "investor.lockup_until": base + ("lockup_until",),
            "investor.lockup_months_end": base + ("lockup_months",),
            "offering.issue_shares": ("offering", "issue_shares"),
            **{name: base + p for name, p in consistency.INVESTOR_PATHS.items()},
        })
        reasons = LOCKUP_END_ABSENT if line.lockup_months is not None and listed_on is None else {}
        facts.append(Fact("strategic_investor", f"f{i + 1}", ivalues, ipositions, {}, line.name,
                          doc.position(base), reasons))
    facts.extend(holders.derive(case, doc))
    facts.extend(placing_object_facts(case, doc))
    facts.extend(default_facts(case, doc))
    return facts


def placing_object_facts(case: IpoCase, doc: Document) -> list[Fact]:
    facts = []
    for i, obj in enumerate(case.placing_objects):
        base = ("placing_objects", i)
        values = {
            "object.name": obj.name,
            "object.bid": obj.bid,
            "object.valid_quote": obj.valid_quote,
            "object.online_subscribed": obj.online_subscribed,
            "object.offline_subscribed": obj.offline_subscribed,
        }
        positions = doc.positions_of({name: base + (name.split(".")[1],) for name in values})
        values.update(restriction_values(obj, case))
        positions.update(restriction_positions(obj, base, doc))
        facts.append(Fact("placing_object", f"p{i}", values, positions, {}, obj.name, doc.position(base),
                          prior_reasons(obj, ("object.restricted", "object.restricted_until"))))
    return facts
