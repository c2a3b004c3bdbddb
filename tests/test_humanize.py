"""Figures as compliance staff read them: shares with 万股, money with 万元/亿元, percentages and
prices; rounding is half away from zero and exact (fractions, never floats)."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from checker import humanize as h
from checker.humanize import fixed


def test_shares_as_staff_read_them():
    assert h.shares(8_724_327, "zh") == "8,724,327股（872.4327万股）"
    assert h.shares(Fraction(43_621_636, 5), "zh") == "8,724,327.2股（872.4327万股）"
    assert h.shares(1_308_650, "en") == "1,308,650 shares (130.8650万股)"
    assert h.shares(500, "zh") == "500股"


def test_money_percent_price():
    assert h.yuan(Fraction("2010084986.88"), "zh") == "2,010,084,986.88元（20.1008亿元）"
    assert h.yuan(60_302_545, "zh").endswith("（6,030.25万元）")
    assert h.percent(Fraction(8_724_328, 43_621_636)) == "20.000002%"   # one share over 20% never reads 20.0000%
    assert h.percent(Fraction(27_918_309, 34_897_309)) == "80.0013%"
    assert h.price(Fraction("46.08"), "zh") == "46.08元/股"
    assert h.price(Fraction("61.17"), "en") == "¥61.17/share"


def test_rounding_is_half_up_and_exact():
    assert h.fixed(Fraction(5, 1000), 2) == "0.01"
    assert h.fixed(Fraction(-5, 1000), 2) == "-0.01"
    assert h.number(Fraction(1, 3)) == "0.3333"


@given(st.fractions(min_value=-10**13, max_value=10**13, max_denominator=10**7), st.integers(0, 4))
@settings(max_examples=1000, deadline=None)
def test_fixed_rounds_half_away_from_zero_like_decimal(value, places):
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        want = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = fixed(value, places)
    assert Decimal(text.replace(",", "")) == want
    assert text.lstrip("-").split(".")[0] == f"{abs(int(want)):,}"


def test_percent_of_two_whole_figures_is_exact_not_a_float_division():
    # 1 / 2,000,000 = 0.00005%: exactly half a unit of the fourth decimal, so it rounds up; a float
    # quotient (4.99…e-07) would round it down to 0.0000%
    from checker import evaluate as ev
    from checker.expr import parse_template
    (node,) = [part for part in parse_template("{percent(a, b)}") if part]
    env = ev.Env({"a": 1, "b": 2_000_000})
    assert ev.render_value(node, env, {}, "zh") == "0.0001%"
