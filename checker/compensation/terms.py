"""An agreement's compensation terms as plain exact numbers (catalogue §3 notation).

Money in yuan, shares in shares, profits in yuan, years as ints. Every number is stored as a
`Fraction`; `int`, `Decimal`, `Fraction` and decimal strings are accepted, `float` is refused.
V = price of the compensated stake, P = issue price, S = base shares, ΣC = sum of commitments.

Formula kinds:
- cumulative_amount      §3.1 (and §3.7's Y1): Amount_t = (CumC − CumA) / D × V − paid value.
- cumulative_shares      §3.2, §3.4, §3.5, §3.6: Shares_t = (CumC − CumA) / D × S − shares paid
                         − cash paid / P, with S = base_shares or V / P.
- annual                 Amount_t = (C_t − A_t) / D × V, each year on its own (no netting).
- dual_max               §3.3 (新宙邦): the annual test and the final max(X, Y) test of `dual`.
- max_cumulative_annual  §3.7 (胜利精密): max(Y1, Y2); Y2 is cut off in the seed, so any year from
                         the first one below `periodic_trigger` × C_t on is reported not computable.
- cumulative_end_amount  a cumulative-only commitment: no test in the earlier years; in the last year
                         (ΣC − ΣA) / D × V (nothing was paid before it).
- cumulative_end_shares  the same in shares: (ΣC − ΣA) / D × S in the last year only.
D = `denominator`, ΣC when not given.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction

FORMULAS = ("cumulative_amount", "cumulative_shares", "annual", "dual_max", "max_cumulative_annual",
            "cumulative_end_amount", "cumulative_end_shares")
VALUE_FORMULAS = ("cumulative_amount", "annual", "max_cumulative_annual",
                  "cumulative_end_amount")   # those that need V
END_ONLY_FORMULAS = ("cumulative_end_amount", "cumulative_end_shares")   # one test, in the last year
METHODS = ("cash", "shares", "shares_first", "cash_first", "both")
ROUNDINGS = ("up", "down", "half_up", "none")
# Shares: the contract says; "none" keeps fractional shares exactly (nothing invented).
DEFAULT_SHARE_ROUNDING = "none"
# Cash: to the fen, half up (四舍五入), as the catalogue prints its vectors.
DEFAULT_MONEY_ROUNDING = "half_up"


def exact(value, name: str) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool | float) or not isinstance(value, int | Fraction | Decimal | str):
        raise TypeError(f"{name}: {value!r} is not an exact number (use int, Decimal, Fraction or str)")
    return Fraction(value)


def _normalise(obj, names: tuple[str, ...]) -> None:
    for name in names:
        object.__setattr__(obj, name, exact(getattr(obj, name), name))


def _years(value) -> tuple[int, ...]:
    return tuple(int(y) for y in value)


@dataclass(frozen=True)
class YearFigures:
    year: int
    committed: Fraction                          # C_t, committed net profit
    actual: Fraction | None = None               # A_t; None = not yet known (row pending)
    operating_cash_flow: Fraction | None = None  # §3.3's Y test only

    def __post_init__(self):
        _normalise(self, ("committed", "actual", "operating_cash_flow"))


@dataclass(frozen=True)
class DualTest:
    """§3.3 新宙邦: annual test in `annual_years`, final test in the last year of the schedule."""

    annual_years: tuple[int, ...]         # 2014–2016
    annual_floor: Fraction                # 40M: the annual test fires when NP_y < floor
    annual_base: Fraction                 # 60M: Shares_y = (base − NP_y) / base × S × fraction
    annual_share_fraction: Fraction       # 1/3
    profit_threshold: Fraction            # 260M: final test when cumulative NP < threshold …
    profit_denominator: Fraction          # 200M as the seed writes it (not 260M)
    profit_netted_years: tuple[int, ...]  # X subtracts the annual shares of 2014–2016
    cash_flow_years: tuple[int, ...]      # 2015–2017
    cash_flow_threshold: Fraction         # … or cumulative operating cash flow < 120M
    cash_flow_denominator: Fraction       # 120M
    cash_flow_netted_years: tuple[int, ...]  # Y subtracts the annual shares of 2015–2016

    def __post_init__(self):
        _normalise(self, ("annual_floor", "annual_base", "annual_share_fraction", "profit_threshold",
                          "profit_denominator", "cash_flow_threshold", "cash_flow_denominator"))
        for name in ("annual_years", "profit_netted_years", "cash_flow_years", "cash_flow_netted_years"):
            object.__setattr__(self, name, _years(getattr(self, name)))
        if not self.annual_base or not self.profit_denominator or not self.cash_flow_denominator:
            raise ValueError("dual test: a denominator is zero")


@dataclass(frozen=True)
class Reward:
    """Performance reward: ratio × (ΣA − threshold) when positive, at most `limit`."""

    ratio: Fraction
    threshold: Fraction | None = None  # None = ΣC
    limit: Fraction | None = None      # an absolute ceiling of the contract (久其: 2017 operating cash flow)

    def __post_init__(self):
        _normalise(self, ("ratio", "threshold", "limit"))


@dataclass(frozen=True)
class PriceAdjustment:
    """§3.6 省广 upward price adjustment: base × min((ΣA − ΣC) / ΣC, ratio_cap) × factor."""

    ratio_cap: Fraction          # 13%
    factor: Fraction             # 0.8
    threshold: Fraction | None   # paid only when ΣA > threshold (seed: 284.01M ≠ ΣC 281.2M); None = ΣC
    floor_ratio: Fraction        # cumulative A ≥ floor_ratio × cumulative C in every year (90%)
    base: Fraction | None = None  # None = V

    def __post_init__(self):
        _normalise(self, ("ratio_cap", "factor", "threshold", "floor_ratio", "base"))


@dataclass(frozen=True)
class CompensationTerms:
    formula: str
    years: tuple[YearFigures, ...]
    value: Fraction | None = None          # V, price of the compensated stake (yuan)
    issue_price: Fraction | None = None    # P (yuan per share)
    base_shares: Fraction | None = None    # S; cumulative_shares uses V / P when absent
    denominator: Fraction | None = None    # D; None = ΣC
    method: str = "shares_first"
    cash_ratio: Fraction | None = None     # method "both": the part of each amount paid in cash
    cash_capacity: Fraction | None = None  # method "cash_first": cash paid before shares; None = no limit
    share_rounding: str = DEFAULT_SHARE_ROUNDING
    money_rounding: str = DEFAULT_MONEY_ROUNDING
    value_cap: Fraction | None = None      # total value (shares × P + cash) ≤ this
    shares_cap: Fraction | None = None     # total shares due (cash counted at P) ≤ this
    shares_held: Fraction | None = None    # shares the obligor holds at the start; None = not stated
    prior_shares_paid: Fraction = Fraction(0)  # paid before the first year of the schedule
    prior_cash_paid: Fraction = Fraction(0)
    impairment: Fraction | None = None     # impairment of the asset at period end (yuan)
    dual: DualTest | None = None
    periodic_trigger: Fraction | None = None  # §3.7: Y2 applies when A_t < trigger × C_t (0.8)
    reward: Reward | None = None
    price_adjustment: PriceAdjustment | None = None

    def __post_init__(self):
        numbers = tuple(f.name for f in fields(self) if f.name not in (
            "formula", "years", "method", "share_rounding", "money_rounding", "dual", "reward",
            "price_adjustment"))
        _normalise(self, numbers)
        object.__setattr__(self, "years", tuple(self.years))
        self._check()

    def _check(self) -> None:
        def need(ok: bool, what: str) -> None:
            if not ok:
                raise ValueError(f"compensation terms ({self.formula}): {what}")

        need(self.formula in FORMULAS, f"formula must be one of {FORMULAS}")
        need(self.method in METHODS, f"method must be one of {METHODS}")
        need(self.share_rounding in ROUNDINGS and self.money_rounding in ROUNDINGS,
             f"rounding must be one of {ROUNDINGS}")
        need(bool(self.years), "no years")
        years = [y.year for y in self.years]
        need(years == sorted(set(years)), f"years must be strictly increasing: {years}")
        need(self.total_denominator > 0, "the denominator (ΣC unless given) must be positive")
        need(self.issue_price is None or self.issue_price > 0, "issue price must be positive")
        if self.formula in VALUE_FORMULAS:
            need(self.value is not None, "V (value) is required")
        if self.formula in ("cumulative_shares", "cumulative_end_shares"):
            need(self.base_shares is not None or (self.value is not None and bool(self.issue_price)),
                 "base_shares, or value and issue_price, are required")
        if self.formula == "dual_max":
            need(self.dual is not None and self.base_shares is not None, "dual and base_shares are required")
            assert self.dual is not None   # need() raised otherwise
            need(years[-1] not in self.dual.annual_years, "the final year cannot be an annual-test year")
        if self.formula == "max_cumulative_annual":
            need(self.periodic_trigger is not None, "periodic_trigger is required")
        if self.price_adjustment is not None:
            need(self.price_adjustment.base is not None or self.value is not None,
                 "price_adjustment needs its base or V")
        if self.method == "both":
            need(self.cash_ratio is not None and 0 <= self.cash_ratio <= 1,
                 "cash_ratio in [0, 1] is required")

    @property
    def total_committed(self) -> Fraction:
        return sum((y.committed for y in self.years), Fraction(0))

    @property
    def total_denominator(self) -> Fraction:
        return self.denominator if self.denominator is not None else self.total_committed

    @property
    def share_base(self) -> Fraction | None:
        """S for the share formulas: base_shares, or V / P."""
        if self.base_shares is not None:
            return self.base_shares
        if self.value is not None and self.issue_price:
            return self.value / self.issue_price
        return None
