"""The rule expression language: a small, safe grammar parsed into a tree (never `eval`).

    expr  := or ;  or := and ('or' and)* ;  and := not ('and' not)* ;  not := 'not' not | cmp
    cmp   := sum [('<'|'<='|'>'|'>='|'=='|'!=') sum | 'in' '[' literal (',' literal)* ']']
    sum   := prod (('+'|'-') prod)* ;  prod := unary (('*'|'/') unary)* ;  unary := '-' unary | atom
    atom  := NUMBER ['%'] | 'text' | true | false | field.path | FUNC '(' expr, … ')' | '(' expr ')'

Numbers are exact (`0.20` and `20%` are the fraction 1/5). Functions: min, max, floor, ceil and
date('YYYY-MM-DD'). Message templates add display functions (shares, yuan, percent, …).

Limits (a rule-pack error with its column past them, so that no pack can exhaust the parser or
what follows it): an expression of at most MAX_LENGTH characters, nested at most MAX_DEPTH deep
(parentheses, `not`, unary minus and function calls each count), numbers of at most MAX_DIGITS
digits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction


class ExprError(ValueError):
    def __init__(self, message: str, col: int = 0):
        super().__init__(message)
        self.col = col


@dataclass(frozen=True)
class Num:
    value: Fraction


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Field:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: object


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * /
    left: object
    right: object


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple


@dataclass(frozen=True)
class Cmp:
    op: str  # < <= > >= == !=
    left: object
    right: object


@dataclass(frozen=True)
class In:
    operand: object
    options: tuple  # of Str/Num/Bool literals


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    operand: object


NUMERIC_FUNCS = {"min": (2, 8), "max": (2, 8), "floor": (1, 1), "ceil": (1, 1), "date": (1, 1)}
DISPLAY_FUNCS = {"shares": 1, "yuan": 1, "price": 1, "percent": 2, "pct": 1, "num": 1,
                 "months": 1, "count": 1, "multiple": 1}

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d[\d_]*(?:\.\d+)?%?)
  | (?P<str>'[^'\\\n]*'|"[^"\\\n]*")
  | (?P<name>[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)
  | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)|,|\[|\])
""", re.VERBOSE)

KEYWORDS = {"and", "or", "not", "in", "true", "false"}


