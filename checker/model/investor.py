"""The investor case: one online investor's account — its abandonments and its subscriptions.

It checks the online subscription ban (3 abandonments in 12 months → 180 days without online
subscription). Decisions:

- **No board.** The ban is market-wide (SSE, SZSE, BSE; all products), so `board` is None and
  only rules without `applies.boards` apply.
- **As-of date.** `as_of` when given (e.g. the date of the review), else the latest date in the
  case (a report or a subscription): the rules in force then are applied. `--as-of` overrides both.
- **Abandonments** carry the date the settlement participant reported them (申报放弃认购日),
  which is what the ban counts from; the T+2 payment day alone is not enough.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from .types import Date, DateChoice, Lax, Strict, Text
from .waiver import MAX_WAIVERS, Waiver


class Product(StrEnum):
    ipo = "ipo"   # 新股 (首次公开发行股票)
    cdr = "cdr"   # 存托凭证
    cb = "cb"     # 可转换公司债券
    eb = "eb"     # 可交换公司债券


_CODE = r"^[A-Za-z0-9]{1,12}$"


class Account(Strict):
    name: Text = Field(description="投资者名称 / investor's name")
    account: str | None = Field(None, pattern=r"^[A-Za-z0-9]{1,20}$", description="证券账户号码")


class Abandonment(Strict):
    report_date: Date = Field(description="结算参与人申报放弃认购的日期 (the ban counts from it)")
    product: Lax[Product] = Field(description="ipo / cdr / cb / eb")
    security: Text | None = Field(None, description="证券简称")
    code: str | None = Field(None, pattern=_CODE, description="证券代码 / 申购代码")


class Subscription(Strict):
    date: Date = Field(description="网上申购日 (T)")
    product: Lax[Product] = Field(description="ipo / cdr / cb / eb")
    security: Text | None = Field(None, description="证券简称")
    code: str | None = Field(None, pattern=_CODE, description="证券代码 / 申购代码")


class InvestorCase(Strict):
    case_type: Literal["investor"] = Field(description="always investor for this case type")
    id: str | None = Field(None, pattern=r"^[A-Za-z0-9_.\-]{1,80}$",
                           description="case id; default: the file name")
    investor: Account = Field(description="the investor and its securities account")
    as_of: Date | None = Field(None, description="date of the review; default: the latest date in the case")
    abandonments: list[Abandonment] = Field(default_factory=list, max_length=10000,
                                            description="allotments not paid for (放弃认购), as reported")
    subscriptions: list[Subscription] = Field(default_factory=list, max_length=10000,
                                              description="online subscriptions made")
    waivers: list[Waiver] = Field(default_factory=list, max_length=MAX_WAIVERS,
                                  description="accepted findings: rule, reason, approver, expiry")

    @property
    def board(self) -> str | None:
        return None

    @property
    def as_of_date(self) -> dt.date | None:
        days = [a.report_date for a in self.abandonments] + [s.date for s in self.subscriptions]
        return self.as_of or (max(days) if days else None)

    has_results: ClassVar[bool] = True   # a record of what happened: no plan stage

    @property
    def dates(self) -> DateChoice:
        return DateChoice("as_of", self.as_of_date, None, None, None)
