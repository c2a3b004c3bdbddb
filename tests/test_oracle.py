"""Differential test: the engine's findings equal the pure-Python reference evaluator's.

The evaluator works from the expression tree with exact fractions and Kleene logic; the engine
runs the compiled durable_rules JSON. Cases are drawn to sit exactly on each limit, one share
either side of it, with absent fields and zero divisors.
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from math import floor

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import evaluate as ev
from checker.casetypes import FACT_KINDS
from checker.check import encode_fact
from checker.facts import Fact
from checker.rulepack import load_catalogue

from .conftest import RULES

CATALOGUE = load_catalogue(RULES)
RULES_IPO = CATALOGUE.for_case("ipo")
SPECS = FACT_KINDS["ipo"]
BOARDS = ("sse_main", "star", "szse_main", "chinext")
# every version boundary, the day before it, and a recent day: windows are decided exactly
VERSION_DAYS = sorted({d + dt.timedelta(days=k)
                       for r in RULES_IPO
                       for d in (*[r.spec.applies.start(b) for b in BOARDS], r.spec.applies.until) if d
                       for k in (-1, 0)} | {dt.date(2026, 4, 3)})
BOARDS = ["sse_main", "star", "szse_main", "chinext"]
PCTS = [Fraction(p, 100) for p in (2, 3, 4, 5, 10, 20, 30, 40, 50, 60, 70, 80)]


def near(base: int, ratio: Fraction, delta: int) -> int:
    return max(0, floor(ratio * base) + delta)


@st.composite
def ipo_facts(draw):
    delta = st.sampled_from([-1, 0, 1, 2])
    maybe = lambda strat: st.one_of(st.none(), strat) if draw(st.booleans()) else strat
    issue = draw(st.sampled_from([43_621_636, 99_999_999, 100_000_000, 100_000_001, 399_999_999,
                                  400_000_000, 1_000, 0]) | st.integers(0, 10**9))
    total = near(issue, draw(st.sampled_from(PCTS)), draw(delta))
    net = issue - total
    band = draw(st.sampled_from([10**9, 2 * 10**9, 5 * 10**9, 10**10]))
    cents = max(1, round(Fraction(band * 100, max(issue, 1))) + draw(st.integers(-1, 1)))
    price = Decimal(cents) / 100 if cents <= 10**7 else Decimal("46.08")
    ratio, cap = draw(st.sampled_from([(Fraction(5, 100), 4 * 10**7), (Fraction(4, 100), 6 * 10**7),
                                       (Fraction(3, 100), 10**8), (Fraction(2, 100), 10**9)]))
    sponsor = max(0, min(floor(ratio * issue), floor(cap / Fraction(price))) + draw(st.integers(-1, 1)))
    offline_paid = draw(st.integers(0, max(net, 0)))
    multiple = Decimal(draw(st.sampled_from([50, 100, 150, 3518]))) + Decimal(draw(st.sampled_from([0, 1]))) / 10000
    claw_ratio = draw(st.sampled_from([Fraction(5, 100), Fraction(1, 10), Fraction(1, 5), Fraction(2, 5)]))
    values = {
        "issuer.board": draw(st.sampled_from(BOARDS)),
        "issuer.profitable": draw(maybe(st.booleans())),
        "issuer.weighted_voting_rights": draw(maybe(st.booleans())),
        "issuer.red_chip": draw(maybe(st.booleans())),
        "offering.issue_shares": issue,
        "offering.post_issue_total_shares": draw(maybe(st.sampled_from([399_999_999, 400_000_000, 400_000_001]))),
        "offering.price": draw(maybe(st.just(price))),
        "offering.gross_proceeds": None,
        "offering.net_public_shares": net,
        "pricing.ceiling": draw(maybe(st.sampled_from(  # within the field's bound of ¥100,000
            [c for c in (price, price + Decimal("0.0001"), price - Decimal("0.0001")) if c <= 10**5]))),
        "pricing.valid_bidder_count": draw(maybe(st.integers(0, 40))),
        "pricing.total_bid_shares": None,
        "pricing.excluded_bid_shares": None,
        "strategic.initial_shares": total,
        "strategic.total_shares": total,
        "strategic.investor_count": draw(maybe(st.sampled_from([9, 10, 11, 34, 35, 36]))),
        "strategic.sponsor_shares": sponsor if draw(st.booleans()) else 0,
        "strategic.sponsor_lines": 1,
        "strategic.employee_plan_shares": near(issue, Fraction(1, 10), draw(delta)),
        "allocation.offline_initial_shares": draw(maybe(st.just(near(net, draw(st.sampled_from(PCTS)), draw(delta))))),
        "allocation.online_initial_shares": None,
        "allocation.online_effective_multiple": draw(maybe(st.just(multiple))),
        "allocation.clawback_shares": draw(maybe(st.just(near(net, claw_ratio, draw(st.sampled_from([-501, -500, -499, 0, 499, 500, 501])))))),
        "allocation.offline_lockup_ratio": draw(maybe(st.sampled_from([Decimal("0.1"), Decimal("0.099999"), Decimal("0.7"), Decimal("0.699999")]))),
        "allocation.offline_lockup_months": draw(maybe(st.sampled_from([5, 6, 7]))),
        "results.offline_paid_shares": draw(maybe(st.just(offline_paid))),
        "results.online_paid_shares": draw(maybe(st.just(max(0, near(net, Fraction(7, 10), draw(delta)) - offline_paid)))),
        "results.underwriter_takeup_shares": None,
        "outcome.status": draw(st.sampled_from(["planned", "completed", "aborted", "suspended"])),
        "disclosures.investment_risk_notice": draw(st.booleans()),
    }
    # the four benchmarks partly known, around the price: one given may settle the ceiling
    near_price = [c for c in (price, price + Decimal("0.0001"), price - Decimal("0.0001"), price * 2)
                  if Decimal("0.0001") <= c <= 10**5]
    four = [draw(st.one_of(st.none(), st.sampled_from(near_price))) for _ in range(4)]
    given = [b for b in four if b is not None]
    values.update({
        "pricing.ceiling_published": values["pricing.ceiling"] is not None,
        **dict(zip(("pricing.benchmarks.median_all", "pricing.benchmarks.wavg_all",
                    "pricing.benchmarks.median_ltf", "pricing.benchmarks.wavg_ltf"), four, strict=True)),
        "pricing.benchmark_count": len(given),
        "pricing.benchmarks_low": min(given) if given else None,
    })
    facts = [Fact("offering", "f0", values)]
    for i in range(draw(st.integers(0, 4))):
        facts.append(Fact("strategic_investor", f"f{i + 1}", {
            "investor.name": f"投资者{i}",
            "investor.type": draw(st.sampled_from(["sponsor_subsidiary", "employee_plan", "other"])),
            "investor.shares": draw(st.integers(0, 10**8)),
            "investor.aggregate": draw(st.booleans()),
            "investor.lockup_months": draw(maybe(st.sampled_from([11, 12, 13, 23, 24, 25]))),
            "offering.issue_shares": issue,
        }))
    as_of = draw(st.sampled_from(VERSION_DAYS))
    return facts, as_of


def expected(facts, as_of):
    board = facts[0].values["issuer.board"]
    fire, unknown = set(), set()
    for rule in RULES_IPO:
        a = rule.spec.applies
        if not a.in_force(as_of, board):
            continue
        for fact in facts:
            if fact.kind != rule.kind:
                continue
            truth = ev.finding_truth(rule.when, rule.require, ev.Env(fact.values))
            if truth is None:
                unknown.add((rule.key, fact.id))
            elif truth:
                fire.add((rule.key, fact.id))
    return fire, unknown


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ipo_facts())
def test_engine_equals_reference_evaluator(checker, data):
    facts, as_of = data
    board = facts[0].values["issuer.board"]
    encoded = [encode_fact(f, SPECS[f.kind], as_of, board) for f in facts]
    hits = checker.engine("ipo").evaluate(encoded)
    fire, unknown = expected(facts, as_of)
    assert hits - unknown == fire


def test_oracle_sees_the_exact_boundary():
    rule = CATALOGUE.by_id("ipo.strategic.cap_ratio.lt100m")
    base = {"offering.issue_shares": 43_621_636}
    at = ev.Env({**base, "strategic.total_shares": 8_724_327})
    over = ev.Env({**base, "strategic.total_shares": 8_724_328})
    assert ev.finding_truth(rule.when, rule.require, at) is False
    assert ev.finding_truth(rule.when, rule.require, over) is True
    assert ev.finding_truth(rule.when, rule.require, ev.Env(base)) is None
