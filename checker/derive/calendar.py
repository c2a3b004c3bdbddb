"""Exchange trading days, for T+N dates (T+2 payment, …).

SSE and SZSE close on the same days (one CSRC notice a year); the sessions come from
`exchange_calendars`' XSHG calendar, which records the exchanges' own closures, not just public
holidays (the exchanges closed on 2024-02-09, 除夕, a working day). Make-up working weekends
(调休上班) are not trading days. The library is imported on first use only: it pulls in pandas.
"""

from __future__ import annotations

import bisect
import datetime as dt
import warnings
from dataclasses import dataclass
from functools import lru_cache


class OutsideCalendar(ValueError):
    """A T+N date the calendar cannot give: it falls outside the years the library records."""

    def __init__(self, day: dt.date, n: int, cal: Sessions):
        self.day, self.n, self.cal = day, n, cal
        super().__init__(self.reason["en"])

    @property
    def reason(self) -> dict[str, str]:
        c = self.cal
        what_zh = f"{self.day} 后第{self.n}个交易日" if self.n else str(self.day)
        what_en = f"trading day {self.n} after {self.day}" if self.n else str(self.day)
        return {
            "zh": f"{what_zh}超出交易所交易日历的范围（{c.source} 收录 {c.first} 至 {c.last} 的交易日）",
            "en": f"{what_en} is beyond the exchange calendar ({c.source} covers {c.first} to {c.last})",
        }


@dataclass(frozen=True)
class Sessions:
    days: tuple[dt.date, ...]   # every trading day the library knows, ascending
    first: dt.date              # the span whose closures are recorded (inclusive)
    last: dt.date
    source: str                 # library and version, for messages


@lru_cache(maxsize=1)
def sessions() -> Sessions:
    """SSE/SZSE trading days over the whole span the installed library records."""
    import exchange_calendars as xc
    from exchange_calendars.exchange_calendar_xshg import XSHGExchangeCalendar

    lo, hi = XSHGExchangeCalendar.bound_min(), XSHGExchangeCalendar.bound_max()
    with warnings.catch_warnings():  # the library's own use of pandas APIs pandas deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        cal = xc.get_calendar("XSHG", start=lo, end=hi)
        days = tuple(ts.date() for ts in cal.sessions)
    return Sessions(days, lo.date(), hi.date(), f"exchange_calendars {xc.__version__}")


def is_trading_day(day: dt.date, cal: Sessions | None = None) -> bool:
    cal = cal or sessions()
    if not cal.first <= day <= cal.last:
        raise OutsideCalendar(day, 0, cal)
    i = bisect.bisect_left(cal.days, day)
    return i < len(cal.days) and cal.days[i] == day


def trading_day_after(day: dt.date, n: int, cal: Sessions | None = None) -> dt.date:
    """T+N: the n-th trading day after `day` (n ≥ 1), `day` itself not counted.

    Raises OutsideCalendar when `day` or the result lies outside the recorded span.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    cal = cal or sessions()
    if not cal.first <= day <= cal.last:
        raise OutsideCalendar(day, n, cal)
    i = bisect.bisect_right(cal.days, day) + n - 1
    if i >= len(cal.days):
        raise OutsideCalendar(day, n, cal)
    return cal.days[i]
