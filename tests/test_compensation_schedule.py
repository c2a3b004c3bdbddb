"""The compensation schedule (checker/compensation): the formulas' catalogue §3 test vectors,
reproduced exactly, plus caps, top-ups, a hand-computed schedule and its table and JSON.

HYPOTHETICAL INPUTS: the seed gives thresholds and commitments only. Every actual profit, cash
flow, holding and the issue prices of §3.2 / §3.6 (¥20) and the S of §3.3 (10,000,000) below are
the catalogue's hypothetical test inputs (marked *hyp.* there), not reported figures.
"""

from dataclasses import replace
from fractions import Fraction as F

import pytest

from checker import humanize as h
from checker.compensation import CompensationTerms, DualTest, PriceAdjustment, Reward, YearFigures, schedule
from checker.compensation import formulas as f

M = 1_000_000


def years(committed, actual, start, cash_flow=None):
    cash_flow = cash_flow or [None] * len(committed)
    return tuple(YearFigures(start + i, c, a, o) for i, (c, a, o) in enumerate(zip(committed, actual, cash_flow, strict=True)))


def four(value):
    return h.fixed(value, 4)


def money(value):
    return h.fixed(value, 2)


# §3.1 众信旅游 / 竹园国旅: V, P, C from the seed; A and the 800,000 shares held are hypothetical.
def zhongxin(actual=(50 * M, 60 * M, 70 * M), **kw):
    kw.setdefault("shares_held", 800_000)
    return CompensationTerms("cumulative_amount", years([56_500_000, 70_620_000, 88_280_000], actual, 2014),
                             value=630 * M, issue_price="81.56", **kw)


def test_3_1_cumulative_amount_vectors():
    s = schedule(zhongxin())
    y1, y2, y3 = s.rows
    p, total = F("81.56"), F(215_400_000)
    assert y1.amount_due == F(6_500_000) / total * 630 * M
    assert money(y1.amount_due) == "19,011,142.06"
    assert four(y1.shares_due) == "233,093.9439" and y1.shares_due == y1.amount_due / p
    assert money(F(17_120_000) / total * 630 * M) == "50,072,423.40"
    assert money(y2.amount_due) == "31,061,281.34" and four(y2.shares_due) == "380,839.6437"
    assert money(F(35_400_000) / total * 630 * M) == "103,537,604.46"
    assert money(y3.amount_due) == "53,465,181.06"
    # Shares run out: 800,000 − 233,093.9439 − 380,839.6437 left, the rest in cash.
    assert four(y3.shares_delivered) == "186,066.4125"
    assert y3.cash_exact == y3.amount_due - y3.shares_delivered * p
    assert money(y3.cash) == "38,289,604.46"
    assert [n.code for n in y3.notes] == ["shares_run_out"]
    assert s.totals["shares_delivered"] == 800_000


@pytest.mark.parametrize("rule, y1, after_y2", [
    ("up", 233_094, 613_934), ("down", 233_093, 613_933), ("half_up", 233_094, 613_934)])
def test_3_1_share_rounding_is_netted_next_year(rule, y1, after_y2):
    s = schedule(zhongxin(share_rounding=rule))
    assert s.rows[0].shares_delivered == y1
    # Netting the shares actually delivered, the rounding error never accumulates: after year 2
    # the obligor has delivered round(cumulative amount / P) shares.
    cum_shares = F(17_120_000) / F(215_400_000) * 630 * M / F("81.56")
    assert four(cum_shares) == "613,933.5875"
    assert s.rows[1].cum_shares_delivered == after_y2 == f.round_shares(cum_shares, rule)
    # The cash of year 3 is the same under every rule: it is priced on the amount, not the count.
    assert money(s.rows[2].cash) == "38,289,604.46"


# §3.2 久其软件 / 亿起联: V, C, the 480M cap from the seed; P = ¥20, A and 1,500,000 held are hyp.
def jiuqi(**kw):
    kw.setdefault("value_cap", 480 * M)
    return CompensationTerms("cumulative_shares", years([37 * M, 50 * M, 67_500_000, 84_300_000],
                                                        [37 * M, 40 * M, 60 * M, 84_300_000], 2014),
                             value=480 * M, issue_price=20, shares_held=1_500_000, **kw)


