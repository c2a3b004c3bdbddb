"""A restructuring's performance commitment (业绩承诺), its compensation terms and the reward.

The fields are the terms of the compensation formula (checker/compensation/ computes what is owed
from them) and the compensation declared each year. Profits are yuan; an actual profit may be a
loss (negative). `None` in `actual_profit` is a year not yet reported.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from .types import (
    MAX_YUAN,
    Date,
    IssuePrice,
    Lax,
    PercentTerm,
    Shares,
    Strict,
    Text,
    Yuan,
    _decimals,
    _number,
    _whole,
    refuse_fractions,
)

Year = Annotated[int, BeforeValidator(_whole), Field(ge=1990, le=2100)]
ProfitYuan = Annotated[Decimal, BeforeValidator(_number), Field(ge=-MAX_YUAN, le=MAX_YUAN),
                       AfterValidator(_decimals(2))]
RewardPct = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=10000), AfterValidator(_decimals(4))]
"""A reward's share of its base in percent: 30 for 30%. Above 100 is allowed, so that a reward of
more than the whole excess is reported by the rule rather than refused as input."""
LongText = Annotated[str, Field(min_length=1, max_length=4000)]


class Formula(StrEnum):
    cumulative_amount = "cumulative_amount"    # (CumC − CumA) / ΣC × V − paid (众信, 胜利精密 Y1)
    cumulative_shares = "cumulative_shares"    # (CumC − CumA) / ΣC × S − paid (深桑达, 兴源, 久其, 省广)
    annual = "annual"                          # each year on its own
    dual_max = "dual_max"                      # annual test plus a final cumulative test, the higher (新宙邦)
    max_cumulative_annual = "max_cumulative_annual"   # max(cumulative, per-period) each year (胜利精密)
    cumulative_end_amount = "cumulative_end_amount"   # one cumulative test at the period end, × V
    cumulative_end_shares = "cumulative_end_shares"   # one cumulative test at the period end, × S


class Method(StrEnum):
    cash = "cash"
    shares = "shares"
    shares_first = "shares_first"   # 先股份, 不足部分现金
    cash_first = "cash_first"       # 先现金, 不足部分股份
    both = "both"                   # 同时以股份和现金


class Rounding(StrEnum):
    up = "up"
    down = "down"
    half_up = "half_up"
    none = "none"


class RewardBase(StrEnum):
    excess = "excess"                      # 实际净利润超过承诺净利润的部分
    price_adjustment = "price_adjustment"  # 对价调整: a price increase tied to the excess (省广)
    other = "other"


class Declared(Strict):
    year: Year = Field(description="the commitment year the compensation is for")
    shares: Shares | None = Field(None, description="补偿股份数 declared for the year")
    cash: Yuan | None = Field(None, description="补偿现金 declared for the year, yuan")


class Performed(Strict):
    """What was actually done for one year's compensation (业绩补偿履行情况), as reported."""

    year: Year = Field(description="the commitment year the compensation is for")
    shares_cancelled: Shares | None = Field(
        None, description="补偿股份已回购注销（或已划转/赠送）的数量 for the year")
    cash_paid: Yuan | None = Field(None, description="补偿现金已支付的金额 for the year, yuan")
    as_of: Date | None = Field(None, description="履行情况截至日 (the report's date)")
    note: LongText | None = Field(None, description="the performance as written")


class Impairment(Strict):
    amount: Yuan | None = Field(None, description="期末减值额, yuan")
    tested_at: Date | None = Field(None, description="减值测试基准日")


class Schedule(Strict):
    """Another commitment schedule that replaces the main one on a condition (e.g. later completion)."""

    condition: Text = Field(description="when it applies, as written (e.g. 如于2015年实施完毕)")
    years: list[Year] = Field(min_length=1, max_length=20, description="commitment years of this schedule")
    committed_profit: list[Yuan] = Field(min_length=1, max_length=20,
                                         description="committed net profit per year, yuan")

    _years = field_validator("years")(lambda cls, v: _consecutive(v))
    _committed = field_validator("committed_profit")(
        lambda cls, v, info: _per_year(v, info, "committed_profit"))


def _consecutive(years):
    if any(b != a + 1 for a, b in zip(years, years[1:], strict=False)):
        raise ValueError(f"years must be consecutive and increasing, got {years}")
    return years


def _per_year(values, info: ValidationInfo, name):
    years = info.data.get("years")
    if values is not None and years is not None and len(values) != len(years):
        raise ValueError(f"{name} has {len(values)} figures for {len(years)} years")
    return values


class DualTestTerms(Strict):
    """§3.3 新宙邦's two tests, as the contract states them (see checker/compensation/terms.py)."""

    annual_years: list[Year] = Field(min_length=1, max_length=20, description="years of the annual test")
    annual_floor: Yuan = Field(description="the annual test fires when the year's profit is below this")
    annual_base: Yuan = Field(description="(base − profit) / base × S × fraction")
    annual_share_divisor: Annotated[int, BeforeValidator(_whole), Field(ge=1, le=100)] = Field(
        description="each annual test uses S / divisor (新宙邦: 3)")
    profit_threshold: Yuan = Field(description="final profit test: cumulative profit target T, yuan")
    profit_denominator: Yuan = Field(description="as written (新宙邦: 20,000万, not 26,000万)")
    profit_netted_years: list[Year] = Field(
        default_factory=list, max_length=20,
        description="years whose compensated shares are deducted from the final profit test")
    cash_flow_years: list[Year] = Field(min_length=1, max_length=20,
                                        description="years summed by the final cash-flow test")
    cash_flow_threshold: Yuan = Field(description="final cash-flow test: cumulative cash-flow target")
    cash_flow_denominator: Yuan = Field(description="the final cash-flow test's denominator, as written")
    cash_flow_netted_years: list[Year] = Field(
        default_factory=list, max_length=20,
        description="years whose compensated shares are deducted from the final cash-flow test")


