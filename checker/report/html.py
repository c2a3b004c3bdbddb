"""One self-contained HTML file: audit header, summary cards, bar charts of findings by rule and
by board (HTML tables: violations and waived findings as bars on one scale, the other statuses
counted by name), filters, and every case in detail with citations and expected vs actual. Tables
have a fixed layout and wrap, so nothing is wider than the window; a print stylesheet hides the
filters, unfolds every section and ends with a sign-off block, for print-to-PDF.

No external assets: styles, script and charts are inline. Every piece of case and rule text is
escaped; a Content-Security-Policy admits only the report's own script (by its hash), so even
text that escaped escaping could not run. Without JavaScript everything is shown, unfiltered.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import TextIO

from ..boards import board_name
from .audit import all_waiver_lines, rows
from .common import (
    CASE_STATUSES,
    CHANGE,
    STATUSES,
    WORDS,
    Tables,
    baseline_text,
    cite_text,
    coverage_text,
    dates_text,
    fixed_text,
    location,
    notice_text,
    web_urls,
    where,
)

COLOUR = {"violation": "#c0392b", "waived": "#d68910", "not_evaluated": "#2e86c1", "pending": "#b3b6b7",
          "not_covered": "#95a5a6"}
BARRED = ("violation", "waived")   # drawn as bars on their own scale; the other statuses are counts
TOP_RULES = 15
FONT = ('system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei",'
        '"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif')
MONO = ('ui-monospace,Menlo,Consolas,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",'
        '"WenQuanYi Micro Hei",monospace')

# The words only this report uses, zh and en.
TEXT = {
    "zh": {"rest_rules": "其余 {n} 条规则（合计）", "n_findings": "{n} 项发现",
           "bars_note": "条形只画违规与已豁免（同一刻度）；其他状态的发现只计数。",
           "links": "网址 {n} 个", "signoff": "审核签字", "reviewer": "审核人",
           "sign_date": "日期", "signature": "签字", "opinion": "审核意见", },
    "en": {"rest_rules": "the other {n} rules (together)", "n_findings": "{n} finding(s)",
           "bars_note": "Bars show violations and waived findings only (one scale); other findings "
                        "are counted.",
           "links": "{n} address(es)", "signoff": "Review sign-off", "reviewer": "Reviewer",
           "sign_date": "Date", "signature": "Signature", "opinion": "Review opinion"},
}

CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 @FONT@;margin:0;padding:24px 32px;color:#1c2833;background:#f4f6f7;
 overflow-wrap:break-word}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 10px}
code,.mono{font-family:@MONO@;font-size:12px;overflow-wrap:anywhere}
table{border-collapse:collapse}
.audit{width:100%;table-layout:fixed}
.audit td,.audit th{padding:2px 12px 2px 0;text-align:left;vertical-align:top}
.audit th{font-weight:600;color:#566573;width:13em}
.audit td{font-family:@MONO@;overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:128px;box-shadow:0 1px 2px #0002;
 border-top:4px solid #5d6d7e}
.card .n{font-size:26px;font-weight:700}.card .l{color:#566573}
.card.violations,.card.violation{border-top-color:#c0392b}.card.clean{border-top-color:#1e8449}
.card.not_evaluable,.card.not_evaluated{border-top-color:#2e86c1}.card.waived{border-top-color:#d68910}
.card.input_error,.card.engine_error,.card.internal_error{border-top-color:#7d3c98}.card.not_covered{border-top-color:#95a5a6}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.chart{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px #0002;min-width:0}
.chart h2{margin:0 0 8px}
.bars{width:100%;table-layout:fixed}
.bars th,.bars td{padding:4px 6px;vertical-align:middle;text-align:left;border-top:1px solid #f2f3f4}
.bars th{font-weight:400;width:40%;overflow-wrap:anywhere}
.bars .bar{width:30%}.bars .n{width:30%;font-size:12px}
.bars .bar span{display:inline-block;height:14px;vertical-align:middle}
.bars .rule-id{display:block;color:#566573;font-family:@MONO@;font-size:11px;overflow-wrap:anywhere}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;
 margin-right:4px;border-radius:2px}
.filters{background:#fff;border-radius:8px;padding:10px 14px;margin:16px 0;box-shadow:0 1px 2px #0002;
 display:flex;flex-wrap:wrap;gap:18px;align-items:center}
.case{background:#fff;border-radius:8px;margin:10px 0;box-shadow:0 1px 2px #0002}
.case summary{padding:10px 14px;cursor:pointer;overflow-wrap:anywhere}
.case .file{color:#566573;font-family:@MONO@}
.tablewrap{overflow-x:auto;max-width:100%}
.findings{width:100%;margin:0 0 8px;table-layout:fixed}
.findings{font-size:13px}
.findings th,.findings td{border-top:1px solid #e5e8e8;padding:6px 6px;text-align:left;vertical-align:top;
 overflow-wrap:break-word}
.findings th{background:#fbfcfc;font-weight:600}
.findings .c-status{width:10%}.findings .c-rule{width:14%}.findings .c-severity{width:9%}
.findings .c-location{width:11%}.findings .c-message{width:21%}.findings .c-expected{width:10%}
.findings .c-actual{width:10%}.findings .c-cite{width:15%}
.cite summary{cursor:pointer}.cite ul{margin:4px 0 0;padding-left:16px}
.cite a{overflow-wrap:anywhere;word-break:break-all}
.change{font-size:12px;font-weight:bold}.change.unchanged{font-weight:normal;color:#777}
#baseline{margin:8px 0;overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px;max-width:100%}
.badge.violation,.badge.violations{background:#c0392b}.badge.waived{background:#d68910}
.badge.not_evaluated,.badge.not_evaluable{background:#2e86c1}.badge.not_covered{background:#95a5a6}
.badge.pending{background:#b3b6b7}.badge.not_checked{background:#922b21}.card.not_checked{border-top-color:#922b21}
.badge.clean{background:#1e8449}.badge.input_error,.badge.engine_error,.badge.internal_error{background:#7d3c98}
.muted{color:#566573;font-size:12px}.err{color:#7d3c98;padding:0 14px 10px;overflow-wrap:anywhere}
.notices{padding:0 14px 10px;color:#6e2c00;overflow-wrap:anywhere}
.signoff{display:none}
@media print{
 @page{size:A4;margin:14mm 12mm}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 body{background:#fff;padding:0;font-size:10.5px}
 .filters,.cite summary::marker{display:none}
 .card,.chart,.case{box-shadow:none;border:1px solid #d5d8dc}
 .charts{display:block}.chart{margin:0 0 10px;break-inside:avoid}
 section.case[hidden]{display:block}tr.finding[hidden]{display:table-row}
 details>summary{list-style:none}
 details::details-content{content-visibility:visible;display:contents}
 .tablewrap{overflow:visible}
 thead{display:table-header-group}
 tr.finding,.audit tr,.bars tr,.signoff{break-inside:avoid}
 .case summary{break-after:avoid}
 code,.mono,.audit td{font-size:9px}
 .findings{font-size:9.5px}.findings th,.findings td{padding:4px 4px}.muted,.badge{font-size:9px}
 .signoff{display:block;margin-top:24px;border:1px solid #566573;padding:12px 16px}
 .signoff h2{margin:0 0 10px}
 .signoff .line{display:flex;gap:8px;margin:18px 0 0}
 .signoff .line b{width:7em}.signoff .line span{flex:1;border-bottom:1px solid #1c2833}
}
""".replace("@FONT@", FONT).replace("@MONO@", MONO)