def tokenize(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.lastgroup is None:
            raise ExprError(f"unexpected character {text[pos]!r}", pos + 1)
        kind = m.lastgroup
        if kind != "ws":
            value = m.group(kind)
            if kind == "name" and value in KEYWORDS:
                kind = "kw"
            out.append((kind, value, pos + 1))
        pos = m.end()
    out.append(("end", "", len(text) + 1))
    return out


MAX_LENGTH = 2000
MAX_DEPTH = 32
MAX_DIGITS = 30


class _Parser:
    def __init__(self, text: str, display: bool = False):
        if len(text) > MAX_LENGTH:
            raise ExprError(f"an expression is at most {MAX_LENGTH:,} characters; this one has "
                            f"{len(text):,}", MAX_LENGTH + 1)
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.display = display

    def deeper(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"nested deeper than {MAX_DEPTH} levels", col)

    def peek(self, *values) -> bool:
        kind, value, _ = self.tokens[self.i]
        return value in values and kind in ("op", "kw")

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str):
        kind, got, col = self.take()
        if got != value or kind not in ("op", "kw"):
            raise ExprError(f"expected '{value}' but found {got or 'the end'!r}", col)

    def parse(self):
        node = self.or_()
        kind, value, col = self.tokens[self.i]
        if kind != "end":
            raise ExprError(f"unexpected {value!r}", col)
        return node

    def or_(self):
        items = [self.and_()]
        while self.peek("or"):
            self.take()
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self):
        items = [self.not_()]
        while self.peek("and"):
            self.take()
            items.append(self.not_())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_(self):
        if self.peek("not"):
            self.deeper(self.take()[2])
            node = Not(self.not_())
            self.depth -= 1
            return node
        return self.cmp()

    def cmp(self):
        left = self.sum()
        if self.peek("<", "<=", ">", ">=", "==", "!="):
            op = self.take()[1]
            right = self.sum()
            if self.peek("<", "<=", ">", ">=", "==", "!="):
                raise ExprError("chained comparisons are not allowed; join them with 'and'",
                                self.tokens[self.i][2])
            return Cmp(op, left, right)
        if self.peek("in"):
            self.take()
            self.expect("[")
            options = [self.literal()]
            while self.peek(","):
                self.take()
                options.append(self.literal())
            self.expect("]")
            return In(left, tuple(options))
        return left

    def literal(self):
        node = self.atom()
        if not isinstance(node, (Num, Str, Bool)):
            raise ExprError("'in [...]' takes literal values only", self.tokens[self.i - 1][2])
        return node

    def sum(self):
        node = self.prod()
        while self.peek("+", "-"):
            op = self.take()[1]
            node = BinOp(op, node, self.prod())
        return node

    def prod(self):
        node = self.unary()
        while self.peek("*", "/"):
            op = self.take()[1]
            node = BinOp(op, node, self.unary())
        return node

    def unary(self):
        if self.peek("-"):
            self.deeper(self.take()[2])
            node = Neg(self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self):
        kind, value, col = self.take()
        if kind == "num":
            text = value.replace("_", "")
            if sum(c.isdigit() for c in text) > MAX_DIGITS:
                raise ExprError(f"a number has at most {MAX_DIGITS} digits", col)
            if text.endswith("%"):
                return Num(Fraction(text[:-1]) / 100)
            return Num(Fraction(text))
        if kind == "str":
            return Str(value[1:-1])
        if kind == "kw" and value in ("true", "false"):
            return Bool(value == "true")
        if kind == "op" and value == "(":
            self.deeper(col)
            node = self.or_()
            self.expect(")")
            self.depth -= 1
            return node
        if kind == "name":
            if self.peek("("):
                return self.call(value, col)
            if value in NUMERIC_FUNCS or value in DISPLAY_FUNCS:
                raise ExprError(f"'{value}' is a function: write {value}(…)", col)
            return Field(value)
        raise ExprError(f"unexpected {value or 'end of expression'!r}", col)

    def call(self, func: str, col: int):
        allowed = dict(NUMERIC_FUNCS)
        if self.display:
            allowed.update({k: (n, n) for k, n in DISPLAY_FUNCS.items()})
        if func not in allowed:
            raise ExprError(f"unknown function '{func}' (allowed: {', '.join(sorted(allowed))})", col)
        self.expect("(")
        self.deeper(col)
        args = [self.or_()]
        while self.peek(","):
            self.take()
            args.append(self.or_())
        self.expect(")")
        self.depth -= 1
        lo, hi = allowed[func]
        if not lo <= len(args) <= hi:
            raise ExprError(f"{func}() takes {lo if lo == hi else f'{lo} to {hi}'} argument(s)", col)
        if func == "date":
            if not isinstance(args[0], Str):
                raise ExprError("date() takes a quoted 'YYYY-MM-DD'", col)
            try:
                day = dt.date.fromisoformat(args[0].value)
            except ValueError:
                raise ExprError(f"invalid date {args[0].value!r}", col) from None
            return Num(Fraction(day.toordinal()))
        return Call(func, tuple(args))


def parse(text: str):
    """Parse a rule condition."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("empty expression", 1)
    return _Parser(text).parse()


def parse_display(text: str):
    """Parse one `{…}` placeholder of a message template (display functions allowed)."""
    return _Parser(text, display=True).parse()


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def parse_template(text: str) -> list:
    """Split a message template into literal strings and parsed placeholders."""
    parts, pos = [], 0
    for m in _PLACEHOLDER.finditer(text):
        parts.append(text[pos:m.start()])
        try:
            parts.append(parse_display(m.group(1)))
        except ExprError as exc:
            raise ExprError(f"in placeholder {{{m.group(1)}}}: {exc}", m.start() + exc.col) from None
        pos = m.end()
    rest = text[pos:]
    if "{" in rest or "}" in rest:
        raise ExprError("unbalanced '{' or '}' in message", pos + 1)
    parts.append(rest)
    return parts


def children(node) -> tuple:
    """The sub-expressions of a node."""
    if isinstance(node, (Neg, Not, In)):
        return (node.operand,)
    if isinstance(node, (BinOp, Cmp)):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, (And, Or)):
        return node.items
    return ()


def walk(node):
    """Every node of a tree, depth first."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(children(n))


def fields(node) -> set[str]:
    """Every field path a tree names."""
    return {n.name for n in walk(node) if isinstance(n, Field)}


def denominator_fields(node) -> set[str]:
    """Fields that stand in a divisor: each must be known positive before a comparison is made."""
    return {name for n in walk(node) if isinstance(n, BinOp) and n.op == "/" for name in fields(n.right)}
