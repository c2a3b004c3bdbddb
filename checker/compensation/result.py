"""What a schedule holds: rows, notes and the period-end figures. Plain frozen data, no logic.

A note is a code with exact values; reporters word it (zh/en). Codes:
  negative_as_zero {raw}            the year's formula is negative: counted as 0, nothing returned
  value_cap_binding {capped}        the total-value cap cut the amount by `capped` (yuan)
  shares_cap_binding {capped}       the share cap cut the shares by `capped`
  value_cap_unchecked / shares_cap_unchecked   the cap needs the issue price, which is absent
  shares_run_out {shares, cash}     only `shares` left: the rest is paid in cash
  shares_short_unpaid {shares}      shares due but not held, and the method pays no cash: unpaid
  pending                           the year's actual profit (or cash flow) is not known yet
  not_reached                       an earlier year is pending or not computable
  no_issue_price                    shares or cash cannot be computed without the issue price
  periodic_formula_cut_off {year}   §3.7: Y2 applies (year below 80%) but the seed cuts it off
  periodic_not_triggered            §3.7: no year below the trigger yet, so the amount is Y1
  cumulative_end_no_test            a cumulative-only commitment: no test before the last year
  cumulative_end_test               its one cumulative test, at the end of the period
  dual_annual_test / dual_final_test / dual_final_not_triggered / dual_no_test   §3.3
  holdings_unstated                 shares held not stated: every share due counted as delivered
  impairment_none {paid}            impairment ≤ compensation paid: no top-up
  adjustment_threshold_differs {threshold, total_committed}   §3.6 as written in the seed
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from checker.compensation.terms import CompensationTerms

Num = Fraction | None


@dataclass(frozen=True)
class Note:
    code: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    kind: str                     # "year" | "impairment"
    year: int | None
    status: str                   # computed | pending | not_computable | not_reached
    committed: Num = None
    actual: Num = None
    cum_committed: Num = None
    cum_actual: Num = None
    cum_gap: Num = None           # cumulative committed − cumulative actual (may be negative)
    amount_due: Num = None        # the formula's value due, ≥ 0, before caps (None without P)
    shares_due: Num = None        # the same in shares, exact (None without P)
    shares_rounded: Num = None    # the part paid in shares, after caps, rounded per the contract
    shares_delivered: Num = None
    cash_exact: Num = None
    cash: Num = None              # rounded to the fen per the contract
    unpaid_shares: Num = None
    cum_shares_delivered: Num = None
    cum_cash: Num = None
    cum_paid_value: Num = None    # Σ shares delivered × P + Σ cash (None without P)
    value_cap_left: Num = None
    shares_cap_left: Num = None
    parts: dict = field(default_factory=dict)   # named intermediate results (Y1, annual, X, Y)
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class RewardOutcome:
    excess: Fraction              # ΣA − ΣC (the reward may not exceed it: ma.reward.cap)
    over_threshold: Fraction      # ΣA − the reward's threshold
    amount_exact: Fraction
    amount: Fraction              # to the fen
    limited: bool                 # the contract's own limit bound


@dataclass(frozen=True)
class AdjustmentOutcome:
    ratio: Fraction               # (ΣA − ΣC) / ΣC
    ratio_used: Fraction          # min(ratio, cap), ≥ 0
    floor_met: bool               # cumulative A ≥ floor × cumulative C in every year
    first_year_below_floor: int | None
    threshold_met: bool           # ΣA > threshold
    amount_exact: Fraction        # 0 unless both conditions hold
    amount: Fraction
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Schedule:
    terms: CompensationTerms
    status: str                   # complete | pending | not_computable
    rows: tuple[Row, ...]
    impairment: Row | None
    totals: dict                  # amount_due, shares_delivered, cash, paid_value, unpaid_shares
    reward: RewardOutcome | None
    price_adjustment: AdjustmentOutcome | None
    notes: tuple[Note, ...] = ()
