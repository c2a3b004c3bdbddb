"""The audit header every report opens with: tool version, rule-pack hash, dates, the waivers
(applied, expired, unused) and the filters of the run."""

from __future__ import annotations

import datetime as dt
import os

from .. import suggest
from ..errors import UsageError
from .common import visible

TOOL = "offering-check"
EPOCH = "SOURCE_DATE_EPOCH"


def report_time() -> dt.datetime:
    """When the run began, in local time with its offset (its day is the run date the reports carry);
    or the UTC time of $SOURCE_DATE_EPOCH (seconds since 1970,
    https://reproducible-builds.org/specs/source-date-epoch/) when set, so that one batch gives the
    same reports byte for byte on any day. It never moves the date waivers are judged on."""
    value = os.environ.get(EPOCH, "")
    if not value:
        return dt.datetime.now().astimezone().replace(microsecond=0)
    try:
        if not value.isascii() or not value.isdigit():
            raise ValueError
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"{EPOCH}={value!r}: give whole seconds since 1970-01-01 UTC, e.g. "
                         f"{EPOCH}=1777593600") from None


def _applied(r) -> list[dict]:
    """Every waiver of one case that turned a violation into `waived`, with its case and finding."""
    return [{"case_id": r.case_id, "file": r.file, "rule_id": f.rule_id, "subject": f.subject,
             "item": f.waiver.get("item"), "reason": f.waiver["reason"], "approver": f.waiver["approver"],
             "expires": f.waiver["expires"], "location": f.waiver["location"]}
            for f in r.findings if f.status == "waived" and f.waiver]


def _notices(r, kinds: tuple[str, ...]) -> list[dict]:
    """The waivers of one case that did not waive (expired, unused, unknown rule)."""
    return [{"case_id": r.case_id, "file": r.file, "kind": n["kind"], "rule_id": n["rule_id"],
             "item": n.get("item"), "reason": n.get("reason"), "approver": n.get("approver"),
             "expires": n.get("expires"), "location": n["location"],
             **({"did_you_mean": n["did_you_mean"]} if n.get("did_you_mean") else {})}
            for n in r.notices if n["kind"] in kinds]


SHOWN_INPUTS = 20   # folder and pattern arguments named in the text headers
EXPIRED = ("waiver_expired",)
UNUSED = ("waiver_unused", "waiver_unknown_rule")


class WaiverLog:
    """The header's waiver lists (applied, expired, unused), gathered one result at a time; they
    are small (a few per waiver written in a case), so they are kept."""

    def __init__(self):
        self.applied: list[dict] = []
        self.expired: list[dict] = []
        self.unused: list[dict] = []

    def add(self, result) -> None:
        self.add_entries(entries(result))

    def add_entries(self, entries: tuple[list[dict], list[dict], list[dict]]) -> None:
        applied, expired, unused = entries
        self.applied += applied
        self.expired += expired
        self.unused += unused


def entries(result) -> tuple[list[dict], list[dict], list[dict]]:
    """What one case adds to the waiver lists: (applied, expired, unused); all empty for most."""
    return _applied(result), _notices(result, EXPIRED), _notices(result, UNUSED)


def header(*, version: str, rules_hash: str, as_of: dt.date | None, fail_on: str, use_waivers: bool,
           exit_code: int, waivers: WaiverLog, today: dt.date | None = None,
           filters: dict | None = None, accept_uncovered: bool = False,
           inputs: list[dict] | None = None, started: dt.datetime | None = None) -> dict:
    """The audit header; the waiver lists as the caller gathered them (`waivers`). `started`: when
    the run began, report_time() when not given; `today`: the day waivers were judged on, else the
    run date."""
    started = started or report_time()
    run_date = started.date()
    return {"tool": {"name": TOOL, "version": version}, "rules_hash": rules_hash,
            "as_of": as_of.isoformat() if as_of else "case T day",
            "run_date": run_date.isoformat(), "run_started": started.isoformat(),
            "fail_on": fail_on, "accept_uncovered": accept_uncovered,
            "waivers_applied": use_waivers, "waivers": waivers.applied,
            "waivers_today": (today or run_date).isoformat(),
            "waivers_expired": waivers.expired, "waivers_unused": waivers.unused,
            "filters": filters, "inputs": inputs or [], "exit_code": exit_code}


