"""The restructuring case: a listed company buys assets with new shares and/or cash (发行股份购买资产).

Decisions:

- **Boards.** The Restructuring Measures (上市公司重大资产重组管理办法) apply to listed companies on
  every board, and `rules/_boards.yaml` records the IPO regimes' start dates, which say nothing about
  restructurings. So the case's `board` is None, like the investor case: restructuring rules carry
  no `applies.boards` (loading refuses one that does), and `acquirer.board` is recorded and copied
  onto the deal fact for a rule that needs it in `when`.
- **As-of date.** The announcement date (the rules in force when the deal was announced), or
  `rules_date` with `rules_date_note` saying why (e.g. the announcement date is not in the source
  and the deal is checked under the rules the CSRC applied when it approved it); `--as-of`
  overrides both.
- **Absent stays absent.** A relationship, holding period or lock-up the source does not state is
  left out; rules that need it report `not_evaluated`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from .performance import LongText, Performance, Reward
from .types import (
    Board,
    Count,
    Date,
    DateChoice,
    IssuePrice,
    Lax,
    Months,
    Percent,
    Price,
    Shares,
    Strict,
    Text,
    Yuan,
    _whole,
    _whole_json,
)
from .waiver import MAX_WAIVERS, Waiver


class Relationship(StrEnum):
    controlling_holder = "controlling_holder"   # 控股股东
    actual_controller = "actual_controller"     # 实际控制人
    controller_related = "controller_related"   # 其控制的关联人
    third_party = "third_party"                 # 其他特定对象


CONTROLLER_SIDE = {Relationship.controlling_holder, Relationship.actual_controller,
                   Relationship.controller_related}


class ValuationMethod(StrEnum):
    income = "income"                                    # 收益法 (收益现值法)
    hypothetical_development = "hypothetical_development"  # 假设开发法
    market = "market"                                    # 市场法
    asset_based = "asset_based"                          # 资产基础法


EARNINGS_BASED = {ValuationMethod.income, ValuationMethod.hypothetical_development}


class LockupStart(StrEnum):
    issuance_end = "issuance_end"   # 自股份发行结束之日起
    listing = "listing"             # 自股份上市之日起


class Acquirer(Strict):
    name: Text = Field(description="上市公司名称")
    short_name: Text | None = Field(None, description="the listed company's short name (证券简称)")
    stock_code: str | None = Field(None, pattern=r"^\d{6}$", description="six-digit stock code")
    board: Lax[Board] | None = Field(None, description="上市板块 (recorded; rules apply on every board)")


class Target(Strict):
    name: Text = Field(description="标的公司")
    stake_pct: Percent | None = Field(None, description="收购的股权比例, percent (70 for 70%)")
    price: Yuan | None = Field(None, description="交易作价 of this target, yuan")
    valuation: Yuan | None = Field(None, description="评估值/预估值 as stated, yuan")


class Consideration(Strict):
    total: Yuan | None = Field(None, description="交易作价 / 总对价, yuan")
    shares_value: Yuan | None = Field(None, description="以股份支付的对价, yuan")
    cash: Yuan | None = Field(None, description="以现金支付的对价, yuan")
    issue_price: IssuePrice | None = Field(None, description="发行股份价格, yuan per share")
    shares_issued: Shares | None = Field(None, description="发行股份数量")


WindowDays = Annotated[int, BeforeValidator(_whole), Field(ge=1, le=1000), _whole_json(1000)]


class Average(Strict):
    """One trading-price average the deal states for its pricing reference date."""

    days: WindowDays = Field(description="N: 定价基准日前N个交易日 (the Measures allow 20, 60 or 120)")
    price: Price | None = Field(
        None, description="定价基准日前N个交易日公司股票交易均价, yuan per share, as stated")
    floor: Price | None = Field(
        None, description="该均价的80%/90% as the deal states it (e.g. 交易均价的80%), yuan per share")


class Pricing(Strict):
    """发行股份购买资产的发行价格: the market reference price (市场参考价) and the price set against it.

    Ex-dividend adjustments: the figures are taken as the deal states them, as one set. The
    averages are those of the pricing reference date, so `issue_price` is the price as first set
    against them (发行价格调整前), and `consideration.issue_price` the price after any 除权除息
    adjustment (the one shares were issued at). When `issue_price` is left out the
    consideration's price is compared instead — right when the price was never adjusted; a case
    whose price was adjusted writes the unadjusted one here."""

    reference_date: Date | None = Field(None, description="定价基准日")
    reference_basis: Text | None = Field(
        None, description="定价基准日 as written (e.g. 第三届董事会第五次会议决议公告日)")
    window_days: WindowDays | None = Field(
        None, description="the window chosen as 市场参考价: 20, 60 or 120 (trading days)")
    averages: list[Average] = Field(default_factory=list, max_length=10,
                                    description="交易均价 and/or their stated 80%/90% per window")
    issue_price: IssuePrice | None = Field(
        None, description="发行价格 as set against the reference (before any 除权除息 adjustment)")
    adjustment: Text | None = Field(None, description="later adjustment of the price, as written")
    text: LongText | None = Field(None, description="the pricing clause as written")

    @field_validator("averages")
    @classmethod
    def _one_per_window(cls, averages):
        days = [a.days for a in averages]
        if len(set(days)) != len(days):
            raise ValueError("pricing.averages lists a window twice")
        return averages

    def average(self, days: int) -> Average | None:
        return next((a for a in self.averages if a.days == days), None)


class Tranche(Strict):
    shares: Shares | None = Field(None, description="shares issued in this tranche (本期发行股份数)")
    issued_on: Date | None = Field(None, description="本期股份发行结束日 (the tranche's issue date)")


class Instalments(Strict):
    """分期发行股份支付购买资产对价 (the 2025 revision's instalment payment)."""

    registration_date: Date | None = Field(
        None, description="中国证监会注册决定的日期 (one registration for all tranches)")
    tranches: list[Tranche] = Field(default_factory=list, max_length=20, description="each tranche, in order")
    text: LongText | None = Field(None, description="the instalment terms as written")


class Release(Strict):
    after_months: Months | None = Field(None, description="released this many months after the start")
    pct: Percent | None = Field(None, description="share of the counterparty's shares released, percent")
    shares: Shares | None = Field(None, description="shares released at this step")
    condition: Text | None = Field(None, description="解禁条件 as written")


class Lockup(Strict):
    months: Months | None = Field(None, description="锁定期, months")
    starts: Lax[LockupStart] | None = Field(None, description="issuance_end / listing")
    start_date: Date | None = Field(None, description="股份发行结束日/上市日, when known")
    or_compensation_done: bool = Field(
        False, description="…以及业绩补偿义务履行完毕之日较晚者 (the later of the months and compensation)")
    price_drop_extension_months: Months | None = Field(
        None, description="股价低于发行价时锁定期自动延长的月数 (0: no such commitment)")
    releases: list[Release] = Field(default_factory=list, max_length=20, description="分期解禁")
    text: LongText | None = Field(None, description="the lock-up as written")


class Counterparty(Strict):
    name: Text = Field(description="交易对方 (or a group of them)")
    aggregate: bool = Field(False, description="true when the line groups several counterparties")
    member_count: Count | None = Field(None, description="how many an aggregate line holds")
    relationship: Lax[Relationship] | None = Field(
        None, description="controlling_holder / actual_controller / controller_related / third_party")
    gains_control: bool | None = Field(None, description="通过认购本次发行的股份取得上市公司实际控制权")
    asset_held_months: Months | None = Field(
        None, description="取得股份时对用于认购股份的资产持续拥有权益的时间, months")
    private_fund: bool | None = Field(None, description="私募投资基金")
    fund_holding_months: Months | None = Field(None, description="私募基金投资期限 (months held)")
    shares_received: Shares | None = Field(None, description="取得的股份数")
    cash_received: Yuan | None = Field(None, description="取得的现金对价, yuan")
    receives_shares: bool | None = Field(
        None, description="paid (partly) in shares, when shares_received is not stated")
    obligor: bool | None = Field(None, description="业绩补偿义务人")
    target_controller: bool | None = Field(
        None, description="吸收合并: 被吸收合并方的控股股东、实际控制人或者其控制的关联人")
    lockup: Lockup | None = Field(None, description="the lock-up of the shares this counterparty receives")
    note: LongText | None = Field(None, description="anything else the source says about this counterparty")

    @model_validator(mode="after")
    def _consistent(self):
        if self.member_count is not None and not self.aggregate:
            raise ValueError("member_count is only for a line with aggregate: true")
        if self.fund_holding_months is not None and self.private_fund is not True:
            raise ValueError("fund_holding_months needs private_fund: true")
        if self.receives_shares is not None and self.shares_received is not None and \
                self.receives_shares != (self.shares_received > 0):
            raise ValueError("receives_shares contradicts shares_received")
        return self

    @property
    def controller_related(self) -> bool | None:
        if self.relationship is None:
            return None
        return self.relationship in CONTROLLER_SIDE


class RestructuringCase(Strict):
    case_type: Literal["restructuring"] = Field(description="always restructuring for this case type")
    id: str | None = Field(None, pattern=r"^[A-Za-z0-9_.\-]{1,80}$",
                           description="case id; default: the file name")
    sources: list[Text] = Field(default_factory=list, max_length=20,
                                description="where the figures come from")
    acquirer: Acquirer = Field(description="the listed company that buys the assets")
    targets: list[Target] = Field(min_length=1, max_length=50, description="the target companies bought")
    announcement_date: Date | None = Field(None, description="首次披露 (预案/报告书) date: the rules date")
    approval_date: Date | None = Field(None, description="证监会审核通过/核准 date")
    rules_date_note: Text | None = Field(None, description="why rules_date is used")
    rules_date: Date | None = Field(None, description="the date whose rules apply (not the announcement's)")
    consideration: Consideration = Field(Consideration(), description="the price and how it is paid")
    pricing: Pricing | None = Field(None, description="发行价格的市场参考价 (定价基准日, window, averages)")
    valuation_method: Lax[ValuationMethod] | None = Field(
        None, description="income / hypothetical_development / market / asset_based (定价参考的评估方法)")
    control_change: bool | None = Field(None, description="本次交易导致上市公司控制权变更")
    reorg_listing: bool | None = Field(None, description="构成重组上市 (backdoor listing)")
    absorption_merger: bool | None = Field(
        None, description="上市公司发行股份吸收合并 (the acquirer absorbs the target); "
                          "false: a purchase of assets")
    instalments: Instalments | None = Field(
        None, description="分期发行股份支付对价: registration and tranches")
    counterparties: list[Counterparty] = Field(min_length=1, max_length=500,
                                               description="the sellers (交易对方), one line each or grouped")
    performance: Performance | None = Field(None, description="the profit commitment and its compensation")
    commitments: list[Performance] = Field(
        default_factory=list, max_length=20,
        description="one commitment per target or asset group (each with its `asset`), "
                    "instead of `performance`")
    reward: Reward | None = Field(None, description="the performance reward (业绩奖励), if any")
    waivers: list[Waiver] = Field(default_factory=list, max_length=MAX_WAIVERS,
                                  description="accepted findings: rule, reason, approver, expiry")


    @field_validator("rules_date")
    @classmethod
    def _explained(cls, value, info: ValidationInfo):
        if value is not None and info.data.get("rules_date_note") is None:
            raise ValueError("rules_date needs rules_date_note saying why it is not the announcement date")
        announced = info.data.get("announcement_date")
        if value is not None and announced is not None and value > announced:
            raise ValueError(f"rules_date {value} is after announcement_date {announced}: the rules of a "
                             "later date never replace those of the announcement")
        return value

    @model_validator(mode="after")
    def _consistent(self):
        c = self.consideration
        if self.performance is not None and self.commitments:
            raise ValueError("give either performance (one commitment) or commitments (one per asset), "
                             "not both")
        for path, p in self.commitment_blocks():
            where = path[0] if len(path) == 1 else f"{path[0]}[{path[1]}]"
            if p.issue_price is not None and c.issue_price is not None and p.issue_price != c.issue_price:
                raise ValueError(f"{where}.issue_price {p.issue_price} differs from "
                                 f"consideration.issue_price {c.issue_price}")
        return self

    def commitment_blocks(self) -> list[tuple[tuple, Performance]]:
        """(document path, block) of every commitment: `performance`, or each of `commitments`."""
        if self.performance is not None:
            return [(("performance",), self.performance)]
        return [(("commitments", i), p) for i, p in enumerate(self.commitments)]

    @property
    def board(self) -> str | None:
        return None

    @property
    def as_of_date(self) -> dt.date | None:
        return self.rules_date or self.announcement_date

    @property
    def dates(self) -> DateChoice:
        return DateChoice("announcement_date", self.announcement_date, "rules_date", self.rules_date,
                          self.rules_date_note)

    has_results: ClassVar[bool] = True   # no plan stage: every rule is judged on what the deal states

    @property
    def issue_price(self):
        """P: the issue price, from the compensation terms or the consideration."""
        stated = [p.issue_price for _, p in self.commitment_blocks() if p.issue_price is not None]
        return (stated[0] if stated else None) or self.consideration.issue_price
