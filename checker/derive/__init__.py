"""Derive: the only place for arithmetic a rule cannot say in one comparison.

It supplies figures (totals, counts, end dates, copies of offering values onto item facts),
never verdicts: every comparison with a limit is a rule's, evaluated by the engine.
"""

from __future__ import annotations

from ..facts import Fact
from ..loading import Document
from . import investor, ipo, restructuring

DERIVERS = {"ipo": ipo.derive, "investor": investor.derive, "restructuring": restructuring.derive}
NOTICES = {"investor": investor.notices}   # figures a case states even without a finding


def derive(case_type: str, case, doc: Document) -> list[Fact]:
    return DERIVERS[case_type](case, doc)


def notices(case_type: str, case, doc: Document) -> list[dict]:
    """Informative notices (e.g. an investor's online ban windows); check.py keeps those whose
    rule is in force."""
    fn = NOTICES.get(case_type)
    return fn(case, doc) if fn else []
