"""The formulas of catalogue §3, one pure exact function each (Fraction in, Fraction out, no float).

A yearly result is a `Due`: `raw` as the formula gives it, `value` = max(raw, 0), because a
negative year counts as zero and nothing already paid is returned (ma.comp.no_reversal).
Seed inconsistencies kept as written: §3.3's X divides by 200M (not its 260M threshold), §3.6's
adjustment threshold 284.01M is not its ΣC 281.2M, §3.7's per-period formula Y2 is cut off.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

FEN = Fraction(1, 100)


class Due(NamedTuple):
    raw: Fraction

    @property
    def value(self) -> Fraction:
        return max(self.raw, Fraction(0))

    @property
    def negative(self) -> bool:
        return self.raw < 0


def cumulative_amount(cum_committed, cum_actual, denominator, value, paid_value) -> Due:
    """§3.1 / §3.7 Y1: (CumC − CumA) / ΣC × V − amount already paid."""
    return Due(Fraction(cum_committed - cum_actual) / denominator * value - paid_value)


def cumulative_shares(cum_committed, cum_actual, denominator, base_shares, shares_settled) -> Due:
    """§3.2 / §3.4 / §3.5 / §3.6: (CumC − CumA) / ΣC × S − shares settled (Ledger.settled_shares:
    delivered + owed + cash paid / P; §3.4's cash clause is cumulative, so netting cash at P gives
    the same total)."""
    return Due(Fraction(cum_committed - cum_actual) / denominator * base_shares - shares_settled)


def annual_amount(committed, actual, denominator, value) -> Due:
    """One year on its own: (C_t − A_t) / ΣC × V, no netting of other years."""
    return Due(Fraction(committed - actual) / denominator * value)


def cash_for_missing_shares(shares_due, shares_delivered, price) -> Fraction:
    """§3.2 / §3.4 / §3.6: cash = (shares due − shares delivered) × P."""
    return (Fraction(shares_due) - shares_delivered) * price


def dual_annual_shares(profit, floor, base, base_shares, fraction) -> Due:
    """§3.3 annual test: if NP_y < 40M, (60M − NP_y) / 60M × S / 3; otherwise 0."""
    if profit >= floor:
        return Due(Fraction(0))
    return Due(Fraction(base - profit) / base * base_shares * fraction)


def dual_final_part(threshold, cumulative, denominator, base_shares, netted) -> Due:
    """§3.3 X (profit: 260M, /200M) or Y (cash flow: 120M, /120M): (T − cum) / D × S − netted."""
    return Due(Fraction(threshold - cumulative) / denominator * base_shares - netted)


def dual_final(x: Due, y: Due) -> Fraction:
    """§3.3 final test: the higher of X and Y, each at least zero."""
    return max(x.value, y.value)


def periodic_triggered(actual, committed, trigger) -> bool:
    """§3.7: Y2 applies to a year whose actual is below trigger (80%) × its commitment."""
    return actual < trigger * committed


def impairment_top_up(impairment, paid_value) -> Due:
    """ma.comp.impairment_test: impairment − compensation paid (shares × P + cash; Ledger.paid_value)."""
    return Due(Fraction(impairment) - paid_value)


def reward(total_actual, threshold, ratio, limit=None) -> Fraction:
    """Reward on the excess: ratio × max(ΣA − threshold, 0), at most the contract's limit."""
    amount = max(Fraction(total_actual - threshold), Fraction(0)) * ratio
    return amount if limit is None else min(amount, Fraction(limit))


def price_adjustment(total_actual, total_committed, base, ratio_cap, factor) -> Fraction:
    """§3.6 省广: base × min((ΣA − ΣC) / ΣC, 13%) × 0.8 (zero when ΣA ≤ ΣC)."""
    ratio = max(Fraction(total_actual - total_committed) / total_committed, Fraction(0))
    return base * min(ratio, ratio_cap) * factor


def round_to(value, unit, rule: str) -> Fraction:
    """Round a non-negative exact value to a multiple of `unit` by the contract's rule."""
    value = Fraction(value)
    if rule == "none":
        return value
    steps = value / unit
    if rule == "up":
        n = math.ceil(steps)
    elif rule == "down":
        n = math.floor(steps)
    elif rule == "half_up":
        n = math.floor(steps + Fraction(1, 2))
    else:
        raise ValueError(f"unknown rounding {rule!r}")
    return n * Fraction(unit)


def round_shares(value, rule: str) -> Fraction:
    return round_to(value, 1, rule)


def round_money(value, rule: str) -> Fraction:
    """Cash to the fen."""
    return round_to(value, FEN, rule)
