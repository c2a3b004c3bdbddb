"""Every rule's own pass / fail / not_evaluated examples, run through the whole pipeline; a fail
example's pins (`at` line:col, `message`) are compared exactly."""

import pytest

from checker.examples import outcome, pin_mismatches
from checker.rulepack import load_catalogue

from .conftest import ROOT, RULES

CATALOGUE = load_catalogue(RULES)
EXAMPLES = [(rule.key, i, ex) for rule in CATALOGUE.rules for i, ex in enumerate(rule.spec.examples)]


@pytest.mark.parametrize("key,index,example", EXAMPLES,
                         ids=[f"{key}#{i}-{ex.expect}" for key, i, ex in EXAMPLES])
def test_example(checker, key, index, example):
    rule = CATALOGUE.by_key(key)
    got, findings = outcome(checker, rule.id, example.case, example.set, ROOT, key)
    assert got == example.expect, [f.message["en"] for f in findings]
    if got == "fail":
        finding = next(f for f in findings if f.status == "violation")
        assert finding.version == rule.window
        assert finding.message["zh"] and finding.message["en"]
        assert finding.expected["zh"] and finding.actual["zh"]
        assert finding.citation["source"]
        assert finding.position.line > 1
        pins = pin_mismatches(example, findings)
        assert not pins, f"{key} example #{index} ({example.case} {example.set}): " + "; ".join(pins)


def test_every_rule_version_has_pass_and_fail_examples():
    for rule in CATALOGUE.rules:
        kinds = {e.expect for e in rule.spec.examples}
        assert {"pass", "fail"} <= kinds, rule.key


def test_every_fail_example_pins_its_location():
    unpinned = [f"{rule.key}#{i}" for rule in CATALOGUE.rules for i, ex in enumerate(rule.spec.examples)
                if ex.expect == "fail" and ex.at is None]
    assert not unpinned


def test_every_pack_pins_a_message():
    pinned = {rule.file for rule in CATALOGUE.rules for ex in rule.spec.examples if ex.message is not None}
    assert pinned == {rule.file for rule in CATALOGUE.rules}


def test_memory_rules_are_warnings():
    for rule in CATALOGUE.rules:
        if rule.spec.confidence == "memory":
            assert rule.spec.severity == "warning", rule.id


def _first_pinned():
    rule = next(r for r in CATALOGUE.rules if any(e.message is not None for e in r.spec.examples))
    return rule, next(e for e in rule.spec.examples if e.message is not None)


def test_a_wrong_pin_is_named_with_what_was_expected_and_found(checker):
    rule, example = _first_pinned()
    line, col = example.at.split(":")
    wrong = example.model_copy(update={"at": f"{line}:{int(col) + 1}",
                                       "message": example.message.model_copy(update={"en": "another text"})})
    _, findings = outcome(checker, rule.id, wrong.case, wrong.set, ROOT, rule.key)
    assert pin_mismatches(example, findings) == []
    problems = pin_mismatches(wrong, findings)
    assert problems == [f"at: expected {line}:{int(col) + 1}, got {example.at}",
                        f"message.en: expected 'another text', got {example.message.en!r}"]


def test_pins_are_validated_when_the_pack_loads():
    from pydantic import ValidationError

    from checker.rulepack import Example
    ok = Example.model_validate({"expect": "fail", "case": "c.yaml", "at": "54:15", "message": {"zh": "文"}})
    assert ok.at == "54:15" and ok.message.en is None
    for bad, why in [({"expect": "fail", "case": "c.yaml", "at": 3255}, "valid string"),
                     ({"expect": "fail", "case": "c.yaml", "at": "54"}, "pattern"),
                     ({"expect": "pass", "case": "c.yaml", "at": "54:15"}, "only on expect: fail"),
                     ({"expect": "fail", "case": "c.yaml", "message": {}}, "zh, en or both")]:
        with pytest.raises(ValidationError, match=why):
            Example.model_validate(bad)
