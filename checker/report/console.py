"""The terminal report (rich): Chinese by default, English with --lang en."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from .common import WORDS, coverage_text, dates_text, location, visible, where


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
    # the shared words; the console writes these few in lower case inside a line
    t = {**WORDS[lang], **{k: WORDS[lang][k].lower() for k in ('expected', 'actual', 'cite', 'waiver')}}
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
            console.print(f"  [green]✓ {t['no_findings']}[/]")
        pending = sum(f.status == "pending" for f in result.findings)
        for f in result.findings:
            if f.status == "pending":
                continue
            style = STYLE[f.status]
            mark = "✗" if f.fails_run else "•"   # as the policy marked it: ✗ fails the run
            console.print(f"  [{style}]{mark} {WORDS[lang][f.status]}[/] [bold]{f.rule_id}[/] "
                          f"{_text('[' + f.severity + ']')} {_text(where(location(f)))}")
            console.print(f"      {_text(f.title[lang])}" + (f" — {_text(f.subject)}" if f.subject else ""))
            console.print(f"      {_text(f.message[lang])}")
            if f.status in ("violation", "waived"):
                sep = "；" if lang == "zh" else "; "
                console.print(f"      {t['expected']} {_text(f.expected[lang])}{sep}{t['actual']} "
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
    counts = {"not_checked": 0, "partly_checked": 0, "pending": 0, **summary}
    console.print(t["run_summary"].format(**counts))
    if len(results) > 1 and summary.get("top_rules"):
        top = ", ".join(f"{rule} ×{n}" for rule, n in summary["top_rules"])
        console.print(f"{t['top_rules']}: " + _text(top))
    if len(results) > 1 and summary.get("by_board"):
        console.print(f"{t['by_board_short']}: " + _text(", ".join(
            t["board_row"].format(board=t["no_board_short"] if board == "-" else board, **row)
            for board, row in summary["by_board"].items())))
