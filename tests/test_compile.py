"""Expression language, rule-pack validation and the compiler's checked subset."""

import json
import textwrap
from fractions import Fraction

import pytest

from checker import expr as ex
from checker.compile import integer_poly, lower, nnf
from checker.errors import RulePackError
from checker.facts import OFFERING_FIELDS
from checker.rulepack import load_catalogue, load_pack

from .conftest import RULES

ALLOWED = {"$and", "$or", "$eq", "$neq", "$lt", "$lte", "$gt", "$gte", "$add", "$sub", "$mul", "$m",
           "$l", "$r"}

RULE = """\
rules:
  - id: test.rule.one
    topic: test.rule
    title: {zh: 测试, en: test}
    severity: error
    confidence: verified
    cite: {source: 测试办法, version: "2023"}
    applies: {case: ipo, from: 2023-02-17}
    when: WHEN
    require: REQUIRE
    message: {zh: 测试, en: test}
    examples:
      - {expect: pass, case: cases/ipo/dapuwei-2026.yaml}
      - {expect: fail, case: cases/ipo/dapuwei-2026.yaml}
"""


def pack(tmp_path, require="offering.issue_shares > 0", when="offering.issue_shares >= 0", **replace):
    text = RULE.replace("REQUIRE", require).replace("WHEN", when)
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def test_numbers_are_exact_fractions():
    assert ex.parse("20%") == ex.Num(Fraction(1, 5))
    assert ex.parse("0.3") == ex.Num(Fraction(3, 10))
    assert ex.parse("100_000_000") == ex.Num(Fraction(100_000_000))


@pytest.mark.parametrize("text,message", [
    ("__import__('os')", "unexpected character"),
    ("eval(offering.issue_shares)", "unknown function 'eval'"),
    ("a <= b <= c", "chained comparisons"),
    ("a => b", "unexpected"),
    ("floor", "is a function"),
    ("offering.issue_shares <", "unexpected"),
    ("date('2026-02-30') > 0", "invalid date"),
])
def test_bad_expressions_are_refused(text, message):
    with pytest.raises(ex.ExprError, match=message):
        ex.parse(text)


@pytest.mark.parametrize("require,message", [
    ("offering.issue_share > 0", "unknown field 'offering.issue_share'"),
    ("issuer.board > 5", "cannot compare str with num"),
    ("issuer.profitable + 1 > 0", "numbers only"),
    ("offering.price * offering.price * offering.issue_shares > 1", "overflow"),
    ("offering.issue_shares / (offering.price + 1) > 1", "divide only by"),
    ("offering.issue_shares / offering.net_public_shares > 1", "may be negative"),
    ("floor(offering.issue_shares * 2) + 1 > offering.price", "stand alone"),
    ("offering.price == floor(offering.issue_shares / 3)", "whole-number"),
])
def test_rule_pack_refuses_unsafe_conditions_with_file_and_line(tmp_path, require, message):
    path = pack(tmp_path, require=require)
    with pytest.raises(RulePackError, match=message) as info:
        load_pack(path)
    assert info.value.position.file == path
    assert info.value.position.line == 10   # the `require:` line


@pytest.mark.parametrize("old,new,message,line", [
    ("    cite: {source: 测试办法, version: \"2023\"}\n", "", "required field 'cite' is missing", 2),
    ("    severity: error\n", "    severity: fatal\n", "severity", 5),
    ("    confidence: verified\n", "    confidence: memory\n", "must be severity: warning", 2),
    ("      - {expect: fail, case: cases/ipo/dapuwei-2026.yaml}\n", "", "'fail' example", 13),
    ("    title:", "    titel: {zh: x, en: y}\n    title:", "unknown field 'titel'", 4),
])
def test_rule_pack_schema_errors_name_the_line(tmp_path, old, new, message, line):
    path = pack(tmp_path, **{old: new})
    with pytest.raises(RulePackError, match=message) as info:
        load_pack(path)
    assert info.value.position.line == line


CITE = "    cite: {source: 测试办法, version: \"2023\"}\n"


@pytest.mark.parametrize("confidence,severity", [
    ("verified", "error"), ("secondary", "error"), ("seed", "error"), ("memory", "warning"),
    ("secondary", "warning"), ("seed", "info"),
])
def test_the_four_confidence_levels_load_and_only_memory_is_held_to_warning(tmp_path, confidence, severity):
    path = pack(tmp_path, **{"    severity: error\n    confidence: verified\n":
                             f"    severity: {severity}\n    confidence: {confidence}\n"})
    (rule,) = load_pack(path)
    assert (rule.spec.confidence, rule.spec.severity) == (confidence, severity)


def test_a_citation_names_the_document_and_apart_from_it_the_copies_read(tmp_path):
    path = pack(tmp_path, **{CITE: "    cite: {source: 测试办法, number: 证监会令第208号, article: 第二十一条, "
                                   "version: \"2023\", urls: [https://example.org/a, http://example.org/b]}\n"})
    (rule,) = load_pack(path)
    assert rule.citation == {"source": "测试办法", "number": "证监会令第208号", "article": "第二十一条",
                             "version": "2023", "urls": ["https://example.org/a", "http://example.org/b"],
                             "note": None}