def test_3_2_share_formula_with_cash_netting():
    s = schedule(jiuqi())
    y1, y2, y3, y4 = s.rows
    assert y1.shares_due == 0 and y1.cash == 0
    assert y2.shares_due == F(10 * M) / F(238_800_000) * 24 * M
    assert four(y2.shares_due) == "1,005,025.1256"
    assert four(y3.shares_due) == "753,768.8442"
    assert four(y3.shares_delivered) == "494,974.8744"
    assert y3.cash_exact == f.cash_for_missing_shares(y3.shares_due, y3.shares_delivered, 20)
    assert money(y3.cash) == "5,175,879.40"
    # Year 4: the cumulative gap is unchanged at 17.5M, so shares + cash / P net it to exactly 0.
    assert y4.cum_gap == 17_500_000 and y4.shares_due == 0 and not y4.notes
    assert money(s.totals["paid_value"]) == "35,175,879.40"
    assert money(y4.value_cap_left) == money(480 * M - F("35175879.40"))


@pytest.mark.parametrize("rule, cash", [("half_up", "5,175,879.40"), ("up", "5,175,879.40"),
                                        ("down", "5,175,879.39")])
def test_money_rounding_is_a_parameter(rule, cash):
    y3 = schedule(jiuqi(money_rounding=rule)).rows[2]
    assert money(y3.cash) == cash and y3.cash % F(1, 100) == 0
    exact = schedule(jiuqi(money_rounding="none")).rows[2]
    assert exact.cash == exact.cash_exact == F(1_030_000_000, 199)


def test_3_2_value_cap_binds():
    # Hypothetical cap of 25M instead of 480M: year 3 is cut to what is left of the cap.
    s = schedule(jiuqi(value_cap=25 * M))
    y3 = s.rows[2]
    left_before = 25 * M - s.rows[1].shares_delivered * 20
    assert y3.shares_delivered * 20 + y3.cash == left_before
    assert y3.cash == 0  # 244,974.87 shares fit in the 494,974.87 held
    (note,) = y3.notes
    assert note.code == "value_cap_binding"
    assert note.values["capped"] == y3.shares_due * 20 - left_before
    assert s.totals["paid_value"] == 25 * M and s.rows[3].value_cap_left == 0


def test_3_3_dual_test_takes_the_max():
    # 新宙邦: thresholds from the seed, X divided by 200M as the seed writes it.
    # Hyp.: S = 10,000,000; NP 45M / 35M / 80M / 80M (cum 240M); OCF 2015–17 30M / 30M / 40M (100M).
    dual = DualTest(annual_years=(2014, 2015, 2016), annual_floor=40 * M, annual_base=60 * M,
                    annual_share_fraction=F(1, 3), profit_threshold=260 * M, profit_denominator=200 * M,
                    profit_netted_years=(2014, 2015, 2016), cash_flow_years=(2015, 2016, 2017),
                    cash_flow_threshold=120 * M, cash_flow_denominator=120 * M,
                    cash_flow_netted_years=(2015, 2016))
    terms = CompensationTerms("dual_max", years([56 * M, 60 * M, 68 * M, 76 * M], [45 * M, 35 * M, 80 * M, 80 * M],
                                                2014, [None, 30 * M, 30 * M, 40 * M]),
                              base_shares=10 * M, dual=dual, method="shares", shares_held=10 * M)
    s = schedule(terms)
    y14, y15, y16, y17 = s.rows
    assert y14.shares_due == 0 and y16.shares_due == 0
    assert y15.shares_due == F(25, 60) * 10 * M / 3 and four(y15.shares_due) == "1,388,888.8889"
    assert four(y17.parts["X"]) == "-388,888.8889"  # 1,000,000 − 1,388,888.8889 → 0
    assert four(y17.parts["Y"]) == "277,777.7778"   # 1,666,666.6667 − 1,388,888.8889
    assert y17.shares_due == y17.parts["Y"] == F(2_500_000, 9)
    assert y17.amount_due is None  # no issue price in the seed: no value, and nothing invented
    assert schedule(replace(terms, share_rounding="half_up")).rows[1].shares_delivered == 1_388_889
    assert schedule(replace(terms, share_rounding="down")).rows[1].shares_delivered == 1_388_888


@pytest.mark.parametrize("rule, counts", [("none", None), ("up", (212_547, 637_639, 637_639)),
                                          ("down", (212_546, 637_639, 637_639)),
                                          ("half_up", (212_546, 637_640, 637_639))])
