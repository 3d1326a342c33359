"""GET /api/v1/comparisons/{id}/reprice: a saved comparison priced again as of another moment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from config.api import ERRORS, ApiError, AsOf
from pricing.api.money import ConversionOut, ConvertedOut, OverlayRuleOut, money_terms

from .models import Comparison
from .reprice import reprice_comparison

router = Router(tags=["calculator"])


class RepriceQuery(Schema):
    as_of: AsOf = Field(None, description="ISO date or datetime to price at; default now.")
    overlay: str | None = Field(
        None, description="A contract overlay by name; default: the installation's default overlay, if any."
    )
    currency: str | None = Field(
        None, description="ISO 4217 display currency, converted at the ECB rate of as_of's date."
    )


class MoneyLineOut(Schema):
    what: str
    usd: str
    ListCost: str  # noqa: N815 - FinOps FOCUS column names
    ContractedCost: str  # noqa: N815
    EffectiveCost: str  # noqa: N815
    overlay_rule: OverlayRuleOut | None
    converted: ConvertedOut | None = None


class PriceChangeOut(Schema):
    price_version: int
    effective_from: str
    change_reason: str
    source_url: str
    input_usd_per_mtok: str
    output_usd_per_mtok: str


class RepricedRowOut(Schema):
    provider: str
    model: str
    saved_price_version: int
    saved_total_usd: str = Field(description="USD as an exact decimal string.")
    price_version: int | None
    effective_from: str | None = None
    total_usd: str | None = Field(description="USD at the new moment; null: no price then.")
    difference_usd: str | None = Field(description="total_usd - saved_total_usd.")
    changes: list[PriceChangeOut] = Field(description="Versions that took effect between the two moments.")
    ListCost: str | None = Field(None, description="With an overlay or currency: list cost (USD).")  # noqa: N815
    ContractedCost: str | None = Field(None, description="Under the overlay rules applied (USD).")  # noqa: N815
    EffectiveCost: str | None = Field(None, description="Equals ContractedCost (no credits modelled).")  # noqa: N815
    lines: list[MoneyLineOut] | None = Field(None, description="Each bill line, with its overlay rule.")
    converted: ConvertedOut | None = Field(None, description="The costs in the display currency.")


class RepricedOut(Schema):
    id: str
    saved_as_of: str
    as_of: str
    results: list[RepricedRowOut]
    overlay: str | None = Field(None, description="The overlay applied, if any.")
    conversion: ConversionOut | None = Field(None, description="The ECB rate of as_of's date.")


@router.get(
    "/comparisons/{comparison_id}/reprice",
    response={200: RepricedOut, **ERRORS},
    exclude_unset=True,  # the overlay and currency fields only when asked
    url_name="api-comparison-reprice",
    summary="A saved comparison re-priced as of another date",
)
def reprice(request: HttpRequest, comparison_id: str, query: Query[RepriceQuery]) -> dict[str, Any]:
    """The saved counts at the prices in force at ``as_of``, the difference per model, and the
    price versions that explain it."""
    comparison = Comparison.objects.filter(pk=comparison_id).first()
    if comparison is None:
        raise ApiError(f"No saved comparison {comparison_id!r}.", field="id", status=404, code="not_found")
    terms = money_terms(query.overlay, query.currency)
    return reprice_comparison(comparison, query.as_of or timezone.now(), terms)
