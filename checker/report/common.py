"""Small pieces the text formats share: words, citation text, locations, tallies (counting only)."""

from __future__ import annotations

import re

from ..findings import STATUSES  # noqa: F401 (the reporters take it from here)

CASE_STATUSES = ("violations", "not_checked", "not_evaluable", "clean", "input_error", "engine_error",
                 "internal_error")

WORDS = {
    "zh": {"violation": "违规", "waived": "已豁免", "not_evaluated": "无法评估", "not_covered": "未覆盖",
           "pending": "待发行结果", "not_checked": "未检查", "partly_checked": "部分检查",
           "checked": "已检查",
           "coverage": "覆盖", "uncovered_topics": "未覆盖主题",
           "violations": "有违规", "not_evaluable": "部分无法评估", "clean": "无违规",
           "input_error": "输入错误", "engine_error": "引擎错误", "internal_error": "内部错误",
           "cases": "案例", "findings": "发现", "rule": "规则", "board": "板块", "status": "状态",
           "severity": "级别", "location": "位置", "expected": "应为", "actual": "实际", "cite": "依据",
           "message": "说明", "as_of": "适用日期", "subject": "对象", "waiver": "豁免", "approver": "批准人",
           "expires": "到期", "notices": "提示", "title": "发行合规检查报告", "summary": "概览",
           "by_rule": "按规则统计的发现", "by_board": "按板块统计的发现", "details": "各案例明细",
           "no_board": "（无板块）", "search": "搜索", "filters": "筛选", "all": "全部",
           "no_findings": "未发现违规", "confidence": "可信度", "missing": "缺少",
           "error_at": "错误位置", "total": "合计", "others": "其他", "audit": "审计信息", "value": "内容",
           "findings_total": "发现总数", "show": "显示", "related": "相关行",
           # the console's summary lines
           "notice": "提示", "top_rules": "违规最多的规则", "by_board_short": "按板块",
           "no_board_short": "无板块",
           "board_row": "{board} {cases} 个（{violations} 个有违规）",
           "pending_fold": "{n} 项规则待发行结果（计划阶段，尚无发行结果；不计为失败）",
           "run_summary": "共读取 {cases} 个案例：{clean} 个无违规，{violations} 个有违规，"
                          "{not_checked} 个未检查（板块或日期未覆盖），{partly_checked} 个部分检查，"
                          "{not_evaluable} 个部分无法评估，{input_error} 个输入错误，"
                          "{engine_error} 个引擎错误，{internal_error} 个内部错误；{pending} 项待发行结果"},
    "en": {"violation": "violation", "waived": "waived", "not_evaluated": "not evaluated",
           "pending": "pending results", "not_checked": "not checked", "partly_checked": "partly checked",
           "checked": "checked", "coverage": "coverage", "uncovered_topics": "topics not covered",
           "not_covered": "not covered", "violations": "with violations",
           "not_evaluable": "not fully evaluable",
           "clean": "clean", "input_error": "input error", "engine_error": "engine error",
           "internal_error": "internal error",
           "cases": "Cases", "findings": "Findings", "rule": "Rule", "board": "Board", "status": "Status",
           "severity": "Severity", "location": "Location", "expected": "Expected", "actual": "Actual",
           "cite": "Source", "message": "Message", "as_of": "as of", "subject": "Subject", "waiver": "Waiver",
           "approver": "approver", "expires": "expires", "notices": "Notices",
           "title": "Offering compliance report", "summary": "Summary", "by_rule": "Findings by rule",
           "by_board": "Findings by board", "details": "Cases in detail", "no_board": "(no board)",
           "search": "Search", "filters": "Filters", "all": "all", "no_findings": "no violations",
           "confidence": "confidence", "missing": "missing", "error_at": "error at", "total": "Total",
           "others": "others", "audit": "Audit header", "value": "Value", "findings_total": "Findings",
           "show": "Show", "related": "lines",
           "notice": "notice", "top_rules": "most violated rules", "by_board_short": "by board",
           "no_board_short": "no board", "board_row": "{board} {cases} ({violations} with violations)",
           "pending_fold": "{n} rule(s) pending the results (a plan has none yet; they never fail)",
           "run_summary": "{cases} case(s) read: {clean} clean, {violations} with violations, "
                          "{not_checked} not checked (board or date not covered), {partly_checked} partly "
                          "checked, {not_evaluable} not fully evaluable, {input_error} input errors, "
                          "{engine_error} engine errors, {internal_error} internal errors; {pending} pending "
                          "results"},
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text) -> str:
    """Case text made safe to print: every control character (a terminal escape, a carriage return,
    a newline in a file name) shown as an escape such as `\\x1b`, so no text can hide or forge a line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                        else f"\\u{ord(m.group()):04x}", str(text))


def dates_text(result, lang: str) -> str:
    """The rules date and where it came from, beside the case's own date when they differ:
    "规则日期 2021-09-10（timetable.rules_date：理由）；timetable.t_day 2021-09-25"."""
    d = result.dates
    if not d:
        return result.as_of or ""
    zh = lang == "zh"
    text = f"{'规则日期' if zh else 'rules date'} {d['rules']} ({d['rules_key']}"
    text += (f"{'：' if zh else ': '}{d['reason']})" if d.get("reason") else ")")
    if d["rules_key"] != d["event_key"]:
        text += f"{'；' if zh else '; '}{d['event_key']} {d['event'] or ('未载明' if zh else 'not stated')}"
    return text


CHANGE = {   # against --baseline (checker/baseline.py)
    "zh": {"new": "［新增］", "unchanged": "［未变］", "fixed": "已修复",
           "baseline": "与基线 {file} 比较：新增 {new} 项 · 未变 {unchanged} 项 · 已修复 {fixed_count} 项 · "
                       "未能比较 {not_compared} 项（其中现无法评估 {now_not_evaluated} 项）{only}",
           "new_only": "；只有新增项使运行失败", "more_fixed": "等 {n} 项（JSON 报告全部列出）"},
    "en": {"new": "[new]", "unchanged": "[unchanged]", "fixed": "fixed",
           "baseline": "against the baseline {file}: {new} new · {unchanged} unchanged · "
                       "{fixed_count} fixed · {not_compared} not compared "
                       "({now_not_evaluated} now not evaluated){only}",
           "new_only": "; only new ones fail the run",
           "more_fixed": "and {n} more (the JSON report lists them all)"},
}


def baseline_text(record: dict, lang: str) -> str:
    """The header's baseline record in one line: counts new, unchanged, fixed, not compared."""
    only = CHANGE[lang]["new_only"] if record.get("new_only") else ""
    return CHANGE[lang]["baseline"].format(**{**record, "only": only})


