"""The ban windows found in one pass equal the definition (every report date with 3 or more reports
in the 12 months ending on it), and what a window lists is bounded whatever the record count."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.derive.online_ban import LISTED, THRESHOLD, ban_windows, lookback_start, window_for

DAYS = st.lists(st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2020, 12, 31)), max_size=60)


def by_definition(dates):
    out = []
    for day in sorted(set(dates)):
        inside = sorted(d for d in dates if lookback_start(day) <= d <= day)
        if len(inside) >= THRESHOLD:
            out.append((day + dt.timedelta(days=1), day + dt.timedelta(days=180), len(inside),
                        tuple(inside[-LISTED:])))
    return out


@settings(max_examples=300, deadline=None)
@given(DAYS, st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2021, 12, 31)))
def test_windows_equal_the_definition_and_the_lookup_takes_the_latest_started(dates, day):
    windows = ban_windows(dates)
    assert [(w.start, w.end, w.count, w.reports) for w in windows] == by_definition(dates)
    started = [w for w in windows if w.start <= day]
    assert window_for(day, windows) == (started[-1] if started else None)


def test_a_window_lists_at_most_LISTED_reports_and_counts_them_all():
    dates = [dt.date(2020, 1, 1) + dt.timedelta(days=i % 300) for i in range(10_000)]
    windows = ban_windows(dates)
    assert windows and all(len(w.reports) <= LISTED for w in windows)
    assert windows[-1].count == 10_000   # every report lies within the 12 months ending on the last
    assert windows[-1].reports == tuple([dt.date(2020, 10, 26)] * LISTED)   # the latest ones
