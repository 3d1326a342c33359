"""JSON API for the catalogue: /api/v1/models and a model's price history."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import BeforeValidator, Field

from config.api import ERRORS, ApiError, AsOf, Iso
from config.env import TRUE_WORDS
from pricing.api.schemas import ModelOut, PriceVersionOut, SourcesOut, model_json, sources_json
from pricing.models import PriceVersion
from pricing.selectors.catalogue import MAX_SEARCH_CHARS, find_model, models_with_prices, price_history
from pricing.selectors.disagreement import compare_sources

router = Router(tags=["catalogue"])


def _yes(value: Any) -> bool:
    """Lenient, as a filter may be: a yes word is true, anything else false."""
    return isinstance(value, str) and value.lower() in TRUE_WORDS


class ModelsQuery(Schema):
    as_of: AsOf = Field(None, description="ISO date; default now.")
    provider: str | None = Field(None, max_length=100, description="provider slug")
    search: str | None = Field(None, max_length=MAX_SEARCH_CHARS, description="text in a name or id")
    featured: Annotated[bool, BeforeValidator(_yes)] = Field(False, description="true: featured models only")


class PricesQuery(Schema):
    as_of: AsOf = Field(None, description="ISO date; default now.")


class ModelWithPrice(ModelOut):
    price: PriceVersionOut | None  # type: ignore[valid-type]


class ModelsOut(Schema):
    as_of: Iso | None
    count: int
    results: list[ModelWithPrice]


class PriceHistoryOut(ModelOut):
    as_of: Iso | None
    in_force: PriceVersionOut | None  # type: ignore[valid-type]
    history: list[PriceVersionOut]  # type: ignore[valid-type]
    sources: SourcesOut | None


@router.get(
    "/models",
    response={200: ModelsOut, **ERRORS},
    url_name="api-models",
    summary="Models with the price in force",
)
def models_list(request: HttpRequest, query: Query[ModelsQuery]) -> dict[str, Any]:
    """Every model (or a filtered set) with the price in force at ``as_of`` (default: now)."""
    rows = models_with_prices(
        at=query.as_of,
        provider=query.provider or None,
        search=query.search or None,
        featured_only=query.featured,
    )
    results = [{**model_json(row.model), "price": row.version} for row in rows]
    return {"as_of": query.as_of, "count": len(rows), "results": results}


@router.get(
    "/models/{slug:provider}/{path:model}/prices",
    response={200: PriceHistoryOut, **ERRORS},
    url_name="api-model-prices",
    summary="A model's whole price history",
)
def model_prices(
    request: HttpRequest, provider: str, model: str, query: Query[PricesQuery]
) -> dict[str, Any]:
    """A model's whole price history, newest first, and the version in force at ``as_of``."""
    found = find_model(provider, model)
    if found is None:
        raise ApiError(f"Unknown model {provider}/{model}.", field="model", status=404, code="unknown_model")
    history = list(price_history(found))
    in_force = PriceVersion.objects.in_force(found, query.as_of)
    return {
        **model_json(found),
        "as_of": query.as_of,
        "in_force": next((v for v in history if in_force and v.pk == in_force.pk), None),  # as listed
        "history": history,
        "sources": sources_json(compare_sources(found, at=query.as_of)),
    }
