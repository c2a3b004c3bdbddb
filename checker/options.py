"""The options of a check run that change its findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Options:
    as_of: dt.date | None = None
    today: dt.date | None = None   # waiver expiry is judged on it; None: the real date, fixed here
    use_waivers: bool = True

    def __post_init__(self):
        if self.today is None:
            self.today = dt.date.today()
