"""Offline placing objects' violations (SAC 网下投资者管理规则): one `placing_default` fact per
record of this offering, and the restriction an object carries into it.

Decisions:
- **"一个年度内" is a calendar year.** The SAC text counts violations "within one 年度"; 年度 reads
  as the calendar year, so a record's count is the number of the object's records (earlier
  offerings' `prior_defaults` and this offering's `defaults`) of the same item group in the same
  calendar year, dated on or before it, this one included; records of one day count in the
  order listed, earlier offerings first. The reading is not verified against the SAC text: the
  ladder rules are warnings.
- **Item groups** follow the ladder: (1)–(14) serious conduct, (15)–(17) pricing basis, no or
  short subscription, late or short payment, (18)–(21) the rest.
- **Counted per placing object.** The SAC counts per investor or per object; the case lists
  records on the object, so a manager's other objects are not counted here.
- **Earlier records absent = unknown.** Without `prior_defaults` (`[]` says there are none) the
  count within the year and the restriction in force are absent: those rules are not evaluated.
- **Restriction in force.** An object is restricted when one of its earlier records put it on
  the restricted list; `restricted_until` is the latest such end date (absent when a listed
  record does not give one: then the bidding rule is not evaluated, never passed).
"""

from __future__ import annotations

import datetime as dt

from ..facts import Fact
from ..loading import Document
from ..model.ipo import IpoCase, PlacingObject, Restriction


def item_group(item: int) -> int:
    """1 for items 1–14, 2 for 15–17, 3 for 18–21."""
    return 1 if item <= 14 else 2 if item <= 17 else 3


def count_in_year(obj: PlacingObject, index: int) -> int | None:
    """This offering's record `index`: how many of the object's records of its item group fall in
    its calendar year on or before it (earlier offerings first, then this one's in order). None
    when the object's earlier records are not given (`prior_defaults` absent, not `[]`)."""
    if obj.prior_defaults is None:
        return None
    record = obj.defaults[index]
    group, year = item_group(record.item), record.date.year
    earlier = list(obj.prior_defaults) + list(obj.defaults[:index + 1])
    return sum(1 for r in earlier
               if item_group(r.item) == group and r.date.year == year and r.date <= record.date)


def restriction_text(record) -> str | None:
    """'education', 'restricted_list (6 months)', …: the restriction as the case records it."""
    if record.restriction is None:
        return None
    if record.restriction != Restriction.restricted_list:
        return record.restriction.value
    months = record.restriction_months
    return f"restricted_list ({months if months is not None else '?'} months)"


def restriction_values(obj: PlacingObject, case: IpoCase) -> dict:
    """The restriction an object carries into this offering, and the inquiry date to compare it to."""
    listed = [r for r in obj.prior_defaults or () if r.restriction == Restriction.restricted_list]
    ends = [r.restricted_until for r in listed if r.restricted_until is not None]
    return {
        "object.restricted": None if obj.prior_defaults is None else bool(listed),
        "object.restricted_until": max(ends) if listed and len(ends) == len(listed) else None,
        "object.inquiry_date": case.timetable.inquiry_date,
    }


NO_PRIOR = {"zh": "未给出该配售对象以往的违规记录（prior_defaults；[] 表示没有）",
            "en": "the object's earlier records are not given (prior_defaults; [] for none)"}


def prior_reasons(obj: PlacingObject, names: tuple) -> dict:
    return {name: NO_PRIOR for name in names} if obj.prior_defaults is None else {}


def restriction_positions(obj: PlacingObject, base: tuple, doc: Document) -> dict:
    priors = obj.prior_defaults or []
    listed = [i for i, r in enumerate(priors) if r.restriction == Restriction.restricted_list]
    until = base + ("prior_defaults",)
    if listed:
        def latest(i: int) -> tuple[bool, dt.date]:
            end = priors[i].restricted_until
            return end is not None, end or dt.date.min
        last = max(listed, key=latest)
        until = base + ("prior_defaults", last, "restricted_until")
    return {"object.restricted": doc.position(base + ("prior_defaults",)),
            "object.restricted_until": doc.position(until),
            "object.inquiry_date": doc.position(("timetable", "inquiry_date"))}


def default_facts(case: IpoCase, doc: Document) -> list[Fact]:
    facts = []
    for i, obj in enumerate(case.placing_objects):
        for j, rec in enumerate(obj.defaults):
            base = ("placing_objects", i, "defaults", j)
            values = {
                "default.object": obj.name,
                "default.item": rec.item,
                "default.conduct": rec.conduct,
                "default.date": rec.date,
                "default.reported_to_sac": rec.reported_to_sac,
                "default.report_date": rec.report_date,
                "default.restriction": rec.restriction.value if rec.restriction else None,
                "default.restriction_months": rec.restriction_months,
                "default.restricted_until": rec.restricted_until,
                "default.count_in_year": count_in_year(obj, j),
                "default.restriction_text": restriction_text(rec),
            }
            positions = doc.positions_of({name: base + (name.split(".")[1],) for name in values})
            positions["default.object"] = doc.position(("placing_objects", i, "name"))
            positions["default.count_in_year"] = doc.position(base + ("item",))
            positions["default.restriction_text"] = doc.position(base + ("restriction",))
            related = {"default.count_in_year": [
                (f"{r.offering or '本次'} 第({r.item})项 {r.date}",
                 doc.position(("placing_objects", i, key, k)))
                for key, records in (("prior_defaults", obj.prior_defaults or []), ("defaults", obj.defaults))
                for k, r in enumerate(records)
                if item_group(r.item) == item_group(rec.item) and r.date.year == rec.date.year
                and r.date <= rec.date and (key == "prior_defaults" or k <= j)]}
            facts.append(Fact("placing_default", f"d{i}_{j}", values, positions, related,
                              f"{obj.name} · 第({rec.item})项 {rec.conduct}", doc.position(base),
                              prior_reasons(obj, ("default.count_in_year",))))
    return facts