LABELS = {
    "zh": {"tool": "工具版本", "rules_hash": "规则库哈希（SHA-256）", "as_of": "适用日期",
           "run_date": "运行日期",
           "fail_on": "失败条件", "waivers": "豁免", "case_t_day": "各案例T日",
           "waivers_off": "未适用（--no-waivers）", "none": "无",
           "waiver_count": "{applied} 项已适用 · {expired} 项已到期 · {unused} 项未使用（按 {today} 判断）",
           "unknown": "（其中 {n} 项规则不存在）",
           "filters": "筛选", "full_audit": "无（完整审计）", "rule": "规则", "severity": "级别",
           "board": "板块", "excluded": "排除 {cases} 个案例、{findings} 项发现",
           "expired": "已到期", "unused": "未使用", "waiver_unknown_rule": "规则不存在",
           "inputs": "输入", "files": "{n} 个文件", "file_args": "{n} 个文件参数",
           "more_inputs": "另有 {n} 个文件夹或模式参数",
           "uncovered": "未覆盖案例",
           "uncovered_fail": "不通过（未检查的案例及远早于案例日期的规则日期计为失败）",
           "uncovered_accepted": "已接受（--accept-uncovered：未检查的案例不计为失败）"},
    "en": {"tool": "Tool version", "rules_hash": "Rule packs hash (SHA-256)", "as_of": "As of",
           "run_date": "Run date", "fail_on": "Fails on", "waivers": "Waivers",
           "case_t_day": "each case's T day", "waivers_off": "not applied (--no-waivers)", "none": "none",
           "waiver_count": "{applied} applied · {expired} expired · {unused} unused (judged on {today})",
           "unknown": " ({n} naming an unknown rule)",
           "filters": "Filters", "full_audit": "none (full audit)", "rule": "rule", "severity": "severity",
           "board": "board", "excluded": "{cases} case(s) and {findings} finding(s) left out",
           "expired": "expired", "unused": "unused", "waiver_unknown_rule": "unknown rule",
           "inputs": "Inputs", "files": "{n} file(s)", "file_args": "{n} file argument(s)",
           "more_inputs": "{n} more folder or pattern argument(s)",
           "uncovered": "Uncovered cases", "uncovered_fail": "fail the run (cases not checked, and rules "
           "dates far before a case's own date)",
           "uncovered_accepted": "accepted (--accept-uncovered: cases not checked do not fail the run)"},
}


def waivers_text(head: dict, lang: str) -> str:
    t = LABELS[lang]
    if not head["waivers_applied"]:
        unknown = len(head.get("waivers_unused", []))
        return t["waivers_off"] + (t["unknown"].format(n=unknown) if unknown else "")
    expired, unused = head.get("waivers_expired", []), head.get("waivers_unused", [])
    if not (head["waivers"] or expired or unused):
        return t["none"]
    text = t["waiver_count"].format(applied=len(head["waivers"]), expired=len(expired), unused=len(unused),
                                    today=head.get("waivers_today", head["run_date"]))
    unknown = sum(w["kind"] == "waiver_unknown_rule" for w in unused)
    return text + (t["unknown"].format(n=unknown) if unknown else "")


def filters_text(head: dict, lang: str) -> str:
    t = LABELS[lang]
    f = head.get("filters")
    if not f:
        return t["full_audit"]
    parts = [f"{t[key]} {', '.join(f[key])}" for key in ("rule", "severity", "board") if f[key]]
    parts.append(t["excluded"].format(cases=f["cases_excluded"], findings=f["findings_excluded"]))
    return " · ".join(parts)


