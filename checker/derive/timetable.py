"""Timetable dates counted in exchange trading days (T+N)."""

from __future__ import annotations

from ..model.ipo import IpoCase
from . import calendar

PAYMENT_DAY = 2   # offline allottees pay by T+2 16:00 (网下缴款日 T+2)


def clock_minutes(text: str | None) -> int | None:
    """"16:00" → 960: minutes after midnight (the model has checked the HH:MM form)."""
    if text is None:
        return None
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def values(case: IpoCase) -> tuple[dict, dict]:
    """The timetable fields of the offering fact, and the reasons for any that stay absent.

    The trading calendar (a heavy import) is consulted only to check a stated payment date.
    """
    tt = case.timetable
    out = {"timetable.inquiry_date": tt.inquiry_date, "timetable.t_day": tt.t_day,
           "timetable.payment_date": tt.payment_date, "timetable.payment_due_date": None,
           "timetable.payment_cutoff_minutes": clock_minutes(tt.payment_cutoff)}
    reasons = {}
    if tt.t_day is None:
        reasons["timetable.payment_due_date"] = {"zh": "没有T日（timetable.t_day），无法推算",
                                                 "en": "no T day (timetable.t_day) to count from"}
    elif tt.payment_date is None:
        reasons["timetable.payment_due_date"] = {"zh": "未给出缴款日，未推算",
                                                 "en": "not computed without a stated payment date"}
    else:
        try:
            out["timetable.payment_due_date"] = calendar.trading_day_after(tt.t_day, PAYMENT_DAY)
        except calendar.OutsideCalendar as exc:
            reasons["timetable.payment_due_date"] = exc.reason
    return out, reasons
