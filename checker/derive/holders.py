"""Facts of an IPO's pre-IPO holders (发行前股东): one `holder` fact per line of `holders.items`.

A case that lists no holders gets one placeholder fact whose figures are all absent, so every
holder rule is `not_evaluated` (naming `holders`) instead of passing for want of a line. A list
that is not complete (`holders.complete: false`) leaves unknown what is counted over all holders
(the pre-issue total, and so each holder's stake).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..facts import HOLDER_FIELDS, Fact
from ..loading import Document
from ..model.ipo import HolderRelationship, IpoCase
from .dates import add_months, last_day, whole_months

CONTROLLER_SIDE = (HolderRelationship.controlling_holder, HolderRelationship.actual_controller,
                   HolderRelationship.controller_related)
NEW_HOLDER_WINDOW = 12   # months before the filing (申报前12个月内新增股东)
NEW_HOLDER_LOCKUP = 36   # months from acquiring the shares

NO_HOLDERS = {"zh": "案例未列出发行前股东及其限售承诺（holders）",
              "en": "the case does not list the pre-IPO holders and their lock-ups (holders)"}


def lockup_end(listing: dt.date | None, acquired: dt.date | None, from_listing: int | None,
               from_acquisition: int | None) -> dt.date | None:
    """The last locked day the commitments give: the later of N months from listing and M months
    from acquisition (each ends the day before the same date N months later)."""
    ends = []
    if from_listing is not None and listing is not None:
        ends.append(last_day(listing, from_listing))
    if from_acquisition is not None and acquired is not None:
        ends.append(last_day(acquired, from_acquisition))
    return max(ends) if ends else None


def locked_months(listing: dt.date | None, end: dt.date | None, from_listing: int | None) -> int | None:
    """Whole months from listing the holder is locked: the stated months, or those the end date gives."""
    if listing is not None and end is not None:
        return whole_months(listing, end)
    return from_listing


def _within_window(acquired: dt.date | None, filing: dt.date | None, dated: bool) -> bool | None:
    """Came in within the 12 months before the filing; a holder without a date did not when the case
    says every such holder is dated (`new_holders_dated`), else unknown."""
    if acquired is None:
        return False if dated else None
    if filing is None:
        return None
    return acquired > add_months(filing, -NEW_HOLDER_WINDOW)


def derive(case: IpoCase, doc: Document) -> list[Fact]:
    holders = case.holders
    base_values: dict[str, Any] = {
        "issuer.board": case.issuer.board.value,
        "issuer.profitable": case.issuer.profitable,
        "holders.complete": None if holders is None else holders.complete,
        "holders.filing_date": None if holders is None else holders.filing_date,
        "holders.pre_issue_total": None,
    }
    if holders is None:
        values: dict[str, Any] = {name: None for name in HOLDER_FIELDS if name.startswith("holder.")}
        values.update(base_values)
        position = doc.position(("holders",))   # where the block belongs
        fact = Fact("holder", "h0", values, doc.positions_of({name: ("holders",) for name in values}), {},
                    "发行前股东 / pre-IPO holders", position,
                    {name: NO_HOLDERS for name in values if values[name] is None})
        return [fact]
    counts = [h.shares for h in holders.items]
    if holders.complete and None not in counts:
        base_values["holders.pre_issue_total"] = sum(c for c in counts if c is not None)
    listing = case.timetable.listing_date
    facts = []
    for i, h in enumerate(holders.items):
        at = ("holders", "items", i)
        end = lockup_end(listing, h.acquired, h.lockup_months, h.lockup_months_from_acquisition)
        values = {
            **base_values,
            "holder.name": h.name,
            "holder.relationship": h.relationship.value,
            "holder.controller_side": h.relationship in CONTROLLER_SIDE,
            "holder.shares": h.shares,
            "holder.acquired": h.acquired,
            "holder.lockup_months": locked_months(listing, end, h.lockup_months),
            "holder.lockup_end": end,
            "holder.new_within_12m": _within_window(h.acquired, holders.filing_date,
                                                    holders.new_holders_dated),
            "holder.acquisition_36m_end": None if h.acquired is None
            else last_day(h.acquired, NEW_HOLDER_LOCKUP),
            "holder.price_drop_extension_months": h.price_drop_extension_months,
            "holder.annual_transfer_cap_pct": h.annual_transfer_cap_pct,
            "holder.since_profitable_lockup": h.since_profitable_lockup,
        }
        from_acquisition = h.lockup_months is None and h.lockup_months_from_acquisition is not None
        lock_key = "lockup_months_from_acquisition" if from_acquisition else "lockup_months"
        paths: dict[str, tuple] = {name: at + (name.split(".")[1],) for name in values
                                   if name.startswith("holder.")}
        paths.update({
            "holder.controller_side": at + ("relationship",),
            "holder.lockup_months": at + (lock_key,),
            "holder.lockup_end": at + (lock_key,),
            "holder.new_within_12m": at + ("acquired",),
            "holder.acquisition_36m_end": at + ("acquired",),
            "issuer.board": ("issuer", "board"),
            "issuer.profitable": ("issuer", "profitable"),
            "holders.complete": ("holders", "complete"),
            "holders.filing_date": ("holders", "filing_date"),
            "holders.pre_issue_total": ("holders", "items"),
        })
        reasons = {}
        if values["holder.lockup_end"] is None and listing is None and h.lockup_months is not None:
            reasons["holder.lockup_end"] = {
                "zh": "未给出上市日（timetable.listing_date），无法推出限售期最后一日",
                "en": "no listing date (timetable.listing_date), so the lock-up's last day is unknown"}
        if not holders.complete:
            reasons["holders.pre_issue_total"] = {
                "zh": "所列发行前股东不完整（holders.complete: false），发行前总股本未知",
                "en": "the holders listed are only some (holders.complete: false): the pre-issue total is "
                      "unknown"}
        facts.append(Fact("holder", f"h{i}", values, doc.positions_of(paths), {}, h.name, doc.position(at),
                          reasons))
    return facts

