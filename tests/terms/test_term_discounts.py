"""Early-payment discounts earned by payments: on the deadline, after it, partial, tax base."""

from datetime import date

import pytest

from receivables.domain.discounts import DiscountBase, amount_to_settle, settle_payment
from receivables.domain.errors import InvalidAmountError
from receivables.domain.money import Money
from receivables.domain.terms import Instalment, PaymentSchedule, PaymentTerm

INVOICE_DATE = date(2024, 3, 15)
DEADLINE = date(2024, 3, 25)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def instalment(
    term: str = "2/10 net30",
    amount: str = "1000.00",
    tax: str = "0.00",
    base: DiscountBase = DiscountBase.GROSS,
) -> Instalment:
    schedule = PaymentTerm.parse(term).schedule(
        INVOICE_DATE, eur(amount), eur(tax), discount_base=base
    )
    return schedule.instalments[0]


def test_paid_on_deadline_day():
    # Invoice 1,000.00 on 2/10 net30; the customer pays 980.00 on day 10.
    result = settle_payment(instalment(), eur("1000.00"), DEADLINE, eur("980.00"))

    assert result.discount == eur("20.00")
    assert result.residual == eur("0.00")
    assert result.settles


def test_paid_day_after_deadline():
    # Same invoice, 980.00 paid on day 11: the 20.00 deducted stays open as a short payment.
    result = settle_payment(instalment(), eur("1000.00"), date(2024, 3, 26), eur("980.00"))

    assert result.discount == eur("0.00")
    assert result.offer is None
    assert result.residual == eur("20.00")
    assert not result.settles


def test_partial_payment_inside_window():
    # 490.00 paid on day 5 settles 500.00: 490.00 / 0.98 * 0.02 = 10.00 discount.
    first = settle_payment(instalment(), eur("1000.00"), date(2024, 3, 20), eur("490.00"))
    second = settle_payment(instalment(), first.residual, DEADLINE, eur("490.00"))

    assert first.discount == eur("10.00")
    assert first.residual == eur("500.00")
    assert second.discount == eur("10.00")
    assert second.settles


def test_partial_discount_capped_at_open():
    # 985.00 on day 10 leaves only 15.00 to close, less than the 20.00 offered.
    result = settle_payment(instalment(), eur("1000.00"), DEADLINE, eur("985.00"))

    assert result.discount == eur("15.00")
    assert result.settles


def test_full_payment_takes_no_discount():
    result = settle_payment(instalment(), eur("1000.00"), DEADLINE, eur("1010.00"))

    assert result.discount == eur("0.00")
    assert result.applied == eur("1000.00")
    assert result.overpayment == eur("10.00")


@pytest.mark.parametrize(
    ("base", "payment", "discount", "net", "tax"),
    [
        (DiscountBase.GROSS, "116.62", "2.38", "2.00", "0.38"),
        (DiscountBase.NET, "117.00", "2.00", "2.00", "0.00"),
    ],
)
def test_tax_base_on_and_off(base, payment, discount, net, tax):
    # Invoice 100.00 net plus 19.00 VAT, 2/10 net30.
    item = instalment(amount="119.00", tax="19.00", base=base)
    result = settle_payment(item, eur("119.00"), DEADLINE, eur(payment))

    assert result.discount == eur(discount)
    assert result.discount_net == eur(net)
    assert result.discount_tax == eur(tax)
    assert result.settles


def test_partial_payment_on_net_base():
    # Half the invoice (59.50) is settled by 58.50 plus 2 % of its 50.00 net: 1.00.
    item = instalment(amount="119.00", tax="19.00", base=DiscountBase.NET)
    result = settle_payment(item, eur("119.00"), DEADLINE, eur("58.50"))

    assert result.discount == eur("1.00")
    assert result.residual == eur("59.50")


def test_second_tier_after_first_deadline():
    # 3/7 1/14 net30: paid on day 12, the 1 % tier applies.
    item = instalment(term="3/7 1/14 net30")
    result = settle_payment(item, eur("1000.00"), date(2024, 3, 27), eur("990.00"))

    assert result.discount == eur("10.00")
    assert result.offer is not None
    assert result.offer.deadline == date(2024, 3, 29)


def test_amount_to_settle_by_date():
    item = instalment(term="3/7 1/14 net30")

    assert amount_to_settle(item, eur("1000.00"), date(2024, 3, 22)) == eur("970.00")
    assert amount_to_settle(item, eur("1000.00"), date(2024, 3, 29)) == eur("990.00")
    assert amount_to_settle(item, eur("1000.00"), date(2024, 3, 30)) == eur("1000.00")


def test_term_changed_after_invoicing():
    # The schedule stored at invoicing keeps 2/10; the customer's new term 1/5 net14 does not apply.
    stored = PaymentTerm.parse("2/10 net30").schedule(INVOICE_DATE, eur("1000.00")).to_dict()
    item = PaymentSchedule.from_dict(stored).instalments[0]

    result = settle_payment(item, eur("1000.00"), DEADLINE, eur("980.00"))

    assert result.discount == eur("20.00")


@pytest.mark.parametrize(
    ("open_amount", "payment"),
    [("1000.00", "0.00"), ("1000.00", "-5.00"), ("0.00", "10.00"), ("1200.00", "10.00"),
     ("1000.00", "10.001")],
)  # fmt: skip
def test_bad_settlement_amounts_rejected(open_amount, payment):
    with pytest.raises(InvalidAmountError):
        settle_payment(instalment(), eur(open_amount), DEADLINE, eur(payment))


def test_payment_in_other_currency_rejected():
    with pytest.raises(InvalidAmountError):
        settle_payment(instalment(), eur("1000.00"), DEADLINE, Money.of("980.00", "USD"))
