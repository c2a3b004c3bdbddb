"""Performance compensation (业绩补偿) of M&A share-for-asset deals: catalogue §3, model-independent.

`terms` describes an agreement as plain exact numbers, `formulas` holds one pure function per §3
formula, `settle` turns an amount due into shares and cash under the contract's method and caps,
and `schedule` runs the years. Nothing here reads a case file or decides a finding.
"""

from checker.compensation.schedule import Schedule, schedule
from checker.compensation.terms import (
    CompensationTerms,
    DualTest,
    PriceAdjustment,
    Reward,
    YearFigures,
)

__all__ = ["CompensationTerms", "DualTest", "PriceAdjustment", "Reward", "Schedule", "YearFigures",
           "schedule"]
