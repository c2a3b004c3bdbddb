"""The HTML report: one self-contained file; summary cards, SVG charts, filters, every finding in
detail; all case text escaped; the only script is the report's own, pinned by the CSP."""

import base64
import hashlib
import re
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


def test_charts_by_rule_and_by_board(report_run, html):
    rules = html[html.index('id="chart-rules"'):html.index("</svg>", html.index('id="chart-rules"'))]
    boards = html[html.index('id="chart-boards"'):html.index("</svg>", html.index('id="chart-boards"'))]
    assert f">{WAIVED_RULE}</text>" in rules
    assert re.search(r'<rect class="bar violation"[^>]*width="(\d+\.\d)"', rules)
    for board in {c["board"] for c in report_run["json"]["cases"] if c["board"]}:
        assert f">{board}</text>" in boards
    violations = sum(1 for c in report_run["json"]["cases"] for f in c["findings"] if f["status"] == "violation")
    titles = re.findall(r"<title>[^<:]+: (\d+) 违规</title>", boards)
    assert sum(map(int, titles)) == violations


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
