"""Late-charge runs: one debit note per customer, each charge once, minimum and problems."""

from datetime import date
from decimal import Decimal

from receivables.domain.day_count import DayCount
from receivables.domain.interest import (
    ContractualInterest,
    DatedPayment,
    InterestPeriod,
    accrue_interest,
)
from receivables.domain.late_charges import (
    ChargeKey,
    ChargeKind,
    DunningEvent,
    FeeSchedule,
    LateChargeClause,
    OverdueItem,
    plan_late_charges,
    uncovered_ranges,
)
from receivables.domain.money import Money
from receivables.domain.reference_rates import RateChange, ReferenceRateTable
from receivables.domain.statutory import eu_late_payment
from receivables.rates import load_rate_book

RATES = load_rate_book(environ={})
APRIL = InterestPeriod(date(2024, 4, 1), date(2024, 4, 30))
Q2_2024 = InterestPeriod(date(2024, 4, 1), date(2024, 6, 30))


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


CONTRACT = LateChargeClause(
    ContractualInterest(Decimal(9), DayCount.ACT_360, minimum=eur("5.00")),
    FeeSchedule({2: eur("5.00"), 3: eur("10.00")}),
)
INVOICE = OverdueItem("C001", "INV-100", date(2024, 3, 31), eur("10000.00"))


def keys_of(plan) -> list[str]:
    return [str(line.key) for note in plan.notes for line in note.lines]


def test_run_charges_interest_once():
    first = plan_late_charges([INVOICE], APRIL, {"C001": CONTRACT}, [])
    charged = [line.key for note in first.notes for line in note.lines]
    rerun = plan_late_charges([INVOICE], APRIL, {"C001": CONTRACT}, charged)

    assert keys_of(first) == ["interest:INV-100:2024-04-01:2024-04-30"]
    assert first.notes[0].total == eur("75.00")
    assert rerun.notes == ()


def test_overlapping_period_charges_new_days():
    charged = [ChargeKey.parse("interest:INV-100:2024-04-01:2024-04-30")]
    plan = plan_late_charges([INVOICE], Q2_2024, {"C001": CONTRACT}, charged)

    assert keys_of(plan) == ["interest:INV-100:2024-05-01:2024-06-30"]


def test_gap_before_charged_days_filled():
    charged = [ChargeKey.parse("interest:INV-100:2024-05-01:2024-05-31")]
    plan = plan_late_charges([INVOICE], Q2_2024, {"C001": CONTRACT}, charged)

    assert keys_of(plan) == [
        "interest:INV-100:2024-04-01:2024-04-30",
        "interest:INV-100:2024-06-01:2024-06-30",
    ]


def test_eu_compensation_charged_once():
    clause = LateChargeClause(RATES.regime("eu"))
    item = OverdueItem("C002", "INV-200", date(2024, 5, 31), eur("1000.00"))
    june = InterestPeriod(date(2024, 6, 1), date(2024, 6, 30))
    july = InterestPeriod(date(2024, 7, 1), date(2024, 7, 31))

    first = plan_late_charges([item], june, {"C002": clause}, [])
    charged = [line.key for note in first.notes for line in note.lines]
    second = plan_late_charges([item], july, {"C002": clause}, charged)

    assert keys_of(first) == ["compensation:INV-200", "interest:INV-200:2024-06-01:2024-06-30"]
    assert keys_of(second) == ["interest:INV-200:2024-07-01:2024-07-31"]


def test_interest_below_minimum_waived():
    small = OverdueItem("C001", "INV-101", date(2024, 4, 28), eur("100.00"))
    plan = plan_late_charges([small], APRIL, {"C001": CONTRACT}, [])

    assert plan.notes == ()
    assert [str(line.key) for line in plan.waived] == ["interest:INV-101:2024-04-01:2024-04-30"]


def test_minimum_applies_to_whole_note():
    # 1,000.00 late 5 days (1.25) and 18 days (4.50): each below 5.00, together 5.75.
    items = [
        OverdueItem("C001", "INV-102", date(2024, 4, 25), eur("1000.00")),
        OverdueItem("C001", "INV-103", date(2024, 4, 12), eur("1000.00")),
    ]
    plan = plan_late_charges(items, APRIL, {"C001": CONTRACT}, [])

    assert [line.amount for line in plan.notes[0].lines] == [eur("1.25"), eur("4.50")]
    assert plan.notes[0].total == eur("5.75")


