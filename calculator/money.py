"""The estimate with a contract overlay and a display currency, when asked: each priced row's
list and effective cost side by side (FinOps FOCUS names) and in the currency, at ``as_of``.

The rows stay as they are (their columns are the export's); the answer gains ``overlay``,
``conversion`` and ``money``, one entry per priced row, each line's overlay rule traced. A row's
bill is billed again by the same engine from the row's own quantities (sheets are cached).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pricing.api.money import MoneyTerms, as_json, conversion_json, money_terms, overlaid_json
from pricing.models import PriceVersion
from pricing.selectors.bills import estimate_bill

from .columns import EstimateRow
from .estimate import Estimate, cache_usage
from .inputs import EstimateRequest
from .schemas import EstimateOut


def with_money(request: EstimateRequest, result: Estimate) -> Estimate | dict[str, Any]:
    """``result`` itself when neither an overlay (or a default one) nor a currency applies."""
    parts = money_parts(request, result)
    if parts is None:
        return result
    return {**EstimateOut.model_validate(result).model_dump(mode="json"), **parts}


def money_parts(request: EstimateRequest, result: Estimate) -> dict[str, Any] | None:
    """The answer's ``overlay``, ``conversion`` and ``money``; None when neither an overlay (or a
    default one) nor a currency applies."""
    terms = money_terms(request.overlay, request.currency)
    if not terms.active:
        return None
    conversion = terms.conversion(result.as_of.date())
    priced = [row for row in result.results if row.total_usd is not None and row.input_tokens is not None]
    versions = PriceVersion.objects.select_related("model__provider").in_bulk(
        [r.price_version for r in priced]
    )
    return {
        "overlay": terms.overlay,
        "conversion": as_json(conversion_json(conversion)) if conversion else None,
        "money": [
            _row_money(request, row, versions[row.price_version], terms, result.as_of) for row in priced
        ],
    }


def _row_money(
    request: EstimateRequest, row: EstimateRow, version: PriceVersion, terms: MoneyTerms, at: datetime
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
    overlaid = terms.overlaid(bill, provider=model.provider.slug, model=model.slug, at=at)
    entry = {
        "provider": row.provider,
        "model": row.model,
        **overlaid_json(overlaid, terms.conversion(at.date())),
    }
    return as_json(entry)
