"""Partly known values decide when they can: min/max in the reference evaluator, the ceiling facts."""

from decimal import Decimal

import pytest

from checker import evaluate as ev
from checker.derive import derive
from checker.expr import parse
from checker.loading import load_file
from checker.validate import validate

from .conftest import edited

FOUR = "min(a, b, c, d)"


def truth(text: str, **values):
    return ev.truth(parse(text), ev.Env(values))


@pytest.mark.parametrize("text,values,expected", [
    (f"x > {FOUR}", {"x": 5, "a": 4}, True),               # above one known argument: above the lowest
    (f"x > {FOUR}", {"x": 5, "a": 5}, None),               # not above it: the others decide
    (f"x > {FOUR}", {"x": 5, "a": 5, "b": 6, "c": 7, "d": 5}, False),
    (f"x <= {FOUR}", {"x": 5, "c": 4}, False),
    (f"x <= {FOUR}", {"x": 5, "c": 5}, None),
    (f"x >= {FOUR}", {"x": 5, "d": 5}, True),
    (f"x < {FOUR}", {"x": 5, "d": 5}, False),
    (f"{FOUR} < x", {"x": 5, "b": 4}, True),               # mirrored: min on the left
    (f"{FOUR} >= x", {"x": 5, "b": 4}, False),
    ("x < max(a, b)", {"x": 5, "b": 6}, True),
    ("x < max(a, b)", {"x": 6, "b": 6}, None),
    ("x >= max(a, b)", {"x": 5, "a": 6}, False),
    ("max(a, b) > x", {"x": 5, "a": 6}, True),
    ("x == min(a, b)", {"x": 5, "a": 4}, False),           # below x: the minimum is not x
    ("x == min(a, b)", {"x": 5, "a": 5}, None),
    ("x != min(a, b)", {"x": 5, "a": 4}, True),
    ("x == max(a, b)", {"x": 5, "a": 6}, False),
    ("min(a, b) > max(c, d)", {"a": 1, "c": 2}, False),
    ("min(a, b) < max(c, d)", {"a": 1, "c": 2}, True),
    ("s >= floor(min(a, b))", {"s": 3, "a": Decimal("3.9")}, True),    # floor(min) = min(floor, floor)
    ("s < floor(min(a, b))", {"s": 3, "a": Decimal("3.9")}, False),
    ("s <= ceil(max(a, b))", {"s": 4, "b": Decimal("3.1")}, True),
    ("x > min(a / b, c)", {"x": 5, "a": 1, "b": 0, "c": 4}, True),     # a zero divisor in an argument not needed
    ("x > min(a / b, c)", {"x": 5, "a": 1, "b": 0, "c": 6}, None),
    ("x > min(a * 2, c + 1)", {"x": 5, "a": 2}, True),                  # arithmetic inside the arguments
    ("x > min(a * 2, c + 1)", {"x": 4, "a": 2}, None),
])
def test_min_max_decide_on_partly_known_arguments(text, values, expected):
    assert truth(text, **values) is expected


def test_the_decision_holds_whatever_the_unknown_argument_is():
    # a decided answer is the answer for every value of the unknown arguments: what lets the engine
    # decide such a finding with any filler in the absent field
    for text, known in ((f"x > {FOUR}", {"x": 5, "a": 4}), (f"x <= {FOUR}", {"x": 5, "c": 4}),
                        ("x == min(a, b)", {"x": 5, "a": 4}), ("x < max(a, b)", {"x": 5, "b": 6})):
        decided = truth(text, **known)
        assert decided is not None
        for filler in (-10**6, 0, 1, 4, 5, 6, 10**6):
            full = {name: filler for name in "abcd"} | known
            assert truth(text, **full) is decided, (text, filler)


def test_unknowns_are_reported_only_where_the_answer_depends_on_them():
    env = ev.Env({"x": 5, "a": 5, "y": 0})
    assert ev.truth(parse(f"x > {FOUR} or y > 1"), env) is None
    assert env.missing == {"b", "c", "d"}            # a is known; y > 1 is decided false
    env = ev.Env({"x": 5, "a": 4})
    assert ev.truth(parse(f"x > {FOUR} and z == 1"), env) is None
    assert env.missing == {"z"}                      # the min is settled by a
    env = ev.Env({"x": 5})
    assert ev.finding_truth(parse("z == 1"), parse("x > 9"), env) is None
    assert env.missing == {"z"}
    env = ev.Env({"x": 5})
    assert ev.finding_truth(parse("z == 1"), parse("x > 1"), env) is False
    assert env.missing == set()                      # require holds: nothing undecided to report


