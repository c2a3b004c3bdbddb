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

MAX_ABS = 10**12   # default bound on numeric fact values; the compiler proves products stay in int64
ISSUE_HI = 10**11  # shares that may be multiplied by a price


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


def _specs(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


_SH = dict(type="int", unit="shares")
_ISH = dict(type="int", unit="shares", hi=ISSUE_HI)

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
    FieldSpec("offering.greenshoe_shares", doc="超额配售选择权股数", **_SH),
    FieldSpec("offering.net_public_shares", doc="发行股数扣除最终战略配售数量 (issue − strategic total)",
              lo=-MAX_ABS, **_SH),
    FieldSpec("pricing.ceiling", "dec", "price",
              "四数孰低值: the published ceiling, else the lowest of the four benchmarks", scale=4, hi=10**5),
    FieldSpec("pricing.valid_bidder_count", "int", "count", "提供有效报价的投资者家数"),
    FieldSpec("pricing.method", "str", "text",
              "inquiry (初步询价) / direct (直接定价) / book_building (累计投标询价)"),
    FieldSpec("pricing.issue_pe", "dec", "multiple", "发行市盈率", scale=2, hi=10**6),
    FieldSpec("pricing.industry_pe", "dec", "multiple", "中证指数行业市盈率", scale=2, hi=10**6),
    FieldSpec("pricing.total_bid_shares", doc="剔除无效报价后拟申购总量", **_SH),
    FieldSpec("pricing.excluded_bid_shares", doc="高价剔除数量", **_SH),
    FieldSpec("strategic.initial_shares", doc="初始战略配售数量", **_SH),
    FieldSpec("strategic.total_shares", doc="最终战略配售数量: sum of the strategic lines", **_SH),
    FieldSpec("strategic.investor_count", "int", "count",
              "参与战略配售的投资者家数; absent when an aggregate line has no count"),
    FieldSpec("strategic.sponsor_shares", doc="保荐人相关子公司跟投股数 (sum of sponsor lines)", **_ISH),
    FieldSpec("strategic.sponsor_lines", "int", "count", "number of sponsor-subsidiary lines"),
    FieldSpec("strategic.employee_plan_shares", doc="员工专项资管计划获配股数 (sum)", **_SH),
    FieldSpec("allocation.offline_initial_shares", doc="网下初始发行数量", **_SH),
    FieldSpec("allocation.online_initial_shares", doc="网上初始发行数量", **_SH),
    FieldSpec("allocation.online_effective_multiple", "dec", "multiple", "网上有效申购倍数", scale=4,
              hi=10**9),
    FieldSpec("allocation.clawback_shares", doc="回拨股数 offline → online", **_SH),
    FieldSpec("allocation.offline_final_shares", doc="回拨后网下最终发行数量", **_SH),
    FieldSpec("allocation.online_final_shares", doc="回拨后网上最终发行数量", **_SH),
    FieldSpec("allocation.online_cap_shares", doc="网上单个账户申购上限", **_SH),
    FieldSpec("allocation.offline_lockup_ratio", "dec", "ratio", "网下比例限售比例", scale=6, hi=1),
    FieldSpec("allocation.offline_lockup_months", "int", "months", "网下限售期 (months)"),
    FieldSpec("results.offline_paid_shares", doc="网下缴款认购股数", **_SH),
    FieldSpec("results.online_paid_shares", doc="网上缴款认购股数", **_SH),
    FieldSpec("results.underwriter_takeup_shares", doc="主承销商包销股数", **_SH),
    FieldSpec("outcome.status", "str", "text", "planned / completed / aborted / suspended"),
    FieldSpec("disclosures.investment_risk_notice", "bool", "flag", "投资风险特别公告 published"),
)

_PCT = dict(type="dec", unit="percent", scale=4, hi=100)
_STEP = dict(type="dec", unit="percent", scale=4, hi=1)
_CAP = dict(type="dec", unit="yuan", scale=2, hi=10**15)

