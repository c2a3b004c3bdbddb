"""rules/_topics.yaml (planned topics and notes) is checked against the packs when they are loaded."""

import shutil
import textwrap
from pathlib import Path

import pytest

from checker.errors import RulePackError
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
