"""The case types, one declaration each: everything that lists case types reads this table.

A new case type is one entry here plus its own modules: the case model (checker/model/<name>.py,
satisfying `CaseModel` below), its fact fields (checker/facts.py), its derive module
(checker/derive/<name>.py: `derive(case, doc) -> list[Fact]`, optionally `notices`) and its
rule packs (rules/<name>/).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from . import facts as f

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .model.types import DateChoice
    from .model.waiver import Waiver


class CaseModel(Protocol):
    """What check.py needs of a validated case, whatever its type (read-only)."""

    @property
    def case_type(self) -> str: ...

    @property
    def id(self) -> str | None: ...

    @property
    def waivers(self) -> list[Waiver]: ...

    @property
    def board(self) -> str | None: ...           # the listing board; None for a type without boards

    @property
    def as_of_date(self) -> dt.date | None: ...  # the date whose rules apply (None: not stated)

    @property
    def dates(self) -> DateChoice: ...           # how that date was chosen, keys as the case writes them

    @property
    def has_results(self) -> bool: ...           # past the plan stage (results-stage rules apply)


@dataclass(frozen=True)
class CaseType:
    name: str
    model: str                       # "<module>:<class>" in checker.model, imported when first needed
    kinds: Mapping[str, Mapping[str, f.FieldSpec]]   # fact kind → its fields (the field registry)
    item_fields: Mapping[str, str]   # fact kind → the field a waiver's `item` names
    title: str                       # JSON Schema title and description
    about: str
    has_board: bool                  # its rules may be limited to boards (`applies.boards`)
    date_path: tuple[str, ...]       # where its own event date is written (errors about the date point here)
    results_fields: frozenset[str] = frozenset()   # known only from the results: rules need `stage: results`

    def load_model(self) -> type[BaseModel]:
        return _model_class(self.model)

    @property
    def derive_module(self) -> str:
        return f"checker.derive.{self.name}"


@functools.cache
def _model_class(where: str) -> type[BaseModel]:
    module, name = where.split(":")
    return getattr(importlib.import_module(f"checker.model.{module}"), name)


_IPO_KINDS = {"offering": f.OFFERING_FIELDS, "strategic_investor": f.INVESTOR_FIELDS,
              "holder": f.HOLDER_FIELDS,
              "placing_object": f.PLACING_OBJECT_FIELDS, "placing_default": f.PLACING_DEFAULT_FIELDS}

CASE_TYPES: dict[str, CaseType] = {t.name: t for t in (
    CaseType(
        name="ipo", model="ipo:IpoCase", kinds=_IPO_KINDS,
        item_fields={"strategic_investor": "investor.name", "holder": "holder.name",
                     "placing_object": "object.name",
                     "placing_default": "default.object"},
        title="offering-check IPO case",
        about="One A-share IPO: an offering plan before issuance, or a completed or aborted offering.",
        has_board=True, date_path=("timetable", "t_day"),
        # fields known only once the offering has run (T and after): subscriptions, payments, clawback
        results_fields=frozenset(
            {name for fields in _IPO_KINDS.values() for name in fields if name.startswith("results.")}
            | {"allocation.online_effective_multiple", "allocation.clawback_shares",
               "allocation.offline_final_shares", "allocation.online_final_shares"})),
    CaseType(
        name="investor", model="investor:InvestorCase",
        kinds={"account": f.ACCOUNT_FIELDS, "subscription": f.SUBSCRIPTION_FIELDS},
        item_fields={"subscription": "subscription.security"},
        title="offering-check investor case",
        about="One online investor's account: its abandonments and its online subscriptions.",
        has_board=False, date_path=("as_of",)),
    CaseType(
        name="restructuring", model="restructuring:RestructuringCase",
        kinds={"deal": f.DEAL_FIELDS, "counterparty": f.COUNTERPARTY_FIELDS, "comp_year": f.COMP_YEAR_FIELDS},
        item_fields={"counterparty": "counterparty.name", "comp_year": "comp_year.year"},
        title="offering-check restructuring case",
        about="One restructuring deal: a listed company buys assets with new shares and/or cash.",
        has_board=False, date_path=("announcement_date",)),
)}

FACT_KINDS: dict[str, Mapping[str, Mapping[str, f.FieldSpec]]] = {n: t.kinds for n, t in CASE_TYPES.items()}
ITEM_FIELD: dict[str, str] = {kind: name for t in CASE_TYPES.values() for kind, name in t.item_fields.items()}
