"""Online cap, one channel per placing object, and the online/payment violator file."""

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.casetypes import FACT_KINDS
from checker.check import encode_fact
from checker.derive import derive
from checker.facts import Fact
from checker.loading import load_file
from checker.validate import validate

from .conftest import DAPUWEI, ROOT, edited, line_of
from .test_engine_equals_evaluator import expected_in_force

VIOLATOR = os.path.join(ROOT, "cases", "violations", "online-and-payment.yaml")


def offering_fact(path):
    doc = load_file(path)
    return derive("ipo", validate(doc), doc)[0]


@pytest.mark.parametrize("cap,remainder", [(6500, 0), (6979, 479), (500, 0), (501, 1), (0, 0)])
def test_cap_remainder_over_whole_lots(tmp_path, cap, remainder):
    path = edited(tmp_path, "  online_initial_shares: 6979000\n",
                  f"  online_initial_shares: 6979000\n  online_cap_shares: {cap}\n")
    fact = offering_fact(path)
    assert fact.values["allocation.online_cap_lots_remainder"] == remainder
    assert fact.positions["allocation.online_cap_lots_remainder"].line == line_of(path, "online_cap_shares:")
    assert "allocation.online_cap_lots_remainder" not in fact.absent_reasons


def test_absent_cap_says_which_input_is_missing(checker):
    fact = offering_fact(DAPUWEI)
    assert fact.values["allocation.online_cap_lots_remainder"] is None
    [finding] = [f for f in checker.check_file(DAPUWEI).findings
                 if f.rule_id == "ipo.online.subscription_cap.lot"]
    assert finding.status == "not_evaluated"
    assert "allocation.online_cap_shares" in finding.message["en"]
    assert "allocation.online_cap_shares" in finding.message["zh"]


def test_payment_due_date_of_dapuwei():
    fact = offering_fact(DAPUWEI)
    assert str(fact.values["timetable.payment_due_date"]) == "2026-04-08"
    assert "timetable.payment_due_date" not in fact.absent_reasons


def test_violator_has_exactly_its_marked_violations(checker):
    result = checker.check_file(VIOLATOR)
    got = sorted((f.rule_id, f.position.line) for f in result.findings if f.status == "violation")
    assert got == sorted([
        ("ipo.payment.offline_deadline", line_of(VIOLATOR, "payment_date: 2026-04-05")),
        ("ipo.online.subscription_cap.lot", line_of(VIOLATOR, "online_cap_shares: 6979")),
        ("ipo.online.one_channel", line_of(VIOLATOR, "online_subscribed: true")),
    ])
    channel = next(f for f in result.findings if f.rule_id == "ipo.online.one_channel")
    assert channel.subject == "示例私募产品乙（虚构）"
    # the object with a valid quote that subscribed offline is fine on both channel rules
    assert not [f for f in result.findings if f.subject == "示例公募基金甲（虚构）"]


def test_cap_within_lots_but_over_one_thousandth(checker, tmp_path):
    path = edited(tmp_path, "  online_initial_shares: 6979000\n",
                  "  online_initial_shares: 6979000\n  online_cap_shares: 7000\n")
    findings = {f.rule_id: f for f in checker.check_file(path).findings}
    assert findings["ipo.online.subscription_cap.max"].status == "violation"
    assert "ipo.online.subscription_cap.lot" not in findings
    assert findings["ipo.online.subscription_cap.max"].expected["en"].startswith("≤ 6,979")


@st.composite
def online_facts(draw):
    """The offering fact of 大普微 with the cap, tranche and payment dates drawn around each limit."""
    values = dict(offering_fact(DAPUWEI).values)
    initial = draw(st.sampled_from([6_979_000, 7_000_000, 6_999_999, 99_999_500_000, 0]) | st.integers(0, 10**9))
    cap = draw(st.one_of(st.none(), st.sampled_from([initial // 1000 + d for d in (-500, -1, 0, 1, 500)]),
                         st.sampled_from([99_999_500, 100_000_000]), st.integers(0, 10**6)))
    cap = None if cap is None else max(cap, 0)
    due = dt.date(2026, 4, 8)
    values.update({
        "issuer.board": draw(st.sampled_from(["sse_main", "star", "szse_main", "chinext"])),
        "allocation.online_initial_shares": initial,
        "allocation.online_cap_shares": cap,
        "allocation.online_cap_lots_remainder": None if cap is None else cap % 500,
        "timetable.payment_date": draw(st.one_of(st.none(), st.sampled_from(
            [due + dt.timedelta(days=d) for d in (-2, -1, 0, 1, 2)]))),
        "timetable.payment_due_date": draw(st.one_of(st.none(), st.just(due))),
    })
    return [Fact("offering", "f0", values)], dt.date(2026, 4, 3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(online_facts())
def test_engine_equals_reference_evaluator_on_cap_and_payment(checker, data):
    facts, as_of = data
    board = facts[0].values["issuer.board"]
    encoded = [encode_fact(f, FACT_KINDS["ipo"][f.kind], as_of, board) for f in facts]
    hits = checker.engine("ipo").evaluate(encoded)
    fire, unknown = expected_in_force(facts, as_of)
    assert hits - unknown == fire
