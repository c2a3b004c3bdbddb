"""Derive: the only place for arithmetic a rule cannot say in one comparison.

It supplies figures (totals, counts, end dates, copies of offering values onto item facts),
never verdicts: every comparison with a limit is a rule's, evaluated by the engine.
"""

from __future__ import annotations

import importlib

from ..facts import FACT_KINDS, Fact
from ..loading import Document


def _module(case_type: str):
    """The case type's own module (one each, named after it), imported when first needed."""
    if case_type not in FACT_KINDS:
        raise KeyError(case_type)
    return importlib.import_module(f".{case_type}", __package__)


def derive(case_type: str, case, doc: Document) -> list[Fact]:
    return _module(case_type).derive(case, doc)


def notices(case_type: str, case, doc: Document) -> list[dict]:
    """Informative notices (e.g. an investor's online ban windows: figures a case states even
    without a finding); check.py keeps those whose rule is in force."""
    fn = getattr(_module(case_type), "notices", None)
    return fn(case, doc) if fn else []