SCRIPT = """
(function () {
  var form = document.getElementById('filters');
  function apply() {
    var on = {};
    form.querySelectorAll('input[name=status]').forEach(function (b) { on[b.value] = b.checked; });
    var board = form.querySelector('#f-board').value;
    var state = form.querySelector('#f-case').value;
    var q = form.querySelector('#f-q').value.trim().toLowerCase();
    var visible = 0;
    document.querySelectorAll('section.case').forEach(function (sec) {
      var rows = sec.querySelectorAll('tr.finding'), shown = 0;
      var keyHit = !q || sec.getAttribute('data-key').indexOf(q) >= 0;
      rows.forEach(function (tr) {
        var ok = on[tr.getAttribute('data-status')] &&
                 (keyHit || tr.textContent.toLowerCase().indexOf(q) >= 0);
        tr.hidden = !ok;
        if (ok) { shown++; }
      });
      var hit = (!board || sec.getAttribute('data-board') === board) &&
                (!state || sec.getAttribute('data-status') === state) &&
                (rows.length ? shown > 0 : keyHit);
      sec.hidden = !hit;
      if (hit) { visible++; }
    });
    document.getElementById('f-count').textContent = String(visible);
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  apply();
  var opened = [];   // printing shows every folded section, then folds them back
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
"""


