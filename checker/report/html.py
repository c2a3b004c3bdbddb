"""One self-contained HTML file: audit header, summary cards, bar charts of findings by rule and
by board (inline SVG), filters, and every case in detail with citations and expected vs actual.

No external assets: styles, script and charts are inline. Every piece of case and rule text is
escaped; a Content-Security-Policy admits only the report's own script (by its hash), so even
text that escaped escaping could not run. Without JavaScript everything is shown, unfiltered.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import TextIO

from .audit import all_waiver_lines, rows
from .common import (
    CASE_STATUSES,
    STATUSES,
    WORDS,
    Tables,
    cite_text,
    coverage_text,
    dates_text,
    location,
    notice_text,
    web_urls,
    where,
)

COLOUR = {"violation": "#c0392b", "waived": "#d68910", "not_evaluated": "#2e86c1", "pending": "#b3b6b7",
          "not_covered": "#95a5a6"}
TOP_RULES = 15

CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;
 margin:0;padding:24px 32px;color:#1c2833;background:#f4f6f7}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 10px}
table{border-collapse:collapse}
.audit td,.audit th{padding:2px 12px 2px 0;text-align:left;vertical-align:top}
.audit th{font-weight:600;color:#566573;white-space:nowrap}
.audit td{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:128px;box-shadow:0 1px 2px #0002;
 border-top:4px solid #5d6d7e}
.card .n{font-size:26px;font-weight:700}.card .l{color:#566573}
.card.violations,.card.violation{border-top-color:#c0392b}.card.clean{border-top-color:#1e8449}
.card.not_evaluable,.card.not_evaluated{border-top-color:#2e86c1}.card.waived{border-top-color:#d68910}
.card.input_error,.card.engine_error,.card.internal_error{border-top-color:#7d3c98}.card.not_covered{border-top-color:#95a5a6}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px #0002}
.chart h2{margin:0 0 8px}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;
 margin-right:4px;border-radius:2px}
.filters{background:#fff;border-radius:8px;padding:10px 14px;margin:16px 0;box-shadow:0 1px 2px #0002;
 display:flex;flex-wrap:wrap;gap:18px;align-items:center}
.case{background:#fff;border-radius:8px;margin:10px 0;box-shadow:0 1px 2px #0002}
.case summary{padding:10px 14px;cursor:pointer}
.case .file{color:#566573;font-family:ui-monospace,Menlo,Consolas,monospace}
.findings{width:100%;margin:0 0 8px}
.findings th,.findings td{border-top:1px solid #e5e8e8;padding:6px 8px;text-align:left;vertical-align:top}
.findings th{background:#fbfcfc;font-weight:600}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.badge{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px;white-space:nowrap}
.badge.violation,.badge.violations{background:#c0392b}.badge.waived{background:#d68910}
.badge.not_evaluated,.badge.not_evaluable{background:#2e86c1}.badge.not_covered{background:#95a5a6}
.badge.pending{background:#b3b6b7}.badge.not_checked{background:#922b21}.card.not_checked{border-top-color:#922b21}
.badge.clean{background:#1e8449}.badge.input_error,.badge.engine_error,.badge.internal_error{background:#7d3c98}
.muted{color:#566573;font-size:12px}.err{color:#7d3c98;padding:0 14px 10px}
.notices{padding:0 14px 10px;color:#6e2c00}
"""

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
  document.documentElement.setAttribute('data-ready', '1');
})();
"""


def e(text) -> str:
    return escape(str(text), quote=True)


def csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def bar_chart(chart_id: str, title: str, data: list[tuple[str, dict[str, int]]], lang: str,
              rest: tuple[str, int] | None = None) -> str:
    """Stacked horizontal bars, one per row, a segment per finding status; `rest` (label, total)
    is a last line of text for the rows left out, so they do not dwarf the bars shown."""
    w = WORDS[lang]
    longest = max([len(label) for label, _ in data] + [8])
    label_w, bar_w, row_h, top = min(24 + 7 * longest, 460), 420, 24, 8
    peak = max([sum(c.values()) for _, c in data] + [1])
    height = top * 2 + row_h * (max(len(data), 1) + (rest is not None))
    parts = [f'<svg id="{e(chart_id)}" class="bars" xmlns="http://www.w3.org/2000/svg" '
             f'width="{label_w + bar_w + 60}" height="{height}" role="img" aria-label="{e(title)}">']
    for i, (label, counts) in enumerate(data):
        y = top + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
                     f'font-family="ui-monospace,Menlo,Consolas,monospace" fill="#1c2833">{e(label)}</text>')
        x = float(label_w)
        for status in STATUSES:
            n = counts.get(status, 0)
            if not n:
                continue
            width = bar_w * n / peak
            parts.append(f'<rect class="bar {status}" data-status="{status}" x="{x:.1f}" y="{y + 4}" '
                         f'width="{max(width, 1):.1f}" height="{row_h - 8}" fill="{COLOUR[status]}">'
                         f'<title>{e(label)}: {n} {e(w[status])}</title></rect>')
            x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}" font-size="12" fill="#1c2833">'
                     f'{sum(counts.values())}</text>')
    if rest is not None:
        y = top + len(data) * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
                     f'fill="#566573">{e(rest[0])}</text><text x="{label_w}" y="{y + 16}" font-size="12" '
                     f'fill="#566573">{rest[1]} {e(w["findings_total"])}</text>')
    if not data:
        parts.append(f'<text x="8" y="{top + 16}" font-size="12" fill="#566573">{e(w["no_findings"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _legend(lang: str) -> str:
    w = WORDS[lang]
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{COLOUR[s]}"></i>{e(w[s])}</span>' for s in STATUSES) + "</div>"


def _rule_rows(tables: Tables, lang: str) -> tuple[list[tuple[str, dict[str, int]]], tuple[str, int] | None]:
    """The rules ranked first, and (label, findings) for all the others together."""
    ranked = tables.by_rule
    head, rest = ranked[:TOP_RULES], ranked[TOP_RULES:]
    if not rest:
        return head, None
    return head, (f"{WORDS[lang]['others']} ({len(rest)})", sum(sum(c.values()) for _, c in rest))


def _citation(c: dict) -> str:
    out = [e(cite_text(c))]
    if c.get("note"):
        out.append(f'<div class="muted">{e(c["note"])}</div>')
    web = set(web_urls(c))
    for url in c.get("urls") or []:
        if url in web:
            out.append(f'<div class="muted"><a href="{e(url)}" rel="noreferrer noopener">{e(url)}</a></div>')
        else:
            out.append(f'<div class="muted">{e(url)}</div>')
    return "".join(out)


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
    return (f'<tr class="finding" data-status="{f.status}"><td><span class="badge {f.status}">'
            f'{e(w[f.status])}</span></td><td><code>{e(f.rule_id)}</code>'
            f'<div class="muted">{e(f.title[lang])}</div></td>'
            f'<td>{e(f.severity)}<div class="muted">{e(w["confidence"])} {e(f.confidence)}</div></td>'
            f'<td><code>{e(where(location(f)))}</code></td><td>{message}</td>'
            f'<td>{e(f.expected[lang])}</td><td>{e(f.actual[lang])}</td><td>{_citation(f.citation)}</td></tr>')


def _case(case, lang: str) -> str:
    w = WORDS[lang]
    key = f"{case.case_id} {case.file}".lower()
    meta = " · ".join(x for x in (case.board or "", dates_text(case, lang), coverage_text(case, lang)) if x)
    is_open = " open" if case.status not in ("clean", "not_evaluable") else ""
    out = [f'<section class="case" data-status="{case.status}" data-board="{e(case.board or "")}" '
           f'data-key="{e(key)}"><details{is_open}><summary><span class="badge {case.status}">'
           f'{e(w[case.status])}</span> <b>{e(case.case_id)}</b> <span class="file">{e(case.file)}</span>'
           + (f" · {e(meta)}" if meta else "")
           + f' <span class="muted">({len(case.findings)})</span></summary>']
    if case.error:
        err = case.error
        out.append(f'<div class="err"><b>{e(w[err["kind"]])}</b> <code>{e(where(err["location"]))}</code>: '
                   f'{e(err["message"])}' + "".join(
                       f'<div><code>{e(where(m["location"]))}</code>: {e(m["message"])}</div>'
                       for m in err.get("more", [])) + "</div>")
    elif case.findings:
        head = ("status", "rule", "severity", "location", "message", "expected", "actual", "cite")
        out.append('<table class="findings"><thead><tr>' + "".join(f"<th>{e(w[h])}</th>" for h in head)
                   + "</tr></thead><tbody>" + "".join(_finding_row(f, lang) for f in case.findings)
                   + "</tbody></table>")
    if case.notices:
        out.append('<div class="notices">' + "".join(
            f'<div>{e(w["notices"])}: {e(notice_text(n, lang))} <code>{e(where(n["location"]))}</code></div>'
            for n in case.notices) + "</div>")
    out.append("</details></section>")
    return "".join(out)


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
    board_rows = [(b or w["no_board"], c) for b, c in tables.by_board]
    rule_rows, rule_rest = _rule_rows(tables, lang)
    status_boxes = "".join(f'<label><input type="checkbox" name="status" value="{s}" checked> '
                           f'{e(w[s])}</label> ' for s in STATUSES)
    board_opts = "".join(f'<option value="{e(b)}">{e(b)}</option>' for b in boards)
    case_opts = "".join(f'<option value="{s}">{e(w[s])}</option>' for s in CASE_STATUSES)
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp())}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(w['title'])} · {e(header['run_date'])}</title><style>{CSS}</style></head><body>",
        f'<header><h1>{e(w["title"])}</h1><table class="audit" id="audit">{audit}</table></header>',
        f'<h2>{e(w["summary"])}</h2><div class="cards" id="summary">' + "".join(
            f'<div class="card {cls}"><div class="n">{n}</div><div class="l">{e(label)}</div></div>'
            for cls, label, n in cards) + "</div>",
        '<div class="charts">',
        f'<div class="chart"><h2>{e(w["by_rule"])}</h2>{_legend(lang)}'
        f'{bar_chart("chart-rules", w["by_rule"], rule_rows, lang, rule_rest)}</div>',
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
    fh.write(f"</main>\n<script>{SCRIPT}</script></body></html>\n")