@pytest.mark.parametrize("urls,bad,col", [
    ("[https://example.org/a, www.example.org/b]", "www.example.org/b", 37),
    ("[example.org/a]", "example.org/a", 14),
    ("[ftp://example.org/a]", "ftp://example.org/a", 14),
    ("[https://]", "https://", 14),
])
def test_an_address_without_a_scheme_is_refused_at_its_line_and_column(tmp_path, urls, bad, col):
    path = pack(tmp_path, **{CITE: f"    cite:\n      source: 测试办法\n      version: \"2023\"\n      urls: {urls}\n"})
    with pytest.raises(RulePackError, match="'cite.urls\\[") as info:
        load_pack(path)
    assert repr(bad) in info.value.message
    assert (info.value.position.line, info.value.position.col) == (10, col)


def test_an_address_in_a_block_list_is_refused_at_its_own_line(tmp_path):
    path = pack(tmp_path, **{CITE: "    cite:\n      source: 测试办法\n      version: \"2023\"\n      urls:\n"
                                   "        - https://example.org/a\n        - example.org/b\n"})
    with pytest.raises(RulePackError, match=r"'cite.urls\[1\]': 'example.org/b' has no scheme") as info:
        load_pack(path)
    assert (info.value.position.line, info.value.position.col) == (12, 11)


def test_duplicate_keys_in_a_pack_are_refused(tmp_path):
    path = pack(tmp_path, **{"    severity: error\n": "    severity: error\n    severity: warning\n"})
    with pytest.raises(RulePackError, match="duplicate key 'severity'"):
        load_pack(path)


def test_ratio_becomes_an_integer_cross_multiplication():
    node = ex.parse("strategic.total_shares <= 20% * offering.issue_shares")
    (cmp,) = [lower(nnf(node), OFFERING_FIELDS)]
    assert integer_poly(cmp, OFFERING_FIELDS) == {("strategic.total_shares",): 5, ("offering.issue_shares",): -1}


def test_decimals_are_scaled_not_floated():
    node = ex.parse("offering.price > pricing.ceiling")
    cmp = lower(nnf(node), OFFERING_FIELDS)
    # price has 2 decimals and ceiling 4: price·100 − ceiling > 0 in engine units
    assert integer_poly(cmp, OFFERING_FIELDS) == {("offering.price",): 100, ("pricing.ceiling",): -1}


def test_every_compiled_rule_stays_in_the_checked_subset():
    catalogue = load_catalogue(RULES)
    assert catalogue.rules
    for rule in catalogue.rules:
        body = rule.compiled.condition["$and"]
        assert body[0] == {"kind": rule.kind}, rule.id
        text = json.dumps(rule.compiled.condition)
        for key, value in walk(rule.compiled.condition):
            if key.startswith("$"):
                assert key in ALLOWED, (rule.id, key)
            assert not isinstance(value, float), (rule.id, key, value)
        for forbidden in ('"$div"', '"$not"', '"$nex"', '"$ex"', '"$s"', "$not", "sid-"):
            assert forbidden not in text, (rule.id, forbidden)


def test_negation_is_pushed_down_by_de_morgan():
    node = nnf(ex.parse("not (a < 1 and b == 'x')"))
    assert node == ex.Or((ex.Cmp(">=", ex.Field("a"), ex.Num(Fraction(1))),
                          ex.Cmp("!=", ex.Field("b"), ex.Str("x"))))


def test_unknown_top_level_key_in_a_pack(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent("""\
        rules: []
        rulez: []
        """), encoding="utf-8")
    with pytest.raises(RulePackError, match="unknown top-level key 'rulez'") as info:
        load_pack(str(path))
    assert info.value.position.line == 2


def test_errors_in_when_point_at_the_when_line(tmp_path):
    path = pack(tmp_path, when="offering.issue_shars > 0")
    with pytest.raises(RulePackError, match="unknown field 'offering.issue_shars'") as info:
        load_pack(path)
    assert info.value.position.line == 9


@pytest.mark.parametrize("require,message", [
    ("(" * 140 + "offering.issue_shares" + ")" * 140 + " > 0", "nested deeper than 32"),
    ("not " * 2000 + "offering.issue_shares > 0", "at most 2,000 characters"),
    ("not " * 40 + "offering.issue_shares > 0", "nested deeper than 32"),
    ("0 < " + "- " * 3000 + "offering.issue_shares", "at most 2,000 characters"),
    ("0 < " + "- " * 40 + "offering.issue_shares", "nested deeper than 32"),
    (" + ".join(["offering.issue_shares"] * 20000) + " > 0", "at most 2,000 characters"),
    ("offering.issue_shares > " + "9" * 5000, "at most 2,000 characters"),
    ("offering.issue_shares > " + "9" * 31, "at most 30 digits"),
])
def test_hostile_conditions_are_rule_pack_errors_at_their_line_not_crashes(tmp_path, require, message):
    path = pack(tmp_path, require=require)
    with pytest.raises(RulePackError, match=message) as info:
        load_pack(path)
    assert info.value.position.line == 10 and info.value.position.col > 1


def test_a_deeply_nested_message_placeholder_is_a_rule_pack_error(tmp_path):
    deep = "{shares(" + "(" * 60 + "offering.issue_shares" + ")" * 60 + ")}"
    path = pack(tmp_path, **{"message: {zh: 测试, en: test}": f"message: {{zh: '{deep}', en: test}}"})
    with pytest.raises(RulePackError, match="nested deeper than 32") as info:
        load_pack(path)
    assert info.value.position.line == 11