def fixed_text(entry: dict, lang: str) -> str:
    """A fixed finding as the previous report had it: rule id, title — case · subject."""
    title = (entry.get("title") or {}).get(lang) or ""
    subject = f" · {entry['subject']}" if entry.get("subject") else ""
    return f"{entry['rule_id']} {title} — {entry['case_id']}{subject}"


def coverage_text(result, lang: str) -> str:
    """"部分检查（未覆盖主题：…）" / "partly checked (topics not covered: …)"; the word alone otherwise."""
    if not result.coverage:
        return ""
    w = WORDS[lang]
    text = w[result.coverage]
    if result.uncovered:
        text += f" ({w['uncovered_topics']}: {', '.join(result.uncovered)})"
    return text


def where(loc: dict) -> str:
    return f"{visible(loc['file'])}:{loc['line']}:{loc['col']}"


def location(f) -> dict:
    """A finding's location as the JSON report has it (`to_dict()["location"]`, without the copy)."""
    p = f.position
    return {"file": p.file, "line": p.line, "col": p.col}


def cite_text(c: dict) -> str:
    """The official document: its title, 文号, article and version (the copies read are `urls`)."""
    number = f"({c['number']})" if c.get("number") else ""
    return " ".join(x for x in (c["source"], number, c.get("article") or "", f"({c['version']})") if x)


def web_urls(c: dict) -> list[str]:
    """The citation's addresses with a web scheme: all of them in a loaded pack (loading refuses an
    address without one); a finding made elsewhere may still carry a bare one, shown as text only."""
    return [u for u in c.get("urls") or [] if u.startswith(("https://", "http://"))]


class Tables:
    """The tallies the text formats show before the cases, in one pass: findings per status, per
    rule and per board, and the boards seen (small: bounded by the catalogue and the boards)."""

    def __init__(self, results):
        self.counts = dict.fromkeys(STATUSES, 0)
        self._rules: dict[str, dict[str, int]] = {}
        self._boards: dict[str | None, dict[str, int]] = {}
        self.titles: dict[str, dict[str, str]] = {}   # rule id → its title {zh, en}
        for r in results:
            row = self._boards.setdefault(r.board, dict.fromkeys(STATUSES, 0))
            for f in r.findings:
                self.counts[f.status] += 1
                row[f.status] += 1
                self._rules.setdefault(f.rule_id, dict.fromkeys(STATUSES, 0))[f.status] += 1
                self.titles.setdefault(f.rule_id, f.title)

    @property
    def by_rule(self) -> list[tuple[str, dict[str, int]]]:
        """Findings per rule id and status; rules with violations first, then by total."""
        return sorted(self._rules.items(), key=lambda kv: (-kv[1]["violation"], -kv[1]["waived"],
                                                           -sum(kv[1].values()), kv[0]))

    @property
    def by_board(self) -> list[tuple[str | None, dict[str, int]]]:
        return sorted(self._boards.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))

    @property
    def boards(self) -> list[str]:
        return sorted(b for b in self._boards if b)


def notice_text(n: dict, lang: str) -> str:
    if n.get("message"):
        return n["message"][lang]
    extra = " · ".join(str(n[k]) for k in ("reason", "approver", "expires") if n.get(k))
    return f"{n['kind']} {n['rule_id']}" + (f" ({extra})" if extra else "")
