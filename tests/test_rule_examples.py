"""Every rule's own pass / fail / not_evaluated examples, run through the whole pipeline."""

import pytest

from checker.examples import outcome
from checker.rulepack import load_catalogue

from .conftest import ROOT, RULES

CATALOGUE = load_catalogue(RULES)
EXAMPLES = [(rule.id, i, ex) for rule in CATALOGUE.rules for i, ex in enumerate(rule.spec.examples)]


@pytest.mark.parametrize("rule_id,index,example", EXAMPLES,
                         ids=[f"{rid}#{i}-{ex.expect}" for rid, i, ex in EXAMPLES])
def test_example(checker, rule_id, index, example):
    got, findings = outcome(checker, rule_id, example.case, example.set, ROOT)
    assert got == example.expect, [f.message["en"] for f in findings]
    if got == "fail":
        finding = next(f for f in findings if f.status == "violation")
        assert finding.message["zh"] and finding.message["en"]
        assert finding.expected["zh"] and finding.actual["zh"]
        assert finding.citation["source"]
        assert finding.position.line > 1


def test_every_rule_has_pass_and_fail_examples():
    for rule in CATALOGUE.rules:
        kinds = {e.expect for e in rule.spec.examples}
        assert {"pass", "fail"} <= kinds, rule.id


def test_memory_rules_are_warnings():
    for rule in CATALOGUE.rules:
        if rule.spec.confidence == "memory":
            assert rule.spec.severity == "warning", rule.id