def test_3_4_share_count_vectors(rule, counts):
    # 兴源过滤: S_sub, C from the seed; A = 28M / 30M / 35M hyp. Cap = V / P = 12,040,133.78 shares.
    terms = CompensationTerms("cumulative_shares", years([30 * M, 36 * M, 41 * M], [28 * M, 30 * M, 35 * M], 2014),
                              base_shares=11_371_232, issue_price="29.90",
                              shares_cap=F(360 * M) / F("29.90"), share_rounding=rule)
    assert money(terms.shares_cap) == "12,040,133.78"
    rows = schedule(terms).rows
    cum = [F(g) / 107 * 11_371_232 for g in (2, 8, 14)]
    assert [four(x) for x in cum] == ["212,546.3925", "850,185.5701", "1,487,824.7477"]
    if counts is None:
        assert [four(r.shares_due) for r in rows] == ["212,546.3925", "637,639.1776", "637,639.1776"]
        assert rows[2].cum_shares_delivered == cum[2]
    else:
        assert tuple(r.shares_delivered for r in rows) == counts
        assert rows[2].cum_shares_delivered == f.round_shares(cum[2], rule)


def test_3_5_share_cap_binds():
    # 深桑达 style: total shares ≤ subscribed shares. Hyp.: S_sub = 1,000,000, a 60% miss in year 1.
    terms = CompensationTerms("cumulative_shares", years([10 * M, 10 * M, 10 * M], [4 * M, 2 * M, 10 * M], 2014),
                              base_shares=1 * M, shares_cap=1 * M, method="shares", share_rounding="up",
                              shares_held=1 * M)
    y1, y2, y3 = schedule(terms).rows
    assert y1.shares_due == 200_000 and y1.shares_delivered == 200_000
    # Year 2: cum gap 14M → 466,666.67 − 200,000; under the cap.
    assert y2.shares_delivered == f.round_shares(F(14, 30) * M - 200_000, "up") == 266_667
    # Year 3: the cumulative gap is unchanged; rounding up was netted, so nothing is due.
    assert y3.shares_due == 0 and [n.code for n in y3.notes] == ["negative_as_zero"]
    # Hyp.: S_sub = 4,500,000, nothing earned: 1,500,000 due in year 1, capped at 1,000,000.
    big = CompensationTerms("cumulative_shares", years([10 * M] * 3, [0, 0, 0], 2014), base_shares=4_500_000,
                            shares_cap=1 * M, method="shares", shares_held=5 * M)
    rows = schedule(big).rows
    assert [r.shares_delivered for r in rows] == [1 * M, 0, 0]
    assert [n.code for n in rows[0].notes] == ["shares_cap_binding"]
    assert rows[0].notes[0].values["capped"] == 500_000
    assert rows[1].notes[0].values["capped"] == 2 * M and rows[2].shares_cap_left == 0


def test_3_6_shares_then_cash():
    # 省广: V, C from the seed; P = ¥20, A1 = 50M (later years on target), 100,000 shares held: hyp.
    for rule in ("none", "up", "down", "half_up"):
        terms = CompensationTerms("cumulative_shares", years([57_200_000, 65 * M, 75 * M, 84 * M],
                                                            [50 * M, 65 * M, 75 * M, 84 * M], 2013),
                                  value=570 * M, issue_price=20, shares_held=100_000, share_rounding=rule)
        y1, *later = schedule(terms).rows
        assert four(y1.shares_due) == "729,729.7297"
        assert y1.shares_delivered == 100_000
        # §3.6's own cash formula: gap / ΣC × V − shares paid × P − cash paid.
        assert y1.cash_exact == F(7_200_000) / F(281_200_000) * 570 * M - 100_000 * 20
        assert money(y1.cash) == "12,594,594.59"
        # The 0.46 fen rounded off the cash is not carried forward as shares.
        assert [r.shares_due for r in later] == [0, 0, 0]


def adjustment_terms(actual):
    return CompensationTerms("cumulative_shares", years([57_200_000, 65 * M, 75 * M, 84 * M], actual, 2013),
                             value=570 * M, issue_price=20,
                             price_adjustment=PriceAdjustment(ratio_cap=F(13, 100), factor=F(4, 5),
                                                              threshold=284_010_000, floor_ratio=F(9, 10)))


