"""Template access to an estimate row by a column's name (rows are saved JSON: dicts)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html

from pricing.bill.money import money_short, usd_short

register = template.Library()


@register.filter
def field(row: dict[str, Any], name: str) -> Any:
    return row.get(name)


@register.filter
def money_of(money: dict[str, Any], row: dict[str, Any]) -> dict[str, Any] | None:
    """A row's list and effective costs: from a saved comparison's ``money`` (keyed by model),
    or the re-priced row itself, which carries them."""
    if "rows" in money:
        return money["rows"].get(f"{row['provider']}/{row['model']}")
    return row


@register.filter
def signed_usd(value: str | None) -> str:
    """A re-priced difference for people: "+$0.000489", "-$0.0012", "$0" (exact in a title)."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    return ("+" if amount > 0 else "") + usd_short(amount)


@register.simple_tag
def amount(value: str | Decimal | None, currency: str = "USD") -> str:
    """An amount for people, rounded to ``currency``'s minor unit only here (JPY: none, USD and
    EUR: cents; tiny amounts: three significant digits), the exact decimal in its title."""
    if value is None or value == "":
        return "—"
    exact = Decimal(value)
    shown, text = money_short(exact, currency), format(exact.normalize(), "f")
    return format_html('<span title="Exactly {} {}">{}</span>', text, currency, shown)
