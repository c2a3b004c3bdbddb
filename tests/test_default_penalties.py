"""Default penalties: the online ban window (arithmetic; the windows found in one pass equal the
definition, every report date with 3 or more reports in the 12 months ending on it, and what a
window lists is bounded whatever the record count; CLI; input errors) and offline records."""

import datetime as dt
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.derive.offline_defaults import count_in_year, restriction_values
from checker.derive.online_ban import LISTED, THRESHOLD, ban_windows, lookback_start, window_for
from checker.loading import load_file
from checker.validate import validate

from .conftest import ROOT, edited, line_of
from .test_cli import run

D = dt.date
VIOLATED = os.path.join(ROOT, "cases", "investor", "ban-violated.yaml")
RESPECTED = os.path.join(ROOT, "cases", "investor", "ban-respected.yaml")
OFFLINE = os.path.join(ROOT, "cases", "violations", "offline-defaults.yaml")


# ---- the window ------------------------------------------------------------------------------

def test_three_reports_start_a_180_day_ban_the_day_after_the_last():
    [w] = ban_windows([D(2025, 3, 12), D(2025, 7, 8), D(2025, 11, 20)])
    assert (w.start, w.end) == (D(2025, 11, 21), D(2026, 5, 19))   # 含次日: day 180 is 11-20 + 180
    assert (w.end - w.start).days + 1 == 180
    assert w.reports == (D(2025, 3, 12), D(2025, 7, 8), D(2025, 11, 20))


def test_two_reports_or_three_spread_over_more_than_12_months_start_nothing():
    assert ban_windows([D(2025, 3, 12), D(2025, 11, 20)]) == []
    assert ban_windows([D(2024, 11, 20), D(2025, 7, 8), D(2025, 11, 20)]) == []   # 12 months and a day
    assert ban_windows([D(2024, 11, 21), D(2025, 7, 8), D(2025, 11, 20)])          # exactly 12 months


def test_lookback_is_the_day_after_the_same_date_a_year_earlier_clamped_at_month_end():
    assert lookback_start(D(2025, 3, 14)) == D(2024, 3, 15)
    assert lookback_start(D(2025, 2, 28)) == D(2024, 2, 29)   # a leap day stays counted through Feb 28
    assert lookback_start(D(2025, 3, 1)) == D(2024, 3, 2)
    assert lookback_start(D(2024, 2, 29)) == D(2023, 3, 1)    # 2023-02-29 does not exist: clamp to 02-28
    assert lookback_start(D(2025, 3, 31)) == D(2024, 4, 1)
    assert lookback_start(D(2024, 12, 31)) == D(2024, 1, 1)


def test_leap_day_report_counts_through_february_28_of_the_next_year():
    assert ban_windows([D(2024, 2, 29), D(2024, 8, 1), D(2025, 2, 28)])
    assert ban_windows([D(2024, 2, 29), D(2024, 8, 1), D(2025, 3, 1)]) == []
    assert ban_windows([D(2023, 3, 1), D(2023, 10, 1), D(2024, 2, 29)])
    assert ban_windows([D(2023, 2, 28), D(2023, 10, 1), D(2024, 2, 29)]) == []


def test_180_days_cross_a_leap_february_one_day_sooner():
    [leap] = ban_windows([D(2023, 6, 1), D(2023, 9, 1), D(2023, 12, 1)])
    [plain] = ban_windows([D(2024, 6, 1), D(2024, 9, 1), D(2024, 12, 1)])
    assert leap.end == D(2024, 5, 29) and plain.end == D(2025, 5, 30)


def test_a_fourth_and_fifth_report_start_overlapping_windows():
    reports = [D(2025, 1, 10), D(2025, 4, 1), D(2025, 6, 2), D(2025, 6, 16), D(2025, 6, 30)]
    windows = ban_windows(reports)
    assert [(w.start, w.end) for w in windows] == [
        (D(2025, 6, 3), D(2025, 11, 29)), (D(2025, 6, 17), D(2025, 12, 13)),
        (D(2025, 7, 1), D(2025, 12, 27))]
    assert len(windows[2].reports) == 5
    assert window_for(D(2025, 12, 20), windows) == windows[2]   # only the last window still runs
    assert window_for(D(2025, 12, 28), windows).end < D(2025, 12, 28)
    assert window_for(D(2025, 6, 2), windows) is None           # the 3rd report's own day


def test_counts_do_not_reset_after_a_ban():
    reports = [D(2025, 1, 10), D(2025, 4, 1), D(2025, 6, 2), D(2026, 1, 5)]
    windows = ban_windows(reports)
    assert [w.start for w in windows] == [D(2025, 6, 3), D(2026, 1, 6)]   # 04-01, 06-02, 01-05 again 3 in 12m


def test_several_reports_on_one_day_give_one_window():
    [w] = ban_windows([D(2025, 5, 6)] * 3)
    assert w.reports == (D(2025, 5, 6),) * 3 and w.start == D(2025, 5, 7)


# ---- the windows found in one pass, against the definition ----------------------------------

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


# ---- the CLI states the window -------------------------------------------------------------