def test_3_6_upward_price_adjustment():
    a = schedule(adjustment_terms([60 * M, 70 * M, 80 * M, 90 * M])).price_adjustment  # ΣA 300M (hyp.)
    assert h.percent(a.ratio) == "6.6856%"
    assert a.amount_exact == 570 * M * F(18_800_000, 281_200_000) * F(4, 5)
    assert money(a.amount) == "30,486,486.49"
    assert [n.code for n in a.notes] == ["adjustment_threshold_differs"]
    capped = schedule(adjustment_terms([60 * M, 70 * M, 90 * M, 110 * M])).price_adjustment
    assert capped.ratio_used == F(13, 100) and capped.amount == F("59280000")
    # ΣA = 284.00M: above ΣC = 281.2M but not above the seed's 284.01M threshold → nothing.
    below = schedule(adjustment_terms([57_200_000, 65 * M, 75 * M, 86_800_000])).price_adjustment
    assert below.ratio > 0 and not below.threshold_met and below.amount == 0
    # Year 1 at 87.4% of its commitment: the 90% floor fails, whatever the total.
    floor = schedule(adjustment_terms([50 * M, 70 * M, 80 * M, 100 * M])).price_adjustment
    assert floor.first_year_below_floor == 2013 and floor.amount == 0


def test_3_7_second_formula_is_not_computable():
    # 胜利精密 Y1 = §3.1 with §3.1's vectors. Year 3 (70M < 80% × 88.28M) triggers Y2, which the
    # seed cuts off: not computable, and nothing after it.
    s = schedule(replace(zhongxin(), formula="max_cumulative_annual", periodic_trigger=F(4, 5)))
    y1, y2, y3 = s.rows
    assert (money(y1.amount_due), money(y2.amount_due)) == ("19,011,142.06", "31,061,281.34")
    assert y1.parts["Y1"] == y1.amount_due and y1.notes[0].code == "periodic_not_triggered"
    assert y3.status == "not_computable" and y3.amount_due is None
    assert y3.notes[0].code == "periodic_formula_cut_off" and y3.notes[0].values == {"year": 2016}
    assert s.status == "not_computable"


def test_annual_formula_negative_year_not_reversed():
    terms = CompensationTerms("annual", years([10 * M] * 3, [8 * M, 15 * M, 5 * M], 2020), value=30 * M,
                              method="cash")
    rows = schedule(terms).rows
    assert [r.amount_due for r in rows] == [2 * M, 0, 5 * M]
    assert rows[1].notes[0].code == "negative_as_zero" and rows[1].notes[0].values["raw"] == -5 * M
    assert rows[2].cum_paid_value == 7 * M


def test_pending_year_stops_the_schedule():
    s = schedule(zhongxin(actual=(50 * M, None, 70 * M), impairment=200 * M, reward=Reward(F(1, 2))))
    assert [r.status for r in s.rows] == ["computed", "pending", "not_reached"]
    assert s.rows[1].amount_due is None and s.rows[2].cum_gap is None
    assert s.status == "pending" and s.impairment is None and s.reward is None


def test_rewards():
    jq = CompensationTerms("cumulative_shares", years([37 * M, 50 * M, 67_500_000, 84_300_000],
                                                      [40 * M, 55 * M, 70 * M, 85 * M], 2014),
                           value=480 * M, issue_price=20, reward=Reward(F(3, 10)))
    assert schedule(jq).reward.amount == 3_360_000  # ΣA 250M (hyp.) − ΣC 238.8M, × 30%
    limited = replace(jq, reward=Reward(F(3, 10), limit=2 * M))
    r = schedule(limited).reward
    assert r.amount == 2 * M and r.limited and r.excess == 11_200_000


def test_float_is_refused():
    with pytest.raises(TypeError, match="not an exact number"):
        YearFigures(2014, 1.5)
    with pytest.raises(ValueError, match="strictly increasing"):
        CompensationTerms("annual", years([1, 1], [1, 1], 2014)[::-1], value=1)


def hand_terms():
    return CompensationTerms("cumulative_amount", years([10 * M, 12 * M, 14 * M], [7 * M, 13 * M, 8 * M], 2021),
                             value=120 * M, issue_price=15, shares_held=1 * M, share_rounding="up",
                             value_cap=120 * M, impairment=30 * M)


