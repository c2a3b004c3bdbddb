"""The engine's wire format, in one place: what a fact and a rule's pattern look like to
durable_rules.

A fact is one flat JSON object:
- `kind` and `id` (the engine adds `sid`); the reserved constant `_0 = 0`, against which every
  numeric comparison is written (`polynomial ≥ 0` and the like); `_asof`, the case's rules date
  as a day ordinal; `_board`, its board code ("" when the case type has none);
- every field of its kind, `.` written `__` (`offering.issue_shares` → `offering__issue_shares`),
  as an exact integer: decimals × 10^scale, dates as day ordinals; yes/no and text as they are.
  An absent field is sent as a neutral filler, only ever read by rules whose answer it cannot
  change (check.py decides the others before the engine).

A rule's pattern is `{"$and": [{"kind": …}, <applies…>, <condition>]}`: `applies` as `_board` /
`_asof` tests, the condition (`when and not require`, lowered by compile.py to integer
comparisons) as `$and` / `$or` / `$gte` … over `_0`. No `$div`, `$not`, `$nex` or `$s` is emitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .compile import Atom, Lowered, PolyCmp
from .errors import InputError
from .expr import And, Bool, Or

if TYPE_CHECKING:
    from .facts import Fact, FieldSpec
    from .rulepack import Applies

ZERO, AS_OF, BOARD = "_0", "_asof", "_board"
RESERVED = ("kind", "id", "sid", ZERO, AS_OF, BOARD)   # no field may be encoded to one of these


def engine_name(field: str) -> str:
    return field.replace(".", "__")


# ---- facts ---------------------------------------------------------------------------------

def engine_value(value, spec: FieldSpec):
    """A fact value as the engine holds it: exact integers (decimals × 10^scale, dates as ordinals)."""
    if spec.type in ("bool", "str"):
        return value
    if spec.type == "date":
        return value.toordinal()
    scaled = value * 10**spec.scale
    if scaled != int(scaled):
        raise ValueError(f"{spec.name} has more than {spec.scale} decimals")
    return int(scaled)


def filler(spec: FieldSpec):
    """A neutral in-range value for an absent field (never decides a finding; see module doc)."""
    return {"bool": False, "str": ""}.get(spec.type, 1)


def encode_fact(fact: Fact, specs: Mapping[str, FieldSpec], as_of: dt.date, board: str | None) -> dict:
    out: dict[str, Any] = {"kind": fact.kind, "id": fact.id, ZERO: 0, AS_OF: as_of.toordinal(),
                           BOARD: board or ""}
    for name, spec in specs.items():
        value = fact.values.get(name)
        if value is None:
            out[engine_name(name)] = filler(spec)
            continue
        if spec.type not in ("bool", "str", "date") and not spec.lo <= value <= spec.hi:
            raise InputError(f"'{name}' = {value} is outside the supported range "
                             f"[{spec.lo:,}, {spec.hi:,}]", fact.positions.get(name, fact.position),
                             field=name)
        out[engine_name(name)] = engine_value(value, spec)
    return out


# ---- rule patterns -------------------------------------------------------------------------

@dataclass(frozen=True)
class Compiled:
    condition: dict      # the durable pattern body for one fact
    paths: int
    comparisons: int


def applies_patterns(applies: Applies) -> list[dict]:
    """Where and when a version is in force, as tests of `_board` and `_asof`."""
    out: list[dict] = []
    if isinstance(applies.from_, dict):  # at most one branch can hold: a fact has one board
        starts = [{"$and": [{BOARD: b}, {"$gte": {AS_OF: d.toordinal()}}]}
                  for b, d in applies.from_.items()]
        out.append(starts[0] if len(starts) == 1 else {"$or": starts})
    else:
        if applies.boards:
            boards = [{BOARD: b} for b in applies.boards]
            out.append(boards[0] if len(boards) == 1 else {"$or": boards})
        out.append({"$gte": {AS_OF: applies.from_.toordinal()}})
    if applies.until is not None:
        out.append({"$lt": {AS_OF: applies.until.toordinal()}})
    return out


def rule_pattern(kind: str, applies: Applies, lowered: Lowered) -> Compiled:
    """The pattern that matches a fact on which the rule fires: kind, in force, when, not require."""
    tests = applies_patterns(applies)
    body = [{"kind": kind}, *tests, condition_json(lowered.node)]
    return Compiled({"$and": body}, lowered.paths, lowered.comparisons + len(tests) + 1)


_FLIP_ZERO = {"<": "$gt", "<=": "$gte", ">": "$lt", ">=": "$lte", "==": "$eq", "!=": "$neq"}


def condition_json(node) -> dict:
    """A lowered condition → durable JSON."""
    if isinstance(node, And):
        return {"$and": [condition_json(i) for i in node.items]}
    if isinstance(node, Or):
        return {"$or": [condition_json(i) for i in node.items]}
    if isinstance(node, Bool):
        return {"$eq": {ZERO: 0}} if node.value else {"$neq": {ZERO: 0}}
    if isinstance(node, Atom):
        name = engine_name(node.field)
        return {name: node.value} if node.op == "==" else {"$neq": {name: node.value}}
    assert isinstance(node, PolyCmp), node
    # `P op 0` is written `0 flip(op) P`: the engine compares the constant field with the polynomial
    return {_FLIP_ZERO[node.op]: {ZERO: poly_json(dict(node.poly))}}


def _term_json(mono: tuple, coef: int):
    expr: Any = None
    for f in mono:
        ref = {"$m": engine_name(f)}
        expr = ref if expr is None else {"$mul": {"$l": expr, "$r": ref}}
    if expr is None:
        return coef
    return expr if coef == 1 else {"$mul": {"$l": expr, "$r": coef}}


def poly_json(poly: dict):
    terms = sorted(((m, c) for m, c in poly.items() if m), key=lambda t: (len(t[0]), t[0]))
    const = poly.get((), 0)
    if not terms:
        return const
    expr = _term_json(*terms[0])
    for mono, coef in terms[1:]:
        op = "$add" if coef > 0 else "$sub"
        expr = {op: {"$l": expr, "$r": _term_json(mono, abs(coef))}}
    if const:
        expr = {("$add" if const > 0 else "$sub"): {"$l": expr, "$r": abs(const)}}
    return expr
