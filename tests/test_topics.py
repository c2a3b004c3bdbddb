"""rules/_topics.yaml (planned topics, notes, periods without a requirement) is checked against the packs when they are loaded."""

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from checker.errors import RulePackError
from checker.lint import coverage_gaps
from checker.rulepack import load_catalogue

from .conftest import RULES


def _rules(tmp_path, topics: str) -> str:
    root = tmp_path / "rules"
    (root / "ipo").mkdir(parents=True)
    shutil.copy(Path(RULES) / "ipo" / "cosponsor.yaml", root / "ipo" / "cosponsor.yaml")
    (root / "_topics.yaml").write_text(textwrap.dedent(topics), encoding="utf-8")
    return str(root)


def test_the_bundled_topics_load_with_every_planned_topic_free_of_rules(catalogue):
    topics = {r.spec.topic for r in catalogue.rules}
    assert catalogue.topics.planned and not set(catalogue.topics.planned) & topics
    assert set(catalogue.topics.notes) <= topics
    assert "join of two lists" in catalogue.topics.planned["ipo.strategic.no_double_dip"]


def test_a_planned_topic_that_has_rules_is_refused_at_its_line(tmp_path):
    root = _rules(tmp_path, """\
        planned:
          ipo.cosponsor.joint_over_10bn: needs the sponsors list
          ipo.cosponsor.lockup: needs nothing
        """)
    with pytest.raises(RulePackError, match="planned: ipo.cosponsor.lockup has rules") as exc:
        load_catalogue(root)
    assert exc.value.position.line == 3


def test_a_note_on_a_topic_without_rules_is_refused(tmp_path):
    root = _rules(tmp_path, """\
        notes:
          ipo.cosponsor.tier: 5/4/3/2%
          ipo.strategic.cap_ratio: 20 / 30 / 50%
        """)
    with pytest.raises(RulePackError, match="notes: ipo.strategic.cap_ratio has no rules"):
        load_catalogue(root)


@pytest.mark.parametrize("text,message", [
    ("planned:\n  ipo.cosponsor.joint: ''\n", "give the text as a string"),
    ("planned:\n  Not a topic: why\n", "is not a topic id"),
    ("planned: [a, b]\n", "maps a topic to its text"),
    ("reasons: {}\n", "unknown key 'reasons'"),
])
def test_a_malformed_entry_is_refused(tmp_path, text, message):
    with pytest.raises(RulePackError, match=message):
        load_catalogue(_rules(tmp_path, text))


def test_without_the_file_there_are_no_planned_topics(tmp_path):
    root = _rules(tmp_path, "")
    (Path(root) / "_topics.yaml").unlink()
    catalogue = load_catalogue(root)
    assert catalogue.topics.planned == {} and catalogue.topics.notes == {}
    assert catalogue.by_id("ipo.cosponsor.lockup")


@pytest.mark.parametrize("text,message", [
    ("not_required:\n  ipo.cosponsor.lockup:\n    - {boards: [nasdaq], until: 2020-01-01, why: x}\n",
     "unknown board 'nasdaq'"),
    ("not_required:\n  ipo.cosponsor.lockup:\n    - {boards: [star], why: x}\n", "from or until"),
    ("not_required:\n  ipo.cosponsor.lockup:\n    - {boards: [star], until: 2020-01-01, why: ''}\n",
     "`why` says which text"),
    ("not_required:\n  ipo.cosponsor.lockup:\n    - {boards: [star], from: 2021-01-01, until: 2020-01-01, why: x}\n",
     "is not before until"),
    ("not_required:\n  ipo.strategic.cap_ratio:\n    - {boards: [star], until: 2020-01-01, why: x}\n",
     "has no rules"),
])
def test_a_malformed_period_without_the_requirement_is_refused_at_its_line(tmp_path, text, message):
    with pytest.raises(RulePackError, match=message) as exc:
        load_catalogue(_rules(tmp_path, text))
    assert exc.value.position.line >= 2


def test_a_period_without_the_requirement_is_no_gap_and_no_finding(tmp_path):
    cosponsor = (Path(RULES) / "ipo" / "cosponsor.yaml").read_text(encoding="utf-8")
    root = _rules(tmp_path, "planned: {}\n")
    shutil.copy(Path(RULES) / "_boards.yaml", Path(root) / "_boards.yaml")
    # the co-investment lock-up from 2021 only: 2019-03-01 – 2021-01-01 on STAR is a gap …
    (Path(root) / "ipo" / "cosponsor.yaml").write_text(
        cosponsor.replace("  - id: ipo.cosponsor.lockup\n",
                          "  - id: ipo.cosponsor.lockup\n    applies: {case: ipo, boards: [star, chinext], "
                          "from: 2021-01-01}\n", 1), encoding="utf-8")
    gaps = [g for g in coverage_gaps(load_catalogue(root)) if g[0] == "ipo.cosponsor.lockup"]
    assert ("ipo.cosponsor.lockup", "star", "2019-03-01", "2021-01-01") in gaps
    # … unless the requirement is declared not to exist then, with its reason
    (Path(root) / "_topics.yaml").write_text(
        "not_required:\n  ipo.cosponsor.lockup:\n    - {boards: [star], until: 2020-06-01, why: not yet}\n",
        encoding="utf-8")
    catalogue = load_catalogue(root)
    gaps = [g for g in coverage_gaps(catalogue) if g[0] == "ipo.cosponsor.lockup" and g[1] == "star"]
    assert gaps == [("ipo.cosponsor.lockup", "star", "2020-06-01", "2021-01-01")]
    assert not catalogue.topics.required("ipo.cosponsor.lockup", "star", dt.date(2020, 5, 31))
    assert catalogue.topics.required("ipo.cosponsor.lockup", "star", dt.date(2020, 6, 1))
