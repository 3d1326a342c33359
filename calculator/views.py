"""The calculator page, saved comparisons and their exports, the tokenizers page, /healthz."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone

from config.api import ApiError, error_response, parse_as_of
from pricing.api.money import MoneyTerms, money_terms
from pricing.models import Overlay, PriceVersion, Provider

from . import tokenizers
from .api import tokenizer_rows
from .bill_page import CURRENCIES
from .budgets import PRESETS
from .columns import CSV_COLUMNS, TABLE_COLUMNS
from .comparison_money import MONEY_CSV_COLUMNS, money_csv_cells, saved_money
from .coverage import coverage
from .models import Comparison
from .reprice import reprice_comparison

# Shown only when ticked in the page's column chooser: without them the table fits a 1366 px screen.
OPTIONAL_COLUMNS = frozenset(
    {
        "provider",
        "cached_input_usd_per_mtok",
        "input_usd",
        "output_usd",
        "context_window",
        "quality",
        "threshold_note",
    }
)
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calculator/index.html",
        {
            "presets": PRESETS.values(),
            "columns": TABLE_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
            "default_column_count": sum(c.name not in OPTIONAL_COLUMNS for c in TABLE_COLUMNS),
            "providers": Provider.objects.all(),
            "max_text_bytes": settings.MAX_TEXT_BYTES,
            "tokenizers": tokenizers.list_tokenizers(),
            "overlays": list(Overlay.objects.order_by("name").values_list("name", flat=True)),
            "default_overlay": Overlay.objects.filter(is_default=True).values_list("name", flat=True).first(),
            "currencies": CURRENCIES,
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send them to the SVG."""
    return redirect(static("img/favicon.svg"), permanent=True)


def tokenizers_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "calculator/tokenizers.html", {"tokenizers": tokenizer_rows(), "coverage": coverage()}
    )


def comparison_page(request: HttpRequest, comparison_id: str) -> HttpResponse:
    """The saved comparison; with ``?as_of=`` (a date, or empty for now; ``time``: a UTC time of
    day, for prices by the hour) also re-priced at that moment, rendered here so it works without
    script. ``overlay`` and ``currency`` (or a default overlay) add list and effective costs, in
    the currency at the ECB rate of each moment. A bad value is a 400 naming the field."""
    comparison = get_object_or_404(Comparison, pk=comparison_id)
    day, time = request.GET.get("as_of", "").strip(), request.GET.get("time", "").strip()
    context: dict[str, Any] = {
        "comparison": comparison,
        "columns": TABLE_COLUMNS,
        "reprice_as_of": day,
        "reprice_time": time,
        "repricing": "as_of" in request.GET,
        "overlay_name": request.GET.get("overlay", "").strip(),
        "currency": request.GET.get("currency", "").strip().upper(),
    }
    try:
        terms = _terms(request)
        if terms.active:
            context["money"] = saved_money(comparison, terms)
        if "as_of" in request.GET:
            moment = _reprice_moment(day, time)
            context["repriced"] = _with_names(comparison, reprice_comparison(comparison, moment, terms))
    except ApiError as error:
        context["reprice_error"] = f"{error.field}: {error.message}"
        return render(request, "calculator/comparison.html", context, status=400)
    return render(request, "calculator/comparison.html", context)


def _terms(request: HttpRequest) -> MoneyTerms:
    """The overlay and currency the query asks for (empty: none; the default overlay applies)."""
    return money_terms(request.GET.get("overlay") or None, request.GET.get("currency") or None)


def _reprice_moment(day: str, time: str) -> datetime:
    """The date's end (UTC), or that date (today if none) at ``time`` UTC; neither: now."""
    if not time:
        return parse_as_of(day) or timezone.now()
    if not TIME_OF_DAY.match(time):
        raise ApiError(f"{time!r} is not a time of day such as 14:30.", field="time", code="bad_time")
    on = day or timezone.now().date().isoformat()
    return parse_as_of(f"{on}T{time[:5]}:00+00:00") or timezone.now()


def _with_names(comparison: Comparison, repriced: dict[str, Any]) -> dict[str, Any]:
    """The re-priced rows carry each model's display name, as the saved rows do."""
    names = {
        (row["provider"], row["model"]): row.get("name") for row in comparison.results.get("results", [])
    }
    for row in repriced["results"]:
        row["name"] = names.get((row["provider"], row["model"])) or row["model"]
    return repriced


def _export_headers(response: HttpResponse, comparison: Comparison, extension: str) -> HttpResponse:
    """The export's metadata in HTTP headers, so a CSV's first line can be its header row."""
    response["Content-Disposition"] = f'attachment; filename="comparison-{comparison.id}.{extension}"'
    response["X-Comparison-Id"] = comparison.id
    response["X-Schema-Version"] = str(comparison.schema_version)
    response["X-Prices-As-Of"] = comparison.as_of.isoformat()
    return response


def comparison_json(request: HttpRequest, comparison_id: str) -> HttpResponse:
    """The saved comparison; with ``overlay`` or ``currency`` (or a default overlay) it gains
    ``money``: each priced row's list and effective costs at the comparison's moment."""
    comparison = get_object_or_404(Comparison, pk=comparison_id)
    export = comparison.export()
    try:
        terms = _terms(request)
        if terms.active:
            export["money"] = saved_money(comparison, terms)
    except ApiError as error:
        return error_response(error)
    response = JsonResponse(export, json_dumps_params={"ensure_ascii": False, "indent": 2})
    return _export_headers(response, comparison, "json")


def comparison_csv(request: HttpRequest, comparison_id: str) -> HttpResponse:
    """One header row (``provider`` first), then one row per model; the schema version, the
    prices' moment and the id are in the JSON export and in this response's X- headers. With an
    overlay or a currency, list and effective columns and the currency's follow."""
    comparison = get_object_or_404(Comparison, pk=comparison_id)
    try:
        terms = _terms(request)
        money = saved_money(comparison, terms) if terms.active else None
    except ApiError as error:
        return error_response(error)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow([*CSV_COLUMNS, *(MONEY_CSV_COLUMNS if money else ())])
    for row in comparison.results["results"]:
        cells = ["" if row.get(c) is None else _csv_cell(row[c]) for c in CSV_COLUMNS]
        extra = money_csv_cells(money, f"{row['provider']}/{row['model']}") if money else []
        writer.writerow([*cells, *(_csv_cell(cell) if cell else "" for cell in extra)])
    return _export_headers(response, comparison, "csv")


def _csv_cell(value: object) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    # A cell starting with = + - @ would be a formula in a spreadsheet; quote it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the app can serve estimates: the database answers, prices are loaded, and
    the tokenizers are counted (how many are available)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        priced = PriceVersion.objects.effective().values("model").distinct().count()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": f"unreachable: {type(exc).__name__}"}, status=503)
    available = sum(1 for info in tokenizers.list_tokenizers() if tokenizers.is_available(info.key))
    status = "ok" if priced else "empty"
    body = {"status": status, "database": "ok", "models_priced": priced, "tokenizers_available": available}
    return JsonResponse(body, status=200 if priced else 503)