def test_three_year_schedule_by_hand():
    # A made-up deal. V = 120,000,000; P = 15; C = 10M / 12M / 14M (ΣC 36M); A = 7M / 13M / 8M;
    # shares first, rounded up; 1,000,000 shares held; cap 120M; impairment at the end 30M.
    # 2021: gap 3M → 3/36 × 120M = 10,000,000 → 666,666.67 shares → 666,667 delivered
    #       (worth 10,000,005); paid 10,000,005.00; cap left 109,999,995.00.
    # 2022: gap 2M → 6,666,666.67 − 10,000,005 < 0 → 0, nothing returned.
    # 2023: gap 8M → 26,666,666.67 − 10,000,005 = 16,666,661.67 → 1,111,110.78 shares, rounded
    #       1,111,111; only 333,333 left → cash (1,111,110.78 − 333,333) × 15 = 11,666,666.67;
    #       paid 15,000,000 + 11,666,666.67 = 26,666,666.67; cap left 93,333,333.33.
    # Impairment: 30,000,000 − 26,666,666.67 = 3,333,333.33 in cash (no shares left);
    #       paid 30,000,000.00; cap left 90,000,000.00. Totals: 1,000,000 shares, 15,000,000.00 cash.
    s = schedule(hand_terms())
    y1, y2, y3 = s.rows
    assert (y1.cum_gap, y1.amount_due, y1.shares_rounded, y1.shares_delivered, y1.cash) == \
        (3 * M, 10 * M, 666_667, 666_667, 0)
    assert (y1.cum_paid_value, y1.value_cap_left) == (10_000_005, 109_999_995)
    assert y2.cum_gap == 2 * M and y2.amount_due == 0 and y2.shares_delivered == 0 and y2.cash == 0
    assert y2.cum_paid_value == 10_000_005 and y2.notes[0].code == "negative_as_zero"
    assert money(y3.amount_due) == "16,666,661.67" and y3.shares_rounded == 1_111_111
    assert y3.shares_delivered == 333_333 and money(y3.cash) == "11,666,666.67"
    assert money(y3.cum_paid_value) == "26,666,666.67" and money(y3.value_cap_left) == "93,333,333.33"
    imp = s.impairment
    assert imp.status == "computed" and money(imp.amount_due) == "3,333,333.33"
    assert imp.shares_delivered == 0 and money(imp.cash) == "3,333,333.33"
    assert imp.cum_paid_value == 30 * M and imp.value_cap_left == 90 * M
    assert s.totals["shares_delivered"] == 1 * M and s.totals["cash"] == 15 * M
    assert s.status == "complete"


def test_impairment_below_paid_needs_no_top_up():
    s = schedule(replace(hand_terms(), impairment=20 * M))
    assert s.impairment.amount_due == 0 and s.impairment.notes[0].code == "impairment_none"
    assert s.totals["paid_value"] == s.rows[-1].cum_paid_value


def rendered(s, lang):
    from rich.console import Console

    from checker.report import schedule as report

    console = Console(record=True, width=240)
    report.render(s, lang, console)
    return console.export_text()


def test_table_shows_the_schedule():
    zh = rendered(schedule(hand_terms()), "zh")
    assert "业绩补偿计算表" in zh and "应补偿股份（股）" in zh and "剩余上限" in zh
    line_2021 = next(x for x in zh.splitlines() if "2021" in x)
    for cell in ("10,000,000.00", "7,000,000.00", "3,000,000.00", "666,666.6667 → 666,667",
                 "10,000,005.00", "109,999,995.00元", "已计算"):
        assert cell in line_2021, cell
    line_2023 = next(x for x in zh.splitlines() if "2023" in x and "│" in x)
    assert "1,111,110.7778 → 1,111,111" in line_2023 and "333,333" in line_2023
    assert "11,666,666.67" in line_2023 and "93,333,333.33元" in line_2023
    assert "减值测试" in zh and "3,333,333.33" in zh
    assert "2022: 公式结果为负（-3,333,338.3333），按0计，已补偿部分不冲回" in zh
    assert "2023: 股份不足：仅交付333,333股，差额以现金11,666,666.67元补足" in zh
    en = rendered(schedule(hand_terms()), "en")
    assert "Shares delivered" in en and "¥109,999,995.00" in en and "Impairment" in en
    assert "2022: formula result negative (-3,333,338.3333): counted as 0, nothing paid is returned" in en


