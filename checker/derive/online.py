"""Online tranche figures a rule cannot compute in one comparison."""

from __future__ import annotations

from ..model.ipo import IpoCase

LOT = 500  # shares per online subscription unit (申购单位), every board since 2023


def values(case: IpoCase) -> tuple[dict, dict]:
    """The online-cap remainder over whole lots, and why it is absent when it is."""
    cap = case.allocation.online_cap_shares
    if cap is None:
        return {"allocation.online_cap_lots_remainder": None}, {
            "allocation.online_cap_lots_remainder": {
                "zh": "未给出网上单个账户申购上限（allocation.online_cap_shares）",
                "en": "no online per-account cap (allocation.online_cap_shares) given"}}
    return {"allocation.online_cap_lots_remainder": cap % LOT}, {}