def offering(path):
    doc = load_file(path)
    return derive("ipo", validate(doc), doc)[0].values


def test_ceiling_facts_with_one_benchmark(tmp_path):
    path = edited(tmp_path, "  ceiling: 61.1700\n", "  benchmarks: {wavg_ltf: 46.0700}\n")
    v = offering(path)
    assert v["pricing.ceiling"] is None                     # not all four: the ceiling itself is unknown
    assert v["pricing.ceiling_published"] is False
    assert v["pricing.benchmarks.wavg_ltf"] == Decimal("46.0700")
    assert v["pricing.benchmarks.median_all"] is None
    assert (v["pricing.benchmark_count"], v["pricing.benchmarks_low"]) == (1, Decimal("46.0700"))
    assert v["pricing.ceiling_at_most"] == Decimal("46.0700")


def test_a_published_ceiling_stays_authoritative(tmp_path):
    path = edited(tmp_path, "  ceiling: 61.1700\n", "  ceiling: 61.1700\n  benchmarks: {median_all: 60.0000}\n")
    v = offering(path)
    assert v["pricing.ceiling"] == Decimal("61.1700")
    assert v["pricing.ceiling_published"] is True
    assert v["pricing.ceiling_at_most"] == Decimal("61.1700")
    assert v["pricing.benchmarks_low"] == Decimal("60.0000")   # for ipo.consistency.ceiling


@pytest.mark.parametrize("benchmark,expected", [("46.0700", True), ("46.0800", None)])
def test_one_benchmark_below_the_price_triggers_the_ceiling_rules(catalogue, tmp_path, benchmark, expected):
    # dapuwei's price is 46.08: above a benchmark of 46.07 it is above the ceiling, whatever the
    # other three are; at 46.08 the other three decide
    path = edited(tmp_path, "  ceiling: 61.1700\n", f"  benchmarks: {{median_ltf: {benchmark}}}\n")
    values = offering(path)
    for rule_id in ("ipo.pricing.ceiling_notice", "ipo.cosponsor.mandatory_trigger.chinext",
                    "ipo.abort.cosponsor_failed.chinext"):
        rule = catalogue.by_id(rule_id)
        env = ev.Env({**values, "issuer.profitable": True, "issuer.weighted_voting_rights": False})
        assert ev.truth(rule.when, env) is expected, rule_id
        if expected is None:
            assert env.missing == {"pricing.benchmarks.median_all", "pricing.benchmarks.wavg_all",
                                   "pricing.benchmarks.wavg_ltf"}


def test_a_memoised_verdict_equals_the_evaluators_and_keeps_values_of_other_classes_apart():
    """checker.check asks ev.Verdicts, not finding_truth: a hit must give what a fresh evaluation
    gives, for every value the memo has seen, and 1, True and Decimal(1) are entries of their own."""
    when, require = parse("z == 1"), parse("x / y > 1")
    verdicts = ev.Verdicts(size=4)
    samples = [{"x": 5}, {"x": 5, "y": 0}, {"x": 5, "y": 2, "z": 1}, {"x": 5, "y": 9, "z": 1},
               {"x": 5, "y": 9, "z": 0}, {"x": 1, "y": True, "z": 1}, {"x": Decimal(1), "y": 1, "z": 1}]
    for _ in range(2):   # the second pass is all hits, then (size 4) misses again after a clear
        for values in samples:
            env = ev.Env(values)
            fresh = ev.finding_truth(when, require, env)
            got = verdicts.decide("r", ("x", "y", "z"), when, require, values)
            assert got == (fresh, frozenset(env.missing), frozenset(env.zero_divisors)), values
    assert verdicts.decide("r", ("x", "y", "z"), when, require, {"x": 5})[1] == {"y", "z"}
    assert verdicts.decide("r", ("x", "y", "z"), when, require, {"x": 5, "y": 0, "z": 1})[2] == {"y"}
    classes = ev.Verdicts()
    for one in (1, True, Decimal(1)):
        classes.decide("r", ("x", "y", "z"), when, require, {"x": one, "y": 1, "z": 1})
    assert len(classes._seen) == 3
    unhashable = {"x": [5], "y": 1, "z": 0}   # never a fact's value; worked out, not kept
    assert classes.decide("r", ("x", "y", "z"), when, require, unhashable)[0] is False
    assert len(classes._seen) == 3
