"""The online subscription ban: 3 abandonments in any rolling 12 months → 180 days without online
subscription (交易所网上发行实施细则; restated in every issuance announcement, e.g. 大普微 2026).

    网上投资者连续12个月内累计出现3次中签后未足额缴款的情形时，自结算参与人最近一次申报其放弃认购的
    次日起6个月（按180个自然日计算，含次日）内不得参与新股、存托凭证、可转换公司债券、可交换公司债券
    网上申购。放弃认购的次数按照投资者实际放弃认购……的次数合并计算。

A rule cannot count over a list or do calendar arithmetic, so the window is computed here and the
rule compares dates only. Decisions:

- **Counted by report date.** Every abandonment counts once, on the day its settlement participant
  reported it (`report_date`), whatever the product (IPO shares, CDRs, convertible and
  exchangeable bonds are counted together).
- **"连续12个月内".** The 12 months that end on a report date D are the days after the same date one
  year earlier: D = 2025-03-14 covers 2024-03-15 … 2025-03-14 (the lock-up convention of
  derive/dates.py read backwards). The check is made on the day a report arrives, looking back.
  Where that date does not exist it is clamped to the month's end: D = 2025-02-28 looks back to
  2024-02-28, so it covers 2024-02-29 … 2025-02-28, and a report of 2024-02-29 stays in the count
  through 2025-02-28 — every look-back is a full year of 365 or 366 days, never a short one.
  D = 2024-02-29 covers 2023-03-01 … 2024-02-29.
- **Window.** When the reports in the 12 months ending on D number 3 or more, a ban runs from D + 1
  to D + 180 inclusive (含次日: the 180th day is D + 180).
- **Counts do not reset.** Every later report that again has 3 or more reports in its own 12
  months starts a window of its own (a 4th abandonment two weeks after the 3rd gives a second,
  overlapping window ending two weeks later). Whether the settlement system restarts the count
  after a ban is not stated in the text read; counting every rolling 12 months is the reading of
  "any 12 consecutive months" and never misses a ban.
- Several reports on one day give one window.
- **Bounded.** Windows are found in one pass over the sorted dates (two pointers) and looked up by
  bisection, and a window keeps its count and only its last LISTED report dates (the ones that end
  in the trigger), so the cost is linear (N log N) in the records, whatever their number.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from .dates import add_months

LOOKBACK_MONTHS = 12
THRESHOLD = 3
BAN_DAYS = 180
LISTED = 10   # report dates a window lists (the latest, ending in the trigger); its count says all


@dataclass(frozen=True)
class BanWindow:
    start: dt.date                 # the day after the triggering report (含次日)
    end: dt.date                   # the last barred day, inclusive
    reports: tuple[dt.date, ...]   # the latest report dates in the 12 months ending on the trigger
    count: int = 0                 # how many reports those 12 months hold


def lookback_start(day: dt.date) -> dt.date:
    """The first day of the 12 months that end on `day` (inclusive)."""
    return add_months(day, -LOOKBACK_MONTHS) + dt.timedelta(days=1)


def ban_windows(report_dates: list[dt.date]) -> list[BanWindow]:
    """Every ban window the abandonments trigger, by start date."""
    dates = sorted(report_dates)
    windows, lo = [], 0
    for hi, day in enumerate(dates, start=1):
        if hi < len(dates) and dates[hi] == day:
            continue   # the last report of the day closes it
        first = lookback_start(day)
        while dates[lo] < first:
            lo += 1
        if hi - lo >= THRESHOLD:
            windows.append(BanWindow(day + dt.timedelta(days=1), day + dt.timedelta(days=BAN_DAYS),
                                     tuple(dates[max(lo, hi - LISTED):hi]), hi - lo))
    return windows


def window_for(day: dt.date, windows: list[BanWindow]) -> BanWindow | None:
    """The window that applies on `day`: the latest one started on or before it (windows all have
    the same length, so a later start also ends later); None when no ban has started by then."""
    i = bisect.bisect_right(windows, day, key=lambda w: w.start)
    return windows[i - 1] if i else None
