"""Period-end figures beside compensation: the reward on the excess (§3.1–§3.5, ma.reward.cap) and
§3.6 省广's upward price adjustment. Computed only once every year's actual profit is known.

§3.6 as the seed writes it: the adjustment is paid only when ΣA > 284.01M, though its formula
divides by ΣC = 281.2M; both are kept, and the difference is a note. The receivables condition
(80% of 2016 receivables collected) is not a number here and is not evaluated.
"""

from __future__ import annotations

from fractions import Fraction

from checker.compensation import formulas as f
from checker.compensation.result import AdjustmentOutcome, Note, RewardOutcome
from checker.compensation.terms import CompensationTerms


def reward(terms: CompensationTerms) -> RewardOutcome | None:
    r = terms.reward
    actuals = [y.actual for y in terms.years]
    if r is None or any(a is None for a in actuals):
        return None
    total_actual = sum((a for a in actuals if a is not None), Fraction(0))
    threshold = terms.total_committed if r.threshold is None else r.threshold
    unlimited = f.reward(total_actual, threshold, r.ratio)
    amount = f.reward(total_actual, threshold, r.ratio, r.limit)
    return RewardOutcome(excess=total_actual - terms.total_committed,
                         over_threshold=total_actual - threshold, amount_exact=amount,
                         amount=f.round_money(amount, terms.money_rounding), limited=amount < unlimited)


def price_adjustment(terms: CompensationTerms) -> AdjustmentOutcome | None:
    a = terms.price_adjustment
    actuals = [y.actual for y in terms.years]
    if a is None or any(x is None for x in actuals):
        return None
    total_c = terms.total_committed
    total_a = sum((x for x in actuals if x is not None), Fraction(0))
    cum_c = cum_a = Fraction(0)
    below = None
    for y, actual in zip(terms.years, actuals, strict=True):
        assert actual is not None
        cum_c += y.committed
        cum_a += actual
        if below is None and cum_a < a.floor_ratio * cum_c:
            below = y.year
    threshold = total_c if a.threshold is None else a.threshold
    base = terms.value if a.base is None else a.base
    ratio = (total_a - total_c) / total_c
    used = min(max(ratio, Fraction(0)), a.ratio_cap)
    met = below is None and total_a > threshold
    amount = f.price_adjustment(total_a, total_c, base, a.ratio_cap, a.factor) if met else Fraction(0)
    notes: tuple[Note, ...] = ()
    if threshold != total_c:
        notes = (Note("adjustment_threshold_differs", {"threshold": threshold, "total_committed": total_c}),)
    return AdjustmentOutcome(ratio=ratio, ratio_used=used, floor_met=below is None,
                             first_year_below_floor=below, threshold_met=total_a > threshold,
                             amount_exact=amount, amount=f.round_money(amount, terms.money_rounding),
                             notes=notes)
