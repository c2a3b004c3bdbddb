"""The offering fact's listing-condition and over-allotment figures: share capital, public float,
the greenshoe's exercise and buy-back."""

from __future__ import annotations

import datetime as dt

from ..model.ipo import IpoCase

GREENSHOE_DAYS = 30   # 上市之日起30个自然日内 (the listing day is the first)


def values(case: IpoCase) -> tuple[dict, dict]:
    o, tt = case.offering, case.timetable
    capital = None
    if o.par_value is not None and o.post_issue_total_shares is not None:
        capital = o.par_value * o.post_issue_total_shares
    out = {
        "offering.par_value": o.par_value,
        "offering.share_capital": capital,
        "offering.public_float_shares": o.public_float_shares,
        "offering.greenshoe_exercised_shares": o.greenshoe_exercised_shares,
        "offering.greenshoe_buyback_shares": o.greenshoe_buyback_shares,
        "offering.greenshoe_buyback_max_price": o.greenshoe_buyback_max_price,
        "timetable.listing_date": tt.listing_date,
        "timetable.greenshoe_end": tt.greenshoe_end,
        "timetable.greenshoe_window_end": None if tt.listing_date is None
        else tt.listing_date + dt.timedelta(days=GREENSHOE_DAYS - 1),
        "results.shareholder_count": case.results.shareholder_count if case.results else None,
    }
    reasons = {}
    if capital is None and o.post_issue_total_shares is not None:
        reasons["offering.share_capital"] = {
            "zh": "未给出每股面值（offering.par_value），股本总额（元）未知",
            "en": "no par value (offering.par_value): the share capital in yuan is unknown"}
    return out, reasons


PATHS = {
    "offering.share_capital": ("offering", "par_value"),
    "timetable.greenshoe_window_end": ("timetable", "listing_date"),
}
