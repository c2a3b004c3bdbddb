"""Exchange trading days, for T+N dates (T+2 payment, …).

SSE and SZSE close on the same days (one CSRC notice a year); the sessions come from
`exchange_calendars`' XSHG calendar, which records the exchanges' own closures, not just public
holidays (the exchanges closed on 2024-02-09, 除夕, a working day). Make-up working weekends
(调休上班) are not trading days.

The checker reads a snapshot of that calendar (`xshg_sessions.txt` beside this module: its span,
and the weekdays the exchanges were closed), not the library itself, which pulls in pandas (about
0.5 s and 60 MB a process). `python -m checker.derive.calendar` rewrites the snapshot from the
installed library; tests/test_calendar.py keeps the two equal, so a new closure announced in the
library fails the tests until the snapshot is refreshed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache

SNAPSHOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xshg_sessions.txt")


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
    """SSE/SZSE trading days over the whole span the snapshot records."""
    first: dt.date | None = None
    last: dt.date | None = None
    source: str | None = None
    closed: set[dt.date] = set()
    opened: set[dt.date] = set()
    with open(SNAPSHOT, encoding="utf-8") as fh:
        for line in fh:
            key, _, value = line.partition(" ")
            value = value.strip()
            if key == "first":
                first = dt.date.fromisoformat(value)
            elif key == "last":
                last = dt.date.fromisoformat(value)
            elif key == "source":
                source = value
            elif key == "closed":
                closed.add(dt.date.fromisoformat(value))
            elif key == "open":
                opened.add(dt.date.fromisoformat(value))
    if first is None or last is None or source is None:
        raise ValueError(f"{SNAPSHOT}: the snapshot lacks its first, last or source line")
    days = []
    day = first
    while day <= last:
        if (day.weekday() < 5 and day not in closed) or day in opened:
            days.append(day)
        day += dt.timedelta(days=1)
    return Sessions(tuple(days), first, last, source)


def library_sessions() -> Sessions:
    """The same, from the installed exchange_calendars (for the snapshot and its test)."""
    import exchange_calendars as xc
    from exchange_calendars.exchange_calendar_xshg import XSHGExchangeCalendar

    lo, hi = XSHGExchangeCalendar.bound_min(), XSHGExchangeCalendar.bound_max()
    with warnings.catch_warnings():  # the library's own use of pandas APIs pandas deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        cal = xc.get_calendar("XSHG", start=lo, end=hi)
        days = tuple(ts.date() for ts in cal.sessions)
    return Sessions(days, lo.date(), hi.date(), f"exchange_calendars {xc.__version__} (XSHG)")


def snapshot_text(cal: Sessions) -> str:
    sessions_set = set(cal.days)
    lines = ["# SSE/SZSE trading-day snapshot: the weekdays the exchanges were closed (and any weekend",
             "# session) between first and last. Written by `python -m checker.derive.calendar`;",
             "# tests/test_calendar.py keeps it equal to the installed exchange_calendars.",
             f"source {cal.source}", f"first {cal.first}", f"last {cal.last}"]
    day = cal.first
    while day <= cal.last:
        weekday = day.weekday() < 5
        if weekday and day not in sessions_set:
            lines.append(f"closed {day}")
        elif not weekday and day in sessions_set:
            lines.append(f"open {day}")
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


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


if __name__ == "__main__":
    with open(SNAPSHOT, "w", encoding="utf-8") as out:
        out.write(snapshot_text(library_sessions()))
    print(f"wrote {SNAPSHOT}")
