"""A waiver lives in the case: it turns one rule's violation into a `waived` finding until expiry."""

from __future__ import annotations

from pydantic import Field

from .types import Date, Strict, Text


class Waiver(Strict):
    rule: str = Field(pattern=r"^[a-z0-9_.]+$", description="the rule id it waives")
    reason: Text = Field(description="why the finding is accepted")
    approver: Text = Field(description="who approved the waiver")
    expires: Date | None = Field(None, description="the last day the waiver applies")