def test_cli_states_the_window_when_nothing_violates_it():
    proc = run(RESPECTED, "--lang", "en", "--format", "console")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no violations" in proc.stdout
    assert "no online subscription from 2025-11-21 to 2026-05-19 (180 calendar days)" in proc.stdout


def test_cli_finding_names_the_window_and_the_subscription_line():
    proc = run(VIOLATED, "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    case = json.loads(proc.stdout)["cases"][0]
    assert case["case_type"] == "investor" and case["board"] is None and case["as_of"] == "2026-06-02"
    [finding] = [f for f in case["findings"] if f["status"] == "violation"]
    assert finding["rule_id"] == "investor.default.online_3_in_12m"
    assert "2025-11-21 至 2026-05-19" in finding["message"]["zh"]
    assert "from 2025-11-21 to 2026-05-19" in finding["message"]["en"]
    assert finding["actual"]["en"] == "2026-01-08"
    assert finding["location"]["line"] == line_of(VIOLATED, "date: 2026-01-08")
    assert {r["line"] for r in finding["related"]} == {line_of(VIOLATED, "report_date: 2025-03-12"),
                                                       line_of(VIOLATED, "report_date: 2025-07-08"),
                                                       line_of(VIOLATED, "report_date: 2025-11-20")}
    [notice] = case["notices"]
    assert notice["window"] == {"start": "2025-11-21", "end": "2026-05-19",
                                "reports": ["2025-03-12", "2025-07-08", "2025-11-20"]}


def test_no_window_no_notice_and_before_2016_not_covered(tmp_path):
    path = edited(tmp_path, "report_date: 2025-03-12", "report_date: 2024-03-12", source=VIOLATED)
    case = json.loads(run(path, "--format", "json").stdout)["cases"][0]
    assert case["status"] == "clean" and case["notices"] == []
    case = json.loads(run(VIOLATED, "--format", "json", "--as-of", "2015-12-31").stdout)["cases"][0]
    assert case["notices"] == []
    assert [f["status"] for f in case["findings"]] == ["not_covered"]


# ---- bad investor input ----------------------------------------------------------------------

@pytest.mark.parametrize("old,new,needle,message", [
    ("product: cb, security: 示例转债二", "product: stock, security: 示例转债二", "product: stock",
     "'subscriptions[1].product': must be 'ipo', 'cdr', 'cb' or 'eb', got 'stock'"),
    ("report_date: 2025-07-08", 'report_date: "2025-07-08"', '"2025-07-08"',
     "expected a date written YYYY-MM-DD"),
    ("{date: 2026-06-02,", "{day: 2026-06-02,", "day: 2026-06-02", "unknown field 'subscriptions[2].day'"),
])
def test_bad_investor_case_exits_2_with_file_and_line(tmp_path, old, new, needle, message):
    path = edited(tmp_path, old, new, source=VIOLATED)
    proc = run(path)
    assert proc.returncode == 2
    assert f"{path}:{line_of(path, needle)}:" in proc.stdout
    assert message in proc.stdout


def test_investor_case_without_any_date_needs_as_of(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("case_type: investor\ninvestor: {name: 某投资者}\n", encoding="utf-8")
    proc = run(str(path))
    assert proc.returncode == 2 and "give as_of or --as-of" in proc.stdout
    assert run(str(path), "--as-of", "2026-01-01").returncode == 0


# ---- offline records -------------------------------------------------------------------------

def test_count_in_year_counts_the_item_group_in_the_calendar_year():
    case = validate(load_file(OFFLINE))
    third = case.placing_objects[2]   # priors: item 17 on 2025-09-01, item 16 on 2026-01-15
    assert count_in_year(third, 0) == 2
    moved = third.model_copy(update={"prior_defaults": [
        third.prior_defaults[0].model_copy(update={"date": D(2026, 1, 2)}), third.prior_defaults[1]]})
    assert count_in_year(moved, 0) == 3
    serious = third.model_copy(update={"defaults": [third.defaults[0].model_copy(update={"item": 5})]})
    assert count_in_year(serious, 0) == 1   # items 1–14 are counted apart from 15–17


def test_restriction_carried_into_the_offering():
    case = validate(load_file(OFFLINE))
    values = restriction_values(case.placing_objects[1], case)
    assert values == {"object.restricted": True, "object.restricted_until": D(2026, 5, 4),
                      "object.inquiry_date": D(2026, 3, 30)}
    assert restriction_values(case.placing_objects[0], case)["object.restricted"] is False


def test_months_without_the_restricted_list_is_an_input_error(tmp_path):
    line = "        restriction: education            # VIOLATION (warning): second item 15–17 record in 2026 → 6 months"
    path = edited(tmp_path, line, "        restriction: education\n        restriction_months: 6", source=OFFLINE)
    proc = run(path)
    assert proc.returncode == 2
    record = line_of(path, "        date: 2026-04-08") - 2   # the record's first line, "- item: 17"
    assert f"{path}:{record}:" in proc.stdout
    assert "restriction_months / restricted_until need restriction: restricted_list" in proc.stdout
