"""Money as text: the one place a Decimal amount or rate becomes a string. Pure: no Django.

Amounts stay exact Decimals everywhere else; rounding, where there is any, happens here and only
for people. ``money`` is for machines (JSON, CSV, stored diffs), the others are for people.
"""

from __future__ import annotations

from decimal import Decimal


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
