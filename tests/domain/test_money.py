"""Money: cents inside, exactly two places outside, never a float."""

from __future__ import annotations

import pytest

from atrisk.domain.money import (
    MAX_CENTS,
    InvalidMoney,
    amount_problem,
    currency_problem,
    format_money,
    parse_money,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("49.90", 4990), ("49.9", 4990), ("49", 4900), (" 0.05 ", 5), ("0", 0), ("-5", -500)],
)
def test_amounts_parse_to_cents(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["1e3", "12.345", "1,000.00", "$5", "", "4 9", ".5", "5.", "NaN"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(InvalidMoney, match=r"like 49\.90"):
        parse_money(text)


@pytest.mark.parametrize(
    ("cents", "text"), [(4990, "49.90"), (5, "0.05"), (0, "0.00"), (-5, "-0.05")]
)
def test_amounts_format_with_two_places(cents: int, text: str) -> None:
    assert format_money(cents) == text
    assert parse_money(text) == cents


def test_amount_rules() -> None:
    assert amount_problem(0, "RMR") is None
    assert amount_problem(-1, "RMR") == "RMR must not be negative."
    assert amount_problem(0, "Amount", positive=True) == "Amount must be more than 0.00."
    assert amount_problem(MAX_CENTS, "RMR") is None
    assert "at most" in (amount_problem(MAX_CENTS + 1, "RMR") or "")


def test_currencies_are_iso_4217_codes() -> None:
    for code in ("USD", "EUR", "GBP", "JPY", "NZD"):
        assert currency_problem(code) is None
    for code in ("usd", "XXX", "EURO", ""):
        assert currency_problem(code) is not None