def test_table_says_why_a_year_is_not_computed():
    s = schedule(replace(zhongxin(), formula="max_cumulative_annual", periodic_trigger=F(4, 5)))
    zh = rendered(s, "zh")
    line_2016 = next(x for x in zh.splitlines() if x.startswith("│ 2016"))
    assert "无法计算" in line_2016 and "—" in line_2016
    assert "2016: 2016年实际数低于当年承诺的触发比例" in zh and "种子原文该公式不完整" in zh
    assert "per-period formula Y2 applies; the seed cuts that formula off" in rendered(s, "en")


def test_json_holds_exact_numbers():
    import json

    from checker.report.schedule import exact_text, to_json

    assert [exact_text(x) for x in (F(1, 3), F(1, 8), F(-1, 2), F(0), F(10 ** 7), F("19011142.06"))] == \
        ["1/3", "0.125", "-0.5", "0", "10000000", "19011142.06"]
    doc = json.loads(to_json(schedule(hand_terms())))
    assert doc["schema"] == "compensation-schedule" and doc["schema_version"] == 1
    assert doc["status"] == "complete" and doc["share_rounding"] == "up" and doc["money_rounding"] == "half_up"
    y1, y2, y3 = doc["rows"]
    assert (y1["year"], y1["shares_due"], y1["shares_delivered"], y1["cum_paid_value"]) == \
        (2021, "2000000/3", "666667", "10000005")
    assert y2["amount_due"] == "0" and y2["notes"][0]["code"] == "negative_as_zero"
    assert F(y2["notes"][0]["values"]["raw"]) == F(20 * M, 3) - 10_000_005
    assert y3["cash"] == "11666666.67" and F(y3["cash_exact"]) == F(35 * M, 3)
    assert y3["notes"][0]["message"]["en"].startswith("shares run out: 333,333 delivered")
    assert doc["impairment"]["cash"] == "3333333.33" and doc["impairment"]["value_cap_left"] == "90000000"
    assert doc["totals"] == {"amount_due": exact_text(10 * M + (F(80 * M, 3) - 10_000_005) + F("3333333.33")),
                             "shares_delivered": "1000000", "cash": "15000000",
                             "paid_value": "30000000", "unpaid_shares": "0"}
    pending = json.loads(to_json(schedule(zhongxin(actual=(50 * M, None, 70 * M)))))
    assert pending["status"] == "pending"
    assert [r["status"] for r in pending["rows"]] == ["computed", "pending", "not_reached"]
    assert pending["rows"][1]["amount_due"] is None and pending["rows"][1]["notes"][0]["values"] == {"field": "actual"}


def test_methods_cash_first_both_and_shares_only():
    p = F("81.56")
    y1, y2, _ = schedule(zhongxin(method="cash_first", cash_capacity=25 * M)).rows
    assert money(y1.cash) == "19,011,142.06" and y1.shares_delivered == 0
    # Year 2: the 5,988,857.94 of cash capacity left, the rest in shares.
    assert y2.cash_exact == 25 * M - y1.cash_exact
    assert y2.shares_delivered == (y2.amount_due - y2.cash_exact) / p
    both = schedule(zhongxin(method="both", cash_ratio=F(1, 4), shares_held=10 * M)).rows[0]
    assert both.cash_exact == both.amount_due / 4 and both.shares_delivered == both.amount_due * 3 / 4 / p
    cash = schedule(zhongxin(method="cash")).rows
    assert [r.cash_exact for r in cash] == [r.amount_due for r in cash] and all(r.shares_delivered == 0 for r in cash)
    # Shares only, no cash top-up: year 3's missing shares stay owed, and are not asked again later.
    s = schedule(zhongxin(method="shares"))
    y3 = s.rows[2]
    assert y3.cash == 0 and y3.unpaid_shares == y3.shares_due - y3.shares_delivered
    assert y3.notes[0].code == "shares_short_unpaid" and s.totals["unpaid_shares"] == y3.unpaid_shares
    assert s.totals["shares_delivered"] + s.totals["unpaid_shares"] == F(35_400_000) / F(215_400_000) * 630 * M / p


