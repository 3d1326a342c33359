"""Display helpers: money is rounded only here, for people; the data stays exact."""

from decimal import Decimal

from django import template

from pricing.bill.money import usd

register = template.Library()


# A per-million rate for display: "$2.50", "$0.0028", "—" when there is none.
register.filter("usd", usd)


@register.simple_tag(takes_context=True)
def sort_query(context: template.Context, column: str) -> str:
    """The current query string with ``sort`` toggled on ``column``."""
    params = context["request"].GET.copy()
    current = params.get("sort", "")
    params["sort"] = f"-{column}" if current == column else column
    params.pop("page", None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, number: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = str(number)
    return params.urlencode()


@register.filter
def percent(share: Decimal | None) -> str:
    """A share as a signed percentage for people: "+12.5%", "−3.0%", "—" when unknown."""
    if share is None:
        return "—"
    value = (share * 100).quantize(Decimal("0.1"))
    return f"+{value}%" if value > 0 else f"{value}%".replace("-", "−")
