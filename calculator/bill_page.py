"""The bill page (/bill) and its JSON (/bill.json): one request's usage as a GET form, the bill
of ``POST /api/v1/bill`` for the same body, line by line.

The query becomes the API's body (``body_of_query``) and is answered by the API's own code
(``pricing.api.bill.bill_of_body``: same schema, same engine, same words for a refusal), so the
page cannot bill differently from the API. The GET URL is the permalink.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from config.api import ApiError, JsonRenderer, error_response
from pricing.api.bill import bill_of_body
from pricing.bill import BillUsage
from pricing.models import Overlay
from pricing.selectors.bills import service_tiers_offered
from pricing.selectors.catalogue import models_with_prices

USAGE_LABELS = {
    "input_tokens": "Input tokens",
    "cache_read_tokens": "Cache read tokens",
    "cache_write_5m_tokens": "Cache write tokens (5 minutes)",
    "cache_write_1h_tokens": "Cache write tokens (1 hour)",
    "input_audio_tokens": "Input audio tokens",
    "output_tokens": "Output tokens",
    "reasoning_tokens": "Reasoning tokens",
    "output_audio_tokens": "Output audio tokens",
    "web_searches": "Web searches",
    "file_searches": "File searches",
    "audio_seconds": "Audio seconds",
}
USAGE_FIELDS = [f.name for f in fields(BillUsage) if f.name != "images"]
IMAGE_DETAILS = ("auto", "low", "high", "medium")
MAX_DIGITS = 30  # far past any quantity the engine bills; int() of thousands of digits refuses
IMAGE_ROWS_EMPTY = 1  # blank image rows offered after the ones asked for
# Suggestions only (the ECB quotes these, among others); any ISO 4217 code may be typed.
CURRENCIES = ("EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "CNY", "INR", "BRL", "SEK", "NOK", "DKK", "PLN")
TEXT_FIELDS = ("model", "at", "service_tier", "overlay", "currency")


@dataclass(frozen=True)
class ImageRow:
    index: int
    width: str
    height: str
    detail: str


def _number(raw: str) -> int | str:
    """A whole number as the API's JSON would carry it; anything else (and digits past any real
    quantity) as typed, for the API's schema to refuse in its own words."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS else raw


def image_rows(query: QueryDict) -> list[ImageRow]:
    """The image rows the query asks for (width, height, detail by position), blank ones left out."""
    widths, heights = query.getlist("image_width"), query.getlist("image_height")
    details = query.getlist("image_detail")
    rows = []
    for index in range(max(len(widths), len(heights))):
        width = widths[index].strip() if index < len(widths) else ""
        height = heights[index].strip() if index < len(heights) else ""
        detail = (details[index] if index < len(details) else "") or "auto"
        if width or height:
            rows.append(ImageRow(len(rows), width, height, detail))
    return rows


def body_of_query(query: QueryDict) -> dict[str, Any]:
    """The ``POST /api/v1/bill`` body the form's query stands for (empty fields left out)."""
    body: dict[str, Any] = {"model": query.get("model", "").strip()}
    for name in TEXT_FIELDS[1:]:
        value = query.get(name, "").strip()
        if value:
            body[name] = value
    usage: dict[str, Any] = {}
    for name in USAGE_FIELDS:
        value = query.get(name, "").strip()
        if value:
            usage[name] = _number(value)
    images = [
        {"width": _number(row.width), "height": _number(row.height), "detail": row.detail}
        for row in image_rows(query)
    ]
    if images:
        usage["images"] = images
    body["usage"] = usage
    return body


def bill_json_page(request: HttpRequest) -> HttpResponse:
    """/bill.json?<the page's query>: exactly what ``POST /api/v1/bill`` answers for that body."""
    try:
        data = bill_of_body(body_of_query(request.GET))
    except ApiError as error:
        return error_response(error)
    content = JsonRenderer().render(request, data, response_status=200)
    return HttpResponse(content, content_type="application/json; charset=utf-8")


def bill_page(request: HttpRequest) -> HttpResponse:
    """The form, and for a query naming a model, its bill (or the API's refusal, on its field)."""
    query = request.GET
    asked = "model" in query
    body = body_of_query(query) if asked else None
    answer, error = None, None
    if body is not None:
        try:
            answer = bill_of_body(body)
        except ApiError as refused:
            error = refused
    context = {
        **_form_context(query, asked),
        **(_answer_context(answer) if answer else {}),
        "body_json": json.dumps(body, indent=2),
        "error": error,
        "error_controls": _error_controls(error, query),
        "at_given": bool(query.get("at", "").strip()),
        "permalink": f"{request.build_absolute_uri()}#bill-result",
        "json_url": f"{reverse('bill-json')}?{query.urlencode()}",
    }
    return render(request, "calculator/bill.html", context, status=200 if error is None else 400)


def _answer_context(answer: dict[str, Any]) -> dict[str, Any]:
    provider, _, model = answer["model"].partition("/")
    lines = [
        {**line, "source_host": urlsplit(line["source_url"]).netloc or line["source_url"]}
        for line in answer["lines"]
    ]
    return {
        "answer": answer,
        "lines": lines,
        "has_overlay": "ListCost" in answer and answer.get("overlay") is not None,
        "model_url": reverse("model", args=[provider, model]),
    }


def _form_context(query: QueryDict, asked: bool) -> dict[str, Any]:
    now = timezone.now().astimezone(UTC).replace(microsecond=0)
    values = {name: query.get(name, "") for name in (*TEXT_FIELDS, *USAGE_FIELDS)}
    if not asked:
        values["at"] = now.isoformat()
    rows = image_rows(query)
    blanks = [ImageRow(len(rows) + i, "", "", "auto") for i in range(IMAGE_ROWS_EMPTY)]
    return {
        "values": values,
        "usage_fields": [(name, USAGE_LABELS.get(name, name), values[name]) for name in USAGE_FIELDS],
        "image_rows": rows + blanks,
        "image_details": IMAGE_DETAILS,
        "tiers": service_tiers_offered(),
        "overlays": list(Overlay.objects.order_by("name").values_list("name", flat=True)),
        "models": [
            f"{row.model.provider.slug}/{row.model.slug}" for row in models_with_prices(featured_only=True)
        ],
        "currencies": CURRENCIES,
        "at_hint": f"ISO date-time with its offset, e.g. {now.isoformat()}; empty: now.",
    }


def _error_controls(error: ApiError | None, query: QueryDict) -> set[str]:
    """The form controls a refusal is about: the field it names (``usage.output_tokens`` is the
    control ``output_tokens``); for the schema's "usage" refusals, the usage controls that do not
    hold a whole number."""
    if error is None or not error.field:
        return set()
    field = error.field
    if field == "usage":
        return {
            name for name in USAGE_FIELDS if not isinstance(_number(query.get(name, "").strip() or "0"), int)
        }
    if field.startswith("usage.images"):
        return {"images"}
    return {field.removeprefix("usage.")}
