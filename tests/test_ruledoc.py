"""Every rule's documentation (checker/ruledoc.py) has the template's sections and a passing and a
failing example run through the real checker; `offering-check explain` prints that template."""

import re
import subprocess
import sys

import pytest

from checker.docblocks import Code, Raw, escape, item, para, to_markdown, to_text
from checker.examples import outcome
from checker.ruledoc import SECTIONS, ExampleRunner, Lang, condition_text, rule_doc, topic_doc, value_text
from checker.rulepack import load_catalogue

from .conftest import ROOT, RULES

CATALOGUE = load_catalogue(RULES)


def run(*args):
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def _first(rule, kind):
    return next(e for e in rule.spec.examples if e.expect == kind)


@pytest.fixture(scope="module")
def runner(checker):
    return ExampleRunner(CATALOGUE, checker)


@pytest.mark.parametrize("rule_id", CATALOGUE.ids)
def test_every_rule_has_every_section_and_a_pass_and_a_fail_example_with_its_finding(rule_id, runner, checker):
    text = to_text(rule_doc(CATALOGUE, rule_id, Lang("both"), runner))
    versions = CATALOGUE.versions(rule_id)
    for zh, en in SECTIONS:
        assert text.count(f"{zh} / {en}") == len(versions), (rule_id, en)
    assert text.count("通过示例 / Passing example") == text.count("违规示例 / Failing example") == len(versions)
    assert "⚠" not in text and "not run" not in text
    for rule in versions:
        assert rule.spec.cite.source in text and rule.window in text
        assert condition_text(rule.spec.require) in text
        failing = _first(rule, "fail")
        got, findings = outcome(checker, rule.id, failing.case, failing.set, ROOT, rule.key)
        violation = next(f for f in findings if f.status == "violation")
        assert f"zh: {violation.message['zh']}（应为 {violation.expected['zh']}" in text
        assert f"en: {violation.message['en']} (expected {violation.expected['en']}" in text


def test_versions_are_documented_together_oldest_first(runner):
    text = to_text(rule_doc(CATALOGUE, "ipo.strategic.cap_ratio.lt100m", Lang("en"), runner))
    old, new = CATALOGUE.versions("ipo.strategic.cap_ratio.lt100m")
    assert "2 versions" in text
    assert text.index(f"Version {old.window}") < text.index(f"Version {new.window}")
    assert "Severity: warning" in text and "Severity: error" in text   # the pre-2023 version warns
    assert "Confidence: memory" in text and "Confidence: secondary" in text


def test_one_language_leaves_the_other_out(runner):
    zh = to_text(rule_doc(CATALOGUE, "ipo.cosponsor.lockup", Lang("zh"), runner))
    en = to_text(rule_doc(CATALOGUE, "ipo.cosponsor.lockup", Lang("en"), runner))
    assert "检查什么" in zh and "What it checks" not in zh and "\n    - en:" not in zh
    assert "What it checks" in en and "检查什么" not in en and "\n    - zh:" not in en


def test_a_topic_documents_each_of_its_rules_with_its_note(runner):
    text = to_text(topic_doc(CATALOGUE, "ipo.payment.offline_deadline", Lang("en"), runner))
    assert "ipo.payment.offline_deadline" in text and "ipo.payment.offline_cutoff_time" in text
    assert "Note: the stated payment date must be T+2 trading days" in text
    assert "`" not in text   # the note's Markdown marks are dropped on a terminal


def test_the_rationale_is_the_why_when_a_rule_gives_one(runner):
    text = to_text(rule_doc(CATALOGUE, "ipo.online.subscription_cap.max", Lang("en"), runner))
    text = text[text.index("Version 2023-02-17"):]   # the version that gives a rationale
    why = text[text.index("Why"):text.index("The text cited")]
    assert "Required by: 上海/深圳市场首次公开发行股票网上发行实施细则" in why
    assert "How the rule reads it: The texts bound the cap from above" in why


@pytest.mark.parametrize("source,shown", [
    ("strategic.total_shares <= 20% * offering.issue_shares", "strategic.total_shares ≤ 20% × offering.issue_shares"),
    ("a>=100000000 and a<400_000_000", "a ≥ 100,000,000 and a < 400,000,000"),
    ("min(a, b) - -3 == (x+1)*2", "min(a, b) - -3 = (x + 1) × 2"),
    ("x in ['a', 'b'] or not (y != 0.5)", "x in ['a', 'b'] or not (y ≠ 0.5)"),
])
def test_conditions_read_as_written_with_symbols(source, shown):
    assert condition_text(source) == shown


def test_set_values_read_as_yaml():
    import datetime as dt
    from decimal import Decimal
    assert [value_text(v) for v in (None, True, dt.date(2026, 4, 7), Decimal("1.50"), [1, "a"], {"k": None}, " x")] \
        == ["null", "true", "2026-04-07", "1.50", "[1, a]", "{k: null}", "' x'"]


def test_markdown_escapes_plain_text_but_not_code_or_raw_markdown():
    md = to_markdown([para("a*b _c_ <br> 1 < 2 |", Code("x*y"), Raw(" **warning**"))])
    assert md == "a\\*b \\_c\\_ \\<br> 1 < 2 \\|`x*y` **warning**\n"
    assert escape("snake_case") == "snake_case"
    assert to_text([item(0, Raw("**warning** `x`"))]) == "  - warning x\n"


def test_explain_prints_the_template_for_a_rule_id():
    proc = run("explain", "ipo.strategic.cap_ratio.lt100m")
    assert proc.returncode == 0, proc.stderr
    for zh, en in SECTIONS:   # a heading line each, once per version
        assert len(re.findall(rf"^\[{zh} / {en}\]$", proc.stdout, re.M)) == 2, en
    assert "通过示例 / Passing example" in proc.stdout and "违规示例 / Failing example" in proc.stdout
    assert "strategic.total_shares ≤ 20% × offering.issue_shares" in proc.stdout
    assert "zh: 战略配售 8,724,328股" in proc.stdout and "en: strategic placement of 8,724,328 shares" in proc.stdout
    assert "`" not in proc.stdout and "<a id=" not in proc.stdout   # plain text, not Markdown


def test_explain_takes_a_topic_and_a_language():
    proc = run("explain", "ipo.strategic.cap_ratio", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Topic ipo.strategic.cap_ratio\n")
    for rule_id in ("ipo.strategic.cap_ratio.lt100m", "ipo.strategic.cap_ratio.100m_400m",
                    "ipo.strategic.cap_ratio.ge400m"):
        assert f"\n{rule_id}\n" in proc.stdout
    assert "检查什么" not in proc.stdout


def test_explain_an_unknown_id_suggests_and_a_planned_topic_gives_its_reason():
    unknown = run("explain", "ipo.stratgic.cap_ratio")
    assert unknown.returncode == 2 and "did you mean: ipo.strategic.cap_ratio" in unknown.stderr
    planned = run("explain", "ipo.strategic.no_double_dip")
    assert planned.returncode == 2
    assert "has no rule yet: needs the strategic investors' ids" in planned.stderr
