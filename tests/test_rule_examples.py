"""Every rule's own pass / fail / not_evaluated examples, run through the whole pipeline."""

import pytest

from checker.examples import outcome
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


def test_every_rule_version_has_pass_and_fail_examples():
    for rule in CATALOGUE.rules:
        kinds = {e.expect for e in rule.spec.examples}
        assert {"pass", "fail"} <= kinds, rule.key


def test_memory_rules_are_warnings():
    for rule in CATALOGUE.rules:
        if rule.spec.confidence == "memory":
            assert rule.spec.severity == "warning", rule.id
