"""Declared figures and abort conditions: the derived values, on the real 大普微 figures."""

import datetime as dt
import os
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import evaluate as ev
from checker.casetypes import FACT_KINDS
from checker.check import encode_fact
from checker.derive.consistency import expected_market_cap, gross_rounding, sponsor_paid, stated_step
from checker.facts import Fact
from checker.loading import load_file
from checker.model.ipo import StrategicInvestor
from checker.rulepack import load_catalogue
from checker.validate import validate

from .conftest import DAPUWEI, ROOT, RULES, edited, line_of
from .test_derive import facts_of

PACKS = ("ipo.consistency.", "ipo.abort.", "ipo.clawback.direction")


def statuses(result, status):
    return sorted(f.rule_id for f in result.findings if f.status == status)


@pytest.mark.parametrize("stated,step", [
    ("3.00", "0.01"),      # 证裕投资 "3.00%"
    ("11.03", "0.01"),     # 其他战略投资者 "11.03%"
    ("2.9877", "0.0001"),  # 高价剔除 "2.9877%"
    ("20", "1"),           # 战略配售 "20%"
    ("80.00", "0.01"),     # 网下 "80.00%"
    ("3.000000", "0.0001"),  # more decimals than the facts carry: the looser four-decimal reading
])
def test_stated_step_is_the_last_written_decimal(stated, step):
    assert stated_step(Decimal(stated)) == Decimal(step)


def test_stated_step_of_an_integer_and_of_nothing():
    assert stated_step(Decimal(20)) == 1
    assert stated_step(None) is None


def test_the_loader_keeps_the_written_precision_of_a_percentage():
    case = validate(load_file(DAPUWEI))
    assert [str(x.pct_of_issue) for x in case.strategic.investors] == ["3.00", "5.97", "11.03"]
    assert str(case.allocation.offline_initial_pct) == "80.00"


def test_gross_rounding_defaults_to_wan_yuan_with_two_decimals():
    assert gross_rounding(None) == 100
    assert gross_rounding(Decimal("0.01")) == Decimal("0.01")


def test_expected_market_cap_is_exact():
    assert expected_market_cap(Decimal("46.08"), 436_216_360) == Decimal("20100849868.80")
    assert expected_market_cap(None, 436_216_360) is None
    assert expected_market_cap(Decimal("46.08"), None) is None


def _line(kind, paid):
    return StrategicInvestor(name="x", type=kind, shares=1, paid=paid)


def test_sponsor_paid_needs_every_sponsor_line_paid():
    other = _line("other", None)
    assert sponsor_paid([_line("sponsor_subsidiary", True), other]) is True
    assert sponsor_paid([_line("sponsor_subsidiary", True), _line("sponsor_subsidiary", False)]) is False
    assert sponsor_paid([_line("sponsor_subsidiary", None)]) is None
    assert sponsor_paid([other]) is False  # lines listed, no sponsor line: no co-investment
    assert sponsor_paid([]) is None  # no lines at all: unknown, not "no co-investment"
    assert sponsor_paid([], no_placement=True) is False  # final_shares: 0 says there is none


def test_dapuwei_declared_figures_as_facts():
    offering, *investors = [f for f in facts_of(DAPUWEI) if f.kind in ("offering", "strategic_investor")]
    v = offering.values
    assert v["strategic.final_shares"] == v["strategic.total_shares"] == 8_724_327
    assert (v["strategic.final_pct"], v["strategic.final_pct_step"]) == (20, 1)
    assert (v["pricing.excluded_bid_pct"], v["pricing.excluded_bid_pct_step"]) == (Decimal("2.9877"),
                                                                                  Decimal("0.0001"))
    assert v["offering.expected_market_cap"] == Decimal("20100849868.80")
    assert v["offering.gross_proceeds_rounding"] == 100
    assert v["offering.has_greenshoe"] is False
    assert v["strategic.sponsor_paid"] is True
    assert v["outcome.regulator_order"] is None  # not stated: unknown, never "no order"
    assert [i.values["investor.pct_of_issue_step"] for i in investors] == [Decimal("0.01")] * 3


