"""The terminal report (rich): Chinese by default, English with --lang en.

Read in a minute: the cases with something to act on first (violations, waived ones, errors, cases
not checked, waiver notices), each finding in a few lines; then every other case on one line;
then a summary that fits a screen. Findings that are not evaluated, pending or not covered are
folded into counts per case (and the fields most often missing into the summary); `--expand`
lists them one by one.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape

from .. import policy
from ..boards import board_name
from .common import (
    CHANGE,
    WORDS,
    baseline_text,
    cite_text,
    coverage_text,
    dates_text,
    fixed_text,
    location,
    visible,
    where,
)

FOLDED = ("not_evaluated", "pending", "not_covered")
STYLE = {"violation": "bold red", "waived": "yellow", "not_evaluated": "cyan", "not_covered": "dim",
         "pending": "dim"}
MORE = {   # the console's own words
    "zh": {"folded": "{counts}（--expand 逐条列出）", "n": "{word} {n} 项", "missing_top": "最常缺少的字段",
           "folded_total": "已折叠", "others": "其余案例", "more_missing": "等 {n} 个字段",
           "uncovered_n": "（{n} 个主题未覆盖）", "rules_date": "规则日期",
           "kinds": {"investor": "投资者记录", "restructuring": "重组"}},
    "en": {"folded": "{counts} (--expand lists them)", "n": "{word} {n}",
           "missing_top": "fields most often missing",
           "folded_total": "folded", "others": "other cases", "more_missing": "and {n} more",
           "uncovered_n": " ({n} topic(s) not covered)", "rules_date": "rules date",
           "kinds": {"investor": "investor records", "restructuring": "restructurings"}},
}


def _text(value) -> str:
    """Case text for rich: markup escaped, control characters shown as escapes."""
    return escape(visible(value))


def write(fh, results, header: dict, summary: dict, lang: str = "zh", expand: bool = False) -> None:
    """The report as plain text, without colour (a file, a pipe, a spooled stdout)."""
    render(results, summary, lang, Console(file=fh, width=200, soft_wrap=True, highlight=False,
                                           color_system=None), header, expand)


class _Seen:
    """What the summary names beyond the counts: the titles of violated rules, missing fields."""

    def __init__(self):
        self.titles: dict[str, str] = {}
        self.missing: Counter[str] = Counter()
        self.folded: Counter[str] = Counter()


def render(results, summary: dict, lang: str, console: Console, header: dict | None = None,
           expand: bool = False) -> None:
    t = {**WORDS[lang], **MORE[lang],
         **{k: WORDS[lang][k].lower() for k in ("expected", "actual", "cite", "waiver")}}
    marked = policy.marked(results, header or {})
    if header is not None:
        from .audit import all_waiver_lines, rows
        console.print("[dim]" + _text(" · ".join(f"{k} {v}" for k, v in rows(header, lang))) + "[/]")
        for line in all_waiver_lines(header, lang):
            console.print("[dim]  " + _text(line) + "[/]")
        console.print()
    seen = _Seen()
    acting = marked.policy.may_list
    for _, result in marked.read_if(acting):
        if result is not None:
            _case(console, result, lang, t, seen, expand)
    rest = [r for _, r in marked.read_if(lambda o: not acting(o)) if r is not None]
    if rest and len(rest) < len(marked):
        console.print(f"[bold]{t['others']}[/]")
    for result in rest:
        if expand:
            _case(console, result, lang, t, seen, expand)
        else:
            _one_line(console, result, lang, t, seen)
    if rest and not expand:
        console.print()
    _summary(console, summary, lang, t, seen, expand, many=len(marked) > 1)
    if header and header.get("baseline"):
        _baseline(console, header["baseline"], lang, t)


def _baseline(console: Console, record: dict, lang: str, t: dict, shown: int = 20) -> None:
    console.print(f"[bold]{_text(baseline_text(record, lang))}[/]")
    for e in record["fixed"][:shown]:
        console.print(f"  [green]✓ {CHANGE[lang]['fixed']}[/] {_text(fixed_text(e, lang))}")
    if len(record["fixed"]) > shown:
        console.print("  " + CHANGE[lang]["more_fixed"].format(n=len(record["fixed"]) - shown))


def _head(result, lang: str, short: bool = False) -> str:
    """Case id, file, board and rules date; `short`: the date alone when it is the case's own."""
    head = f"[bold]{_text(result.case_id)}[/] · {_text(result.file)}"
    if result.board:
        head += f" · {_text(board_name(result.board, lang))}"
    d = result.dates
    if short and d and d["rules_key"] == d["event_key"] and not d.get("reason"):
        head += f" · {MORE[lang]['rules_date']} {d['rules']} ({_text(d['rules_key'])})"
    elif result.as_of:
        head += f" · {_text(dates_text(result, lang))}"
    return head


