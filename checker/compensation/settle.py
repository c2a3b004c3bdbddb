"""From an amount due to shares and cash: caps, the contract's method, rounding (ma.comp.cap,
ma.comp.shares_first; cash top-up of §3.1 / §3.2 / §3.4 / §3.6).

Choices (not in the seed, stated here):
- the cash for shares the obligor lacks is priced on the exact shares due, not the rounded count;
- cash is rounded to the fen when paid, but a payment discharges its exact obligation: the
  sub-fen difference is not carried into later years (otherwise §3.6's 0.46 fen would come back
  as 0.0002 shares, and rounded up, as one share);
- netting counts the shares actually delivered (rounded), so rounding up is netted next year;
- shares due but neither held nor payable in cash stay owed (`unpaid`) and are netted too, so
  each year reports only its new amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from checker.compensation import formulas as f
from checker.compensation.result import Note
from checker.compensation.terms import CompensationTerms

ZERO = Fraction(0)


@dataclass
class Ledger:
    """Running totals of one schedule (mutable; private to a schedule run)."""

    price: Fraction | None
    held: Fraction | None
    cash_capacity: Fraction | None
    delivered: Fraction = ZERO
    cash_paid: Fraction = ZERO
    cash_settled: Fraction = ZERO
    unpaid: Fraction = ZERO
    settled_by_year: dict = field(default_factory=dict)

    @classmethod
    def start(cls, terms: CompensationTerms) -> Ledger:
        return cls(price=terms.issue_price, held=terms.shares_held, cash_capacity=terms.cash_capacity,
                   delivered=terms.prior_shares_paid, cash_paid=terms.prior_cash_paid,
                   cash_settled=terms.prior_cash_paid)

    def _at_price(self, shares: Fraction) -> Fraction | None:
        if not shares:
            return ZERO
        return None if self.price is None else shares * self.price

    def settled_shares(self) -> Fraction | None:
        """Shares netted by the share formulas: delivered + owed + cash / P."""
        if not self.cash_settled:
            cash = ZERO
        elif self.price is None:
            return None
        else:
            cash = self.cash_settled / self.price
        return self.delivered + self.unpaid + cash

    def settled_value(self) -> Fraction | None:
        """Value netted by the amount formulas: (delivered + owed) × P + cash."""
        shares = self._at_price(self.delivered + self.unpaid)
        return None if shares is None else shares + self.cash_settled

    def paid_value(self) -> Fraction | None:
        shares = self._at_price(self.delivered)
        return None if shares is None else shares + self.cash_paid

    def cap_used(self) -> Fraction | None:
        """Value counted against the value cap: paid (cash as paid, to the fen) + owed shares × P."""
        paid, owed = self.paid_value(), self._at_price(self.unpaid)
        return None if paid is None or owed is None else paid + owed

    def apply(self, pay: Payment, year: int | None) -> None:
        self.delivered += pay.shares_delivered
        self.cash_paid += pay.cash
        self.cash_settled += pay.cash_exact
        self.unpaid += pay.unpaid_shares
        if self.held is not None:
            self.held -= pay.shares_delivered
        if self.cash_capacity is not None:
            self.cash_capacity -= min(pay.cash_exact, self.cash_capacity)
        if year is not None and (self.price or not pay.cash_exact):
            cash = pay.cash_exact / self.price if pay.cash_exact and self.price else ZERO
            self.settled_by_year[year] = pay.shares_delivered + pay.unpaid_shares + cash


@dataclass(frozen=True)
class Payment:
    shares_rounded: Fraction = ZERO
    shares_delivered: Fraction = ZERO
    cash_exact: Fraction = ZERO
    cash: Fraction = ZERO
    unpaid_shares: Fraction = ZERO
    notes: tuple[Note, ...] = ()
    error: str | None = None      # a note code when the payment cannot be computed


def _caps(terms, ledger, value, shares, notes):
    """Cut the amount to what the caps leave; also return the most shares the caps allow."""
    price = terms.issue_price
    limit = None
    if terms.shares_cap is not None:
        settled = ledger.settled_shares()
        if shares is None or settled is None:
            notes.append(Note("shares_cap_unchecked"))
        else:
            left = limit = max(terms.shares_cap - settled, ZERO)
            if shares > left:
                notes.append(Note("shares_cap_binding", {"capped": shares - left}))
                shares = left
                value = None if price is None else left * price
    if terms.value_cap is not None:
        used = ledger.cap_used()
        if value is None or used is None:
            notes.append(Note("value_cap_unchecked"))
        else:
            left = max(terms.value_cap - used, ZERO)
            if price is not None:
                limit = left / price if limit is None else min(limit, left / price)
            if value > left:
                notes.append(Note("value_cap_binding", {"capped": value - left}))
                value = left
                shares = None if price is None else left / price
    return value, shares, limit


def settle(terms: CompensationTerms, ledger: Ledger, value: Fraction | None,
           shares: Fraction | None) -> Payment:
    """Pay `value` (yuan) or `shares` due (either may be None when P is absent)."""
    notes: list[Note] = []
    price = terms.issue_price
    value, shares, limit = _caps(terms, ledger, value, shares, notes)
    method = terms.method
    cash_exact = ZERO
    if method in ("cash", "cash_first", "both"):
        if value is None:
            return Payment(notes=tuple(notes), error="no_issue_price")
        if method == "cash":
            cash_exact = value
        elif method == "cash_first":
            cash_exact = value if ledger.cash_capacity is None else min(value, ledger.cash_capacity)
        else:
            assert terms.cash_ratio is not None   # the terms require it for method "both"
            cash_exact = value * terms.cash_ratio
        in_shares = value - cash_exact
        if not in_shares:
            shares = ZERO
        elif price is None:
            return Payment(notes=tuple(notes), error="no_issue_price")
        else:
            shares = in_shares / price
        if limit is not None and cash_exact:  # caps count cash at P too
            limit = max(limit - cash_exact / price, ZERO) if price else limit
    elif shares is None:
        return Payment(notes=tuple(notes), error="no_issue_price")
    rounded = f.round_shares(shares, terms.share_rounding)
    clamped = False
    if limit is not None:  # rounding up may not break a cap; the fraction left goes by the method
        allowed = limit if terms.share_rounding == "none" else f.round_shares(limit, "down")
        clamped, rounded = allowed < rounded, min(rounded, allowed)
    delivered = rounded if ledger.held is None else min(rounded, max(ledger.held, ZERO))
    unpaid = ZERO
    missing = max(shares - delivered, ZERO)
    if missing and (delivered < rounded or clamped):
        if method in ("shares_first", "both"):
            if price is None:
                return Payment(notes=tuple(notes), error="no_issue_price")
            top_up = f.cash_for_missing_shares(shares, delivered, price)
            cash_exact += top_up
            if delivered < rounded:
                notes.append(Note("shares_run_out", {"shares": delivered, "cash": top_up}))
        else:
            unpaid = missing
            notes.append(Note("shares_short_unpaid", {"shares": missing}))
    return Payment(shares_rounded=rounded, shares_delivered=delivered, cash_exact=cash_exact,
                   cash=f.round_money(cash_exact, terms.money_rounding), unpaid_shares=unpaid,
                   notes=tuple(notes))
