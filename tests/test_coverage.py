"""The coverage table (docs/coverage.md, generated from the packs and rules/_topics.yaml) says what
the packs hold: every implemented topic has a row with its counts, every not-yet row has no rules
and gives a reason. tests/test_docs.py keeps the file equal to the generator's output."""

import re
from collections import Counter
from pathlib import Path

from checker import coverage

from .conftest import ROOT

# | [`topic`](link) | status | case | boards | versions in force | severity/confidence | note |
ROW = re.compile(r"^\| (?:\[`([a-z0-9_.]+)`\]\([^)]*\)|`([a-z0-9_.]+)`) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| "
                 r"([^|]+) \| ([^|]+) \| (.+) \|$", re.M)


def table() -> dict[str, dict]:
    text = Path(ROOT, "docs", "coverage.md").read_text(encoding="utf-8")
    section = text[text.index("## 专题 / Topics"):]
    section = section[:section.index("\n## ", 1)]
    rows = {}
    for m in ROW.finditer(section):
        topic = m.group(1) or m.group(2)
        assert topic not in rows, f"{topic}: two rows"
        rows[topic] = {"linked": bool(m.group(1)), "status": m.group(3).strip(), "case": m.group(4).strip(),
                       "boards": m.group(5).strip(), "windows": m.group(6).strip(), "note": m.group(8).strip()}
    return rows


def test_every_implemented_topic_has_a_row_with_its_counts(catalogue):
    rows = table()
    versions = Counter(r.spec.topic for r in catalogue.rules)
    for topic, count in versions.items():
        assert topic in rows, f"{topic} has rules but no row in docs/coverage.md"
        row = rows[topic]
        ids = {r.id for r in catalogue.rules if r.spec.topic == topic}
        assert row["status"] != coverage.NOT_YET and row["linked"], topic
        words = row["status"].replace(",", "").split()
        assert int(words[0]) == len(ids), f"{topic}: {row['status']}"
        assert (int(words[2]) if len(words) > 2 else len(ids)) == count, f"{topic}: {row['status']}"
        for rule in (r for r in catalogue.rules if r.spec.topic == topic):
            assert rule.window in row["windows"] and rule.spec.applies.case in row["case"], topic


def test_every_not_yet_row_has_no_rules_and_gives_a_reason(catalogue):
    rows = table()
    implemented = {r.spec.topic for r in catalogue.rules}
    not_yet = {topic for topic, row in rows.items() if row["status"] == coverage.NOT_YET}
    assert not_yet == set(catalogue.topics.planned) and len(not_yet) >= 20
    for topic in not_yet:
        assert topic not in implemented, f"{topic} is implemented; remove it from `planned` in rules/_topics.yaml"
        assert len(rows[topic]["note"]) > 10 and rows[topic]["windows"] == "—", topic
    assert set(rows) == implemented | not_yet


def test_the_notes_of_the_data_file_are_in_the_table(catalogue):
    rows = table()
    for topic, note in catalogue.topics.notes.items():
        assert rows[topic]["note"] == note.replace("|", "\\|"), topic
    assert "(a join of two lists)" in rows["ipo.strategic.no_double_dip"]["note"]