# Declared figures checked against their parts, and the facts of the abort conditions
# (checker/derive/consistency.py). A `*_step` is the last decimal place its percentage was stated to.
OFFERING_FIELDS.update(_specs(
    FieldSpec("issuer.listing_standard_market_cap", doc="所选上市标准要求的预计市值下限", **_CAP),
    FieldSpec("offering.expected_market_cap", doc="预计发行后总市值 = 发行价格 × 发行后总股本", **_CAP),
    FieldSpec("offering.gross_proceeds_rounding", "dec", "yuan",
              "募集资金总额的表述精度 (¥100 = 万元两位小数, the default)", scale=2, hi=10**8),
    FieldSpec("offering.has_greenshoe", "bool", "flag", "设有超额配售选择权 (greenshoe_shares > 0)"),
    FieldSpec("offering.has_old_shares", "bool", "flag", "含老股转让 (old_shares > 0)"),
    FieldSpec("offering.issue_pct", doc="发行股份占发行后总股本比例 (stated, %)", **_PCT),
    FieldSpec("offering.issue_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("pricing.excluded_bid_pct", doc="高价剔除比例 (stated, %)", **_PCT),
    FieldSpec("pricing.excluded_bid_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("pricing.price_notice_on_time", "bool", "flag", "累计投标: 发行价格及网上中签率公告按时提交"),
    FieldSpec("strategic.initial_pct", doc="初始战略配售比例 (stated, %)", **_PCT),
    FieldSpec("strategic.initial_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("strategic.final_shares", doc="最终战略配售数量 as stated", **_SH),
    FieldSpec("strategic.final_pct", doc="最终战略配售比例 (stated, %)", **_PCT),
    FieldSpec("strategic.final_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("strategic.sponsor_paid", "bool", "flag",
              "保荐人相关子公司已跟投并足额缴款 (false when no sponsor line)"),
    FieldSpec("allocation.offline_initial_pct", doc="网下初始发行比例 (stated, %)", **_PCT),
    FieldSpec("allocation.offline_initial_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("allocation.online_initial_pct", doc="网上初始发行比例 (stated, %)", **_PCT),
    FieldSpec("allocation.online_initial_pct_step", doc="its stated precision (% points)", **_STEP),
    FieldSpec("results.offline_subscribed_shares", doc="网下有效申购数量", **_SH),
    FieldSpec("results.offline_abandoned_shares", doc="网下放弃认购股数", **_SH),
    FieldSpec("results.online_abandoned_shares", doc="网上放弃认购股数", **_SH),
    FieldSpec("results.offline_locked_shares", doc="网下比例限售股份数量 as stated", **_SH),
    FieldSpec("results.offline_allottee_count", "int", "count", "获配的网下配售对象家数"),
    FieldSpec("outcome.regulator_order", "bool", "flag", "证监会/交易所责令或要求中止发行"),
))

INVESTOR_FIELDS = _specs(
    FieldSpec("investor.name", "str", "text", "投资者名称"),
    FieldSpec("investor.type", "str", "text", "sponsor_subsidiary / employee_plan / other"),
    FieldSpec("investor.shares", doc="获配股数", **_ISH),
    FieldSpec("investor.aggregate", "bool", "flag", "the line groups several investors"),
    FieldSpec("investor.lockup_months", "int", "months",
              "限售期 in whole months from listing (given, or from lockup_until and the listing date)"),
    FieldSpec("offering.issue_shares", doc="本次发行股数 (copied from the offering)", **_ISH),
    FieldSpec("investor.pct_of_issue", doc="占发行股份数量比例 (stated, %)", **_PCT),
    FieldSpec("investor.pct_of_issue_step", doc="its stated precision (% points)", **_STEP),
)

PLACING_OBJECT_FIELDS = _specs(
    FieldSpec("object.name", "str", "text", "配售对象名称"),
    FieldSpec("object.bid", "bool", "flag", "参与了初步询价报价"),
    FieldSpec("object.valid_quote", "bool", "flag", "提供了有效报价"),
    FieldSpec("object.online_subscribed", "bool", "flag", "also subscribed online"),
)

FACT_KINDS: dict[str, dict[str, dict[str, FieldSpec]]] = {
    "ipo": {"offering": OFFERING_FIELDS, "strategic_investor": INVESTOR_FIELDS,
            "placing_object": PLACING_OBJECT_FIELDS},
}
