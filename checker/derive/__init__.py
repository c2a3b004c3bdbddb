"""Derive: the only place for arithmetic a rule cannot say in one comparison.

It supplies figures (totals, counts, end dates, copies of offering values onto item facts),
never verdicts: every comparison with a limit is a rule's, evaluated by the engine.
"""

from __future__ import annotations

import importlib

from ..casetypes import CASE_TYPES
from ..facts import Fact
from ..loading import Document


def _module(case_type: str):
    """The case type's own module (casetypes.py names it), imported when first needed."""
    return importlib.import_module(CASE_TYPES[case_type].derive_module)


def derive(case_type: str, case, doc: Document) -> list[Fact]:
    return _module(case_type).derive(case, doc)


def notices(case_type: str, case, doc: Document) -> list[dict]:
    """Informative notices (e.g. an investor's online ban windows: figures a case states even
    without a finding); check.py keeps those whose rule is in force."""
    fn = getattr(_module(case_type), "notices", None)
    return fn(case, doc) if fn else []
