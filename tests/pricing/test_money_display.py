"""Money for people at a glance: a dollar and up to the cent, below a dollar three significant
digits, zero as $0; the exact value is shown elsewhere (a title)."""

from decimal import Decimal

import pytest

from pricing.bill.money import usd_short


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
