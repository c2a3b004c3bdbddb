"""T+N in exchange trading days: holidays, weekends, make-up working weekends, the horizon."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from checker.derive import calendar as cal
from checker.derive.calendar import OutsideCalendar, Sessions, is_trading_day, trading_day_after

from .conftest import DAPUWEI, ROOT, edited, line_of

D = dt.date.fromisoformat


@pytest.mark.parametrize("t,n,expected", [
    ("2026-04-03", 1, "2026-04-07"),   # Fri; 04-04..06 清明 closed (大普微: T+2 = 04-08)
    ("2026-04-03", 2, "2026-04-08"),
    ("2026-03-26", 1, "2026-03-27"),   # plain weekdays
    ("2026-03-27", 1, "2026-03-30"),   # over a weekend
    ("2024-02-07", 2, "2024-02-19"),   # 02-09 除夕 closed though a working day; 02-18 make-up Sunday closed
    ("2024-02-08", 1, "2024-02-19"),
    ("2025-09-30", 1, "2025-10-09"),   # National Day + Mid-Autumn 10-01..08
    ("2025-09-30", 2, "2025-10-10"),
    ("2025-10-10", 1, "2025-10-13"),   # 10-11 a make-up Saturday: not a trading day
    ("2026-02-13", 1, "2026-02-24"),   # Spring Festival 02-15..23; 02-14 make-up Saturday closed
    ("2026-04-04", 2, "2026-04-08"),   # counting from a closed day: the next two sessions
])
def test_trading_day_after(t, n, expected):
    assert trading_day_after(D(t), n) == D(expected)


@pytest.mark.parametrize("day,trading", [
    ("2026-04-03", True), ("2026-04-06", False), ("2026-04-07", True),
    ("2024-02-09", False),                       # 除夕 2024: a working day, the exchanges closed
    ("2026-02-14", False), ("2026-02-28", False),  # make-up working Saturdays (调休上班)
    ("2025-10-11", False), ("2025-09-28", False),
    ("2026-01-02", False), ("2026-01-05", True),
])
def test_is_trading_day(day, trading):
    assert is_trading_day(D(day)) is trading


def test_horizon_is_the_librarys_own():
    s = cal.sessions()
    assert s.days[-1] <= s.last and s.days[0] >= s.first
    assert s.last >= D("2026-12-31")   # 2026 closures are in every version the dependency range allows
    assert s.source.startswith("exchange_calendars ")
    assert trading_day_after(s.days[-2], 1) == s.days[-1]
    with pytest.raises(OutsideCalendar) as exc:
        trading_day_after(s.days[-1], 1)
    assert str(s.last) in exc.value.reason["en"] and str(s.last) in exc.value.reason["zh"]
    with pytest.raises(OutsideCalendar):
        trading_day_after(s.last + dt.timedelta(days=1), 1)
    with pytest.raises(OutsideCalendar):
        trading_day_after(s.first - dt.timedelta(days=1), 1)
    with pytest.raises(OutsideCalendar):
        is_trading_day(s.last + dt.timedelta(days=1))


def test_arithmetic_on_a_small_calendar():
    days = (D("2030-01-02"), D("2030-01-03"), D("2030-01-07"))
    small = Sessions(days, D("2030-01-01"), D("2030-01-10"), "test")
    assert trading_day_after(D("2030-01-01"), 1, small) == D("2030-01-02")
    assert trading_day_after(D("2030-01-03"), 1, small) == D("2030-01-07")
    assert trading_day_after(D("2030-01-02"), 2, small) == D("2030-01-07")
    with pytest.raises(OutsideCalendar) as exc:
        trading_day_after(D("2030-01-03"), 2, small)   # 01-08..10 recorded as closed, then nothing
    assert exc.value.reason["en"] == ("trading day 2 after 2030-01-03 is beyond the exchange calendar "
                                      "(test covers 2030-01-01 to 2030-01-10)")
    with pytest.raises(ValueError):
        trading_day_after(D("2030-01-02"), 0, small)


def test_t_beyond_the_horizon_is_not_evaluated_with_the_reason(checker, tmp_path):
    last = cal.sessions().last
    t = last + dt.timedelta(days=60)
    path = edited(tmp_path, "t_day: 2026-04-03", f"t_day: {t}")
    path = edited(tmp_path, "payment_date: 2026-04-08", f"payment_date: {t + dt.timedelta(days=2)}",
                  source=path, name="case2.yaml")
    result = checker.check_file(path)
    assert result.error is None
    [finding] = [f for f in result.findings if f.rule_id == "ipo.payment.offline_deadline"]
    assert finding.status == "not_evaluated"
    assert finding.missing == ["timetable.payment_due_date"]
    assert f"covers {cal.sessions().first} to {last}" in finding.message["en"]
    assert f"trading day 2 after {t}" in finding.message["en"]
    assert f"至 {last} 的交易日" in finding.message["zh"]
    assert finding.position.line == line_of(path, "t_day:")


def test_wrong_payment_day_is_a_violation_at_its_line(checker, tmp_path):
    path = edited(tmp_path, "payment_date: 2026-04-08", "payment_date: 2026-04-05")
    result = checker.check_file(path)
    [finding] = [f for f in result.findings if f.rule_id == "ipo.payment.offline_deadline"]
    assert finding.status == "violation"
    assert finding.position.line == line_of(path, "payment_date:")
    assert finding.expected["en"] == "= 2026-04-08" and finding.actual["en"] == "2026-04-05"


def _modules_after(code: str) -> set:
    proc = subprocess.run([sys.executable, "-c", code + "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_checking_reads_the_snapshot_never_the_library_or_pandas():
    load = "from checker.check import default_checker\nc = default_checker()\n"
    modules = _modules_after(load + f"r = c.check_file({DAPUWEI!r})\n"
                             "from checker.derive import calendar\n"
                             "assert calendar.sessions.cache_info().currsize == 1   # T+2 was computed")
    assert "exchange_calendars" not in modules and "pandas" not in modules


def test_the_snapshot_is_the_installed_librarys_calendar():
    """A closure added to exchange_calendars fails here until `python -m checker.derive.calendar`
    rewrites checker/derive/xshg_sessions.txt."""
    library = cal.library_sessions()
    snapshot = cal.sessions()
    assert (snapshot.first, snapshot.last) == (library.first, library.last)
    assert snapshot.days == library.days
    # the same calendar from another release of the library is the same snapshot: only the line
    # naming the release it was written from may differ
    def content(text):
        return [line for line in text.splitlines() if not line.startswith("source ")]
    with open(cal.SNAPSHOT, encoding="utf-8") as fh:
        assert content(fh.read()) == content(cal.snapshot_text(library))
    assert snapshot.source.startswith("exchange_calendars ") and library.source.startswith("exchange_calendars ")
