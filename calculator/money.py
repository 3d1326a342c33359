"""The estimate with a contract overlay and a display currency, when asked: each priced row's
list and effective cost side by side (FinOps FOCUS names) and in the currency, at ``as_of``.

The rows stay as they are (their columns are the export's); the answer gains ``overlay``,
``conversion`` and ``money``, one entry per priced row, each line's overlay rule traced. A row's
bill is billed again by the same engine from the row's own quantities (sheets are cached).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from config.api import ApiError
from pricing.api.money import (
    conversion_for,
    conversion_json,
    converted_json,
    costs_json,
    currency_code,
    line_money_json,
)
from pricing.bill import BillError
from pricing.bill.overlays import OverlayTerm, apply_overlay
from pricing.currency import Conversion
from pricing.models import PriceVersion
from pricing.selectors.bills import estimate_bill
from pricing.selectors.overlays import find_overlay, overlay_terms

from .columns import EstimateRow
from .estimate import Estimate, cache_usage
from .inputs import EstimateRequest
from .schemas import EstimateOut


def with_money(request: EstimateRequest, result: Estimate) -> Estimate | dict[str, Any]:
    """``result`` itself when neither an overlay (or a default one) nor a currency applies."""
    currency = currency_code(request.currency)
    try:
        overlay = find_overlay(request.overlay)
    except BillError as error:
        raise ApiError(f"{error.message}.", field="overlay") from None
    if overlay is None and currency is None:
        return result
    conversion = conversion_for(currency, result.as_of.date()) if currency else None
    terms = overlay_terms(overlay) if overlay is not None else []
    priced = [row for row in result.results if row.total_usd is not None and row.input_tokens is not None]
    versions = PriceVersion.objects.select_related("model__provider").in_bulk(
        [r.price_version for r in priced]
    )
    answer = EstimateOut.model_validate(result).model_dump(mode="json")
    answer["overlay"] = overlay.name if overlay is not None else None
    answer["conversion"] = _json(conversion_json(conversion)) if conversion else None
    answer["money"] = [
        _row_money(request, row, versions[row.price_version], terms, conversion, result.as_of)
        for row in priced
    ]
    return answer


def _row_money(
    request: EstimateRequest,
    row: EstimateRow,
    version: PriceVersion,
    terms: list[OverlayTerm],
    conversion: Conversion | None,
    at: datetime,
) -> dict[str, Any]:
    assert row.input_tokens is not None and row.output_tokens is not None
    usage = cache_usage(
        row.input_tokens,
        row.output_tokens,
        row.cached_input_tokens or 0,
        row.cache_write_tokens or 0,
        row.cache_write_lifetime or "5m",
        reasoning_tokens=request.reasoning_tokens or 0,
    )
    bill = estimate_bill(version, usage, service_tier=request.service_tier, at=at)
    model = version.model
    overlaid = apply_overlay(bill, terms, provider=model.provider.slug, model=model.slug, at=at)
    costs = costs_json(overlaid.bill.total_usd, overlaid.contracted_usd)
    lines = [
        {"what": line.line.what, "usd": line.line.usd, **line_money_json(line, conversion)}
        for line in overlaid.lines
    ]
    entry: dict[str, Any] = {"provider": row.provider, "model": row.model, **costs, "lines": lines}
    if conversion is not None:
        entry["converted"] = converted_json(costs, conversion)
    return _json(entry)


def _json(value: Any) -> Any:
    """Money as exact decimal strings, moments and days as ISO text (the API's conventions)."""
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