def _mark(result) -> str:
    if result.error or result.coverage == "not_checked" or result.fails_run:
        return "[bold red]✗[/]"
    if any(f.status in ("violation", "waived") for f in result.findings):
        return "[yellow]![/]"
    return "[green]✓[/]"


def _folded(result, lang: str, t: dict, seen: _Seen, expand: bool) -> str:
    """`无法评估 10 项 · 待发行结果 3 项 · 部分检查（2 个主题未覆盖）` for what is not listed."""
    counts = Counter(f.status for f in result.findings if not f.listed and f.status in FOLDED)
    for f in result.findings:
        if f.status == "not_evaluated" and not f.listed:
            seen.missing.update(dict.fromkeys(f.missing or ["?"], 1))
    seen.folded.update(counts)
    parts = [t["n"].format(word=t[s], n=counts[s]) for s in FOLDED if counts[s] and not expand]
    if result.coverage == "partly_checked":
        parts.append(t["partly_checked"] + t["uncovered_n"].format(n=len(result.uncovered))
                     if not expand else _text(coverage_text(result, lang)))
    return " · ".join(parts)


def _one_line(console: Console, result, lang: str, t: dict, seen: _Seen) -> None:
    parts = [t["no_findings"]] if result.coverage != "not_checked" else [t["not_checked"]]
    folded = _folded(result, lang, t, seen, expand=False)
    if folded:
        parts.append(folded)
    console.print(f"{_mark(result)} {_head(result, lang, short=True)} · [dim]{' · '.join(parts)}[/]")
    for n in result.notices:   # informative only here (a case with an error notice is listed in full)
        if n.get("message"):
            console.print(f"  [dim]{t['notice']} {_text(n['message'][lang])}[/]")


def _case(console: Console, result, lang: str, t: dict, seen: _Seen, expand: bool) -> None:
    console.print(f"{_mark(result)} {_head(result, lang)}")
    if result.error:
        err = result.error
        console.print(f"  [bold red]✗ {t[err['kind']]}[/] {_text(where(err['location']))}: "
                      f"{_text(err['message'])}")
        for more in err.get("more", []):
            console.print(f"    {_text(where(more['location']))}: {_text(more['message'])}")
        console.print()
        return
    if result.coverage == "not_checked":
        console.print(f"  [bold red]✗ {t['not_checked']}[/]")
    elif not any(f.status == "violation" for f in result.findings):
        console.print(f"  [green]✓ {t['no_findings']}[/]")
    for f in result.findings:
        if f.listed or (expand and f.status != "pending"):
            _finding(console, f, lang, t)
            if f.status in ("violation", "waived"):
                seen.titles.setdefault(f.rule_id, f.title[lang])
    folded = _folded(result, lang, t, seen, expand)
    if expand:
        pending = sum(f.status == "pending" for f in result.findings)
        if pending:
            console.print(f"  [dim]• {t['pending_fold'].format(n=pending)}[/]")
        if folded:
            console.print(f"  [dim]• {folded}[/]")
    elif folded:
        console.print(f"  [dim]• {t['folded'].format(counts=folded)}[/]")
    for n in result.notices:
        if n.get("level") != "error" and not n["kind"].startswith("waiver_") and not expand \
                and not any(f.status == "violation" and f.rule_id == n["rule_id"] for f in result.findings):
            continue   # an informative notice beside no violation of its rule: --expand shows it
        style = "bold red" if n.get("level") == "error" else "yellow"
        console.print(f"  [{style}]{t['notice']}[/] {n['kind']} {_text(n['rule_id'])} "
                      f"{_text(where(n['location']))}")
        if n.get("message"):
            console.print(f"      {_text(n['message'][lang])}")
    console.print()


