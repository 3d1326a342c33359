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


def usd_short(value: Decimal | None, significant: int = 3) -> str:
    """An amount for people at a glance: "$1,234.57" from a dollar up, ``significant`` digits
    below ("$0.000198"), "$0" for zero, "—" when there is none. The exact value goes beside it
    (a title): this rounds, half up, for display only."""
    if value is None:
        return "—"
    if not value:
        return "$0"
    sign = "-" if value < 0 else ""
    size = abs(value)
    places = Decimal("0.01") if size >= 1 else Decimal(1).scaleb(size.adjusted() - significant + 1)
    rounded = size.quantize(places, rounding=ROUND_HALF_UP)
    if rounded >= 1:  # 0.9996 rounds up to a dollar: shown as one
        size, rounded = rounded, rounded.quantize(Decimal("0.01"))
    if size >= 1:
        return f"{sign}${rounded:,f}"
    whole, _, fraction = format(rounded, "f").partition(".")
    return f"{sign}${whole}.{fraction.rstrip('0').ljust(2, '0')}"
