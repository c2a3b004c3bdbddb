"""The terminal report (rich): Chinese by default, English with --lang en."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from .common import WORDS, coverage_text, dates_text, location, visible, where

L = {
    "zh": {"violation": "违规", "waived": "已豁免", "not_evaluated": "无法评估", "not_covered": "未覆盖",
           "expected": "应为", "actual": "实际", "cite": "依据", "related": "相关行", "as_of": "适用日期",
           "clean": "未发现违规", "input_error": "输入错误", "engine_error": "引擎错误",
           "internal_error": "内部错误",
           "waiver": "豁免", "approver": "批准人", "expires": "到期", "notice": "提示",
           "summary": "共读取 {cases} 个案例：{clean} 个无违规，{violations} 个有违规，"
                      "{not_checked} 个未检查（板块或日期未覆盖），{partly_checked} 个部分检查，"
                      "{not_evaluable} 个部分无法评估，{input_error} 个输入错误，{engine_error} 个引擎错误，"
                      "{internal_error} 个内部错误；{pending} 项待发行结果",
           "not_checked": "未检查",
           "pending_fold": "{n} 项规则待发行结果（计划阶段，尚无发行结果；不计为失败）",
           "top_rules": "违规最多的规则", "by_board": "按板块",
           "board_row": "{board} {cases} 个（{violations} 个有违规）",
           "no_board": "无板块"},
    "en": {"violation": "violation", "waived": "waived", "not_evaluated": "not evaluated",
           "not_covered": "not covered", "expected": "expected", "actual": "actual", "cite": "source",
           "related": "lines", "as_of": "as of", "clean": "no violations", "input_error": "input error",
           "engine_error": "engine error", "internal_error": "internal error", "waiver": "waiver",
           "approver": "approver",
           "expires": "expires", "notice": "notice",
           "summary": "{cases} case(s) read: {clean} clean, {violations} with violations, "
                      "{not_checked} not checked (board or date not covered), {partly_checked} partly "
                      "checked, {not_evaluable} not fully evaluable, {input_error} input errors, "
                      "{engine_error} engine errors, {internal_error} internal errors; {pending} pending "
                      "results",
           "not_checked": "not checked",
           "pending_fold": "{n} rule(s) pending the results (a plan has none yet; they never fail)",
           "top_rules": "most violated rules", "by_board": "by board",
           "board_row": "{board} {cases} ({violations} with violations)", "no_board": "no board"},
}
def _text(value) -> str:
    """Case text for rich: markup escaped, control characters shown as escapes."""
    return escape(visible(value))


STYLE = {"violation": "bold red", "waived": "yellow", "not_evaluated": "cyan", "not_covered": "dim",
         "pending": "dim"}


def write(fh, results, header: dict, summary: dict, lang: str = "zh") -> None:
    """The report as plain text, without colour (a file, a pipe, a spooled stdout)."""
    render(results, summary, lang, Console(file=fh, width=200, soft_wrap=True, highlight=False,
                                           color_system=None), header)


def render(results, summary: dict, lang: str, console: Console, header: dict | None = None) -> None:
    t = L[lang]
    if header is not None:
        from .audit import all_waiver_lines, rows
        console.print("[dim]" + _text(" · ".join(f"{k} {v}" for k, v in rows(header, lang))) + "[/]")
        for line in all_waiver_lines(header, lang):
            console.print("[dim]  " + _text(line) + "[/]")
        console.print()
    for result in results:
        head = f"[bold]{_text(result.case_id)}[/] · {_text(result.file)}"
        if result.board:
            head += f" · {result.board}"
        if result.as_of:
            head += f" · {_text(dates_text(result, lang))}"
        if result.coverage and result.coverage != "checked":
            head += f" · {_text(coverage_text(result, lang))}"
        console.print(head)
        if result.error:
            err = result.error
            console.print(f"  [bold red]✗ {t[err['kind']]}[/] {_text(where(err['location']))}: "
                          f"{_text(err['message'])}")
            for more in err.get("more", []):
                console.print(f"    {_text(where(more['location']))}: {_text(more['message'])}")
            console.print()
            continue
        if result.coverage == "not_checked":
            console.print(f"  [bold red]✗ {t['not_checked']}[/]")
        elif not any(f.status == "violation" for f in result.findings):
            console.print(f"  [green]✓ {t['clean']}[/]")
        pending = sum(f.status == "pending" for f in result.findings)
        for f in result.findings:
            if f.status == "pending":
                continue
            style = STYLE[f.status]
            mark = "✗" if f.status == "violation" or f.rule_id == "coverage.not_checked" else "•"
            console.print(f"  [{style}]{mark} {WORDS[lang][f.status]}[/] [bold]{f.rule_id}[/] "
                          f"{_text('[' + f.severity + ']')} {_text(where(location(f)))}")
            console.print(f"      {_text(f.title[lang])}" + (f" — {_text(f.subject)}" if f.subject else ""))
            console.print(f"      {_text(f.message[lang])}")
            if f.status in ("violation", "waived"):
                console.print(f"      {t['expected']} {_text(f.expected[lang])}；{t['actual']} "
                              f"{_text(f.actual[lang])}" if lang == "zh" else
                              f"      {t['expected']} {_text(f.expected[lang])}; {t['actual']} "
                              f"{_text(f.actual[lang])}")
            c = f.citation
            cite = " ".join(x for x in (c["source"], c.get("article") or "", f"({c['version']})") if x)
            if f.status != "not_covered":
                console.print(f"      [dim]{t['cite']} {_text(cite)} · confidence {f.confidence}[/]")
            if f.related:
                lines = ", ".join(f"{r['line']} {r['label']}" for r in f.related)
                console.print(f"      [dim]{t['related']} {_text(lines)}[/]")
            if f.waiver:
                w = f.waiver
                console.print(f"      [yellow]{t['waiver']}: {_text(w['reason'])} · {t['approver']} "
                              f"{_text(w['approver'])} · {t['expires']} {w['expires'] or '—'}[/]")
        if pending:
            console.print(f"  [dim]• {t['pending_fold'].format(n=pending)}[/]")
        for n in result.notices:
            style = "bold red" if n.get("level") == "error" else "yellow"
            console.print(f"  [{style}]{t['notice']}[/] {n['kind']} {_text(n['rule_id'])} "
                          f"{_text(where(n['location']))}")
            if n.get("message"):
                console.print(f"      {_text(n['message'][lang])}")
        console.print()
    console.print(t["summary"].format(**{"not_checked": 0, "partly_checked": 0, "pending": 0, **summary}))
    if len(results) > 1 and summary.get("top_rules"):
        top = ", ".join(f"{rule} ×{n}" for rule, n in summary["top_rules"])
        console.print(f"{t['top_rules']}: " + _text(top))
    if len(results) > 1 and summary.get("by_board"):
        console.print(f"{t['by_board']}: " + _text(", ".join(
            t["board_row"].format(board=t["no_board"] if board == "-" else board, **row)
            for board, row in summary["by_board"].items())))
