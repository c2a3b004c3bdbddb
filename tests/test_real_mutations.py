"""One-figure mutations of the real cases past a limit are caught with the right rule and line.

Each file tests/data/real-mutations/<case stem>.yaml lists mutations of cases/real/<case stem>.yaml:

    - set: {strategic.investors.0.shares: 8724328}   # dotted paths, list items by index
      rule: ipo.strategic.cap_ratio.lt100m          # the rule that must report a violation
      line: 51                                      # the line it points at (or lists as related)
      note: one share over 20%

The unmutated case itself must have no violation (tests/test_real_cases.py).
"""

from pathlib import Path

import pytest

from checker.examples import apply_set
from checker.loading import load_file

from .conftest import ROOT

DATA = Path(ROOT, "tests", "data", "real-mutations")
MUTATIONS = [(path.stem, i, m) for path in sorted(DATA.glob("*.yaml"))
             for i, m in enumerate(load_file(str(path)).data or [])]


def test_every_mutation_file_names_a_real_case():
    for path in DATA.glob("*.yaml"):
        assert Path(ROOT, "cases", "real", path.name).is_file(), path.name


@pytest.mark.parametrize("stem,index,mutation", MUTATIONS, ids=[f"{s}#{i}" for s, i, _ in MUTATIONS])
def test_mutation_is_caught_at_its_line(checker, stem, index, mutation):
    case = f"cases/real/{stem}.yaml"
    doc = apply_set(load_file(str(Path(ROOT, case))), mutation["set"])
    result = checker.check_document(case, doc)
    assert result.error is None, result.error
    hits = [f for f in result.findings if f.status == "violation" and f.rule_id == mutation["rule"]]
    assert hits, ([f.rule_id for f in result.findings if f.status == "violation"], mutation)
    lines = {f.position.line for f in hits} | {r["line"] for f in hits for r in f.related}
    assert mutation["line"] in lines, [(f.position.line, f.message["en"]) for f in hits]
