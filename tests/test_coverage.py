"""The README's coverage table and the rule packs say the same thing."""

import re
from pathlib import Path

from checker.rulepack import load_catalogue

from .conftest import ROOT, RULES

ROW = re.compile(r"^\| ((?:ipo|bse|ma)\.[a-z0-9_.]+) \| ([^|]+) \|", re.M)


def table() -> dict[str, str]:
    text = Path(ROOT, "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Coverage of the rule catalogue"):]
    section = section[:section.index("\n## ", 1)]
    return {topic: status.strip() for topic, status in ROW.findall(section)}


def test_every_implemented_topic_has_a_row_that_says_so():
    rows = table()
    topics = {r.spec.topic for r in load_catalogue(RULES).rules if not r.spec.topic.startswith("ipo.consistency")}
    for topic in topics:
        assert topic in rows, f"{topic} has rules but no row in README's coverage table"
        assert rows[topic] != "not yet", f"{topic} has rules but the README says not yet"


def test_every_not_yet_row_has_no_rules_and_gives_a_reason():
    rows = table()
    catalogue = load_catalogue(RULES)
    text = Path(ROOT, "README.md").read_text(encoding="utf-8")
    for topic, status in rows.items():
        rules = [r for r in catalogue.rules if r.spec.topic == topic]
        if status == "not yet":
            assert not rules, f"{topic} is implemented; update the README row"
            reason = re.search(rf"^\| {re.escape(topic)} \| not yet \| — \| (.+) \|$", text, re.M)
            assert reason and len(reason.group(1)) > 10, topic
        else:
            count = int(status.split()[0])
            assert count == len({r.id for r in rules}), f"{topic}: README says {status}"