class Performance(Strict):
    @model_validator(mode="before")
    @classmethod
    def _old_fraction(cls, data):
        return refuse_fractions(data, {"cash_ratio": "cash_pct", "periodic_trigger": "periodic_trigger_pct"})

    asset: Text | None = Field(
        None, description="the target or asset group this commitment covers (several commitments per deal)")
    years: list[Year] = Field(min_length=1, max_length=20, description="业绩承诺期 (commitment years)")
    committed_profit: list[Yuan] | None = Field(None, description="承诺净利润 per year, yuan")
    actual_profit: list[ProfitYuan | None] | None = Field(
        None, description="实际净利润 per year, yuan; null for a year not yet reported")
    profit_basis: Text | None = Field(None, description="利润口径 as written, e.g. 扣非归母净利润")
    formula: Lax[Formula] | None = Field(
        None, description="cumulative_amount / cumulative_shares / annual / dual_max / "
                          "max_cumulative_annual / cumulative_end_amount / cumulative_end_shares "
                          "(one test at the period end)")
    formula_text: LongText | None = Field(None, description="the formula as written (Chinese)")
    valued_price: Yuan | None = Field(None, description="V: 标的资产(股权)的交易价格 the formula uses, yuan")
    issue_price: IssuePrice | None = Field(None, description="P: 发行股份价格, yuan per share")
    base_shares: Shares | None = Field(None, description="S: 认购股份总数 the formula uses")
    denominator: Yuan | None = Field(
        None, description="the formula's denominator when it is not Σ committed (新宙邦: 200,000,000)")
    method: Lax[Method] | None = Field(None, description="cash / shares / shares_first / cash_first / both")
    share_rounding: Lax[Rounding] | None = Field(
        None, description="how the contract rounds compensation shares: up / down / half_up / none")
    obligor_shares_held: Shares | None = Field(None, description="补偿义务人持有的股份 (for the cash top-up)")
    money_rounding: Lax[Rounding] | None = Field(None, description="cash to the fen: the rounding (half_up)")
    cash_pct: PercentTerm | None = Field(
        None, description="method both: the part of each amount paid in cash, in percent (25 for 25%)")
    value_cap: Yuan | None = Field(None, description="补偿上限 as a figure: total value (shares × P + cash)")
    shares_cap: Shares | None = Field(None, description="补偿股份上限 as a figure")
    periodic_trigger_pct: PercentTerm | None = Field(
        None, description="max_cumulative_annual: the per-period formula applies below this percentage "
                          "of C_t (80 for 80%)")
    operating_cash_flow: list[ProfitYuan | None] | None = Field(
        None, description="经营性净现金流 per year (dual_max's cash-flow test)")
    dual_test: DualTestTerms | None = Field(None, description="dual_max: the annual and final tests' terms")
    cap_text: Text | None = Field(None, description="补偿上限 as written")
    declared: list[Declared] = Field(default_factory=list, max_length=20,
                                     description="compensation declared per year")
    performed: list[Performed] = Field(
        default_factory=list, max_length=20,
        description="compensation performed per year: shares cancelled (回购注销) and cash paid")
    impairment: Impairment | None = Field(None, description="the period-end impairment test")
    conditional_schedules: list[Schedule] = Field(
        default_factory=list, max_length=5,
        description="other commitment schedules that replace the main one on a condition")
    inconsistencies: list[LongText] = Field(default_factory=list, max_length=20,
                                            description="where the source contradicts itself, as found")

    _years = field_validator("years")(lambda cls, v: _consecutive(v))
    _committed = field_validator("committed_profit")(
        lambda cls, v, info: _per_year(v, info, "committed_profit"))
    _actual = field_validator("actual_profit")(lambda cls, v, info: _per_year(v, info, "actual_profit"))
    _ocf = field_validator("operating_cash_flow")(
        lambda cls, v, info: _per_year(v, info, "operating_cash_flow"))

    @field_validator("declared", "performed")
    @classmethod
    def _one_line_per_commitment_year(cls, lines, info: ValidationInfo):
        what = f"{info.field_name} compensation"
        years = info.data.get("years") or []
        stray = [d.year for d in lines if d.year not in years]
        if stray:
            raise ValueError(f"{what} for {stray[0]}, outside the commitment years {years}")
        listed = [d.year for d in lines]
        if len(set(listed)) != len(listed):
            raise ValueError(f"{what} lists a year twice")
        return lines


class Reward(Strict):
    """业绩奖励: what the acquirer pays if the target beats its commitment."""

    @model_validator(mode="before")
    @classmethod
    def _old_fraction(cls, data):
        return refuse_fractions(data, {"ratio": "pct"})

    pct: RewardPct = Field(description="share of the base paid, in percent (30 for 30%)")
    base: Lax[RewardBase] = Field(description="excess / price_adjustment / other")
    recipients: Text | None = Field(None, description="who is rewarded, as written")
    cap_text: Text | None = Field(None, description="the reward's cap as written")
    price_cap_pct: Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=1000),
                             AfterValidator(_decimals(4))] | None = Field(
        None, description="the terms cap the reward at this percentage of the transaction price (20 for 20%)")
    amount: Yuan | None = Field(None, description="奖励金额 declared or paid, yuan")
    formula_text: LongText | None = Field(None, description="the reward formula as written")
