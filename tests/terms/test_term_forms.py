"""The text and table forms of a payment term: parsing, canonical text, round trips, errors."""

import tomllib

import pytest

from receivables.domain.term_errors import InvalidTermError, TermSyntaxError
from receivables.domain.terms import PaymentTerm

CANONICAL = [
    "net30",
    "net0",
    "eom",
    "eom+30",
    "30eom",
    "eom+1m",
    "day15+2m",
    "cutoff20:eom+1m",
    "cutoff15:day25+0m",
    "2/10 net30",
    "2/10 1/20 net30",
    "2.5/7 eom+30",
    "50% net30, 50% net60",
    "50% 2/10 net30, net60",
    "500 net0, 30% net30, net60",
    "net30 @DE-following",
    "net30 @DE-BY-modified_following",
    "eom @weekends-preceding",
]


@pytest.mark.parametrize("text", CANONICAL)
def test_text_round_trip(text):
    term = PaymentTerm.parse(text)

    assert term.to_text() == text
    assert PaymentTerm.parse(term.to_text()) == term


@pytest.mark.parametrize("text", CANONICAL)
def test_table_round_trip(text):
    term = PaymentTerm.parse(text)

    assert PaymentTerm.from_dict(term.to_dict()) == term


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("NET 30", "net30"),
        ("2/10 net 30", "2/10 net30"),
        ("50%net30,50%net60", "50% net30, 50% net60"),
        ("eom+0", "eom"),
        ("eom+30d", "eom+30"),
        ("net30@de", "net30 @DE-following"),
        ("net30 @following", "net30 @weekends-following"),
        ("2.50/10 net30", "2.5/10 net30"),
        ("100% net30", "100% net30"),
    ],
)
def test_written_forms_normalized(written, canonical):
    assert PaymentTerm.parse(written).to_text() == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nett30", "unknown due rule 'nett30'"),
        ("30 days", "unknown due rule 'days'"),
        ("", "the term is empty"),
        ("50%net30,40%net60", "percentages add up to 90%, not 100%"),
        ("60% net30, 60% net60", "percentages add up to 120%, not 100%"),
        ("100% net30, net60", "leaving nothing for the last line"),
        ("net-5", "the day count -5 is negative"),
        ("eom+-3", "the day count -3 is negative"),
        ("2/-10 net30", "discount period of -10 days is negative"),
        ("2/10", "needs a due rule after it"),
        ("2/40 net30", "longer than the net30 payment period"),
        ("1/10 2/20 net30", "out of order"),
        ("100/10 net30", "must lie above 0 and below 100"),
        ("net30, 50% net60", "only the last line may take the remainder"),
        ("500", "a fixed amount without a due rule"),
        ("500 net30", "a single-line term takes the whole total"),
        ("500 net0, 50% net30", "the last line must take the remainder"),
        ("net30,", "a line between commas is empty"),
        ("day32+1m", "must lie between 1 and 31"),
        ("day15+0m", "falls before invoices dated after it"),
        ("cutoff20:day15+0m", "falls before invoices dated after it"),
        ("net30 @XX", "unknown holiday calendar 'XX'"),
        ("net30 @", "@ needs a calendar"),
        ("net30 @DE @FR", "only one @"),
        ("x2/10 net30", "is not a discount tier"),
    ],
)
def test_bad_text_gives_clear_error(text, message):
    with pytest.raises(TermSyntaxError, match=message.replace("(", r"\(").replace("+", r"\+")):
        PaymentTerm.parse(text)


def test_syntax_error_is_invalid_term_error():
    with pytest.raises(InvalidTermError):
        PaymentTerm.parse("net-1")


def test_toml_table_read():
    config = tomllib.loads(
        """
        [terms.split]
        adjustment = { calendar = "DE", convention = "following" }

        [[terms.split.lines]]
        percent = "50"
        due = { rule = "net", days = 30 }
        discounts = [{ percent = "2", days = 10 }]

        [[terms.split.lines]]
        due = { rule = "day_of_month", day = "last", months = 1, cutoff = 20 }

        [terms.standard]
        text = "2/10 net30"
        """
    )

    split = PaymentTerm.from_dict(config["terms"]["split"])
    standard = PaymentTerm.from_dict(config["terms"]["standard"])

    assert split.to_text() == "50% 2/10 net30, cutoff20:eom+1m @DE-following"
    assert standard.to_text() == "2/10 net30"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"lines": []}, "non-empty list"),
        ({"lines": [{"due": {"rule": "net", "days": 7}}], "name": "x"}, r"unknown keys \[.name.\]"),
        ({"lines": [{"due": {"rule": "net", "days": 2.5}}]}, "must be a whole number"),
        ({"lines": [{"due": {"rule": "net", "days": -1}}]}, "negative"),
        ({"lines": [{"due": {"rule": "weekly", "days": 7}}]}, "unknown due rule 'weekly'"),
        ({"lines": [{"percent": 0.5, "due": {"rule": "net", "days": 7}}]}, "floats are inexact"),
        ({"lines": [{"percent": "50", "amount": "5", "due": {"rule": "net", "days": 7}}]}, "both"),
        ({"lines": [{"percent": "50"}]}, "has no 'due' rule"),
        (
            {"lines": [{"percent": "50", "due": {"rule": "net", "days": 7}},
                       {"percent": "40", "due": {"rule": "net", "days": 9}}]},
            "add up to 90%",
        ),
        (
            {"lines": [{"due": {"rule": "net", "days": 7}}],
             "adjustment": {"calendar": "DE", "convention": "nearest"}},
            "unknown convention 'nearest'",
        ),
    ],
)  # fmt: skip
def test_bad_table_gives_clear_error(table, message):
    with pytest.raises(TermSyntaxError, match=message):
        PaymentTerm.from_dict(table)
