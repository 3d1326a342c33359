"""Template access to an estimate row by a column's name (rows are saved JSON: dicts)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from pricing.bill.money import usd_short

register = template.Library()


@register.filter
def field(row: dict[str, Any], name: str) -> Any:
    return row.get(name)


@register.filter
def signed_usd(value: str | None) -> str:
    """A re-priced difference for people: "+$0.000489", "-$0.0012", "$0" (exact in a title)."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    return ("+" if amount > 0 else "") + usd_short(amount)
