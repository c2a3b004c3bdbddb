"""Derive: the only place for arithmetic a rule cannot say in one comparison.

It supplies figures (totals, counts, end dates, copies of offering values onto item facts),
never verdicts: every comparison with a limit is a rule's, evaluated by the engine.
"""

from __future__ import annotations

from ..facts import Fact
from ..loading import Document
from . import ipo

DERIVERS = {"ipo": ipo.derive}


def derive(case_type: str, case, doc: Document) -> list[Fact]:
    return DERIVERS[case_type](case, doc)
