"""Facts of an investor case: one `account` fact, one `subscription` fact per subscription.

Each subscription carries the ban window that applies on its date (online_ban.py), so the rule
is a plain date comparison. The windows themselves are also stated as notices, with or without
an offending subscription.
"""

from __future__ import annotations

from ..facts import Fact
from ..loading import Document
from ..model.investor import InvestorCase
from .online_ban import LISTED, ban_windows, window_for

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
    by_date: dict = {}   # report date → the abandonments reported that day, in file order
    for j, a in enumerate(case.abandonments):
        by_date.setdefault(a.report_date, []).append(j)
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
        listed = sorted({j for d in (window.reports if window else ()) for j in by_date[d]})[-LISTED:]
        related = {"subscription.date": [
            (f"放弃认购 {a.security or a.code or a.product.value} 申报 {a.report_date}",
             doc.position(("abandonments", j, "report_date")))
            for j in listed for a in (case.abandonments[j],)]}
        facts.append(Fact("subscription", f"s{i}", values, spos, related,
                          f"{label} · {sub.security or sub.code or sub.product.value} {sub.date}",
                          doc.position(base)))
    return facts


def notices(case: InvestorCase, doc: Document) -> list[dict]:
    """Every ban window, stated whether or not a subscription falls in it."""
    out = []
    windows = ban_windows([a.report_date for a in case.abandonments])
    last = {a.report_date: j for j, a in enumerate(case.abandonments)}   # the last report of each day
    for w in windows:
        where = doc.position(("abandonments", last[w.reports[-1]], "report_date"))
        more_zh = f"，列出最近 {len(w.reports)} 次" if w.count > len(w.reports) else ""
        more_en = f", the latest {len(w.reports)} listed" if w.count > len(w.reports) else ""
        out.append({
            "kind": "online_ban_window", "rule_id": RULE_ID,
            "window": {"start": w.start.isoformat(), "end": w.end.isoformat(),
                       "reports": [d.isoformat() for d in w.reports]},
            "message": {
                "zh": f"{w.start} 至 {w.end}（180个自然日）不得参与网上申购：12个月内 {w.count} "
                      f"次放弃认购（申报日 {_dates(w.reports)}{more_zh}），自最近一次申报的次日起算",
                "en": f"no online subscription from {w.start} to {w.end} (180 calendar days): "
                      f"{w.count} abandonments reported within 12 months "
                      f"({', '.join(d.isoformat() for d in w.reports)}{more_en}), "
                      "counted from the day after the last report",
            },
            "location": {"file": where.file, "line": where.line, "col": where.col},
        })
    return out