def test_dapuwei_raises_no_consistency_or_abort_alarm(checker):
    result = checker.check_file(DAPUWEI)
    assert statuses(result, "violation") == []
    checked = [r.id for r in checker.catalogue.rules
               if r.id.startswith(("ipo.consistency.", "ipo.abort.", "ipo.clawback.direction"))]
    open_ = set(statuses(result, "not_evaluated"))
    pending = set(statuses(result, "pending"))
    # what the T-1 announcement states is checked; only result-stage figures wait for the results
    assert {"ipo.consistency.strategic_total", "ipo.consistency.gross_proceeds",
            "ipo.consistency.tranches.initial", "ipo.consistency.percent.excluded_bids",
            "ipo.consistency.percent.strategic_line", "ipo.abort.cosponsor_failed.chinext"}.isdisjoint(
        open_ | pending)
    # the plan states no clawback, so its consistency rule does not apply; whether a regulator
    # ordered a suspension is an outcome: pending on a plan like the other results-stage rules
    assert open_ & set(checked) == {"ipo.abort.market_cap_standard"}
    assert pending & set(checked) == {
        "ipo.abort.offline_undersubscribed", "ipo.abort.paid_below_70pct", "ipo.abort.regulator_order",
        "ipo.clawback.direction", "ipo.consistency.offline_lockup_shares.max",
        "ipo.consistency.offline_lockup_shares.min", "ipo.consistency.results.offline",
        "ipo.consistency.results.online", "ipo.consistency.tranches.final"}


def test_a_one_digit_slip_in_the_gross_is_caught_at_its_line(checker):
    path = os.path.join(ROOT, "cases", "violations", "gross-proceeds-misstated.yaml")
    result = checker.check_file(path)
    assert statuses(result, "violation") == ["ipo.consistency.gross_proceeds"]
    finding = next(f for f in result.findings if f.status == "violation")
    assert "2,010,084,986.88" in finding.expected["zh"] and "50.00" in finding.expected["zh"]
    assert finding.position.line == line_of(path, "gross_proceeds: 2010185000.00")


def test_completing_after_an_offline_shortfall_is_the_only_finding(checker):
    path = os.path.join(ROOT, "cases", "violations", "completed-offline-undersubscribed.yaml")
    result = checker.check_file(path)
    assert statuses(result, "violation") == ["ipo.abort.offline_undersubscribed"]
    finding = next(f for f in result.findings if f.status == "violation")
    assert finding.position.line == line_of(path, "offline_subscribed_shares: 27000000")


def test_the_same_shortfall_with_an_abort_is_lawful(checker, tmp_path):
    source = os.path.join(ROOT, "cases", "violations", "completed-offline-undersubscribed.yaml")
    path = edited(tmp_path, "  status: completed\n", "  status: suspended\n  reason: 网下申购不足网下初始发行数量\n",
                  source=source)
    assert statuses(checker.check_file(path), "violation") == []


def test_an_abort_for_no_modelled_condition_is_not_reported(checker, tmp_path):
    # 大普微 stopping without giving a reason: lawful (e.g. a case "in the issuance notice"), so silent
    path = edited(tmp_path, "  status: planned\n", "  status: aborted\n")
    result = checker.check_file(path)
    assert not [f for f in result.findings if f.status == "violation"]
    assert not [f for f in result.findings if f.rule_id.startswith("ipo.abort.")]  # not even not_evaluated




# ---- differential: the engine's integer comparisons equal the exact evaluator at each tolerance ----

CATALOGUE = load_catalogue(RULES)
MINE = {r.key: r for r in CATALOGUE.for_case("ipo") if r.id.startswith(PACKS)}
SPECS = FACT_KINDS["ipo"]


@st.composite
def near_stated(draw, den: int):
    """(stated percentage, its step, numerator): the numerator sits on, or one share either side of,
    the edge of the stated figure's rounding interval."""
    places = draw(st.integers(0, 4))
    step = Fraction(1, 10**places)
    stated = Fraction(draw(st.integers(0, 100 * 10**places)), 10**places)
    edge = den * (stated + draw(st.sampled_from([-1, 1])) * step / 2) / 100
    num = min(den, max(0, floor(edge) + draw(st.integers(-1, 1))))
    return Decimal(stated.numerator) / stated.denominator, Decimal(step.numerator) / step.denominator, num