def rows(head: dict, lang: str) -> list[tuple[str, str]]:
    """The header as (label, value) pairs for the text formats."""
    t = LABELS[lang]
    as_of = t["case_t_day"] if head["as_of"] == "case T day" else head["as_of"]
    return [(t["tool"], f"{head['tool']['name']} {head['tool']['version']}"),
            (t["rules_hash"], head["rules_hash"]), (t["as_of"], as_of), (t["run_date"], head["run_date"]),
            (t["fail_on"], head["fail_on"]),
            (t["uncovered"], t["uncovered_accepted" if head.get("accept_uncovered") else "uncovered_fail"]),
            (t["waivers"], waivers_text(head, lang)),
            (t["filters"], filters_text(head, lang)),
            (t["inputs"], inputs_text(head, lang))]


def inputs_text(head: dict, lang: str) -> str:
    """Each folder or pattern argument with the case files it gave (the first SHOWN_INPUTS, then a
    count); plain file arguments as a count (a pre-commit run names every staged file)."""
    t = LABELS[lang]
    inputs = head.get("inputs", [])
    files = [i for i in inputs if i.get("kind") == "file"]
    given = [i for i in inputs if i.get("kind") != "file"]
    parts = [f"{visible(i['path'])} {t['files'].format(n=i['files'])}" for i in given[:SHOWN_INPUTS]]
    if len(given) > SHOWN_INPUTS:   # the JSON header lists them all
        parts.append(t["more_inputs"].format(n=len(given) - SHOWN_INPUTS))
    if files:
        parts.append(t["file_args"].format(n=len(files)))
    return " · ".join(parts) or "—"


def fields(head: dict) -> list[tuple[str, str]]:
    """The header as stable (key, value) pairs for machine-read places (JUnit properties; each suite
    has the case's own `as_of`, so the header says only where it came from)."""
    return [("tool", f"{head['tool']['name']} {head['tool']['version']}"), ("rules_hash", head["rules_hash"]),
            ("as_of_from", "case T day" if head["as_of"] == "case T day" else "--as-of"),
            ("run_date", head["run_date"]), ("run_started", head["run_started"]),
            ("fail_on", head["fail_on"]),
            ("accept_uncovered", str(bool(head.get("accept_uncovered"))).lower()),
            ("waivers_applied", str(head["waivers_applied"]).lower()), ("waivers", str(len(head["waivers"]))),
            ("waivers_today", head.get("waivers_today", "")),
            ("waivers_expired", str(len(head.get("waivers_expired", [])))),
            ("waivers_unused", str(len(head.get("waivers_unused", [])))),
            ("filters", filters_text(head, "en")), ("inputs", inputs_text(head, "en"))]


def waiver_line(w: dict, lang: str) -> str:
    """One waiver of the header: applied (no `kind`), or expired / unused / unknown rule."""
    expires = w["expires"] or "—"
    t = LABELS[lang]
    state = {"waiver_expired": t["expired"], "waiver_unused": t["unused"],
             "waiver_unknown_rule": t["waiver_unknown_rule"]}.get(w.get("kind", ""))
    rule = w["rule_id"] + (f" [{w['item']}]" if w.get("item") else "")
    rule += suggest.hint(w.get("did_you_mean"), lang)
    lead = f"{state}: " if state else ""
    if lang == "zh":
        return (f"{lead}{w['case_id']} · {rule} · {w['reason']} · 批准人 {w['approver']} · 到期 {expires} "
                f"({w['location']['file']}:{w['location']['line']})")
    return (f"{lead}{w['case_id']} · {rule} · {w['reason']} · approved by {w['approver']} · expires "
            f"{expires} ({w['location']['file']}:{w['location']['line']})")


def all_waiver_lines(head: dict, lang: str) -> list[str]:
    """Applied, then expired, then unused waivers, one line each."""
    return [waiver_line(w, lang) for key in ("waivers", "waivers_expired", "waivers_unused")
            for w in head.get(key, [])]
