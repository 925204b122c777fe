"""Instalments: shares that add up exactly, tax split, discount offers frozen at invoicing."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from receivables.domain.discounts import DiscountBase
from receivables.domain.money import Money
from receivables.domain.term_errors import ScheduleError
from receivables.domain.terms import PaymentSchedule, PaymentTerm

INVOICE_DATE = date(2024, 3, 15)


def amounts(term: str, amount: str, currency: str = "EUR") -> list[str]:
    schedule = PaymentTerm.parse(term).schedule(INVOICE_DATE, Money.of(amount, currency))
    return [str(instalment.amount.amount) for instalment in schedule.instalments]


@pytest.mark.parametrize(
    ("term", "amount", "currency", "expected"),
    [
        ("50%net30,50%net60", "100.01", "EUR", ["50.01", "50.00"]),
        ("33.33% net30, 33.33% net60, net90", "100.00", "EUR", ["33.33", "33.33", "33.34"]),
        ("33.33% net30, 33.33% net60, 33.34% net90", "1000", "EUR", ["333.30", "333.30", "333.40"]),
        ("50% net30, 50% net60", "1001", "JPY", ["501", "500"]),
        ("50% net30, 50% net60", "10.001", "KWD", ["5.001", "5.000"]),
        ("500 net0, net30", "1234.56", "EUR", ["500.00", "734.56"]),
        ("500 net0, 50% net30, net60", "1000.01", "EUR", ["500.00", "500.01"]),
        ("100 net0, 25% net30, net60", "1000.00", "EUR", ["100.00", "250.00", "650.00"]),
    ],
)  # fmt: skip
def test_instalment_amounts(term, amount, currency, expected):
    assert amounts(term, amount, currency) == expected


def test_zero_instalment_left_out():
    schedule = PaymentTerm.parse("500 net0, net30").schedule(INVOICE_DATE, Money.of("500", "EUR"))

    assert [instalment.number for instalment in schedule.instalments] == [1]
    assert schedule.due_date == INVOICE_DATE


def test_fixed_amounts_above_total_rejected():
    term = PaymentTerm.parse("500 net0, net30")

    with pytest.raises(ScheduleError, match=r"more than the invoice total 300\.00 EUR"):
        term.schedule(INVOICE_DATE, Money.of("300.00", "EUR"))


def test_fixed_amount_too_precise_rejected():
    with pytest.raises(ScheduleError, match="more decimals than JPY"):
        PaymentTerm.parse("500.5 net0, net30").schedule(INVOICE_DATE, Money.of("1000", "JPY"))


@pytest.mark.parametrize(
    ("amount", "tax"),
    [("0.00", "0.00"), ("-10.00", "0.00"), ("10.005", "0.00"), ("10.00", "11.00"), ("10.00", "-1")],
)
def test_invalid_invoice_amounts_rejected(amount, tax):
    with pytest.raises(ScheduleError):
        PaymentTerm.parse("net30").schedule(
            INVOICE_DATE, Money.of(amount, "EUR"), Money.of(tax, "EUR")
        )


def test_tax_split_follows_instalments():
    schedule = PaymentTerm.parse("50% net30, net60").schedule(
        INVOICE_DATE, Money.of("119.01", "EUR"), Money.of("19.01", "EUR")
    )
    taxes = [instalment.tax.amount for instalment in schedule.instalments]

    assert taxes == [Decimal("9.51"), Decimal("9.50")]


@given(
    minor=st.integers(min_value=1, max_value=10**12),
    tax_share=st.integers(min_value=0, max_value=100),
    shares=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=6),
    currency=st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_instalments_add_up_exactly(minor, tax_share, shares, currency):
    amount = Money.from_minor(minor, currency)
    tax = Money.from_minor(minor * tax_share // 100, currency)
    total_share = sum(shares)
    lines = [
        f"{Decimal(share * 100) / total_share:.4f}% net{30 * n}"
        for n, share in enumerate(shares[:-1], 1)
    ]
    term = PaymentTerm.parse(", ".join([*lines, f"net{30 * len(shares)}"]))

    schedule = term.schedule(INVOICE_DATE, amount, tax)

    assert sum(i.amount.minor_units() for i in schedule.instalments) == minor
    assert sum(i.tax.minor_units() for i in schedule.instalments) == tax.minor_units()
    assert all(i.amount.amount > 0 for i in schedule.instalments)
    assert all(i.tax <= i.amount for i in schedule.instalments)


@pytest.mark.parametrize(
    ("base", "discount", "net", "tax"),
    [
        (DiscountBase.GROSS, "2.38", "2.00", "0.38"),
        (DiscountBase.NET, "2.00", "2.00", "0.00"),
    ],
)
def test_discount_offer_by_base(base, discount, net, tax):
    schedule = PaymentTerm.parse("2/10 net30").schedule(
        INVOICE_DATE, Money.of("119.00", "EUR"), Money.of("19.00", "EUR"), discount_base=base
    )
    offer = schedule.instalments[0].offers[0]

    assert offer.deadline == date(2024, 3, 25)
    assert offer.amount == Money.of(discount, "EUR")
    assert offer.net == Money.of(net, "EUR")
    assert offer.tax == Money.of(tax, "EUR")


def test_discount_deadline_adjusted():
    # 10 days after 2024-12-15 is Christmas Day, a holiday in Germany.
    schedule = PaymentTerm.parse("2/10 net30 @DE").schedule(
        date(2024, 12, 15), Money.of("100", "EUR")
    )

    assert schedule.instalments[0].offers[0].deadline == date(2024, 12, 27)


def test_discount_deadline_capped_at_due_date():
    # Invoice of 31 January: due 15 February, but 2/20 would run to 20 February.
    schedule = PaymentTerm.parse("2/20 day15+1m").schedule(
        date(2024, 1, 31), Money.of("100", "EUR")
    )

    assert schedule.instalments[0].offers[0].deadline == date(2024, 2, 15)


def test_two_tiers_each_priced():
    schedule = PaymentTerm.parse("3/7 1.5/14 net30").schedule(INVOICE_DATE, Money.of("1000", "EUR"))
    offers = schedule.instalments[0].offers

    assert [offer.deadline for offer in offers] == [date(2024, 3, 22), date(2024, 3, 29)]
    assert [offer.amount.amount for offer in offers] == [Decimal("30.00"), Decimal("15.00")]


def test_instalment_discount_per_line():
    schedule = PaymentTerm.parse("50% 2/10 net30, net60").schedule(
        INVOICE_DATE, Money.of("1000", "EUR")
    )

    assert len(schedule.instalments[0].offers) == 1
    assert schedule.instalments[1].offers == ()


def test_schedule_round_trips_through_dict():
    schedule = PaymentTerm.parse("50% 2/10 net30, net60 @DE").schedule(
        date(2024, 11, 25), Money.of("1000.01", "EUR"), Money.of("159.67", "EUR")
    )

    assert PaymentSchedule.from_dict(schedule.to_dict()) == schedule


def test_frozen_schedule_ignores_term_change():
    issued = PaymentTerm.parse("2/10 net30").schedule(INVOICE_DATE, Money.of("100", "EUR"))
    stored = issued.to_dict()
    # The customer's contract changes to 1/5 net14 after invoicing.
    PaymentTerm.parse("1/5 net14").schedule(INVOICE_DATE, Money.of("100", "EUR"))

    reloaded = PaymentSchedule.from_dict(stored)

    assert reloaded.due_date == date(2024, 4, 14)
    assert reloaded.instalments[0].offers[0].deadline == date(2024, 3, 25)
    assert reloaded.term == "2/10 net30"
