"""The reference evaluator: the expression language in pure Python, exact and three-valued.

It works from the expression tree (never from the compiled engine JSON) with exact arithmetic
(whole numbers stay `int`, everything else is a `Fraction`; a division never makes a float) and
Kleene logic: an absent field or a zero divisor makes a value unknown (None),
and unknown only spreads where it could change the answer (`false and unknown` is false;
`x > min(a, b)` is true once x > a, whatever b is). It renders messages, decides whether missing
data leaves a rule undecidable (then the finding is `not_evaluated`), and is the test oracle that
the engine's findings must equal."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import humanize
from .expr import DISPLAY_FUNCS, And, BinOp, Bool, Call, Cmp, Field, In, Neg, Not, Num, Or, Str, fields
from .facts import FieldSpec


@dataclass
class Env:
    """The values of one fact, and what made anything unknown."""

    values: dict[str, Any]
    missing: set[str] = field(default_factory=set)
    zero_divisors: set[str] = field(default_factory=set)


def scalar(value: Any) -> Any:
    """A fact value as the evaluator sees it: ints as they are, other numbers as Fraction, dates as
    day ordinals."""
    if value is None or isinstance(value, (bool, str, int, Fraction)):
        return value
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, Decimal):
        return _whole(Fraction(value))
    raise TypeError(f"unsupported fact value {value!r}")


def _whole(v: Fraction):
    return v.numerator if v.denominator == 1 else v


def value(node, env: Env):
    """The value of an arithmetic node: int or Fraction, bool, str, or None when unknown."""
    kind = type(node)
    if kind is Field:
        v = env.values.get(node.name)
        if v is None:
            env.missing.add(node.name)
            return None
        return scalar(v)
    if kind is Num:
        return _whole(node.value)
    if kind is Str or kind is Bool:
        return node.value
    if isinstance(node, Neg):
        v = value(node.operand, env)
        return None if v is None else -v
    if isinstance(node, BinOp):
        a, b = value(node.left, env), value(node.right, env)
        if node.op == "/" and b == 0:
            env.zero_divisors |= fields(node.right) or {"0"}
            return None
        if a is None or b is None:
            return None
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        return _whole(Fraction(a) / b)
    if isinstance(node, Call):
        args = [value(a, env) for a in node.args]
        if any(a is None for a in args):
            return None
        if node.func == "min":
            return min(args)
        if node.func == "max":
            return max(args)
        if node.func == "floor":
            return math.floor(args[0])
        if node.func == "ceil":
            return math.ceil(args[0])
        raise ValueError(f"function {node.func} has no value in a condition")
    return truth(node, env)


_CMP = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


_SWAP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_BOUNDS = ("min", "max")


def _inward(node):
    """floor/ceil of a min/max as the min/max of the floors/ceils (both are monotone, so exact)."""
    if isinstance(node, Call) and node.func in ("floor", "ceil"):
        inner = _inward(node.args[0])
        if isinstance(inner, Call) and inner.func in _BOUNDS:
            return Call(inner.func, tuple(_inward(Call(node.func, (a,))) for a in inner.args))
    return node


def expand(op: str, left, right):
    """`left op right` with a min/max side expanded into and/or of comparisons with its arguments
    (x > min(a, b) ≡ x > a or x > b; x <= min(a, b) ≡ x <= a and x <= b; mirrored for max;
    == and != as two inequalities), so that the known arguments decide whenever they settle the
    answer, whatever the unknown ones are."""
    left, right = _inward(left), _inward(right)
    if isinstance(right, Call) and right.func in _BOUNDS:
        if op == "==":
            return And((expand("<=", left, right), expand(">=", left, right)))
        if op == "!=":
            return Or((expand("<", left, right), expand(">", left, right)))
        parts = tuple(expand(op, left, a) for a in right.args)
        every = (op in ("<", "<=")) == (right.func == "min")
        return And(parts) if every else Or(parts)
    if isinstance(left, Call) and left.func in _BOUNDS:
        return expand(_SWAP[op], right, left)
    return Cmp(op, left, right)


_EXPANDED: dict[int, tuple] = {}   # id(Cmp) → (the Cmp, its expansion): rule trees live long


def _expanded(node: Cmp):
    hit = _EXPANDED.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    out = expand(node.op, node.left, node.right)
    if out == node:
        out = node
    if len(_EXPANDED) >= 8192:
        _EXPANDED.clear()
    _EXPANDED[id(node)] = (node, out)
    return out


def _kleene(items, env: Env, decisive: bool) -> bool | None:
    """Kleene and (decisive False) / or (decisive True). Each item's unknowns are kept apart and
    reported only when the answer is unknown, so `env` names just what it depends on."""
    results = []
    for item in items:
        sub = Env(env.values)
        t = truth(item, sub)
        if t is decisive:
            return decisive
        results.append((t, sub))
    unknown = [sub for t, sub in results if t is None]
    for sub in unknown:
        env.missing |= sub.missing
        env.zero_divisors |= sub.zero_divisors
    return None if unknown else not decisive


def truth(node, env: Env) -> bool | None:
    """Kleene truth of a condition: True, False, or None (unknown)."""
    if isinstance(node, Cmp):
        node = _expanded(node)
        if not isinstance(node, Cmp):
            return truth(node, env)
        a, b = value(node.left, env), value(node.right, env)
        if a is None or b is None:
            return None
        return _CMP[node.op](a, b)
    if isinstance(node, In):
        v = value(node.operand, env)
        if v is None:
            return None
        return any(v == opt.value for opt in node.options)
    if isinstance(node, And):
        return _kleene(node.items, env, False)
    if isinstance(node, Or):
        return _kleene(node.items, env, True)
    if isinstance(node, Not):
        v = truth(node.operand, env)
        return None if v is None else not v
    if isinstance(node, Bool):
        return node.value
    if isinstance(node, Field):
        v = value(node, env)
        return None if v is None else bool(v)
    raise ValueError(f"not a condition: {node!r}")


def finding_truth(when, require, env: Env) -> bool | None:
    """Does the rule fire on this fact? when ∧ ¬require, three-valued; `env` then names the
    unknowns only when the answer is unknown."""
    return truth(Not(require) if when is None else And((when, Not(require))), env)


class Verdicts:
    """finding_truth of rules on facts, memoised by the rule and the values of the fields it reads:
    the answer, and what it names unknown, depend on nothing else. A batch's facts repeat a few
    shapes (86% of calls hit over 3,000 generated cases). Each value is keyed with its class, so
    1, True and Decimal(1) never share an entry. Bounded: ≈800 bytes an entry, ≈3 MB when full."""

    def __init__(self, size: int = 4096) -> None:
        self._seen: dict[tuple, tuple[bool | None, frozenset[str], frozenset[str]]] = {}
        self._size = size

    def decide(self, key: str, names: tuple[str, ...], when, require,
               values: dict[str, Any]) -> tuple[bool | None, frozenset[str], frozenset[str]]:
        """(truth, the fields found missing, the divisors found zero) of `key`'s rule on `values`;
        `names`: the fields its when and require read."""
        memo = (key, tuple([(v.__class__, v) for v in map(values.get, names)]))
        try:
            found = self._seen.get(memo)
        except TypeError:   # an unhashable value: worked out, not kept
            return _verdict(when, require, values)
        if found is None:
            found = _verdict(when, require, values)
            if len(self._seen) >= self._size:
                self._seen.clear()
            self._seen[memo] = found
        return found


def _verdict(when, require, values: dict[str, Any]) -> tuple[bool | None, frozenset[str], frozenset[str]]:
    env = Env(values)
    return finding_truth(when, require, env), frozenset(env.missing), frozenset(env.zero_divisors)


# ---- units and rendering -------------------------------------------------------------------

def unit_of(node, specs: dict[str, FieldSpec]) -> str | None:
    """The display unit of an arithmetic node: the unit of the fields it scales or sums."""
    if isinstance(node, Field):
        spec = specs.get(node.name)
        return spec.unit if spec else None
    if isinstance(node, Neg):
        return unit_of(node.operand, specs)
    if isinstance(node, BinOp):
        left, right = unit_of(node.left, specs), unit_of(node.right, specs)
        if node.op in "+-":
            return left or right
        if node.op == "*":
            if isinstance(node.left, Num):
                return right
            if isinstance(node.right, Num):
                return left
            if {left, right} == {"price", "shares"}:
                return "yuan"
            return None
        if isinstance(node.right, Num):
            return left
        if left == "yuan" and right == "price":
            return "shares"
        return None
    if isinstance(node, Call):
        units = {unit_of(a, specs) for a in node.args} - {None}
        return units.pop() if len(units) == 1 else None
    return None


def shown(node, env: Env, specs: dict[str, FieldSpec], unit: str | None = None) -> tuple | str:
    """What a template placeholder shows, whatever the language: (value, unit) for
    `humanize.by_unit`, or a text that reads the same in both languages (a percentage)."""
    if isinstance(node, Call) and node.func in DISPLAY_FUNCS:
        args = [value(a, env) for a in node.args]
        if any(a is None for a in args):
            return (None, None)
        if node.func == "percent":
            if args[1] == 0:
                return "n/a"
            return humanize.percent(Fraction(args[0]) / args[1])   # exact: ints divide to floats
        return (args[0], {"pct": "ratio", "num": None, "count": None}.get(node.func, node.func))
    if isinstance(node, Field):
        raw = env.values.get(node.name)
        if isinstance(raw, (str, bool, dt.date)):
            return (raw, None)
    return (value(node, env), unit_of(node, specs) or unit)


def render_value(node, env: Env, specs: dict[str, FieldSpec], lang: str, unit: str | None = None,
                 memo: dict | None = None) -> str:
    """One template placeholder as text; `unit` renders a bare constant (a limit) like its field.
    With `memo`, a placeholder met again (the other language's text) is not worked out again."""
    memo = {} if memo is None else memo
    key = (id(node), unit)
    found = memo.get(key)
    if found is None:
        found = memo[key] = shown(node, env, specs, unit)
    return found if isinstance(found, str) else humanize.by_unit(found[0], found[1], lang)


def render(template: list, env: Env, specs: dict[str, FieldSpec], lang: str, memo: dict | None = None) -> str:
    return "".join(part if isinstance(part, str) else render_value(part, env, specs, lang, None, memo)
                   for part in template)