def test_dunning_fee_once_per_notice():
    notice = DunningEvent("C001", "DUN-7", 2, date(2024, 4, 15), "EUR")
    first = plan_late_charges([], APRIL, {"C001": CONTRACT}, [], [notice])
    charged = [ChargeKey.parse("dunning_fee:DUN-7")]
    rerun = plan_late_charges([], APRIL, {"C001": CONTRACT}, charged, [notice])

    assert keys_of(first) == ["dunning_fee:DUN-7"]
    assert first.notes[0].total == eur("5.00")
    assert rerun.notes == ()


def test_free_dunning_level_charges_nothing():
    notice = DunningEvent("C001", "DUN-8", 1, date(2024, 4, 15), "EUR")

    assert plan_late_charges([], APRIL, {"C001": CONTRACT}, [], [notice]).notes == ()


def test_customer_without_clause_not_charged():
    item = OverdueItem("C009", "INV-900", date(2024, 3, 31), eur("10000.00"))

    assert plan_late_charges([item], APRIL, {"C001": CONTRACT}, []).notes == ()


def test_missing_rate_collected_as_problem():
    short = ReferenceRateTable(
        "ecb_mro", "ECB", "test", date(2024, 6, 30), (RateChange(date(2024, 1, 1), Decimal(4)),)
    )
    clause = LateChargeClause(eu_late_payment(short))
    items = [
        OverdueItem("C002", "INV-201", date(2024, 6, 30), eur("1000.00")),
        OverdueItem("C001", "INV-100", date(2024, 3, 31), eur("10000.00")),
    ]
    july = InterestPeriod(date(2024, 7, 1), date(2024, 7, 31))
    plan = plan_late_charges(items, july, {"C002": clause, "C001": CONTRACT}, [])

    assert [problem.reference for problem in plan.problems] == ["INV-201"]
    assert "verified only through 2024-06-30" in plan.problems[0].reason
    assert [note.customer_code for note in plan.notes] == ["C001"]


def test_paid_item_in_period_charges_until_payment():
    payment = DatedPayment(date(2024, 4, 10), eur("3600.00"))
    paid = OverdueItem("C001", "INV-104", date(2024, 3, 31), eur("3600.00"), (payment,))
    plan = plan_late_charges([paid], APRIL, {"C001": CONTRACT}, [])

    # 10 days x 3,600 x 9 % / 360 = 9.00
    assert plan.notes[0].total == eur("9.00")


def test_charge_key_text_round_trip():
    for text in ["interest:INV-1:2024-01-01:2024-03-31", "compensation:INV-1", "dunning_fee:D-1"]:
        assert str(ChargeKey.parse(text)) == text


def test_charge_key_with_colon_in_reference():
    key = ChargeKey(ChargeKind.INTEREST, "INV:7/2", date(2024, 1, 1), date(2024, 1, 31))

    assert ChargeKey.parse(str(key)) == key


def test_uncovered_ranges_subtracts_intervals():
    april = (date(2024, 4, 1), date(2024, 4, 30))
    covered = [(date(2024, 4, 5), date(2024, 4, 10)), (date(2024, 4, 8), date(2024, 4, 20))]

    assert uncovered_ranges(*april, covered) == [
        (date(2024, 4, 1), date(2024, 4, 4)),
        (date(2024, 4, 21), date(2024, 4, 30)),
    ]


def test_run_agrees_with_single_accrual():
    # The run's interest line is the single-item accrual of the same item and period.
    item = OverdueItem("C001", "INV-105", date(2024, 3, 31), eur("10000.00"),
                       (DatedPayment(date(2024, 4, 30), eur("3000.00")),))  # fmt: skip
    single = accrue_interest(item.due_date, item.amount, item.payments, Q2_2024, CONTRACT.interest)
    plan = plan_late_charges([item], Q2_2024, {"C001": CONTRACT}, [])

    assert plan.notes[0].lines[0].amount == single.interest
    assert plan.notes[0].lines[0].calculation == single


def test_instalments_of_invoice_share_compensation():
    clause = LateChargeClause(RATES.regime("eu"))
    first = OverdueItem("C002", "INV-300/1", date(2024, 4, 30), eur("400.00"), invoice="INV-300")
    second = OverdueItem("C002", "INV-300/2", date(2024, 5, 31), eur("600.00"), invoice="INV-300")

    plan = plan_late_charges([first, second], Q2_2024, {"C002": clause}, [])

    assert [key for key in keys_of(plan) if key.startswith("compensation")] == [
        "compensation:INV-300"
    ]
