"""The usage pages: an upload form, and an import's page (progress, then its summary). The page
reads the same report as GET /api/v1/usage/imports/{id}; what-if tables are fetched by the
page's script from the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from config.api import ApiError
from pricing.api.money import money_terms
from pricing.models import LanguageModel
from usage.costs import import_money
from usage.forecast import BudgetError, parse_budget
from usage.forecasting import import_forecast
from usage.formats import COLUMNS, FORMATS
from usage.models import UsageImport
from usage.report import import_report


def upload_page(request: HttpRequest) -> HttpResponse:
    return render(request, "usage/upload.html", {"formats": list(FORMATS), "columns": COLUMNS})


def import_page(request: HttpRequest, import_id: str) -> HttpResponse:
    usage_import = get_object_or_404(UsageImport, pk=import_id)
    report = import_report(usage_import)
    models = (
        LanguageModel.objects.listed().sold().select_related("provider").order_by("provider__slug", "slug")
    )
    context = {
        "report": report,
        "day_max": _largest(report, "by_day"),
        "models": [f"{m.provider.slug}/{m.slug}" for m in models],
        **_money_context(request, usage_import),
        **_forecast(request, usage_import),
    }
    refused = "money_error" in context or context["budget_error"]
    return render(request, "usage/import.html", context, status=400 if refused else 200)


def _forecast(request: HttpRequest, usage_import: UsageImport) -> dict[str, Any]:
    """The forecast section (a GET form: ``?budget=``); a bad budget is said beside its field."""
    budget_text = request.GET.get("budget", "")
    context: dict[str, Any] = {"forecast": None, "budget_text": budget_text, "budget_error": ""}
    try:
        budget = parse_budget(budget_text)
    except BudgetError as error:
        context["budget_error"], budget = str(error), None
    if usage_import.status == UsageImport.Status.DONE:
        context["forecast"] = import_forecast(usage_import, budget=budget)
    return context


def _money_context(request: HttpRequest, usage_import: UsageImport) -> dict[str, Any]:
    """With ``overlay`` or ``currency`` (or a default overlay): the import's list and effective costs."""
    overlay, currency = (
        request.GET.get("overlay", "").strip(),
        request.GET.get("currency", "").strip().upper(),
    )
    context: dict[str, Any] = {"overlay_name": overlay, "currency": currency}
    if usage_import.status != UsageImport.Status.DONE:
        return context
    try:
        terms = money_terms(overlay or None, currency or None)
        if terms.active:
            context["money"] = import_money(usage_import, terms)
    except ApiError as error:
        context["money_error"] = f"{error.field}: {error.message}"
    context["money_query"] = urlencode({k: v for k, v in (("overlay", overlay), ("currency", currency)) if v})
    return context


def _largest(report: dict[str, Any], breakdown: str) -> str:
    """The largest total of a breakdown, for the bars' scale ("0" when there is none)."""
    buckets = (report.get("breakdowns") or {}).get(breakdown) or []
    return str(max((Decimal(b["total_usd"] or 0) for b in buckets), default=Decimal(0)))
