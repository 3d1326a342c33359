"""Money for people at a glance: a dollar and up to the cent, below a dollar three significant
digits, zero as $0; the exact value is shown elsewhere (a title)."""

from decimal import Decimal

import pytest

from pricing.bill.money import money_short, usd_short


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1.3052", "$1.31"),
        ("0.0000198", "$0.0000198"),
        ("0.00048944", "$0.000489"),
        ("-0.00048944", "-$0.000489"),
        ("0", "$0"),
        ("1234.567", "$1,234.57"),
        ("0.5", "$0.50"),
        ("0.99951", "$1.00"),
        ("72", "$72.00"),
    ],
)
def test_it_rounds_amounts_for_people(value, shown):
    assert usd_short(Decimal(value)) == shown


def test_it_says_when_there_is_no_amount():
    assert usd_short(None) == "—"


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        # ISO 4217 minor units: the yen has none, the euro and the dollar two.
        ("314.000581339", "JPY", "¥314"),
        ("1234.5", "JPY", "¥1,235"),  # half up, for display only
        ("0.99951", "JPY", "¥1"),
        ("1234.567", "EUR", "€1,234.57"),
        ("72", "EUR", "€72.00"),
        # A tiny per-request amount keeps three significant digits in every currency.
        ("0.0741234", "JPY", "¥0.0741"),
        ("0.00048944", "EUR", "€0.000489"),
        ("-0.00048944", "GBP", "-£0.000489"),
        ("0.5", "CHF", "CHF 0.50"),
        ("0", "JPY", "¥0"),
    ],
)
def test_it_rounds_to_the_currencys_minor_unit(value, currency, shown):
    assert money_short(Decimal(value), currency) == shown


def test_usd_short_is_the_dollar_case_of_money_short():
    for value in ("1.3052", "0.0000198", "1234.567", "0"):
        assert usd_short(Decimal(value)) == money_short(Decimal(value), "USD")
