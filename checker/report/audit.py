"""The audit header every report opens with: tool version, rule-pack hash, dates, waivers applied."""

from __future__ import annotations

import datetime as dt

TOOL = "offering-check"


def applied_waivers(results) -> list[dict]:
    """Every waiver that turned a violation into `waived`, with its case and finding."""
    return [{"case_id": r.case_id, "file": r.file, "rule_id": f.rule_id, "subject": f.subject,
             "reason": f.waiver["reason"], "approver": f.waiver["approver"],
             "expires": f.waiver["expires"], "location": f.waiver["location"]}
            for r in results for f in r.findings if f.status == "waived" and f.waiver]


def header(results, *, version: str, rules_hash: str, as_of: dt.date | None, fail_on: str,
           use_waivers: bool, exit_code: int, run_date: dt.date | None = None) -> dict:
    return {"tool": {"name": TOOL, "version": version}, "rules_hash": rules_hash,
            "as_of": as_of.isoformat() if as_of else "case T day",
            "run_date": (run_date or dt.date.today()).isoformat(), "fail_on": fail_on,
            "waivers_applied": use_waivers, "waivers": applied_waivers(results),
            "exit_code": exit_code}


LABELS = {
    "zh": {"tool": "工具版本", "rules_hash": "规则库哈希（SHA-256）", "as_of": "适用日期",
           "run_date": "运行日期",
           "fail_on": "失败条件", "waivers": "已适用的豁免", "case_t_day": "各案例T日",
           "waivers_off": "未适用（--no-waivers）", "none": "无"},
    "en": {"tool": "Tool version", "rules_hash": "Rule packs hash (SHA-256)", "as_of": "As of",
           "run_date": "Run date", "fail_on": "Fails on", "waivers": "Waivers applied",
           "case_t_day": "each case's T day", "waivers_off": "not applied (--no-waivers)", "none": "none"},
}


def rows(head: dict, lang: str) -> list[tuple[str, str]]:
    """The header as (label, value) pairs for the text formats."""
    t = LABELS[lang]
    as_of = t["case_t_day"] if head["as_of"] == "case T day" else head["as_of"]
    if not head["waivers_applied"]:
        waivers = t["waivers_off"]
    else:
        waivers = str(len(head["waivers"])) if head["waivers"] else t["none"]
    return [(t["tool"], f"{head['tool']['name']} {head['tool']['version']}"),
            (t["rules_hash"], head["rules_hash"]), (t["as_of"], as_of), (t["run_date"], head["run_date"]),
            (t["fail_on"], head["fail_on"]), (t["waivers"], waivers)]


def fields(head: dict) -> list[tuple[str, str]]:
    """The header as stable (key, value) pairs for machine-read places (JUnit properties)."""
    return [("tool", f"{head['tool']['name']} {head['tool']['version']}"), ("rules_hash", head["rules_hash"]),
            ("as_of", head["as_of"]), ("run_date", head["run_date"]), ("fail_on", head["fail_on"]),
            ("waivers_applied", str(head["waivers_applied"]).lower()), ("waivers", str(len(head["waivers"])))]


def waiver_line(w: dict, lang: str) -> str:
    expires = w["expires"] or "—"
    if lang == "zh":
        return (f"{w['case_id']} · {w['rule_id']} · {w['reason']} · 批准人 {w['approver']} · 到期 {expires} "
                f"({w['location']['file']}:{w['location']['line']})")
    return (f"{w['case_id']} · {w['rule_id']} · {w['reason']} · approved by {w['approver']} · expires "
            f"{expires} ({w['location']['file']}:{w['location']['line']})")