def e(text) -> str:
    return escape(str(text), quote=True)


def csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def counts_text(counts: dict[str, int], lang: str, statuses=STATUSES) -> str:
    """"违规 2 · 无法评估 40": each status with findings, by name, so no figure stands unexplained."""
    w = WORDS[lang]
    return " · ".join(f"{w[s]} {counts[s]}" for s in statuses if counts.get(s))


def bar_chart(chart_id: str, title: str, data: list[tuple[str, str, dict[str, int]]], lang: str,
              rest: tuple[str, dict[str, int]] | None = None, show_secondary: bool = False) -> str:
    """A table, a row per (label, secondary, counts): a bar of violations and waived findings, all rows
    on one scale, and each status's count by name (findings not evaluated, pending or not covered are
    only counted: as bars they would dwarf the violations). `rest` is a last row for those left out."""
    w = WORDS[lang]
    peak = max([sum(c.get(s, 0) for s in BARRED) for _, _, c in data] + [1])
    others = tuple(s for s in STATUSES if s not in BARRED)
    out = [f'<table class="bars" id="{e(chart_id)}" aria-label="{e(title)}"><tbody>']

    def counts_cell(counts: dict[str, int]) -> str:
        main, more = counts_text(counts, lang, BARRED), counts_text(counts, lang, others)
        return (f'<td class="n">{e(main) if main else "—"}'
                + (f'<div class="muted">{e(more)}</div>' if more else "") + "</td>")

    for label, secondary, counts in data:
        segs = "".join(f'<span class="seg {s}" data-status="{s}" style="width:{100 * counts[s] / peak:.1f}%;'
                       f'background:{COLOUR[s]}" title="{e(label)}: {counts[s]} {e(w[s])}"></span>'
                       for s in BARRED if counts.get(s))
        tip = f' title="{e(secondary)}"' if secondary else ""
        sub = f'<span class="rule-id">{e(secondary)}</span>' if secondary and show_secondary else ""
        out.append(f'<tr><th class="label"{tip}>{e(label)}{sub}</th><td class="bar">{segs}</td>'
                   f"{counts_cell(counts)}</tr>")
    if rest is not None:
        out.append(f'<tr class="rest"><th class="label muted">{e(rest[0])}</th><td class="bar"></td>'
                   f"{counts_cell(rest[1])}</tr>")
    if not data:
        out.append(f'<tr><td class="muted">{e(w["no_findings"])}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _legend(lang: str) -> str:
    return ('<div class="legend">' + "".join(
        f'<span><i style="background:{COLOUR[s]}"></i>{e(WORDS[lang][s])}</span>' for s in BARRED)
        + f'</div><div class="muted">{e(TEXT[lang]["bars_note"])}</div>')


def _rule_rows(tables: Tables, lang: str) -> tuple[list[tuple[str, str, dict[str, int]]],
                                                    tuple[str, dict[str, int]] | None]:
    """The rules ranked first, by title (the id beside it), and the others summed per status."""
    ranked = [(tables.titles[rid][lang], rid, c) for rid, c in tables.by_rule]
    head, rest = ranked[:TOP_RULES], ranked[TOP_RULES:]
    if not rest:
        return head, None
    total = {s: sum(c[s] for _, _, c in rest) for s in STATUSES}
    return head, (TEXT[lang]["rest_rules"].format(n=len(rest)), total)


def _citation(c: dict, lang: str) -> str:
    """The document (title, 文号, article, version) shown; its addresses folded beneath. The rule's
    `note` is for the rule's authors and is not shown."""
    text = e(cite_text(c))
    urls = c.get("urls") or []
    if not urls:
        return f'<div class="cite">{text}</div>'
    web = set(web_urls(c))
    items = "".join(f'<li><a href="{e(u)}" rel="noreferrer noopener">{e(u)}</a></li>' if u in web
                    else f'<li class="mono">{e(u)}</li>' for u in urls)
    return (f'<details class="cite"><summary>{text} <span class="muted">'
            f'({e(TEXT[lang]["links"].format(n=len(urls)))})</span></summary><ul class="muted">{items}</ul>'
            "</details>")


def _finding_row(f, lang: str) -> str:
    w = WORDS[lang]
    message = e(f.message[lang])
    if f.subject:
        message = f"<b>{e(f.subject)}</b>: {message}"
    if f.missing:
        message += f'<div class="muted">{e(w["missing"])}: {e(", ".join(f.missing))}</div>'
    if f.related:
        lines = ", ".join(f"{r['line']} {r['label']}" for r in f.related)
        message += f'<div class="muted">{e(w["related"])}: {e(lines)}</div>'
    if f.waiver:
        wv = f.waiver
        message += (f'<div class="muted">{e(w["waiver"])}: {e(wv["reason"])} · {e(w["approver"])} '
                    f'{e(wv["approver"])} · {e(w["expires"])} {e(wv["expires"] or "—")}</div>')
    change = f'<div class="change {f.change}">{e(CHANGE[lang][f.change])}</div>' if f.change else ""
    return (f'<tr class="finding" data-status="{f.status}"><td><span class="badge {f.status}">'
            f'{e(w[f.status])}</span>{change}</td><td><code>{e(f.rule_id)}</code>'
            f'<div class="muted">{e(f.title[lang])}</div></td>'
            f'<td>{e(f.severity)}<div class="muted">{e(w["confidence"])} {e(f.confidence)}</div></td>'
            f'<td><code>{e(where(location(f)))}</code></td><td>{message}</td>'
            f'<td>{e(f.expected[lang])}</td><td>{e(f.actual[lang])}</td>'
            f'<td>{_citation(f.citation, lang)}</td></tr>')


def _case(case, lang: str) -> str:
    w = WORDS[lang]
    key = f"{case.case_id} {case.file}".lower()
    board = board_name(case.board, lang) if case.board else ""
    meta = " · ".join(x for x in (board, dates_text(case, lang), coverage_text(case, lang)) if x)
    count = TEXT[lang]["n_findings"].format(n=len(case.findings))
    is_open = " open" if case.status not in ("clean", "not_evaluable") else ""
    out = [f'<section class="case" data-status="{case.status}" data-board="{e(case.board or "")}" '
           f'data-key="{e(key)}"><details{is_open}><summary><span class="badge {case.status}">'
           f'{e(w[case.status])}</span> <b>{e(case.case_id)}</b> <span class="file">{e(case.file)}</span>'
           + (f" · {e(meta)}" if meta else "")
           + f' <span class="muted">({e(count)})</span></summary>']
    if case.error:
        err = case.error
        out.append(f'<div class="err"><b>{e(w[err["kind"]])}</b> <code>{e(where(err["location"]))}</code>: '
                   f'{e(err["message"])}' + "".join(
                       f'<div><code>{e(where(m["location"]))}</code>: {e(m["message"])}</div>'
                       for m in err.get("more", [])) + "</div>")
    elif case.findings:
        head = ("status", "rule", "severity", "location", "message", "expected", "actual", "cite")
        out.append('<div class="tablewrap"><table class="findings"><colgroup>'
                   + "".join(f'<col class="c-{h}">' for h in head) + "</colgroup><thead><tr>"
                   + "".join(f"<th>{e(w[h])}</th>" for h in head) + "</tr></thead><tbody>"
                   + "".join(_finding_row(f, lang) for f in case.findings) + "</tbody></table></div>")
    if case.notices:
        out.append('<div class="notices">' + "".join(
            f'<div>{e(w["notices"])}: {e(notice_text(n, lang))} <code>{e(where(n["location"]))}</code></div>'
            for n in case.notices) + "</div>")
    out.append("</details></section>")
    return "".join(out)


def _baseline(record: dict | None, lang: str) -> str:
    """Against --baseline: the counts, and the findings of the previous run that are fixed."""
    if not record:
        return ""
    word = e(CHANGE[lang]["fixed"])
    fixed = "".join(f"<li>✓ {word} {e(fixed_text(x, lang))}</li>" for x in record["fixed"])
    return (f'<section id="baseline"><p><b>{e(baseline_text(record, lang))}</b></p>'
            + (f"<ul>{fixed}</ul>" if fixed else "") + "</section>")


def _signoff(header: dict, lang: str) -> str:
    """Printed only: the run it signs for, and lines for the reviewer, the date and a signature."""
    t = TEXT[lang]
    tool = f"{header['tool']['name']} {header['tool']['version']}"
    run = f"{tool} · {header['run_date']} · {header['rules_hash']}"
    lines = "".join(f'<div class="line"><b>{e(t[k])}</b><span></span></div>'
                    for k in ("reviewer", "sign_date", "signature", "opinion"))
    return (f'<section class="signoff" id="signoff"><h2>{e(t["signoff"])}</h2>'
            f'<div class="muted mono">{e(run)}</div>{lines}</section>')


def write(fh: TextIO, results, header: dict, summary: dict, lang: str = "zh") -> None:
    """Two passes over the results: the cards and charts, then the cases (streamed, none held)."""
    w = WORDS[lang]
    tables = Tables(results)
    counts = tables.counts
    boards = tables.boards
    audit = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows(header, lang))
    audit += "".join(f'<tr><th></th><td>{e(line)}</td></tr>' for line in all_waiver_lines(header, lang))
    cards = [("cases", w["cases"], summary["cases"])]
    cards += [(s, w[s], summary.get(s, 0)) for s in CASE_STATUSES]
    cards += [("findings-total", w["findings_total"], sum(counts.values()))]
    cards += [(s, w[s], counts[s]) for s in STATUSES]
    board_rows = [(board_name(b, lang), b, c) if b else (w["no_board"], "", c) for b, c in tables.by_board]
    rule_rows, rule_rest = _rule_rows(tables, lang)
    status_boxes = "".join(f'<label><input type="checkbox" name="status" value="{s}" checked> '
                           f'{e(w[s])}</label> ' for s in STATUSES)
    board_opts = "".join(f'<option value="{e(b)}">{e(board_name(b, lang))}</option>' for b in boards)
    case_opts = "".join(f'<option value="{s}">{e(w[s])}</option>' for s in CASE_STATUSES)
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp())}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(w['title'])} · {e(header['run_date'])}</title><style>{CSS}</style></head><body>",
        f'<header><h1>{e(w["title"])}</h1><table class="audit" id="audit">{audit}</table>'
        f'{_baseline(header.get("baseline"), lang)}</header>',
        f'<h2>{e(w["summary"])}</h2><div class="cards" id="summary">' + "".join(
            f'<div class="card {cls}"><div class="n">{n}</div><div class="l">{e(label)}</div></div>'
            for cls, label, n in cards) + "</div>",
        '<div class="charts">',
        f'<div class="chart"><h2>{e(w["by_rule"])}</h2>{_legend(lang)}'
        f'{bar_chart("chart-rules", w["by_rule"], rule_rows, lang, rule_rest, True)}</div>',
        f'<div class="chart"><h2>{e(w["by_board"])}</h2>{_legend(lang)}'
        f'{bar_chart("chart-boards", w["by_board"], board_rows, lang)}</div>',
        "</div>",
        f'<h2>{e(w["details"])}</h2>',
        f'<form class="filters" id="filters"><b>{e(w["filters"])}</b> {status_boxes}',
        f'<label>{e(w["board"])} <select id="f-board"><option value="">{e(w["all"])}</option>{board_opts}'
        f'</select></label>',
        f'<label>{e(w["status"])} <select id="f-case"><option value="">{e(w["all"])}</option>{case_opts}'
        f'</select></label>',
        f'<label>{e(w["search"])} <input type="search" id="f-q"></label>',
        f'<span>{e(w["show"])}: <b id="f-count">{len(results)}</b> / {len(results)}</span></form>',
        '<main id="cases">',
    ]
    fh.write("\n".join(page))
    for case in results:
        fh.write(_case(case, lang))
    fh.write(f"</main>\n{_signoff(header, lang)}\n<script>{SCRIPT}</script></body></html>\n")
