"""The usage imports API: POST /api/v1/usage/imports (multipart ``file`` or a JSON body of
``rows``) answers 202 with the import's secret id; GET shows its status, progress and, when done,
its totals and breakdowns; DELETE removes it with its rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from config.api import ERRORS, ApiError, ErrorOut, Iso, read_json
from pricing.api.money import MoneyTerms, money_terms
from usage.costs import import_money, prepare_conversions
from usage.exports import focus_csv, focus_json
from usage.forecast import BudgetError, parse_budget
from usage.forecasting import import_forecast
from usage.formats import COLUMNS, FORMATS, GENERIC, UsageFileError
from usage.models import UsageImport
from usage.money_schemas import ImportMoneyOut
from usage.report import import_report
from usage.selectors import nearest_model_names
from usage.services import create_import, create_import_from_rows, delete_import
from usage.tasks import start_pricing
from usage.whatif import cheapest_alternatives, what_if

router = Router(tags=["usage"])


class ProgressOut(Schema):
    rows_done: int
    rows_total: int | None
    percent: int


class ImportErrorOut(Schema):
    message: str
    row: int | None = Field(description="The row at fault (the CSV header is row 1).")


class BucketOut(Schema):
    key: str = Field(description="The day (UTC), the model (provider/model) or the tag.")
    rows: int
    priced_rows: int
    unpriced_rows: int
    total_usd: str | None = Field(description="Priced rows only; null when none is (never $0).")
    reported_usd: str | None
    reported_rows: int
    reconciled_rows: int = Field(description="Rows both priced and carrying a reported cost.")
    difference_usd: str | None = Field(description="Computed minus reported, over the reconciled rows.")


class BreakdownsOut(Schema):
    by_day: list[BucketOut]
    by_model: list[BucketOut]
    by_tag: list[BucketOut]


class NotFoundOut(Schema):
    model: str
    rows: int
    nearest: list[str]


class ReasonOut(Schema):
    reason: str
    rows: int


class ReconciliationOut(BucketOut):
    key: str = Field(description="The model (provider/model).")
    model: str
    causes: list[str] = Field(description="What explains the difference, where it can be told.")


class ImportOut(Schema):
    id: str
    status: str = Field(description="queued, running, done or failed.")
    format: str
    filename: str
    created_at: Iso
    finished_at: Iso | None
    progress: ProgressOut
    error: ImportErrorOut | None
    rows: int | None = None
    priced_rows: int | None = None
    unpriced_rows: int | None = None
    share_priced: str | None = None
    total_usd: str | None = Field(None, description="Priced rows only: an unpriced row is never $0.")
    reported_usd: str | None = None
    reported_rows: int | None = None
    reconciled_rows: int | None = None
    difference_usd: str | None = None
    unpriced_reasons: list[ReasonOut] | None = None
    models_not_found: list[NotFoundOut] | None = None
    breakdowns: BreakdownsOut | None = None
    reconciliation: list[ReconciliationOut] | None = Field(
        None,
        description="Per model that carries a reported cost; differences by day and tag are in breakdowns.",
    )
    money: ImportMoneyOut | None = Field(
        None, description="With overlay or currency (or a default overlay): list and effective costs."
    )


@router.post(
    "/usage/imports",
    response={202: ImportOut, **ERRORS},
    url_name="api-usage-imports",
    summary="Import a usage file (multipart field file) or rows (JSON body {rows: [...]})",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "format": {"type": "string", "enum": list(FORMATS), "default": GENERIC},
                        },
                        "required": ["file"],
                    }
                }
            }
        }
    },
)
def create(request: HttpRequest) -> Status:
    try:
        if request.content_type == "multipart/form-data":
            usage_import = _from_upload(request)
        else:
            usage_import = _from_rows(read_json(request))
    except UsageFileError as error:
        raise ApiError(error.message, field=error.column or "file", code="bad_usage_file") from None
    return Status(202, import_report(start_pricing(usage_import)))


def _from_upload(request: HttpRequest) -> UsageImport:
    upload = request.FILES.get("file")
    if upload is None:
        raise ApiError("Upload the usage file in the multipart field 'file'.", field="file")
    limit = settings.USAGE_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ApiError(
            f"The file is {upload.size:,} bytes; the limit is {limit:,}. Split it.",
            field="file",
            status=413,
            code="too_large",
        )
    file_format = request.POST.get("format") or GENERIC
    if file_format not in FORMATS:
        raise ApiError(f"format: one of {', '.join(FORMATS)}.", field="format", code="unknown_format")
    return create_import(chunks=upload.chunks(), filename=upload.name or "", file_format=file_format)


def _from_rows(body: dict[str, Any]) -> UsageImport:
    unknown = sorted(set(body) - {"rows"})
    if unknown:
        raise ApiError(f"Unknown field: {unknown[0]}.", field=unknown[0], code="unknown_field")
    rows = body.get("rows")
    if not isinstance(rows, list) or not rows:
        raise ApiError(
            f"rows: a non-empty list of objects with the columns {', '.join(COLUMNS)}.", field="rows"
        )
    return create_import_from_rows(rows=rows)


@router.get("/usage/imports/{import_id}", response={200: ImportOut, **ERRORS}, url_name="api-usage-import")
def detail(
    request: HttpRequest, import_id: str, overlay: str | None = None, currency: str | None = None
) -> dict[str, Any]:
    """Status and progress; when done, totals, coverage, breakdowns and reconciliation; with an
    ``overlay`` or a ``currency``, ``money``: each row under the rule and at the rate of its moment."""
    usage_import = get_object_or_404(UsageImport, pk=import_id)
    terms = money_terms(overlay or None, currency or None)
    report = import_report(usage_import)
    if terms.active and usage_import.status == UsageImport.Status.DONE:
        report["money"] = import_money(usage_import, terms)
    return report


@router.delete("/usage/imports/{import_id}", response={204: None, **ERRORS})
def delete(request: HttpRequest, import_id: str) -> Status:
    delete_import(get_object_or_404(UsageImport, pk=import_id))
    return Status(204, None)


class RangeOut(Schema):
    low_usd: str
    high_usd: str


class RatioOut(Schema):
    from_tokenizer: str
    to_tokenizer: str
    low: str
    mid: str
    high: str
    by_kind: dict[str, str]
    measured: bool = Field(description="False: a tokenizer was unavailable, so counts were not scaled.")


class WhatIfOut(Schema):
    model: str
    service_tier: str | None = Field(description="None: each row's own tier.")
    tokenizer: str
    total_usd: str | None = Field(
        description="At the measured ratio over the whole corpus (priced rows only); null when none is."
    )
    range: RangeOut | None = Field(description="At the corpus's extreme content kinds.")
    rows: int
    priced_rows: int
    unpriced_rows: int
    unpriced_reasons: list[str]
    ratios: list[RatioOut]
    ratio_source: str
    limits: list[str]


class AlternativeOut(Schema):
    model: str
    total_usd: str | None
    range: RangeOut | None
    rows: int
    priced_rows: int
    unpriced_rows: int


def _done_import(import_id: str) -> UsageImport:
    usage_import = get_object_or_404(UsageImport, pk=import_id)
    if usage_import.status != UsageImport.Status.DONE:
        raise ApiError(f"The import is {usage_import.status}, not done yet.", status=409, code="not_done")
    return usage_import


@router.get(
    "/usage/imports/{import_id}/what-if",
    response={200: WhatIfOut, 409: ErrorOut, **ERRORS},
    url_name="api-usage-what-if",
    summary="The same usage on another model: its total and range",
)
def what_if_view(
    request: HttpRequest, import_id: str, model: str, service_tier: str | None = None
) -> dict[str, Any]:
    usage_import = _done_import(import_id)
    try:
        return what_if(usage_import, model_key=model, service_tier=service_tier or None)
    except LookupError:
        nearest = ", ".join(nearest_model_names(model)) or "none close"
        raise ApiError(
            f"Unknown model {model!r} (nearest: {nearest}).", field="model", code="unknown_model"
        ) from None


@router.get(
    "/usage/imports/{import_id}/alternatives",
    response={200: list[AlternativeOut], 409: ErrorOut, **ERRORS},
    url_name="api-usage-alternatives",
    summary="The cheapest featured models for the same usage",
)
def alternatives(request: HttpRequest, import_id: str) -> list[dict[str, Any]]:
    return cheapest_alternatives(_done_import(import_id))


@router.get(
    "/usage/imports/{import_id}/focus.csv",
    response={200: None, 409: ErrorOut, **ERRORS},
    url_name="api-usage-focus-csv",
)
def export_csv(
    request: HttpRequest, import_id: str, overlay: str | None = None, currency: str | None = None
) -> StreamingHttpResponse:
    """Every bill line as a FinOps FOCUS row (BilledCost, ListCost, EffectiveCost, ChargePeriodStart...);
    ``overlay`` and ``currency`` as for the import's ``money``."""
    usage_import = _done_import(import_id)
    terms = _export_terms(usage_import, overlay, currency)
    response = StreamingHttpResponse(focus_csv(usage_import, terms), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="usage-{usage_import.id[:8]}-focus.csv"'
    return response


@router.get(
    "/usage/imports/{import_id}/focus.json",
    response={200: None, 409: ErrorOut, **ERRORS},
    url_name="api-usage-focus-json",
)
def export_json(
    request: HttpRequest, import_id: str, overlay: str | None = None, currency: str | None = None
) -> StreamingHttpResponse:
    """The same FOCUS rows as JSON: {"columns": [...], "rows": [{column: value}, ...]}."""
    usage_import = _done_import(import_id)
    terms = _export_terms(usage_import, overlay, currency)
    return StreamingHttpResponse(focus_json(usage_import, terms), content_type="application/json")


def _export_terms(usage_import: UsageImport, overlay: str | None, currency: str | None) -> MoneyTerms:
    """The terms, with every day's rate read before the first byte is sent (a 400 if one lacks)."""
    terms = money_terms(overlay or None, currency or None)
    prepare_conversions(usage_import, terms)
    return terms


class PaceOut(Schema):
    window: str
    first_day: str
    last_day: str
    days: int
    usd_per_day: str = Field(description="The window's cost of the priced rows per calendar day.")


class ForecastDayOut(Schema):
    day: str
    usd: str
    low_usd: str
    high_usd: str


class ScheduledChangeOut(Schema):
    model: str
    effective_from: str
    price_version: int


class BudgetOut(Schema):
    usd: str
    runs_out_on: str | None = Field(description="At the central pace; null: not this month.")
    day: int | None
    earliest: str | None = Field(description="At the fastest scenario of the range.")
    latest: str | None = Field(description="At the slowest; null when it does not run out this month.")
    message: str


class ForecastOut(Schema):
    month: str
    last_day: str = Field(description="The import's last day (UTC): the forecast starts after it.")
    days_in_month: int
    days_left: int
    month_to_date_usd: str = Field(description="The priced rows of the month so far, exact.")
    projected_usd: str = Field(description="The month's total at the central pace, to the cent.")
    range: RangeOut
    scenarios: dict[str, str]
    paces: list[PaceOut]
    weekday_pattern: dict[str, str] | None
    method: str
    by_day: list[ForecastDayOut]
    scheduled_changes: list[ScheduledChangeOut]
    excluded_unpriced_rows: int = Field(
        description="Unpriced rows in the data the forecast reads (never $0)."
    )
    notes: list[str]
    budget: BudgetOut | None


@router.get(
    "/usage/imports/{import_id}/forecast",
    response={200: ForecastOut, 409: ErrorOut, **ERRORS},
    url_name="api-usage-forecast",
    summary="The month's spend at the current pace, and the day a budget runs out",
)
def forecast(request: HttpRequest, import_id: str, budget: str | None = None) -> dict[str, Any]:
    try:
        amount = parse_budget(budget)
    except BudgetError as error:
        raise ApiError(str(error), field="budget", code="bad_budget") from None
    usage_import = _done_import(import_id)
    result = import_forecast(usage_import, budget=amount)
    if result is None:
        raise ApiError("The import has no row to forecast from.", status=409, code="no_rows")
    return result
