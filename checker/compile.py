"""Compile a rule's condition into exact integer comparisons over one fact (wire.py writes
them in the engine's JSON).

A finding fires when `when and not require` holds. The compiler pushes the negation down
(De Morgan; the engine has no usable `not`), lowers min/max/floor/ceil into and/or of plain
comparisons, and turns every numeric comparison into an integer polynomial compared with 0:

    strategic.total_shares <= 20% * offering.issue_shares
      →  5·total − issue ≤ 0   (wire.py: {"$gte": {"_0": {"$sub": {"$l": {"$mul": …}, "$r": issue}}}})

Every fact carries the constant field `_0 = 0`, so the engine evaluates the whole expression in
64-bit integers: decimals are sent as integers × 10^scale, a division by a field becomes a
cross-multiplication (valid because the divisor is known positive: a zero divisor is decided
`not_evaluated` before the engine), and the compiler proves from the declared field bounds that
no product can overflow. No `$div`, `$not`, `$nex` or `$s` is ever emitted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .expr import And, BinOp, Bool, Call, Cmp, ExprError, Field, In, Neg, Not, Num, Or, Str, walk
from .facts import FieldSpec

INT64_SAFE = 2**62
MAX_PATHS_PER_RULE = 24

# ---- types --------------------------------------------------------------------------------


def type_of(node, specs: dict[str, FieldSpec]) -> str:
    """'num', 'bool' or 'str'; raises ExprError on unknown fields or mixed types."""
    if isinstance(node, Num):
        return "num"
    if isinstance(node, Str):
        return "str"
    if isinstance(node, Bool):
        return "bool"
    if isinstance(node, Field):
        spec = specs.get(node.name)
        if spec is None:
            near = [n for n in specs if n.split(".")[-1] == node.name.split(".")[-1]]
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise ExprError(f"unknown field '{node.name}' for this fact{hint}")
        return {"int": "num", "dec": "num", "date": "num"}.get(spec.type, spec.type)
    if isinstance(node, (Neg, BinOp, Call)):
        operands = (node.operand,) if isinstance(node, Neg) else (
            (node.left, node.right) if isinstance(node, BinOp) else node.args)
        for operand in operands:
            if type_of(operand, specs) != "num":
                raise ExprError("arithmetic and min/max/floor/ceil take numbers only")
        return "num"
    if isinstance(node, Cmp):
        left, right = type_of(node.left, specs), type_of(node.right, specs)
        if left != right:
            raise ExprError(f"cannot compare {left} with {right}")
        if left != "num":
            if node.op not in ("==", "!="):
                raise ExprError(f"'{node.op}' compares numbers only")
            if not (isinstance(node.left, Field) and isinstance(node.right, (Str, Bool))):
                raise ExprError("text and yes/no values compare as: field == 'literal'")
        return "bool"
    if isinstance(node, In):
        kind = type_of(node.operand, specs)
        if not isinstance(node.operand, Field):
            raise ExprError("'in [...]' takes a field on its left")
        for opt in node.options:
            if type_of(opt, specs) != kind:
                raise ExprError("'in [...]' options must have the field's type")
        return "bool"
    if isinstance(node, (And, Or)):
        for item in node.items:
            check_condition(item, specs)
        return "bool"
    if isinstance(node, Not):
        check_condition(node.operand, specs)
        return "bool"
    raise ExprError(f"unsupported expression {node!r}")


def check_condition(node, specs) -> None:
    if type_of(node, specs) != "bool":
        raise ExprError("a condition must be a comparison or a yes/no field")


def check_divisors(node, specs) -> None:
    """Only divide by a constant or a product of non-negative fields (decided > 0 before use)."""
    for n in walk(node):
        if isinstance(n, BinOp) and n.op == "/":
            _monomial_divisor(n.right, specs)


def _monomial_divisor(node, specs) -> None:
    if isinstance(node, Num):
        if node.value == 0:
            raise ExprError("division by the constant 0")
        return
    if isinstance(node, Field):
        if specs[node.name].lo < 0:
            raise ExprError(f"cannot divide by '{node.name}': it may be negative")
        return
    if isinstance(node, BinOp) and node.op in "*/":
        _monomial_divisor(node.left, specs)
        _monomial_divisor(node.right, specs)
        return
    raise ExprError("divide only by a constant, a field or a product of them "
                    "(put sums in derive)")


# ---- negation normal form and lowering ------------------------------------------------------

_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_SWAP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@dataclass(frozen=True)
class Atom:
    """A comparison of a field with a literal (text or yes/no)."""
    op: str        # == or !=
    field: str
    value: object


@dataclass(frozen=True)
class NumCmp:
    """A numeric comparison with no min/max/floor/ceil left in it."""
    op: str
    left: object
    right: object


def nnf(node, negate: bool = False):
    """Push `not` down to comparisons, flipping their operators."""
    if isinstance(node, Not):
        return nnf(node.operand, not negate)
    if isinstance(node, And):
        items = tuple(nnf(i, negate) for i in node.items)
        return Or(items) if negate else And(items)
    if isinstance(node, Or):
        items = tuple(nnf(i, negate) for i in node.items)
        return And(items) if negate else Or(items)
    if isinstance(node, Cmp):
        return Cmp(_NEGATE[node.op] if negate else node.op, node.left, node.right)
    if isinstance(node, In):
        op = "!=" if negate else "=="
        atoms = tuple(Cmp(op, node.operand, opt) for opt in node.options)
        return (And(atoms) if negate else Or(atoms)) if len(atoms) > 1 else atoms[0]
    if isinstance(node, Field):  # a bare yes/no field
        return Cmp("!=" if negate else "==", node, Bool(True))
    if isinstance(node, Bool):
        return Bool(node.value != negate)
    raise ExprError(f"not a condition: {node!r}")


def _has_call(node) -> bool:
    if isinstance(node, Call):
        return True
    if isinstance(node, Neg):
        return _has_call(node.operand)
    if isinstance(node, BinOp):
        return _has_call(node.left) or _has_call(node.right)
    return False


def is_integral(node, specs) -> bool:
    """True when the expression can only take whole-number values."""
    if isinstance(node, Num):
        return node.value.denominator == 1
    if isinstance(node, Field):
        spec = specs[node.name]
        return spec.type in ("int", "date")
    if isinstance(node, Neg):
        return is_integral(node.operand, specs)
    if isinstance(node, BinOp):
        return node.op in "+-*" and is_integral(node.left, specs) and is_integral(node.right, specs)
    if isinstance(node, Call):
        return node.func in ("floor", "ceil") or all(is_integral(a, specs) for a in node.args)
    return False


def _plus(node, k: int):
    return BinOp("+", node, Num(Fraction(k)))


def lower(node, specs):
    """An NNF condition → And/Or of Atom and NumCmp (no min/max/floor/ceil)."""
    if isinstance(node, And):
        return And(tuple(lower(i, specs) for i in node.items))
    if isinstance(node, Or):
        return Or(tuple(lower(i, specs) for i in node.items))
    if isinstance(node, Bool):
        return node
    if isinstance(node, Cmp):
        if type_of(node.left, specs) != "num":   # field == 'literal' (type_of checked the shape)
            assert isinstance(node.left, Field) and isinstance(node.right, (Str, Bool))
            return Atom(node.op, node.left.name, node.right.value)
        return _lower_cmp(node.op, node.left, node.right, specs)
    raise ExprError(f"cannot compile {node!r}")


def _lower_cmp(op: str, left, right, specs):
    if isinstance(right, Call) and right.func in ("min", "max"):
        parts = right.args
        if op == "==":
            return And((_lower_cmp("<=", left, right, specs), _lower_cmp(">=", left, right, specs)))
        if op == "!=":
            return Or((_lower_cmp("<", left, right, specs), _lower_cmp(">", left, right, specs)))
        upper = op in ("<", "<=")
        conj = upper == (right.func == "min")
        items = tuple(_lower_cmp(op, left, p, specs) for p in parts)
        return And(items) if conj else Or(items)
    if isinstance(left, Call) and left.func in ("min", "max"):
        return _lower_cmp(_SWAP[op], right, left, specs)
    if isinstance(right, Call) and right.func in ("floor", "ceil"):
        if _has_call(left):
            raise ExprError("floor()/ceil() cannot be compared with another function call")
        if not is_integral(left, specs):
            raise ExprError("floor()/ceil() can only be compared with a whole-number expression")
        y = right.args[0]
        if right.func == "floor":
            rewrite = {
                "<=": lambda: _lower_cmp("<=", left, y, specs),
                "<": lambda: _lower_cmp("<=", _plus(left, 1), y, specs),
                ">=": lambda: _lower_cmp(">", _plus(left, 1), y, specs),
                ">": lambda: _lower_cmp(">", left, y, specs),
            }
        else:
            rewrite = {
                ">=": lambda: _lower_cmp(">=", left, y, specs),
                ">": lambda: _lower_cmp(">=", _plus(left, -1), y, specs),
                "<=": lambda: _lower_cmp("<", _plus(left, -1), y, specs),
                "<": lambda: _lower_cmp("<", left, y, specs),
            }
        if op == "==":
            return And((_lower_cmp("<=", left, right, specs), _lower_cmp(">=", left, right, specs)))
        if op == "!=":
            return Or((_lower_cmp("<", left, right, specs), _lower_cmp(">", left, right, specs)))
        return rewrite[op]()
    if isinstance(left, Call):
        return _lower_cmp(_SWAP[op], right, left, specs)
    if _has_call(left) or _has_call(right):
        raise ExprError("min/max/floor/ceil must stand alone on one side of a comparison")
    return NumCmp(op, left, right)


# ---- exact polynomials ----------------------------------------------------------------------

Poly = dict  # monomial (sorted tuple of field names) -> Fraction


def _pmul(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = tuple(sorted(ma + mb))
            out[m] = out.get(m, 0) + ca * cb
    return {m: c for m, c in out.items() if c != 0}


def _padd(a: Poly, b: Poly, sign: int = 1) -> Poly:
    out = dict(a)
    for m, c in b.items():
        out[m] = out.get(m, 0) + sign * c
    return {m: c for m, c in out.items() if c != 0}


def _mono_div(big: tuple, small: tuple) -> tuple:
    rest = list(big)
    for f in small:
        rest.remove(f)
    return tuple(rest)


def _mono_lcm(a: tuple, b: tuple) -> tuple:
    out = list(a)
    rest = list(a)
    for f in b:
        if f in rest:
            rest.remove(f)
        else:
            out.append(f)
    return tuple(sorted(out))


def rational(node, specs) -> tuple[Poly, tuple]:
    """node = num / den, num a polynomial over engine values, den a product of positive fields."""
    if isinstance(node, Num):
        return ({(): node.value} if node.value else {}), ()
    if isinstance(node, Field):
        return {(node.name,): Fraction(1, 10 ** specs[node.name].scale)}, ()
    if isinstance(node, Neg):
        num, den = rational(node.operand, specs)
        return {m: -c for m, c in num.items()}, den
    if isinstance(node, BinOp):
        an, ad = rational(node.left, specs)
        bn, bd = rational(node.right, specs)
        if node.op == "*":
            return _pmul(an, bn), tuple(sorted(ad + bd))
        if node.op == "/":
            if len(bn) != 1:
                raise ExprError("divide only by a constant, a field or a product of them")
            (mono, coef), = bn.items()
            num = _pmul(an, {bd: 1 / coef}) if bd else {m: c / coef for m, c in an.items()}
            return num, tuple(sorted(ad + mono))
        den = _mono_lcm(ad, bd)
        left = _pmul(an, {_mono_div(den, ad): Fraction(1)})
        right = _pmul(bn, {_mono_div(den, bd): Fraction(1)})
        return _padd(left, right, 1 if node.op == "+" else -1), den
    raise ExprError(f"cannot compile {node!r} as arithmetic")


def integer_poly(cmp: NumCmp, specs) -> dict:
    """left op right  →  integer polynomial P with the meaning `P op 0`."""
    num, _den = rational(BinOp("-", cmp.left, cmp.right), specs)  # den > 0: it does not flip op
    scale = 1
    for c in num.values():
        scale = scale * c.denominator // math.gcd(scale, c.denominator)
    poly = {m: int(c * scale) for m, c in num.items()}
    g = 0
    for c in poly.values():
        g = math.gcd(g, c)
    if g > 1:
        poly = {m: c // g for m, c in poly.items()}
    return poly


def magnitude(poly: dict, specs) -> int:
    """Worst-case absolute value of any partial result while the engine evaluates `poly`."""
    total = 0
    for mono, coef in poly.items():
        term = abs(coef)
        for f in mono:
            spec = specs[f]
            term *= max(abs(spec.lo), abs(spec.hi)) * 10 ** spec.scale
        total += term
    return total


# ---- exact integer comparisons ------------------------------------------------------------

@dataclass(frozen=True)
class PolyCmp:
    """`P op 0` for an integer polynomial P (monomial → coefficient), proven not to overflow."""
    op: str
    poly: tuple          # ((monomial, coefficient), …)


def exact(node, specs):
    """Each numeric comparison of a lowered condition as an integer polynomial compared with 0;
    raises ExprError where the engine's 64-bit integers could overflow."""
    if isinstance(node, (And, Or)):
        return type(node)(tuple(exact(i, specs) for i in node.items))
    if not isinstance(node, NumCmp):
        return node
    poly = integer_poly(node, specs)
    if magnitude(poly, specs) >= INT64_SAFE:
        raise ExprError("a comparison could overflow the engine's 64-bit integers with the "
                        "declared field bounds; rewrite it or tighten the bounds")
    return PolyCmp(node.op, tuple(poly.items()))


def paths(node) -> int:
    """Alternatives the engine may test for one fact (size of the DNF): the structural budget."""
    if isinstance(node, And):
        return math.prod(paths(i) for i in node.items)
    if isinstance(node, Or):
        return sum(paths(i) for i in node.items)
    return 1


def comparisons(node) -> int:
    if isinstance(node, (And, Or)):
        return sum(comparisons(i) for i in node.items)
    return 1


@dataclass(frozen=True)
class Lowered:
    node: object         # And / Or / Bool / Atom / PolyCmp
    paths: int
    comparisons: int


def lower_rule(when, require, specs) -> Lowered:
    """`when and not require` (both already type-checked by the pack loader), negation pushed
    down and lowered to exact integer comparisons; wire.py writes it for the engine."""
    fire = nnf(require, negate=True) if when is None else And((nnf(when), nnf(require, negate=True)))
    lowered = lower(fire, specs)
    n = paths(lowered)
    if n > MAX_PATHS_PER_RULE:
        raise ExprError(f"the condition expands to {n} alternatives (limit {MAX_PATHS_PER_RULE}); "
                        "split the rule")
    return Lowered(exact(lowered, specs), n, comparisons(lowered))
