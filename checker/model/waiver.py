"""A waiver lives in the case: it turns a rule's violations (or one item's) into `waived` findings
up to and including its expiry day. What it covers and when it lapses: checker/waivers.py."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from .types import Date, Strict, Text


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _item_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)   # a compensation year written `item: 2025`
    return value


NonBlank = Annotated[Text, AfterValidator(_not_blank)]
MAX_WAIVERS = 500   # per case: each is a signed-off exception, not a list to generate


class Waiver(Strict):
    rule: str = Field(pattern=r"^[a-z0-9_.]+$", description="the rule id it waives")
    item: Annotated[NonBlank, BeforeValidator(_item_text)] | None = Field(
        None, description="the one item it covers, as the case names it: a strategic investor's or "
                          "placing object's name, a counterparty's name, a compensation year, a "
                          "subscription's security; without it the waiver covers the rule's every "
                          "finding in the case")
    reason: NonBlank = Field(description="why the finding is accepted")
    approver: NonBlank = Field(description="who approved the waiver")
    expires: Date = Field(description="the last day the waiver applies (inclusive); required, so no "
                                      "waiver is permanent; at most three years after the day it is "
                                      "judged on")

    @field_validator("item", mode="before")
    @classmethod
    def _item_written_empty(cls, value: Any) -> Any:
        if value is None:   # written `item:` with nothing after it (left out, it is not validated)
            raise ValueError("item is empty: name the one item the waiver covers, or leave `item` out "
                             "for a waiver of the rule's every finding in the case")
        return value
