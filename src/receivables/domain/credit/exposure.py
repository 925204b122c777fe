"""Exposure: what the customer owes or will owe us, in the company currency.

``exposure = open items - unapplied credit + open orders + delivered not invoiced``

- open items: the open amounts of invoices and debit notes on ``as_of``;
- unapplied credit: payments and credit notes not yet applied to an item. It lowers exposure,
  because the customer may set it off against what it owes; a credit note lowers exposure
  whether it is applied (the item's open amount falls) or not (it is unapplied credit);
- open orders: orders accepted and not yet delivered;
- delivered not invoiced: goods or services delivered whose invoice is not yet in the ledger.

Every amount converts to the company currency per item, at the item's own rate, rounded half-up
to the minor unit before it is added. Exposure may be negative when the customer has paid in
advance; then more than the limit is available.
"""

from __future__ import annotations

from dataclasses import dataclass

from receivables.domain.money import Money


@dataclass(frozen=True, slots=True)
class Exposure:
    """The parts of a customer's exposure, each in the company currency."""

    open_items: Money
    unapplied_credit: Money
    open_orders: Money
    delivered_not_invoiced: Money

    @property
    def receivables(self) -> Money:
        """Open items less unapplied credit: the customer's balance in the ledger."""
        return self.open_items - self.unapplied_credit

    @property
    def total(self) -> Money:
        return self.receivables + self.open_orders + self.delivered_not_invoiced

    def to_dict(self) -> dict[str, str]:
        return {
            "open_items": str(self.open_items.amount),
            "unapplied_credit": str(self.unapplied_credit.amount),
            "open_orders": str(self.open_orders.amount),
            "delivered_not_invoiced": str(self.delivered_not_invoiced.amount),
            "total": str(self.total.amount),
        }
