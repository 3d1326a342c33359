"""JSON API for the catalogue: /api/v1/models and a model's price history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from config.api import ApiError, api_view, iso, parse_as_of

from .selectors import find_model, models_with_prices, price_history
from .serializers import model_json, version_json


@api_view(["GET"])
def models_list(request: HttpRequest) -> dict[str, Any]:
    """Every model (or a filtered set) with the price in force at ``as_of`` (default: now)."""
    at = parse_as_of(request.GET.get("as_of"))
    featured = request.GET.get("featured", "").lower() in {"1", "true", "yes"}
    rows = models_with_prices(
        at=at,
        provider=request.GET.get("provider") or None,
        search=request.GET.get("search") or None,
        featured_only=featured,
    )
    return {
        "as_of": iso(at),
        "count": len(rows),
        "results": [
            {**model_json(row.model), "price": version_json(row.version) if row.version else None}
            for row in rows
        ],
    }


@api_view(["GET"])
def model_prices(request: HttpRequest, provider: str, model: str) -> dict[str, Any]:
    """A model's whole price history, newest first, and the version in force at ``as_of``."""
    at = parse_as_of(request.GET.get("as_of"))
    found = find_model(provider, model)
    if found is None:
        raise ApiError(f"Unknown model {provider}/{model}.", field="model", status=404, code="unknown_model")
    history = list(price_history(found))
    moment = at or timezone.now()
    in_force = next(
        (
            v
            for v in history
            if v.effective_from <= moment and (v.effective_to is None or v.effective_to > moment)
        ),
        None,
    )
    return {
        **model_json(found),
        "as_of": iso(at),
        "in_force": version_json(in_force) if in_force else None,
        "history": [version_json(v) for v in history],
    }
