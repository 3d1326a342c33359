"""Catalogue pages: /models (current or as-of prices) and one model's history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from config.api import ApiError, parse_as_of
from pricing.display.charts import price_chart
from pricing.feeds import parse_filters
from pricing.models import Provider
from pricing.selectors.catalogue import (
    MAX_SEARCH_CHARS,
    CatalogueRow,
    chart_steps,
    find_model,
    last_refresh,
    models_with_prices,
    price_history,
    priced_model_count,
)
from pricing.selectors.changes import DIRECTIONS, load_changes
from pricing.selectors.disagreement import compare_sources

SORTS = {
    "provider": lambda r: (r.model.provider.name.lower(), r.model.name.lower()),
    "model": lambda r: r.model.name.lower(),
    "input": lambda r: _rate(r, "input_usd_per_mtok"),
    "output": lambda r: _rate(r, "output_usd_per_mtok"),
    "cached": lambda r: _rate(r, "cache_read_usd_per_mtok"),
    "context": lambda r: r.model.context_window or 0,
}
PAGE_SIZE = 100


def _rate(row: CatalogueRow, name: str) -> Decimal:
    value = getattr(row.version, name, None) if row.version else None
    return value if value is not None else Decimal("Infinity")


def models_page(request: HttpRequest) -> HttpResponse:
    error = None
    try:
        at = parse_as_of(request.GET.get("as_of"))
    except ApiError as exc:
        at, error = None, f"As-of date: {exc.message}"
    show_all = request.GET.get("all") == "1"
    search = request.GET.get("q", "").strip()
    if len(search) > MAX_SEARCH_CHARS:
        search, error = (
            search[:MAX_SEARCH_CHARS],
            f"Search: only the first {MAX_SEARCH_CHARS} characters are used.",
        )
    rows = models_with_prices(
        at=at,
        provider=request.GET.get("provider") or None,
        search=search or None,
        featured_only=not show_all and not search,
    )
    sort = request.GET.get("sort", "provider")
    key = SORTS.get(sort.lstrip("-"), SORTS["provider"])
    rows.sort(key=key, reverse=sort.startswith("-"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "providers": Provider.objects.all(),
        "selected_provider": request.GET.get("provider", ""),
        "as_of": request.GET.get("as_of", "") if not error else "",
        "error": error,
        "sort": sort,
        "show_all": show_all,
        "q": search,
        "last_refresh": last_refresh(),
        "priced_count": priced_model_count(at=at) if at else None,
    }
    return render(request, "pricing/models.html", context)


def model_page(request: HttpRequest, provider: str, model: str) -> HttpResponse:
    found = find_model(provider, model)
    if found is None:
        raise Http404(f"No model {provider}/{model} in the catalogue.")
    history = list(price_history(found))
    context = {
        "model": found,
        "history": history,
        "chart": price_chart(chart_steps(history), now=timezone.now()),
        "aliases": found.aliases.all(),
        "sources": compare_sources(found),
    }
    return render(request, "pricing/model.html", context)


def changes_page(request: HttpRequest) -> HttpResponse:
    """What changed: price versions across the catalogue by date, filtered, newest first."""
    filters, errors = parse_filters(request.GET)
    changes = filters.changes()
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = load_changes(list(page.object_list))  # rows for this page only
    context = {
        "page": page,
        "count": len(changes),
        "providers": Provider.objects.filter(models__alias_of__isnull=True).distinct(),
        "filters": request.GET,
        "directions": DIRECTIONS,
        "errors": errors,
        "now": timezone.now(),
        "feed_query": request.GET.urlencode(),
    }
    return render(request, "pricing/changes.html", context)
