"""Calendar arithmetic for lock-ups."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (2026-01-31 + 1 → 2026-02-28)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def last_day(start: dt.date, months: int) -> dt.date:
    """The last day of `months` months counted from `start` (上市之日起12个月: 2026-04-15 → 2027-04-14)."""
    return add_months(start, months) - dt.timedelta(days=1)


def whole_months(start: dt.date, last_day: dt.date) -> int:
    """Whole months of a lock-up that starts on `start` and ends on `last_day` inclusive.

    A lock-up of N months from listing ends the day before the same date N months later
    (上市之日起12个月: listing 2026-04-15 → last day 2027-04-14), so N counts when
    add_months(start, N) ≤ last_day + 1 day.
    """
    if last_day < start:
        return 0
    end = last_day + dt.timedelta(days=1)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months
