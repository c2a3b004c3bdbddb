"""Strict field types shared by the case models.

Shares are integers, money and ratios `Decimal` (the loader builds YAML floats as Decimal from
their text), dates are dates. Nothing is coerced from text: "8,724,327" or "８７２万" where a
number belongs is an input error, never a silent guess.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from ..boards import declared_boards

MAX_SHARES = 10**12  # a trillion shares: far above any A-share company, far below engine int64 limits
MAX_ISSUE_SHARES = 10**11  # the largest A-share IPO offered 2.2e10 shares
MAX_YUAN = 10**14


# the boards of rules/_boards.yaml, in its order (declared there once)
Board = StrEnum("Board", [(code, code) for code in declared_boards()])  # type: ignore[misc]


_E = TypeVar("_E")

Lax = Annotated[_E, Field(strict=False)]
"""Enums are read from their text value (strict mode would demand an Enum instance): `Lax[Method]`."""


class Strict(BaseModel):
    """Base for every case block: unknown fields are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"text '{value[:40]}'"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Decimal):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"a date with a time ({value.isoformat()})"
    return f"{type(value).__name__} {value!r}"


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError(f"expected a number, got {_describe(value)}")
    return Decimal(value)


def _whole(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {_describe(value)}")
    return value


DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)   # the A-share market opened in 1990


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"expected a date written YYYY-MM-DD, got {_describe(value)}")
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(f"a date must lie between {DATE_MIN} and {DATE_MAX} (the A-share market opened in "
                         f"1990), got {value}")
    return value


_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _clock(value: Any) -> Any:
    if not isinstance(value, str) or not _CLOCK.fullmatch(value):
        raise ValueError('expected a time of day written "HH:MM" in quotes (e.g. "16:00"), '
                         f"got {_describe(value)}")
    return value


def _decimals(places: int):
    def check(value: Decimal) -> Decimal:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise ValueError(f"at most {places} decimal places are allowed, got {value}")
        return value
    return check


def _json(kind: str, lo=None, hi=None, *, above: bool = False, decimals: int | None = None) -> WithJsonSchema:
    """What the YAML accepts, for `offering-check schema` (the validators decide; this describes them)."""
    out: dict[str, Any] = {"type": kind}
    if lo is not None:
        out["exclusiveMinimum" if above else "minimum"] = lo
    if hi is not None:
        out["maximum"] = hi
    if decimals is not None:
        out["$comment"] = f"at most {decimals} decimal places"
    return WithJsonSchema(out)


def _whole_json(hi: int) -> WithJsonSchema:
    return _json("integer", 0, hi)


Shares = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=MAX_SHARES), _whole_json(MAX_SHARES)]
IssueShares = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=MAX_ISSUE_SHARES),
                        _whole_json(MAX_ISSUE_SHARES)]
# bid books: 华电新能 (2025) drew 1,073,166,300,000 shares of valid bids
BidShares = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=10**14), _whole_json(10**14)]
Count = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=10**7), _whole_json(10**7)]
Months = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=1200), _whole_json(1200)]
Yuan = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=MAX_YUAN),
                 AfterValidator(_decimals(2)), _json("number", 0, MAX_YUAN, decimals=2)]
Price = Annotated[Decimal, BeforeValidator(_number), Field(gt=0, le=10**5),
                  AfterValidator(_decimals(4)), _json("number", 0, 10**5, above=True, decimals=4)]
IssuePrice = Annotated[Decimal, BeforeValidator(_number), Field(gt=0, le=10**5),
                       AfterValidator(_decimals(2)), _json("number", 0, 10**5, above=True, decimals=2)]
Ratio = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=1), AfterValidator(_decimals(6)),
                  _json("number", 0, 1, decimals=6)]
# the SZSE prints subscription multiples to 5 decimals (朝研 7,930.15473倍), the SSE to 4 or 2
Multiple = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=10**9),
                     AfterValidator(_decimals(5)), _json("number", 0, 10**9, decimals=5)]
PeRatio = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=10**6),
                    AfterValidator(_decimals(2)), _json("number", 0, 10**6, decimals=2)]
Percent = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=100), AfterValidator(_decimals(4)),
                    _json("number", 0, 100, decimals=4)]
"""A percentage as an announcement states it (11.03 for 11.03%); its decimals, trailing zeros
included, are the precision it was rounded to: 3.00 is checked to ±0.005 points, 20 to ±0.5."""
PercentTerm = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=100), AfterValidator(_decimals(4)),
                        _json("number", 0, 100, decimals=4)]
"""A percentage a term sets (10 for a 10% lock-up, 30 for a 30% reward): an exact figure."""


def refuse_fractions(data, renamed: dict[str, str]):
    """A block written with a fraction key of the old unit gets an error that says how to write it."""
    if isinstance(data, dict):
        for old, new in renamed.items():
            if old in data:
                raise ValueError(f"{old} (a fraction) is no longer read: percentages are written in percent, "
                                 f"as every other one — write {new}: {_as_percent(data[old])} for {old}: "
                                 f"{str(data[old])[:20]}")
    return data


def _as_percent(value) -> str:
    try:
        return format((Decimal(str(value)) * 100).normalize(), "f")
    except ArithmeticError:
        return "10"


Date = Annotated[dt.date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Clock = Annotated[str, BeforeValidator(_clock),
                  WithJsonSchema({"type": "string", "pattern": f"^{_CLOCK.pattern}$"})]


class DateChoice(NamedTuple):
    """How a case's rules date was chosen: the case's own event date (T day, announcement date) and,
    when the case names another date whose rules apply (a transitional provision), that date and
    the reason given. Keys are as the case file writes them."""

    event_key: str
    event: dt.date | None
    rules_key: str | None
    rules: dt.date | None
    reason: str | None
