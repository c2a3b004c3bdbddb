"""The IPO case: one offering plan (before issuance) or one completed/aborted offering."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, WithJsonSchema, field_validator, model_validator
from pydantic.json_schema import JsonSchemaValue

from .types import (
    BidShares,
    Board,
    Clock,
    Count,
    Date,
    DateChoice,
    IssuePrice,
    IssueShares,
    Lax,
    Months,
    Multiple,
    PeRatio,
    Percent,
    PercentTerm,
    Price,
    Shares,
    Strict,
    Text,
    Yuan,
    refuse_fractions,
)
from .waiver import MAX_WAIVERS, Waiver


class InvestorType(StrEnum):
    sponsor_subsidiary = "sponsor_subsidiary"
    employee_plan = "employee_plan"
    other = "other"
    unknown = "unknown"   # a line (usually an aggregate) whose members' kind the sources do not give


class PricingMethod(StrEnum):
    inquiry = "inquiry"   # 初步询价 (book-building among offline investors)
    direct = "direct"     # 直接定价
    book_building = "book_building"  # 累计投标询价 (price set after cumulative bidding on T)
    auction = "auction"   # 合格投资者网上竞价 (BSE): the price comes out of online bids


class HolderRelationship(StrEnum):
    controlling_holder = "controlling_holder"   # 控股股东
    actual_controller = "actual_controller"     # 实际控制人
    controller_related = "controller_related"   # 控股股东、实际控制人的关联方/一致行动人/亲属
    director_officer = "director_officer"       # 董事、监事、高级管理人员 (holding directly)
    other = "other"                             # any other pre-IPO holder


class OutcomeStatus(StrEnum):
    planned = "planned"
    completed = "completed"
    aborted = "aborted"
    suspended = "suspended"


class Disclosure(StrEnum):
    investment_risk_notice = "investment_risk_notice"  # 投资风险特别公告


class Disclosures(Strict):
    """Each notice true (published), false (not published) or absent (unknown). Written as a mapping,
    or as the older list of the notices published (a listed notice is true, the others unknown)."""

    investment_risk_notice: bool | None = Field(None, description="投资风险特别公告 published (true/false)")

    @model_validator(mode="before")
    @classmethod
    def _list_form(cls, data):
        if not isinstance(data, list):
            return data
        allowed = [d.value for d in Disclosure]
        for item in data:
            if not isinstance(item, str) or item not in allowed:
                raise ValueError(f"unknown notice {str(item)[:40]!r} (allowed: {', '.join(allowed)})")
        return {item: True for item in data}


_NOTICE = {"type": ["boolean", "null"]}
DISCLOSURES_TEXT = ("risk notices: a mapping {investment_risk_notice: true|false}, or a list of the notices "
                    "published (a listed notice is true; one not listed is unknown unless "
                    "disclosures_complete: true)")
DISCLOSURES_SCHEMA: JsonSchemaValue = {
    "description": DISCLOSURES_TEXT,
    "anyOf": [{"type": "object", "additionalProperties": False,
               "properties": {d.value: _NOTICE for d in Disclosure}},
              {"type": "array", "items": {"enum": [d.value for d in Disclosure]}}]}


class Issuer(Strict):
    name: Text = Field(description="发行人全称 / issuer's full name")
    short_name: Text | None = Field(None, description="证券简称 / short name")
    stock_code: str | None = Field(None, pattern=r"^\d{6}$", description="股票代码, six digits")
    board: Lax[Board] = Field(description="上市板块 / listing board")
    profitable: bool | None = Field(None, description="是否已盈利 / profitable at filing")
    weighted_voting_rights: bool | None = Field(None, description="是否存在表决权差异安排")
    red_chip: bool | None = Field(None, description="是否为红筹企业")
    listing_standard: Text | None = Field(None, description="招股说明书明确选择的上市标准 (as written)")
    listing_standard_market_cap: Yuan | None = Field(
        None, description="the chosen listing standard's minimum expected market cap, yuan (e.g. 5000000000)")


class Timetable(Strict):
    inquiry_date: Date | None = Field(None, description="初步询价日 (usually T-4 or T-3)")
    t_day: Date | None = Field(None, description="网上网下申购日 T; the date the rules are taken from")
    payment_date: Date | None = Field(None, description="缴款日 (T+2)")
    payment_cutoff: Clock | None = Field(
        None, description='网下缴款截止时间 on the payment day, "HH:MM" in quotes (e.g. "16:00")')
    listing_date: Date | None = Field(None, description="上市日")
    greenshoe_end: Date | None = Field(
        None, description="超额配售选择权行使期届满日 (the last day of the exercise window)")
    rules_date_reason: Text | None = Field(
        None, description="选用 rules_date 的理由 (required with rules_date), e.g. the transitional "
                          "provision and the date of the inquiry notice")
    rules_date: Date | None = Field(
        None, description="the date that selects the rules in force, when a transitional provision "
                          "keeps the offering on earlier rules (e.g. its inquiry notice came out before "
                          "2021-09-18); not after t_day; needs rules_date_reason; default: t_day")

    @field_validator("rules_date")
    @classmethod
    def _rules_date_explained(cls, value, info: ValidationInfo):
        if value is None:
            return value
        if info.data.get("rules_date_reason") is None:
            raise ValueError("rules_date needs rules_date_reason saying why the rules of that date apply "
                             "instead of those of t_day")
        t_day = info.data.get("t_day")
        if t_day is not None and value > t_day:
            raise ValueError(f"rules_date {value} is after t_day {t_day}: a transitional provision keeps "
                             "an offering on earlier rules, never later ones")
        return value


class Offering(Strict):
    issue_shares: IssueShares = Field(description="本次发行股数 / shares offered")
    post_issue_total_shares: Shares | None = Field(None, description="发行后总股本 / shares after the issue")
    price: IssuePrice | None = Field(None, description="发行价格, yuan per share (to the fen)")
    gross_proceeds: Yuan | None = Field(None, description="募集资金总额 as stated, yuan")
    old_shares: Shares | None = Field(
        None, description="老股转让/公开发售股份: existing shares sold by holders, included in issue_shares")
    greenshoe: bool | None = Field(
        None, description="设有超额配售选择权 (true/false); implied true by a greenshoe figure above 0, "
                          "false by greenshoe_shares: 0; absent: unknown")
    greenshoe_shares: IssueShares | None = Field(
        None, description="超额配售选择权: over-allotment option size in shares, on top of issue_shares")
    greenshoe_exercised_shares: Shares | None = Field(
        None, description="超额配售选择权实际行使股数: shares the issuer newly issued when the option was "
                          "exercised (known after the stabilisation period)")
    greenshoe_buyback_shares: Shares | None = Field(
        None, description="超额配售股票以竞价交易方式从二级市场购回的股数 (bought back by the underwriter)")
    greenshoe_buyback_max_price: Price | None = Field(
        None, description="购回的最高价格, yuan per share (the rules allow no more than the issue price)")
    par_value: Price | None = Field(
        None, description="每股面值, yuan (1.00 for most A shares); share capital = par value × shares")
    public_float_shares: Shares | None = Field(
        None, description="社会公众股东持股数 after the issue, as stated (BSE 上市公告书)")
    issue_pct: Percent | None = Field(
        None, description="发行股份占发行后总股本的比例 as stated, in percent (10 for 10%)")
    net_public_shares: Shares | None = Field(
        None, description="扣除最终战略配售数量后的发行数量 as stated (网下 + 网上 before the clawback); "
                          "stands in for issue − strategic total when the strategic figures are absent")
    gross_proceeds_rounding: Yuan | None = Field(
        None, description="the unit gross_proceeds is stated to, yuan: 100 for 万元 with two decimals "
                          "(the default), 0.01 for exact yuan")

    @model_validator(mode="after")
    def _greenshoe_consistent(self):
        sized = [x for x in (self.greenshoe_shares, self.greenshoe_exercised_shares) if x]
        if self.greenshoe is False and sized:
            raise ValueError("greenshoe: false contradicts a greenshoe figure above 0")
        if self.greenshoe is True and self.greenshoe_shares == 0:
            raise ValueError("greenshoe: true contradicts greenshoe_shares: 0")
        if self.greenshoe is False and self.greenshoe_buyback_shares:
            raise ValueError("greenshoe: false contradicts greenshoe_buyback_shares above 0")
        return self


class Benchmarks(Strict):
    median_all: Price | None = Field(None, description="剔除最高报价后网下投资者报价中位数")
    wavg_all: Price | None = Field(None, description="剔除最高报价后网下投资者报价加权平均数")
    median_ltf: Price | None = Field(None, description="公募/社保/养老金/年金/保险/QFII 报价中位数")
    wavg_ltf: Price | None = Field(None, description="公募/社保/养老金/年金/保险/QFII 报价加权平均数")


class Pricing(Strict):
    total_bid_shares: BidShares | None = Field(None, description="剔除无效报价后拟申购总量")
    excluded_bid_shares: BidShares | None = Field(None, description="高价剔除的拟申购数量")
    benchmarks: Benchmarks | None = Field(None, description="the four benchmark prices as published")
    ceiling: Price | None = Field(None, description="四数孰低值 as published")
    valid_bidder_count: Count | None = Field(None, description="提供有效报价的投资者家数")
    cutoff_at_issue_price: bool | None = Field(
        None, description="剔除部分的最低报价与发行价格相同、该价格的申报不再剔除 (pre-2021 tie rule: "
                          "the exclusion may then fall below 10%)")
    method: Lax[PricingMethod] = Field(
        PricingMethod.inquiry,
        description="inquiry (初步询价) / direct (直接定价) / book_building (累计投标询价)")
    issue_pe: PeRatio | None = Field(
        None, description="发行市盈率 as published (the announcement's highest of its bases, 2 decimals)")
    industry_pe: PeRatio | None = Field(
        None, description="中证指数发布的行业最近一个月平均静态市盈率 as published (2 decimals)")
    max_bid_shares: Shares | None = Field(
        None, description="网下单个配售对象拟申购数量上限 (the largest bid one placing object may make)")
    excluded_bid_pct: Percent | None = Field(
        None, description="高价剔除数量占拟申购总量的比例 as stated, in percent (2.9877)")
    price_notice_on_time: bool | None = Field(
        None, description="累计投标询价: 发行价格及网上中签率公告 submitted within the set time on T")


class StrategicInvestor(Strict):
    name: Text = Field(description="参与战略配售的投资者 (or a group of them)")
    type: Lax[InvestorType] = Field(description="sponsor_subsidiary / employee_plan / other")
    shares: IssueShares = Field(description="获配股数 (final)")
    lockup_months: Months | None = Field(None, description="限售期, months from listing")
    lockup_until: Date | None = Field(None, description="限售期届满日, when given as a date")
    # A line is one investor unless it says it groups several: a structural flag of the format
    # (the line's name and shares are the investor's), so its absence is a statement, not a gap.
    aggregate: bool = Field(False, description="true when this line groups several investors")
    investor_count: Count | None = Field(None, description="investors an aggregate line holds, if known")
    # Safe default: the line's required `type` states what its members are (an `other` line says
    # it holds no employee plan); this flag is the exception for a mixed aggregate line.
    includes_employee_plan: bool = Field(
        False, description="an aggregate line that holds an employee plan whose own shares are not given")
    pct_of_issue: Percent | None = Field(None, description="占本次发行股份数量的比例 as stated, in percent")
    paid: bool | None = Field(None, description="认购资金已按时足额缴付 (money received in time)")

    @model_validator(mode="after")
    def _count_only_for_aggregates(self):
        if self.investor_count is not None and not self.aggregate:
            raise ValueError("investor_count is only for a line with aggregate: true")
        if self.includes_employee_plan and not self.aggregate:
            raise ValueError("includes_employee_plan is only for a line with aggregate: true")
        return self


class Strategic(Strict):
    initial_shares: Shares | None = Field(None, description="初始战略配售数量")
    initial_pct: Percent | None = Field(None, description="初始战略配售占发行数量的比例 as stated, percent")
    final_shares: Shares | None = Field(
        None, description="最终战略配售数量 as stated (= sum of the lines); 0 says there is no strategic "
                          "placement. Without lines it is the strategic total; without either, the total is "
                          "unknown")
    final_pct: Percent | None = Field(None, description="最终战略配售占发行数量的比例 as stated, percent")
    investors: list[StrategicInvestor] = Field(default_factory=list, max_length=500,
                                               description="one line per strategic investor or group")
    lines_complete: bool = Field(
        True, description="false when the lines are only some of the strategic investors (the others' "
                          "allotments were not given): the total is then final_shares, and what is counted "
                          "over all lines (investor count, employee plans) is unknown")


class OfflineLockup(Strict):
    pct: PercentTerm = Field(description="share of each allotment locked, in percent (10 for 10%)")
    months: Months = Field(description="lock-up months from listing")

    @model_validator(mode="before")
    @classmethod
    def _old_fraction(cls, data):
        return refuse_fractions(data, {"ratio": "pct"})


class Allocation(Strict):
    offline_initial_shares: Shares | None = Field(None, description="网下初始发行数量 (after strategic)")
    online_initial_shares: Shares | None = Field(None, description="网上初始发行数量")
    offline_initial_pct: Percent | None = Field(
        None, description="网下初始发行数量占扣除最终战略配售后发行数量的比例 as stated, percent")
    online_initial_pct: Percent | None = Field(
        None, description="网上初始发行数量占扣除最终战略配售后发行数量的比例 as stated, percent")
    online_effective_multiple: Multiple | None = Field(None, description="网上有效申购倍数")
    clawback_shares: Shares | None = Field(None, description="回拨 from offline to online, shares")
    offline_final_shares: Shares | None = Field(None, description="回拨后网下最终发行数量")
    online_final_shares: Shares | None = Field(None, description="回拨后网上最终发行数量")
    online_cap_shares: Shares | None = Field(None, description="网上单个账户申购上限, shares")
    offline_lockup: OfflineLockup | None = Field(
        None, description="the offline tranche's proportional lock-up (ratio of each allotment, months)")


class Restriction(StrEnum):
    none = "none"                        # nothing applied (yet)
    education = "education"              # 合规教育 + 合规承诺 (compliance education and an undertaking)
    restricted_list = "restricted_list"  # 列入配售对象/网下投资者限制名单 for restriction_months


class DefaultRecord(Strict):
    """One violation by an offline placing object: SAC 网下投资者管理规则 item (1)–(21).

    Items as restated in announcements (catalogue-followup Q8): (1)–(14) the serious conduct items,
    (15) no pricing basis, (16) valid quote but no or short subscription, (17) late or short
    payment, (18)–(21) roll-over failures, inaccurate reports and the catch-all.
    """

    item: int = Field(ge=1, le=21, description="违规情形的项号 (1–21)")
    conduct: Text = Field(description="what happened, e.g. 有效报价未参与申购")
    date: Date = Field(description="the day it happened (e.g. T for no subscription, T+2 for non-payment)")
    offering: Text | None = Field(None, description="the offering it happened in (for earlier records)")
    reported_to_sac: bool | None = Field(None, description="主承销商已报中国证券业协会备案")
    report_date: Date | None = Field(None, description="报送协会日期")
    restriction: Lax[Restriction] | None = Field(None, description="none / education / restricted_list")
    restriction_months: Months | None = Field(None, description="限制名单期限, months")
    restricted_until: Date | None = Field(None, description="限制名单截止日 (last barred day)")

    @model_validator(mode="after")
    def _months_only_for_the_list(self):
        if self.restriction != Restriction.restricted_list and (
                self.restriction_months is not None or self.restricted_until is not None):
            raise ValueError("restriction_months / restricted_until need restriction: restricted_list")
        return self


class PlacingObject(Strict):
    """A 配售对象 (offline placing object) a rule needs to see: bidders, defaulters, restricted ones."""

    name: Text = Field(description="配售对象名称")
    code: str | None = Field(None, pattern=r"^[A-Za-z0-9\-]{1,40}$", description="配售对象编码 (SAC)")
    investor: Text | None = Field(None, description="网下投资者 (the manager the object belongs to)")
    bid: bool | None = Field(None, description="参与了初步询价报价 (valid or not); absent: unknown")
    valid_quote: bool | None = Field(None, description="提供了有效报价")
    online_subscribed: bool | None = Field(None, description="also subscribed in the online tranche")
    offline_subscribed: bool | None = Field(None, description="参与了网下申购 (offline subscription)")
    defaults: list[DefaultRecord] = Field(
        default_factory=list, max_length=21, description="违规/违约 in this offering (reported to SAC)")
    prior_defaults: list[DefaultRecord] | None = Field(
        None, max_length=200,
        description="the object's earlier records (other offerings): counts within the year, restrictions; "
                    "[] for none; absent: unknown")


class Results(Strict):
    offline_subscribed_shares: BidShares | None = Field(None, description="网下有效申购数量 (T, final price)")
    offline_paid_shares: Shares | None = Field(None, description="网下缴款认购股数")
    offline_abandoned_shares: Shares | None = Field(None, description="网下放弃认购股数")
    online_paid_shares: Shares | None = Field(None, description="网上缴款认购股数")
    online_abandoned_shares: Shares | None = Field(None, description="网上放弃认购股数")
    underwriter_takeup_shares: Shares | None = Field(None, description="保荐人(主承销商)包销股数")
    offline_locked_shares: Shares | None = Field(None, description="网下比例限售股份数量 as stated")
    offline_allottee_count: Count | None = Field(None, description="获得网下配售的配售对象家数")
    shareholder_count: Count | None = Field(None, description="发行后股东人数 as stated (BSE 上市公告书)")


class Holder(Strict):
    """One pre-IPO holder (发行前股东) and the lock-up it committed to."""

    name: Text = Field(description="股东名称")
    relationship: Lax[HolderRelationship] = Field(
        description="controlling_holder / actual_controller / controller_related / director_officer / other")
    shares: Shares | None = Field(None, description="发行前持股数 (absent: not stated)")
    acquired: Date | None = Field(None, description="取得股份的日期 (增资/受让的工商登记日), where stated")
    lockup_months: Months | None = Field(None, description="承诺的限售期, months from listing")
    lockup_months_from_acquisition: Months | None = Field(
        None, description="承诺的限售期, months from acquiring the shares (holders who came in shortly "
                          "before the filing)")
    price_drop_extension_months: Months | None = Field(
        None, description="承诺：上市后6个月内连续20个交易日收盘价低于发行价"
                          "（或6个月期末收盘价低于发行价）时，"
                          "锁定期自动延长的月数 (0: no such commitment)")
    annual_transfer_cap_pct: Percent | None = Field(
        None, description="任职期间每年转让不超过所持股份的比例, percent (25 for directors and officers)")
    since_profitable_lockup: bool | None = Field(
        None, description="未盈利企业：承诺公司实现盈利前不减持首发前股份 (true/false)")


class Holders(Strict):
    """The issuer's pre-IPO holders and their lock-up commitments
    (上市公告书: 发行前股东所持股份的限售安排)."""

    complete: bool = Field(
        description="true when the list names every pre-IPO holder; false when it names only some "
                    "(then what holds of every holder is unknown)")
    filing_date: Date | None = Field(None, description="首次申报（受理）日 (for holders who came in within "
                                                        "the 12 months before it)")
    # a structural flag, as disclosures_complete: without it a holder with no `acquired` date is unknown
    new_holders_dated: bool = Field(
        False, description="true when every holder that came in within the 12 months before the filing "
                           "(申报前12个月内新增股东) has its `acquired` date given: a holder without "
                           "one then "
                           "came in earlier")
    items: list[Holder] = Field(min_length=1, max_length=5000, description="one line per holder")


class Outcome(Strict):
    status: Lax[OutcomeStatus] = Field(OutcomeStatus.planned,
                                       description="planned / completed / aborted / suspended")
    reason: Text | None = Field(None, description="why the offering was aborted or suspended")
    regulator_order: bool | None = Field(
        None, description="证监会责令或交易所要求中止发行 (true/false); absent: unknown")


class IpoCase(Strict):
    case_type: Literal["ipo"] = Field(description="always ipo for this case type")
    id: str | None = Field(None, pattern=r"^[A-Za-z0-9_.\-]{1,80}$",
                           description="case id; default: the file name")
    issuer: Issuer = Field(description="the issuer: name, board, profitability, voting rights, red chip")
    timetable: Timetable = Field(Timetable(), description="T day and the other dates of the offering")
    offering: Offering = Field(description="issue size, share capital after the issue, price, proceeds")
    pricing: Pricing = Field(Pricing(), description="book-building figures: bids, exclusion, ceiling, P/E")
    strategic: Strategic = Field(Strategic(), description="the strategic placement and its investors")
    allocation: Allocation = Field(Allocation(), description="offline and online tranches, clawback, caps")
    holders: Holders | None = Field(
        None, description="the issuer's pre-IPO holders and their lock-ups (absent: not stated)")
    placing_objects: list[PlacingObject] = Field(
        default_factory=list, max_length=20000,
        description="offline placing objects a rule needs to see: bidders, defaulters, restricted ones")
    results: Results | None = Field(None, description="subscription and payment results (none in a plan)")
    outcome: Outcome = Field(Outcome(), description="whether the offering is planned, completed, aborted or "
                                                    "suspended")
    disclosures: Annotated[Disclosures, WithJsonSchema(DISCLOSURES_SCHEMA)] = Field(
        Disclosures(), description=DISCLOSURES_TEXT)
    # a structural flag: without it nothing is inferred from a notice's absence
    disclosures_complete: bool = Field(
        False, description="true when disclosures names every notice published (one not named is then "
                           "false)")
    waivers: list[Waiver] = Field(default_factory=list, max_length=MAX_WAIVERS,
                                  description="accepted findings: rule, reason, approver, expiry")


    @property
    def board(self) -> str | None:
        return self.issuer.board.value

    def disclosed(self, notice: Disclosure) -> bool | None:
        """True/false when the case says so (the mapping, a listed notice, a complete list); else None."""
        stated = getattr(self.disclosures, notice.value)
        if stated is None and self.disclosures_complete:
            return False
        return stated

    @property
    def as_of_date(self) -> dt.date | None:
        """The rules in force on T are applied, or on `rules_date` when a transitional provision
        keeps the offering on earlier rules."""
        return self.timetable.rules_date or self.timetable.t_day

    @property
    def dates(self) -> DateChoice:
        t = self.timetable
        return DateChoice("timetable.t_day", t.t_day, "timetable.rules_date", t.rules_date,
                          t.rules_date_reason)

    @property
    def has_results(self) -> bool:
        """Past the plan stage: results are stated, or the outcome is no longer `planned`. Results-
        stage rules (`stage: results`) on a plan are `pending`, not `not_evaluated`."""
        a = self.allocation
        return (self.results is not None or self.outcome.status != OutcomeStatus.planned
                or any(v is not None for v in (a.online_effective_multiple, a.clawback_shares,
                                               a.offline_final_shares, a.online_final_shares)))
