"""Facts of an investor case: one `account` fact, one `subscription` fact per subscription.

Each subscription carries the ban window that applies on its date (online_ban.py), so the rule
is a plain date comparison. The windows themselves are also stated as notices, with or without
an offending subscription.
"""

from __future__ import annotations

from ..facts import Fact
from ..loading import Document
from ..model.investor import InvestorCase
from .online_ban import ban_windows, window_for

RULE_ID = "investor.default.online_3_in_12m"   # the rule whose window the notices state


def _dates(days) -> str:
    return "、".join(d.isoformat() for d in days)


def derive(case: InvestorCase, doc: Document) -> list[Fact]:
    windows = ban_windows([a.report_date for a in case.abandonments])
    label = case.investor.name
    account = {
        "investor.name": case.investor.name,
        "investor.abandonments": len(case.abandonments),
        "investor.ban_windows": len(windows),
    }
    positions = {"investor.name": doc.position(("investor", "name")),
                 "investor.abandonments": doc.key_position(("abandonments",)),
                 "investor.ban_windows": doc.key_position(("abandonments",))}
    facts = [Fact("account", "f0", account, positions, {}, label, doc.position(("investor",)))]
    for i, sub in enumerate(case.subscriptions):
        base = ("subscriptions", i)
        window = window_for(sub.date, windows)
        values = {
            "subscription.date": sub.date,
            "subscription.product": sub.product.value,
            "subscription.security": sub.security or sub.code,
            "subscription.has_window": window is not None,
            "subscription.ban_start": window.start if window else None,
            "subscription.ban_end": window.end if window else None,
            "subscription.ban_reports": _dates(window.reports) if window else None,
        }
        spos = {name: doc.position(base + ("date",)) for name in values}
        spos["subscription.product"] = doc.position(base + ("product",))
        spos["subscription.security"] = doc.position(base + ("security",))
        related = {"subscription.date": [
            (f"放弃认购 {a.security or a.code or a.product.value} 申报 {a.report_date}",
             doc.position(("abandonments", j, "report_date")))
            for j, a in enumerate(case.abandonments) if window and a.report_date in window.reports]}
        facts.append(Fact("subscription", f"s{i}", values, spos, related,
                          f"{label} · {sub.security or sub.code or sub.product.value} {sub.date}",
                          doc.position(base)))
    return facts


def notices(case: InvestorCase, doc: Document) -> list[dict]:
    """Every ban window, stated whether or not a subscription falls in it."""
    out = []
    windows = ban_windows([a.report_date for a in case.abandonments])
    for w in windows:
        trigger = w.reports[-1]
        j = max(j for j, a in enumerate(case.abandonments) if a.report_date == trigger)
        where = doc.position(("abandonments", j, "report_date"))
        out.append({
            "kind": "online_ban_window", "rule_id": RULE_ID,
            "window": {"start": w.start.isoformat(), "end": w.end.isoformat(),
                       "reports": [d.isoformat() for d in w.reports]},
            "message": {
                "zh": f"{w.start} 至 {w.end}（180个自然日）不得参与网上申购：12个月内 {len(w.reports)} "
                      f"次放弃认购（申报日 {_dates(w.reports)}），自最近一次申报的次日起算",
                "en": f"no online subscription from {w.start} to {w.end} (180 calendar days): "
                      f"{len(w.reports)} abandonments reported within 12 months "
                      f"({', '.join(d.isoformat() for d in w.reports)}), "
                      "counted from the day after the last report",
            },
            "location": {"file": where.file, "line": where.line, "col": where.col},
        })
    return out