def _finding(console: Console, f, lang: str, t: dict) -> None:
    mark = "✗" if f.fails_run else "•"   # as the policy marked it: ✗ fails the run
    change = f" [bold]{CHANGE[lang][f.change]}[/]" if f.change == "new" else \
        f" [dim]{CHANGE[lang][f.change]}[/]" if f.change else ""
    console.print(f"  [{STYLE[f.status]}]{mark} {t[f.status]}[/]{change} [bold]{f.rule_id}[/] "
                  f"{_text('[' + f.severity + ']')} {_text(where(location(f)))}")
    console.print(f"      {_text(f.title[lang])}" + (f" — {_text(f.subject)}" if f.subject else ""))
    console.print(f"      {_text(f.message[lang])}")
    if f.status in ("violation", "waived"):
        sep = "；" if lang == "zh" else "; "
        console.print(f"      {t['expected']} {_text(f.expected[lang])}{sep}{t['actual']} "
                      f"{_text(f.actual[lang])}")
    if f.status != "not_covered":
        console.print(f"      [dim]{t['cite']} {_text(cite_text(f.citation))} · {t['confidence']} "
                      f"{f.confidence}[/]")
    if f.related:
        lines = ", ".join(f"{r['line']} {r['label']}" for r in f.related)
        console.print(f"      [dim]{t['related']} {_text(lines)}[/]")
    if f.waiver:
        w = f.waiver
        console.print(f"      [yellow]{t['waiver']}: {_text(w['reason'])} · {t['approver']} "
                      f"{_text(w['approver'])} · {t['expires']} {w['expires'] or '—'}[/]")


def _summary(console: Console, summary: dict, lang: str, t: dict, seen: _Seen, expand: bool,
             many: bool) -> None:
    counts = {"not_checked": 0, "partly_checked": 0, "pending": 0, **summary}
    console.print(f"[bold]{t['run_summary'].format(**counts)}[/]")
    list_sep = "、" if lang == "zh" else ", "
    if many and summary.get("top_rules"):
        top = list_sep.join(f"{seen.titles.get(rule, rule)} ({rule}) ×{n}"
                            for rule, n in summary["top_rules"][:5])
        console.print(f"{t['top_rules']}: " + _text(top))
    if many and summary.get("by_board"):
        console.print(f"{t['by_board_short']}: " + _text(list_sep.join(
            t["board_row"].format(board=t["no_board_short"] if board == "-" else
                                  t["kinds"].get(board) or board_name(board, lang), **row)
            for board, row in summary["by_board"].items())))
    if seen.folded and not expand:
        folded = list_sep.join(t["n"].format(word=t[s], n=seen.folded[s]) for s in FOLDED if seen.folded[s])
        console.print(f"{t['folded_total']}: " + t["folded"].format(counts=folded))
    if seen.missing and not expand:
        common = seen.missing.most_common(5)
        text = list_sep.join(f"{key} ×{n}" for key, n in common)
        if len(seen.missing) > len(common):
            text += " " + t["more_missing"].format(n=len(seen.missing) - len(common))
        console.print(f"{t['missing_top']}: " + _text(text))
