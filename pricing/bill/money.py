"""Money as text: the one place a Decimal amount or rate becomes a string. Pure: no Django.

Amounts stay exact Decimals everywhere else; rounding, where there is any, happens here and only
for people. ``money`` is for machines (JSON, CSV, stored diffs), the others are for people.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def money(value: Decimal | None) -> str | None:
    """An exact decimal string such as "0.0012" (never a float, never an exponent); None stays None."""
    if value is None:
        return None
    return format(value.normalize(), "f") if value else "0"


def plain_rate(value: Decimal | None) -> str:
    """A rate for people: exact, at least two decimal places ("0.40", "2.50", "0.0028"), "—" when
    there is none."""
    if value is None:
        return "—"
    whole, _, fraction = (money(value) or "0").partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def usd(value: Decimal | None) -> str:
    """A rate or amount for people with its sign: "$2.50", "$0.0028", "—" when there is none."""
    return "—" if value is None else f"${plain_rate(value)}"


# ISO 4217 minor units where they are not two (the ECB quotes JPY, KRW and ISK; HUF's forint
# has two in ISO 4217 but no coins below one forint: it stays at two, as the standard says).
MINOR_UNITS = {
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "CLP": 0,
    "VND": 0,
}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def minor_unit(currency: str) -> int:
    """Decimal places of ``currency``'s minor unit: 2, or 0 for JPY and the like."""
    return MINOR_UNITS.get(currency.upper(), 2)


def usd_short(value: Decimal | None, significant: int = 3) -> str:
    """An amount for people at a glance: "$1,234.57" from a dollar up, ``significant`` digits
    below ("$0.000198"), "$0" for zero, "—" when there is none. The exact value goes beside it
    (a title): this rounds, half up, for display only."""
    return money_short(value, "USD", significant)


def money_short(value: Decimal | None, currency: str, significant: int = 3) -> str:
    """``usd_short`` for any currency: from one unit up, rounded to the currency's minor unit
    ("¥1,235", "€1,234.57"); below one unit, ``significant`` digits ("¥0.0741", "€0.000453");
    a code without a symbol is written before the amount ("CHF 0.50")."""
    if value is None:
        return "—"
    mark = SYMBOLS.get(currency.upper(), f"{currency.upper()} ")
    if not value:
        return f"{mark}0"
    sign = "-" if value < 0 else ""
    size = abs(value)
    unit = Decimal(1).scaleb(-minor_unit(currency))
    places = unit if size >= 1 else Decimal(1).scaleb(size.adjusted() - significant + 1)
    rounded = size.quantize(places, rounding=ROUND_HALF_UP)
    if rounded >= 1:  # 0.9996 rounds up to one unit: shown as one
        size, rounded = rounded, rounded.quantize(unit)
    if size >= 1:
        return f"{sign}{mark}{rounded:,f}"
    whole, _, fraction = format(rounded, "f").partition(".")
    return f"{sign}{mark}{whole}.{fraction.rstrip('0').ljust(2, '0')}"