def test_unstated_holdings_and_missing_price_are_said():
    s = schedule(CompensationTerms("cumulative_shares", years([10 * M] * 3, [5 * M] * 3, 2014),
                                   base_shares=3 * M, shares_held=1000))
    assert [n.code for n in s.notes] == []
    y1 = s.rows[0]
    # 500,000 shares due, 1,000 held, shares first, no issue price: the cash cannot be computed.
    assert y1.status == "not_computable" and y1.notes[-1].code == "no_issue_price"
    assert s.rows[1].status == "not_reached" and s.status == "not_computable"
    unstated = schedule(CompensationTerms("cumulative_shares", years([10 * M] * 3, [5 * M] * 3, 2014),
                                          base_shares=3 * M))
    assert [n.code for n in unstated.notes] == ["holdings_unstated"]
    assert unstated.totals["shares_delivered"] == 1_500_000
    with pytest.raises(TypeError):
        CompensationTerms("annual", years([1], [1], 2014), value=1.5)


def test_rounding_up_never_breaks_a_cap():
    # Hyp. cap 25,000,010: year 2 delivers 1,005,026 shares (rounded up, 20,100,520); year 3 has
    # 4,899,490 left = 244,974.5 shares: 244,974 delivered, the half share paid in cash (10.00).
    s = schedule(jiuqi(value_cap=25_000_010, share_rounding="up"))
    y2, y3 = s.rows[1:3]
    assert y2.shares_delivered == 1_005_026
    assert y3.shares_delivered == 244_974 and y3.cash == 10
    assert s.totals["paid_value"] == 25_000_010
    capped = schedule(CompensationTerms("cumulative_shares", years([10 * M] * 3, [0, 0, 0], 2014),
                                        base_shares=4_500_000, shares_cap=F(2_000_001, 2), method="shares",
                                        share_rounding="up", shares_held=5 * M))
    # 1,000,000.5 shares allowed: 1,000,000 delivered, the half share owed, never 1,000,001.
    assert capped.rows[0].shares_delivered == 1 * M and capped.rows[0].unpaid_shares == F(1, 2)
    # Method "both" (a third in cash), hyp.: year 2 has 10,000,002 of the cap left; a third in cash,
    # 952,381.14 shares rounded up would break it: 952,381 delivered, the fraction (1.00) in cash.
    both = schedule(CompensationTerms("cumulative_amount", years([10 * M] * 3, [0, 0, 0], 2020), value=90 * M,
                                      issue_price=7, method="both", cash_ratio=F(1, 3), value_cap=40_000_003,
                                      share_rounding="up", shares_held=10 * M))
    assert (both.rows[0].shares_delivered, both.rows[0].cash) == (2_857_143, 10 * M)
    assert (both.rows[1].shares_delivered, both.rows[1].cash) == (952_381, 3_333_335)
    assert both.totals["paid_value"] == 40_000_003


# ---- cumulative-only commitments: one test at the period end ---------------------------------------

def test_cumulative_end_amount_tests_only_the_last_year():
    # 众信's terms as a cumulative-only commitment (hypothetical actuals as above)
    terms = CompensationTerms("cumulative_end_amount", years([56_500_000, 70_620_000, 88_280_000],
                              [50 * M, 60 * M, 70 * M], 2014), value=630 * M, issue_price="81.56",
                              shares_held=800_000)
    y1, y2, y3 = schedule(terms).rows
    assert y1.amount_due == 0 and y2.amount_due == 0
    assert {n.code for n in y1.notes} >= {"cumulative_end_no_test"}
    total = F(215_400_000)
    assert y3.amount_due == (total - 180 * M) / total * 630 * M   # nothing paid before the one test
    assert money(y3.amount_due) == "103,537,604.46"
    assert "cumulative_end_test" in {n.code for n in y3.notes}


def test_cumulative_end_shares_needs_s_and_nets_nothing_before_the_end():
    terms = CompensationTerms("cumulative_end_shares", years([100 * M, 100 * M], [80 * M, 100 * M], 2020),
                              base_shares=1_000_000, issue_price="10", shares_held=1_000_000)
    y1, y2 = schedule(terms).rows
    assert y1.shares_due == 0
    assert y2.shares_due == F(20 * M, 200 * M) * 1_000_000 == 100_000
    with pytest.raises(ValueError, match="base_shares"):
        CompensationTerms("cumulative_end_shares", years([1, 1], [1, 1], 2020))
