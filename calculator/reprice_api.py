"""GET /api/v1/comparisons/{id}/reprice: a saved comparison priced again as of another moment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from config.api import ERRORS, ApiError, AsOf

from .models import Comparison
from .reprice import reprice_comparison

router = Router(tags=["calculator"])


class RepriceQuery(Schema):
    as_of: AsOf = Field(None, description="ISO date or datetime to price at; default now.")


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


class RepricedOut(Schema):
    id: str
    saved_as_of: str
    as_of: str
    results: list[RepricedRowOut]


@router.get(
    "/comparisons/{comparison_id}/reprice",
    response={200: RepricedOut, **ERRORS},
    url_name="api-comparison-reprice",
    summary="A saved comparison re-priced as of another date",
)
def reprice(request: HttpRequest, comparison_id: str, query: Query[RepriceQuery]) -> dict[str, Any]:
    """The saved counts at the prices in force at ``as_of``, the difference per model, and the
    price versions that explain it."""
    comparison = Comparison.objects.filter(pk=comparison_id).first()
    if comparison is None:
        raise ApiError(f"No saved comparison {comparison_id!r}.", field="id", status=404, code="not_found")
    return reprice_comparison(comparison, query.as_of or timezone.now())
