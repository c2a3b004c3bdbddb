"""The HTML report: one self-contained file; summary cards, SVG charts, filters, every finding in
detail; all case text escaped; the only script is the report's own, pinned by the CSP."""

import base64
import hashlib
import re
from html import escape
from html.parser import HTMLParser

import pytest

from .reports import SCRIPT, WAIVED_RULE


class Page(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.scripts, self._in_script = [], [], [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def html(report_run):
    return report_run["text"]["html"]


@pytest.fixture(scope="module")
def page(html):
    return Page(html)


def test_self_contained(html, page):
    assert [t for t, _ in page.tags if t in ("link", "img", "iframe", "object", "embed")] == []
    assert all("src" not in a for _, a in page.tags)
    assert "@import" not in html and "url(" not in html
    assert len(page.find("script")) == 1 and len(page.scripts) == 1


def test_csp_admits_only_the_reports_own_script(page):
    policy = page.find("meta", **{"http-equiv": "Content-Security-Policy"})[0]["content"]
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_opens_with_the_audit_header(report_run, html, page):
    doc = report_run["json"]
    assert html.index('id="audit"') < html.index('id="summary"') < html.index('id="cases"')
    text = " ".join(page.text)
    for value in (doc["rules_hash"], doc["run_date"], f"offering-check {doc['tool']['version']}", "各案例T日"):
        assert value in text
    assert "waived-cap" in text and "合规部 张三" in text


def test_summary_cards_match_the_json(report_run, html):
    s = report_run["json"]["summary"]
    cards = dict(re.findall(r'<div class="card (\w[\w-]*)"><div class="n">(\d+)</div>', html))
    for key in ("cases", "violations", "not_evaluable", "clean", "input_error", "engine_error"):
        assert int(cards[key]) == s[key], key
    statuses = [f["status"] for c in report_run["json"]["cases"] for f in c["findings"]]
    assert int(cards["findings-total"]) == len(statuses)
    assert int(cards["violation"]) == statuses.count("violation") and int(cards["waived"]) == 1


def _chart(html: str, chart_id: str) -> str:
    start = html.index(f'id="{chart_id}"')
    return html[start:html.index("</table>", start)]


def _label_text(chart: str) -> str:
    """The visible text of the chart's labels (tag attributes such as a tooltip left out)."""
    return " ".join(re.sub(r"<[^>]*>", " ", m) for m in re.findall(r'<th class="label[^"]*"[^>]*>(.*?)</th>', chart))


def test_chart_by_rule_shows_titles_with_the_id_beside(report_run, html):
    from checker.report.html import TOP_RULES
    rules = _chart(html, "chart-rules")
    findings = [f for c in report_run["json"]["cases"] for f in c["findings"]]
    cap = next(f for f in findings if f["rule_id"] == WAIVED_RULE)
    assert f'>{cap["title"]["zh"]}<span class="rule-id">{WAIVED_RULE}</span></th>' in rules
    assert re.search(r'<span class="seg violation"[^>]*style="width:\d+\.\d%', rules)
    rest = len({f["rule_id"] for f in findings}) - TOP_RULES
    assert f"其余 {rest} 条规则（合计）" in rules      # the last row says what it sums
    not_evaluated = sum(f["status"] == "not_evaluated" for f in findings)
    assert not_evaluated > 100 and 'class="seg not_evaluated"' not in rules   # counted, not drawn


def test_chart_by_board_names_boards_in_the_report_language(report_run, html):
    from checker.boards import board_name, declared_boards
    boards = _chart(html, "chart-boards")
    for board in {c["board"] for c in report_run["json"]["cases"] if c["board"]}:
        assert f">{board_name(board, 'zh')}</th>" in boards
    labels = _label_text(boards) + _label_text(_chart(html, "chart-rules").split('<span class="rule-id">')[0])
    assert not [code for code in declared_boards() if re.search(rf"\b{code}\b", labels)]
    violations = sum(f["status"] == "violation" for c in report_run["json"]["cases"] for f in c["findings"])
    titles = re.findall(r'title="[^":]+: (\d+) 违规"', boards)
    assert sum(map(int, titles)) == violations
    assert f"违规 {violations}" not in boards or len(titles) == 1   # each row's counts name their status
    assert re.search(r'<td class="n">违规 \d+<div class="muted">无法评估 \d+', boards)


def test_citation_shows_the_document_and_folds_addresses_but_not_the_note(report_run, html):
    cites = [f["citation"] for c in report_run["json"]["cases"] for f in c["findings"]]
    noted = [c for c in cites if c.get("note")]
    assert noted and all(c["note"] not in html for c in noted)
    url = next(u for c in cites for u in c.get("urls") or [])
    assert f'<li><a href="{escape(url)}" rel="noreferrer noopener">{escape(url)}</a></li>' in html
    assert re.search(r'<details class="cite"><summary>[^<]+<span class="muted">\(网址 \d+ 个\)</span>'
                     r'</summary><ul class="muted"><li><a href="https?://', html)


def test_styles_name_cjk_fonts_and_a_print_layout(html):
    style = html[html.index("<style>"):html.index("</style>")]
    fonts = ('"PingFang SC"', '"Hiragino Sans GB"', '"Microsoft YaHei"', '"Noto Sans CJK SC"',
             '"Source Han Sans SC"', '"WenQuanYi Micro Hei"')
    body = re.search(r"body\{font:[^;]*;", style).group()
    assert all(f in body for f in fonts) and body.endswith("sans-serif;")
    assert "table-layout:fixed" in style and "overflow-wrap:anywhere" in style
    printed = style[style.index("@media print"):]
    assert ".filters" in printed.split("{display:none}")[0] and "break-inside:avoid" in printed
    assert 'id="signoff"' in html and "审核人" in html and "签字" in html


def test_every_finding_is_a_row_with_expected_actual_and_citation(report_run, page):
    rows = page.find("tr", **{"class": "finding"})
    findings = [f for c in report_run["json"]["cases"] for f in c["findings"]]
    assert [r["data-status"] for r in rows] == [f["status"] for f in findings]
    text = " ".join(page.text)
    cap = next(f for f in findings if f["rule_id"] == WAIVED_RULE and f["status"] == "violation")
    for part in (cap["expected"]["zh"], cap["actual"]["zh"], cap["citation"]["source"]):
        assert part in text


def test_filters_are_there(page, report_run):
    assert len(page.find("input", type="checkbox", name="status")) == 5   # one per finding status
    boards = {o.get("value") for o in page.find("option")}
    assert {c["board"] for c in report_run["json"]["cases"] if c["board"]} <= boards
    assert page.find("input", type="search", id="f-q")


def test_case_text_stays_text(html, page):
    assert SCRIPT not in html and "<b>例外</b>" not in html
    text = "".join(page.text)
    assert SCRIPT in text                         # the issuer short name, shown as written
    assert "<script>alert(1)</script>.yaml" in text   # and the file name
    assert "监管已书面同意 <b>例外</b>" in text
    assert len(page.find("b")) == len(re.findall(r"<b[ >]", html))


def test_english_report(tmp_path):
    from .reports import run_all
    run = run_all(tmp_path, lang="en")
    page = Page(run["text"]["html"])
    assert page.tags[0] == ("html", {"lang": "en"})
    assert "Findings by rule" in "".join(page.text) and "Rule packs hash (SHA-256)" in "".join(page.text)