@st.composite
def offering_facts(draw):
    maybe = lambda v: draw(st.sampled_from([v, None])) if draw(st.booleans()) else v
    post = draw(st.sampled_from([100_000_000, 436_216_360]))
    pct_issue = draw(near_stated(post))
    issue = pct_issue[2]
    pct_initial = draw(near_stated(issue))
    pct_final = draw(near_stated(issue))
    total = pct_final[2]
    net = issue - total
    pct_off = draw(near_stated(net))
    pct_excluded = draw(near_stated(10**11))
    online = max(0, net - pct_off[2] + draw(st.integers(-1, 1)))
    price = Decimal(draw(st.integers(1, 10_000))) / 100
    gross = max(Decimal(0), price * issue + Decimal(draw(st.sampled_from([-5001, -5000, -1, 0, 1, 5000, 5001]))) / 100)
    claw = draw(st.integers(0, 10**6))
    off_final = max(0, pct_off[2] - claw + draw(st.integers(-1, 1)))
    ratio = Decimal(draw(st.sampled_from([1, 4, 7]))) / 10
    locked_edge = ratio * off_final
    values = {
        "issuer.board": draw(st.sampled_from(["star", "chinext", "sse_main"])),
        "issuer.profitable": draw(st.booleans()), "issuer.weighted_voting_rights": False,
        "offering.issue_shares": issue, "offering.post_issue_total_shares": post,
        "offering.issue_pct": pct_issue[0], "offering.issue_pct_step": pct_issue[1],
        "offering.price": price, "offering.gross_proceeds": maybe(gross),
        "offering.gross_proceeds_rounding": Decimal(draw(st.sampled_from([100, 1]))),
        "offering.has_greenshoe": draw(st.booleans()), "offering.has_old_shares": False,
        "offering.net_public_shares": net, "offering.expected_market_cap": price * 436_216_360,
        "issuer.listing_standard_market_cap": price * 436_216_360 + draw(st.sampled_from(
            [Decimal("-0.01"), 0, Decimal("0.01")])),
        "pricing.ceiling": price, "pricing.method": draw(st.sampled_from(["inquiry", "book_building"])),
        "pricing.price_notice_on_time": maybe(draw(st.booleans())),
        "pricing.total_bid_shares": 10**11, "pricing.excluded_bid_shares": pct_excluded[2],
        "pricing.excluded_bid_pct": pct_excluded[0], "pricing.excluded_bid_pct_step": pct_excluded[1],
        "strategic.initial_shares": pct_initial[2], "strategic.initial_pct": pct_initial[0],
        "strategic.initial_pct_step": pct_initial[1],
        "strategic.total_shares": total, "strategic.final_shares": max(0, total + draw(st.integers(-1, 1))),
        "strategic.final_pct": pct_final[0], "strategic.final_pct_step": pct_final[1],
        "strategic.sponsor_paid": maybe(draw(st.booleans())),
        "allocation.offline_initial_shares": pct_off[2], "allocation.online_initial_shares": online,
        "allocation.offline_initial_pct": pct_off[0], "allocation.offline_initial_pct_step": pct_off[1],
        "allocation.online_initial_pct": Decimal(100) - pct_off[0], "allocation.online_initial_pct_step": pct_off[1],
        "allocation.clawback_shares": claw, "allocation.offline_final_shares": off_final,
        "allocation.online_final_shares": max(0, online + claw + draw(st.integers(-1, 1))),
        "allocation.offline_lockup_ratio": ratio,
        "results.offline_locked_shares": max(0, ceil(locked_edge) + draw(st.integers(-1, 1))),
        "results.offline_allottee_count": draw(st.integers(1, 3)),
        "results.offline_subscribed_shares": maybe(max(0, pct_off[2] + draw(st.integers(-1, 1)))),
        "outcome.status": draw(st.sampled_from(["planned", "completed", "aborted", "suspended"])),
        "outcome.regulator_order": draw(st.booleans()),
    }
    return [Fact("offering", "f0", values)]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offering_facts())
def test_engine_equals_evaluator_on_declared_figures(checker, facts):
    as_of = dt.date(2026, 4, 3)
    board = facts[0].values["issuer.board"]
    encoded = [encode_fact(f, SPECS[f.kind], as_of, board) for f in facts]
    hits = {(r, f) for r, f in checker.engine("ipo").evaluate(encoded) if r in MINE}
    fire, unknown = set(), set()
    for rule in MINE.values():
        if rule.kind != "offering" or not rule.spec.applies.in_force(as_of, board):
            continue
        truth = ev.finding_truth(rule.when, rule.require, ev.Env(facts[0].values))
        if truth is None:
            unknown.add((rule.key, "f0"))
        elif truth:
            fire.add((rule.key, "f0"))
    assert hits - unknown == fire
