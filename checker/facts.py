"""Facts: what derive hands to the rules. One fact per offering, one per list item.

Every field a rule may name is declared here with its type, unit, one-line doc and bounds; the
rule compiler refuses names not declared for the rule's fact kind, and the encoder sends only
declared fields. A value of None means absent: a rule that needs it is `not_evaluated`.

Types: `int`; `dec` (a Decimal with at most `scale` decimals, sent to the engine as the integer
value × 10^scale); `bool`; `str`; `date` (sent as the day ordinal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import Position
from .positions import LazyPositions

MAX_ABS = 10**12   # default bound on numeric fact values; the compiler proves products stay in int64
ISSUE_HI = 10**11  # shares that may be multiplied by a price
DATE_HI = 3652059  # date.max as a day ordinal


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str            # int | dec | bool | str | date
    unit: str            # shares | yuan | price | ratio | multiple | months | count | flag | text | date
    doc: str
    scale: int = 0       # decimals kept for `dec`
    lo: int = 0          # bounds of the real value (before scaling)
    hi: int = MAX_ABS


@dataclass
class Fact:
    kind: str
    id: str
    values: dict[str, Any]
    positions: dict[str, Position] = field(default_factory=dict)
    related: dict[str, list[tuple[str, Position]]] = field(default_factory=dict)
    label: str = ""
    position: Position | None = None   # where the fact's own block starts
    # why a derived field is absent, {field: {"zh": …, "en": …}}; shown in its not_evaluated finding
    absent_reasons: dict[str, dict[str, str]] = field(default_factory=dict)

    def key(self, name: str) -> str:
        """The key as the case file writes it (`timetable.payment_cutoff` for the derived
        `timetable.payment_cutoff_minutes`, `strategic.investors[2].shares`); the field's own name
        when derive gave no path to a figure of its own, or the field is absent for a reason of its
        own (the T+2 day past the calendar's years: `timetable.t_day` itself is not missing)."""
        positions = self.positions
        path = positions.paths.get(name) if isinstance(positions, LazyPositions) else None
        if not path or len(path) < 2:
            return name
        assert isinstance(positions, LazyPositions)
        if name in self.absent_reasons and (positions.written(path)
                                            or str(path[-1]) == name.rsplit(".", 1)[-1]):
            return name   # a derived figure absent for a reason of its own, not a key left out
        out = ""
        for part in path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out


def _specs(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


# keyword sets shared by many fields
_SH: dict[str, Any] = dict(type="int", unit="shares")
_ISH: dict[str, Any] = dict(type="int", unit="shares", hi=ISSUE_HI)
# bid books of the largest offerings pass 10^12
_BID: dict[str, Any] = dict(type="int", unit="shares", hi=10**14)

OFFERING_FIELDS = _specs(
    FieldSpec("issuer.board", "str", "text", "上市板块 board code"),
    FieldSpec("issuer.profitable", "bool", "flag", "是否已盈利"),
    FieldSpec("issuer.weighted_voting_rights", "bool", "flag", "是否存在表决权差异安排"),
    FieldSpec("issuer.red_chip", "bool", "flag", "是否为红筹企业"),
    FieldSpec("offering.issue_shares", doc="本次发行股数", **_ISH),
    FieldSpec("offering.post_issue_total_shares", doc="发行后总股本", **_SH),
    FieldSpec("offering.price", "dec", "price", "发行价格 (yuan per share)", scale=2, hi=10**5),
    FieldSpec("offering.gross_proceeds", "dec", "yuan", "募集资金总额 as stated", scale=2, hi=10**14),
    FieldSpec("offering.old_shares", doc="老股转让股数 (part of the issue)", **_SH),
    FieldSpec("offering.greenshoe_shares",
              doc="超额配售选择权股数: as stated; 0 when the case says there is none; else absent",
              **_ISH),
    FieldSpec("offering.net_public_shares",
              doc="发行股数扣除最终战略配售数量: issue − strategic total, else as stated; else absent",
              lo=-MAX_ABS, **_SH),
    FieldSpec("pricing.ceiling", "dec", "price",
              "四数孰低值: the published ceiling, else the lowest of the four benchmarks", scale=4, hi=10**5),
    FieldSpec("pricing.ceiling_published", "bool", "flag",
              "the case states the published ceiling pricing.ceiling (then it is authoritative)"),
    *(FieldSpec(f"pricing.benchmarks.{name}", "dec", "price", f"{doc} as stated", scale=4, hi=10**5)
      for name, doc in (("median_all", "剔除最高报价后网下投资者报价中位数"),
                        ("wavg_all", "剔除最高报价后网下投资者报价加权平均数"),
                        ("median_ltf", "公募等六类资金报价中位数"),
                        ("wavg_ltf", "公募等六类资金报价加权平均数"))),
    FieldSpec("pricing.benchmark_count", "int", "count", "how many of the four benchmarks are stated (0–4)",
              hi=4),
    FieldSpec("pricing.benchmarks_low", "dec", "price", "the lowest benchmark stated; absent when none is",
              scale=4, hi=10**5),
    FieldSpec("pricing.ceiling_at_most", "dec", "price",
              "the published ceiling, else the lowest benchmark stated: the ceiling is at most this "
              "(for messages; rules compare with min() of the benchmarks)", scale=4, hi=10**5),
    FieldSpec("pricing.valid_bidder_count", "int", "count", "提供有效报价的投资者家数"),
    FieldSpec("pricing.cutoff_at_issue_price", "bool", "flag",
              "剔除部分最低价格等于发行价格，该价格申报不再剔除 (pre-2021 tie rule)"),
    FieldSpec("pricing.method", "str", "text",
              "inquiry (初步询价) / direct (直接定价) / book_building (累计投标询价)"),
    FieldSpec("pricing.issue_pe", "dec", "multiple", "发行市盈率", scale=2, hi=10**6),
    FieldSpec("pricing.industry_pe", "dec", "multiple", "中证指数行业市盈率", scale=2, hi=10**6),
    FieldSpec("pricing.total_bid_shares", doc="剔除无效报价后拟申购总量", **_BID),
    FieldSpec("pricing.excluded_bid_shares", doc="高价剔除数量", **_BID),
    FieldSpec("pricing.max_bid_shares", doc="网下单个配售对象拟申购数量上限", **_SH),
    FieldSpec("strategic.initial_shares", doc="初始战略配售数量", **_SH),
    FieldSpec("strategic.total_shares",
              doc="最终战略配售数量: sum of the lines, else final_shares, else issue − stated net public",
              **_SH),
    FieldSpec("strategic.lines_total", doc="sum of the strategic lines (absent when none is listed)", **_SH),
    FieldSpec("strategic.investor_count", "int", "count",
              "参与战略配售的投资者家数; absent when an aggregate line has no count"),
    FieldSpec("strategic.sponsor_shares", doc="保荐人相关子公司跟投股数 (sum of sponsor lines)", **_ISH),
    FieldSpec("strategic.sponsor_lines", "int", "count", "number of sponsor-subsidiary lines"),
    FieldSpec("strategic.employee_plan_shares", doc="员工专项资管计划获配股数 (sum)", **_SH),
    FieldSpec("allocation.offline_initial_shares", doc="网下初始发行数量", **_SH),
    FieldSpec("allocation.online_initial_shares", doc="网上初始发行数量", **_SH),
    FieldSpec("allocation.online_effective_multiple", "dec", "multiple", "网上有效申购倍数", scale=5,
              hi=10**9),
    FieldSpec("allocation.clawback_shares", doc="回拨股数 offline → online", **_SH),
    FieldSpec("allocation.offline_final_shares", doc="回拨后网下最终发行数量", **_SH),
    FieldSpec("allocation.online_final_shares", doc="回拨后网上最终发行数量", **_SH),
    FieldSpec("allocation.online_cap_shares", doc="网上单个账户申购上限", **_SH),
    FieldSpec("allocation.online_cap_lots_remainder", doc="网上申购上限除以500股的余数 (0 = whole lots)",
              **_SH),
    FieldSpec("allocation.offline_lockup_ratio", "dec", "ratio", "网下比例限售比例", scale=6, hi=1),
    FieldSpec("allocation.offline_lockup_months", "int", "months", "网下限售期 (months)"),
    FieldSpec("results.offline_paid_shares", doc="网下缴款认购股数", **_SH),
    FieldSpec("results.online_paid_shares", doc="网上缴款认购股数", **_SH),
    FieldSpec("results.underwriter_takeup_shares", doc="主承销商包销股数", **_SH),
    FieldSpec("outcome.status", "str", "text", "planned / completed / aborted / suspended"),
    FieldSpec("disclosures.investment_risk_notice", "bool", "flag",
              "投资风险特别公告 published (absent unless listed, stated, or the list is complete)"),
    FieldSpec("timetable.inquiry_date", "date", "date", "初步询价日", hi=DATE_HI),
    FieldSpec("timetable.t_day", "date", "date", "网上网下申购日 T", hi=DATE_HI),
    FieldSpec("timetable.payment_date", "date", "date", "网下缴款日 as stated", hi=DATE_HI),
    FieldSpec("timetable.payment_cutoff_minutes", "int", "clock",
              "网下缴款截止时间 on the payment day, in minutes after midnight", hi=24 * 60 - 1),
    FieldSpec("timetable.payment_due_date", "date", "date",
              "T+2: the second exchange trading day after T (SSE/SZSE calendar)", hi=DATE_HI),
)

_PCT: dict[str, Any] = dict(type="dec", unit="percent", scale=4, hi=100)
_STEP: dict[str, Any] = dict(type="dec", unit="percent", scale=4, hi=1)
_CAP: dict[str, Any] = dict(type="dec", unit="yuan", scale=2, hi=10**15)

# Declared figures checked against their parts, and the facts of the abort conditions
# (checker/derive/consistency.py). A `*_step` is the last decimal place its percentage was stated to.
OFFERING_FIELDS.update(_specs(
    FieldSpec("issuer.listing_standard_market_cap", doc="所选上市标准要求的预计市值下限", **_CAP),
    FieldSpec("offering.expected_market_cap", doc="预计发行后总市值 = 发行价格 × 发行后总股本", **_CAP),
    FieldSpec("offering.gross_proceeds_rounding", "dec", "yuan",
              "募集资金总额的表述精度 (¥100 = 万元两位小数, the default)", scale=2, hi=10**8),
    FieldSpec("offering.has_greenshoe", "bool", "flag",
              "设有超额配售选择权 (greenshoe, or a greenshoe figure: > 0 yes, greenshoe_shares 0 no)"),
    FieldSpec("offering.has_old_shares", "bool", "flag",
              "含老股转让 (old_shares > 0; absent when not stated)"),
    FieldSpec("offering.gross_proceeds_stated", "bool", "flag", "the case states gross_proceeds"),
    FieldSpec("offering.issue_pct_stated", "bool", "flag", "the case states issue_pct"),
    FieldSpec("offering.stated_net_public_shares",
              doc="扣除最终战略配售后的发行数量 as stated (offering.net_public_shares)", **_SH),
    FieldSpec("offering.net_public_shares_stated", "bool", "flag",
              "the case states offering.net_public_shares"),
    FieldSpec("strategic.total_stated", "bool", "flag",
              "the case lists strategic lines or states strategic.final_shares"),
    FieldSpec("offering.issue_pct", doc="发行股份占发行后总股本比例 (stated, %)", **_PCT),
    FieldSpec("offering.issue_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("pricing.excluded_bid_pct", doc="高价剔除比例 (stated, %)", **_PCT),
    FieldSpec("pricing.excluded_bid_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("pricing.excluded_ratio_num", doc="高价剔除数量 ÷ 拟申购总量, in lowest terms: numerator",
              **_SH),
    FieldSpec("pricing.excluded_ratio_den", doc="the same ratio in lowest terms: denominator", **_SH),
    FieldSpec("pricing.excluded_bid_pct_stated", "bool", "flag", "the case states excluded_bid_pct"),
    FieldSpec("pricing.excluded_shares_stated", "bool", "flag",
              "the case states excluded_bid_shares and a positive total_bid_shares"),
    FieldSpec("pricing.exclusion_num", "int", "count",
              "高价剔除比例 as num/den: the share counts in lowest terms, else 2·10^4 × excluded_bid_pct"),
    FieldSpec("pricing.exclusion_den", "int", "count",
              "its denominator: the bid total in lowest terms, else 2·10^6 (100%)", lo=1),
    FieldSpec("pricing.exclusion_tol", "int", "count",
              "the tolerance over the same denominator: 0 for share counts, half the stated "
              "percentage's last decimal place otherwise", hi=10**6),
    FieldSpec("pricing.price_notice_on_time", "bool", "flag", "累计投标: 发行价格及网上中签率公告按时提交"),
    FieldSpec("strategic.initial_pct", doc="初始战略配售比例 (stated, %)", **_PCT),
    FieldSpec("strategic.initial_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("strategic.final_shares", doc="最终战略配售数量 as stated", **_SH),
    FieldSpec("strategic.final_shares_stated", "bool", "flag", "the case states strategic.final_shares"),
    FieldSpec("strategic.initial_shares_stated", "bool", "flag", "the case states strategic.initial_shares"),
    FieldSpec("strategic.lines_listed", "bool", "flag", "the case lists strategic lines"),
    FieldSpec("strategic.initial_pct_stated", "bool", "flag", "the case states strategic.initial_pct"),
    FieldSpec("strategic.final_pct_stated", "bool", "flag", "the case states strategic.final_pct"),
    FieldSpec("strategic.final_pct", doc="最终战略配售比例 (stated, %)", **_PCT),
    FieldSpec("strategic.final_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("strategic.sponsor_paid", "bool", "flag",
              "保荐人相关子公司已跟投并足额缴款 (false when the lines listed have no sponsor line or "
              "the case says there is no placement; absent without lines)"),
    FieldSpec("allocation.offline_initial_pct", doc="网下初始发行比例 (stated, %)", **_PCT),
    FieldSpec("allocation.offline_initial_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("allocation.online_initial_pct", doc="网上初始发行比例 (stated, %)", **_PCT),
    FieldSpec("allocation.online_initial_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("allocation.offline_initial_pct_stated", "bool", "flag", "the case states offline_initial_pct"),
    FieldSpec("allocation.online_initial_pct_stated", "bool", "flag", "the case states online_initial_pct"),
    FieldSpec("allocation.clawback_stated", "bool", "flag", "the case states clawback_shares"),
    FieldSpec("results.offline_subscribed_shares", doc="网下有效申购数量", **_BID),
    FieldSpec("results.offline_abandoned_shares", doc="网下放弃认购股数", **_SH),
    FieldSpec("results.online_abandoned_shares", doc="网上放弃认购股数", **_SH),
    FieldSpec("results.offline_locked_shares", doc="网下比例限售股份数量 as stated", **_SH),
    FieldSpec("results.offline_allottee_count", "int", "count", "获配的网下配售对象家数"),
    FieldSpec("outcome.regulator_order", "bool", "flag", "证监会/交易所责令或要求中止发行"),
))

# The listing conditions and the over-allotment option (checker/derive/listing.py).
OFFERING_FIELDS.update(_specs(
    FieldSpec("offering.par_value", "dec", "price", "每股面值 (yuan)", scale=4, hi=10**3),
    FieldSpec("offering.share_capital", doc="发行后股本总额 = 每股面值 × 发行后总股本 (yuan)", **_CAP),
    FieldSpec("offering.public_float_shares", doc="社会公众股东持股数 as stated", **_SH),
    FieldSpec("offering.greenshoe_exercised_shares", doc="超额配售选择权行使时发行人新增发行的股数", **_SH),
    FieldSpec("offering.greenshoe_buyback_shares", doc="超额配售股票从二级市场购回的股数", **_SH),
    FieldSpec("offering.greenshoe_buyback_max_price", "dec", "price", "超额配售购回最高价格", scale=4,
              hi=10**5),
    FieldSpec("timetable.listing_date", "date", "date", "上市日", hi=DATE_HI),
    FieldSpec("timetable.greenshoe_end", "date", "date", "超额配售选择权行使期届满日 as stated", hi=DATE_HI),
    FieldSpec("timetable.greenshoe_window_end", "date", "date",
              "the 30th calendar day from listing, the listing day counted (上市之日起30个自然日)",
              hi=DATE_HI),
    FieldSpec("results.shareholder_count", "int", "count", "发行后股东人数 as stated"),
))

INVESTOR_FIELDS = _specs(
    FieldSpec("investor.name", "str", "text", "投资者名称"),
    FieldSpec("investor.type", "str", "text", "sponsor_subsidiary / employee_plan / other"),
    FieldSpec("investor.shares", doc="获配股数", **_ISH),
    FieldSpec("investor.aggregate", "bool", "flag", "the line groups several investors"),
    FieldSpec("investor.lockup_months", "int", "months",
              "限售期 in whole months from listing (given, or from lockup_until and the listing date)"),
    FieldSpec("investor.lockup_both_stated", "bool", "flag",
              "the line states both lockup_months and lockup_until"),
    FieldSpec("investor.lockup_until", "date", "date", "限售期届满日 as stated (the last locked day)",
              hi=DATE_HI),
    FieldSpec("investor.lockup_months_end", "date", "date",
              "the last locked day lockup_months gives: listing date + months − 1 day", hi=DATE_HI),
    FieldSpec("offering.issue_shares", doc="本次发行股数 (copied from the offering)", **_ISH),
    FieldSpec("investor.pct_of_issue", doc="占发行股份数量比例 (stated, %)", **_PCT),
    FieldSpec("investor.pct_of_issue_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("investor.pct_of_issue_stated", "bool", "flag", "the line states pct_of_issue"),
)

HOLDER_FIELDS = _specs(
    FieldSpec("holder.name", "str", "text", "发行前股东名称"),
    FieldSpec("holder.relationship", "str", "text",
              "controlling_holder / actual_controller / controller_related / director_officer / other"),
    FieldSpec("holder.controller_side", "bool", "flag", "控股股东、实际控制人或其关联方"),
    FieldSpec("holder.shares", doc="发行前持股数", **_SH),
    FieldSpec("holder.acquired", "date", "date", "取得股份日期", hi=DATE_HI),
    FieldSpec("holder.lockup_months", "int", "months",
              "限售期 in whole months from listing (stated, or what a commitment counted from acquisition "
              "gives)"),
    FieldSpec("holder.lockup_end", "date", "date", "限售期最后一日 the commitments give", hi=DATE_HI),
    FieldSpec("holder.new_within_12m", "bool", "flag",
              "申报前12个月内取得股份 (acquired after filing − 12 months)"),
    FieldSpec("holder.acquisition_36m_end", "date", "date", "取得股份之日起36个月的最后一日", hi=DATE_HI),
    FieldSpec("holder.price_drop_extension_months", "int", "months",
              "股价低于发行价时锁定期自动延长的月数 (0: no such commitment)"),
    FieldSpec("holder.annual_transfer_cap_pct", doc="任职期间每年转让比例上限 (%)", **_PCT),
    FieldSpec("holder.since_profitable_lockup", "bool", "flag", "承诺盈利前不减持首发前股份"),
    FieldSpec("holders.complete", "bool", "flag", "the list names every pre-IPO holder"),
    FieldSpec("holders.filing_date", "date", "date", "首次申报（受理）日", hi=DATE_HI),
    FieldSpec("holders.pre_issue_total",
              doc="发行前总股本: the listed holders' shares (a complete list only)",
              **_SH),
    FieldSpec("issuer.board", "str", "text", "上市板块 (copied from the issuer)"),
    FieldSpec("issuer.profitable", "bool", "flag", "是否已盈利 (copied from the issuer)"),
)

PLACING_OBJECT_FIELDS = _specs(
    FieldSpec("object.name", "str", "text", "配售对象名称"),
    FieldSpec("object.bid", "bool", "flag", "参与了初步询价报价"),
    FieldSpec("object.valid_quote", "bool", "flag", "提供了有效报价"),
    FieldSpec("object.online_subscribed", "bool", "flag", "also subscribed online"),
    FieldSpec("object.offline_subscribed", "bool", "flag", "参与了网下申购"),
    FieldSpec("object.restricted", "bool", "flag",
              "an earlier record put the object on the restricted list (prior_defaults)"),
    FieldSpec("object.restricted_until", "date", "date",
              "限制名单截止日: the latest restricted_until of its earlier records"),
    FieldSpec("object.inquiry_date", "date", "date", "初步询价日 (copied from the timetable)"),
)

PLACING_DEFAULT_FIELDS = _specs(
    FieldSpec("default.object", "str", "text", "配售对象名称"),
    FieldSpec("default.item", "int", "count", "协会规则违规情形项号 (1–21)", hi=21),
    FieldSpec("default.conduct", "str", "text", "违规情形"),
    FieldSpec("default.date", "date", "date", "违规发生日"),
    FieldSpec("default.reported_to_sac", "bool", "flag", "已报中国证券业协会"),
    FieldSpec("default.report_date", "date", "date", "报送协会日期"),
    FieldSpec("default.restriction", "str", "text", "none / education / restricted_list"),
    FieldSpec("default.restriction_months", "int", "months", "限制名单期限 (months)"),
    FieldSpec("default.restricted_until", "date", "date", "限制名单截止日"),
    FieldSpec("default.restriction_text", "str", "text", "the restriction as recorded, for messages"),
    FieldSpec("default.count_in_year", "int", "count",
              "本年度第几次: the object's records of the same item group (1–14, 15–17, 18–21) in the "
              "same calendar year up to this one, this one included"),
)

ACCOUNT_FIELDS = _specs(
    FieldSpec("investor.name", "str", "text", "投资者名称"),
    FieldSpec("investor.abandonments", "int", "count", "放弃认购次数 (all products)"),
    FieldSpec("investor.ban_windows", "int", "count", "限制网上申购期间的个数"),
)

SUBSCRIPTION_FIELDS = _specs(
    FieldSpec("subscription.date", "date", "date", "网上申购日"),
    FieldSpec("subscription.product", "str", "text", "ipo / cdr / cb / eb"),
    FieldSpec("subscription.security", "str", "text", "证券简称"),
    FieldSpec("subscription.has_window", "bool", "flag",
              "a ban window (3 abandonments in 12 months) started on or before the subscription date"),
    FieldSpec("subscription.ban_start", "date", "date",
              "start of the latest ban window started by then (the day after the 3rd report)"),
    FieldSpec("subscription.ban_end", "date", "date", "its last day (start + 179 days: 180 days 含次日)"),
    FieldSpec("subscription.ban_reports", "str", "text",
              "the abandonment report dates in the 12 months that triggered it"),
)

# Restructuring (checker/derive/restructuring.py): one `deal` fact, one `counterparty` fact per line.
_YUAN: dict[str, Any] = dict(type="dec", unit="yuan", scale=2, hi=10**14)

DEAL_FIELDS = _specs(
    FieldSpec("acquirer.board", "str", "text", "上市公司所在板块 (recorded; rules apply on every board)"),
    FieldSpec("deal.price", doc="交易作价 (consideration.total), yuan", **_YUAN),
    FieldSpec("deal.earnings_valuation", "bool", "flag",
              "以收益法、假设开发法等基于未来收益预期的方法评估作为定价依据"),
    FieldSpec("deal.control_change", "bool", "flag",
              "本次交易导致控制权变更 (stated, or a counterparty gains control)"),
    FieldSpec("deal.reorg_listing", "bool", "flag", "构成重组上市"),
    FieldSpec("deal.issues_shares", "bool", "flag",
              "以发行股份支付对价 (a counterparty receives shares, or shares_issued is stated)"),
    FieldSpec("deal.absorption_merger", "bool", "flag", "上市公司发行股份吸收合并"),
    FieldSpec("instalment.stated", "bool", "flag", "分期发行股份支付对价 (an instalments block)"),
    FieldSpec("instalment.registration_expiry", "date", "date",
              "注册决定有效期的最后一日 (registration date + 48 months − 1 day)", hi=DATE_HI),
    FieldSpec("instalment.registration_expiry_12m", "date", "date",
              "注册文件12个月有效期的最后一日 (before the 2025 revision)", hi=DATE_HI),
    FieldSpec("instalment.last_issued_on", "date", "date", "the last tranche's issue date", hi=DATE_HI),
    FieldSpec("pricing.stated", "bool", "flag",
              "the case states the issue price's reference (a pricing block)"),
    FieldSpec("pricing.window_stated", "bool", "flag", "the case says which window is the 市场参考价"),
    FieldSpec("pricing.window_days", "int", "count", "市场参考价的交易日窗口 (20/60/120)", hi=1000),
    FieldSpec("pricing.reference_price", "dec", "price",
              "市场参考价: the chosen window's 交易均价, else the lowest of the 20/60/120-day averages "
              "when all three are stated", scale=4, hi=10**5),
    FieldSpec("pricing.stated_floor", "dec", "price",
              "the deal's own 交易均价的80%/90% for the same window (chosen, else the lowest)",
              scale=4, hi=10**5),
    FieldSpec("pricing.floor_stated", "bool", "flag", "pricing.stated_floor is known"),
    FieldSpec("pricing.issue_price", "dec", "price",
              "发行价格 as set against the reference (pricing.issue_price, else consideration.issue_price)",
              scale=2, hi=10**5),
    FieldSpec("comp.has_commitment", "bool", "flag", "有业绩承诺及补偿安排 (a performance block)"),
    FieldSpec("comp.period_years", "int", "count", "业绩承诺期年数", hi=100),
    FieldSpec("comp.method", "str", "text", "补偿方式 cash / shares / shares_first / cash_first / both"),
    FieldSpec("comp.declared_count", "int", "count", "已申报补偿的年度数", hi=100),
    FieldSpec("comp.declared_shares", doc="已申报补偿股份合计", **_SH),
    FieldSpec("comp.declared_cash", doc="已申报补偿现金合计, yuan", **_YUAN),
    FieldSpec("comp.declared_value", doc="已申报补偿总额 = 补偿股份 × 发行价格 + 补偿现金, yuan", **_YUAN),
    FieldSpec("comp.issue_price", "dec", "price", "发行股份价格 P", scale=2, hi=10**5),
    FieldSpec("comp.obligor_shares", doc="补偿义务人取得的股份合计", **_SH),
    FieldSpec("comp.obligor_consideration",
              doc="补偿义务人取得的对价合计 (股份 × 发行价格 + 现金; or the whole price when every "
                  "counterparty is an obligor), yuan", **_YUAN),
    FieldSpec("reward.has_reward", "bool", "flag", "有业绩奖励安排"),
    FieldSpec("reward.base", "str", "text", "奖励基数 excess / price_adjustment / other"),
    FieldSpec("reward.ratio", "dec", "ratio", "奖励比例 (of the base)", scale=6, hi=100),
    FieldSpec("reward.price_cap_pct", "dec", "percent", "约定的奖励上限占交易作价的比例 (%)", scale=4,
              hi=1000),
    FieldSpec("reward.excess", doc="超额业绩 = Σ实际净利润 − Σ承诺净利润 (all years reported), yuan",
              lo=-10**14, **_YUAN),
    FieldSpec("reward.amount_known", "bool", "flag", "the reward amount is known (declared, or computable)"),
    FieldSpec("reward.amount", doc="奖励金额: declared, else ratio × max(excess, 0) for an excess base "
                                   "(to the fen, half up), yuan", **_YUAN),
)

COUNTERPARTY_FIELDS = _specs(
    FieldSpec("counterparty.name", "str", "text", "交易对方"),
    FieldSpec("counterparty.relationship", "str", "text",
              "controlling_holder / actual_controller / controller_related / third_party"),
    FieldSpec("counterparty.controller_related", "bool", "flag", "控股股东、实际控制人或者其控制的关联人"),
    FieldSpec("counterparty.gains_control", "bool", "flag", "通过认购本次发行的股份取得实际控制权"),
    FieldSpec("counterparty.asset_held_months", "int", "months", "对用于认购股份的资产持续拥有权益的月数",
              hi=1200),
    FieldSpec("counterparty.private_fund", "bool", "flag", "私募投资基金"),
    FieldSpec("counterparty.fund_holding_months", "int", "months", "私募基金投资期限 (months)", hi=1200),
    FieldSpec("counterparty.receives_shares", "bool", "flag", "以资产认购取得上市公司股份"),
    FieldSpec("counterparty.shares_received", doc="取得的股份数", **_SH),
    FieldSpec("counterparty.obligor", "bool", "flag", "业绩补偿义务人"),
    FieldSpec("counterparty.target_controller", "bool", "flag",
              "吸收合并: 被吸收合并方的控股股东、实际控制人或其控制的关联人"),
    FieldSpec("counterparty.lockup_months", "int", "months", "锁定期 (months)", hi=1200),
    FieldSpec("counterparty.lockup_end", "date", "date",
              "锁定期最后一日 (start_date + months − 1 day), when the start date is known", hi=DATE_HI),
    FieldSpec("counterparty.price_drop_extension_months", "int", "months",
              "股价低于发行价时锁定期自动延长的月数 (0: none)", hi=1200),
    FieldSpec("deal.earnings_valuation", "bool", "flag", "基于未来收益预期的估值 (copied from the deal)"),
    FieldSpec("deal.control_change", "bool", "flag", "本次交易导致控制权变更 (copied from the deal)"),
    FieldSpec("deal.reorg_listing", "bool", "flag", "构成重组上市 (copied from the deal)"),
    FieldSpec("deal.absorption_merger", "bool", "flag", "上市公司发行股份吸收合并 (copied from the deal)"),
    FieldSpec("comp.has_commitment", "bool", "flag", "有业绩承诺及补偿安排 (copied from the deal)"),
    FieldSpec("comp.method", "str", "text", "补偿方式 (copied from the deal)"),
)

COMP_YEAR_FIELDS = _specs(
    FieldSpec("comp_year.year", "int", "year",
              "the commitment year a compensation is declared or performed for", hi=2100),
    FieldSpec("comp_year.declared_stated", "bool", "flag", "the case declares compensation for the year"),
    FieldSpec("comp_year.declared_shares", doc="补偿股份数 declared for the year", **_SH),
    FieldSpec("comp_year.declared_cash", "dec", "yuan", "补偿现金 declared for the year", scale=2, hi=10**14),
    FieldSpec("comp_year.formula_shares", doc="shares the agreed formula gives for the year", **_SH),
    FieldSpec("comp_year.formula_cash", "dec", "yuan", "cash the agreed formula gives for the year",
              scale=2, hi=10**14),
    FieldSpec("comp_year.due_shares", doc="补偿股份 due for the year: declared, else the formula's", **_SH),
    FieldSpec("comp_year.due_cash", "dec", "yuan", "补偿现金 due for the year: declared, else the formula's",
              scale=2, hi=10**14),
    FieldSpec("comp_year.performed_stated", "bool", "flag",
              "the case reports what was performed for the year"),
    FieldSpec("comp_year.performed_shares", doc="补偿股份已回购注销 for the year", **_SH),
    FieldSpec("comp_year.performed_cash", "dec", "yuan", "补偿现金已支付 for the year", scale=2, hi=10**14),
)
