"""The bill page's numbers for people: a rate with at least two decimals, an amount in another
currency to three significant digits (the exact decimal stays beside it, as a title)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from pricing.bill.money import usd, usd_short

register = template.Library()


@register.filter
def usd_rate(value: str | None) -> str:
    """The API's exact rate string as "$0.30", "$2.50", "$0.0028"."""
    return usd(None if value is None else Decimal(value))


@register.filter
def short_amount(value: str | None) -> str:
    """An exact amount (in any currency) to three significant digits, without a currency sign."""
    return "—" if value is None else usd_short(Decimal(value)).replace("$", "", 1)


@register.filter
def per_units(per: int) -> str:
    """A rate's block: "1M" for a million, "1,000" for a thousand, "1" for one."""
    return f"{per // 1_000_000:,}M" if per >= 1_000_000 and per % 1_000_000 == 0 else f"{per:,}"
