"""Bills from the catalogue: the version in force at a moment, read in full, through the engine.

The estimate prices through here too (``estimate_breakdown``), so the page, the estimate API and
the bill API share one engine and agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import prefetch_related_objects
from django.utils import timezone

from .bill import Bill, BillError, BillUsage, compute_bill
from .bill_models import SHEET_ROWS, price_sheet
from .costs import CostBreakdown, Usage, bill_usage, breakdown_of
from .models import LanguageModel, PriceVersion


def bill_for(
    *, model_key: str, usage: BillUsage, at: datetime | None = None, service_tier: str = "standard"
) -> tuple[Bill, PriceVersion]:
    """The bill for one request on ``model_key`` ("provider/model") made at ``at`` (default now).

    ``BillError`` names the field: an unknown model, no price at that moment, a tier the model
    does not offer, a quantity it has no price for.
    """
    moment = at or timezone.now()
    model = _model(model_key)
    version = (
        PriceVersion.objects.filter(model=model).effective(at=moment).prefetch_related(*SHEET_ROWS).first()
    )
    if version is None:
        raise BillError("at", f"{model_key} had no price in force at {moment.isoformat()}")
    bill = compute_bill(
        price_sheet(version),
        usage,
        at=moment,
        service_tier=service_tier,
        provider=model.provider.slug,
        model=model.slug,
    )
    return bill, version


def _model(model_key: str) -> LanguageModel:
    provider, _, slug = model_key.partition("/")
    found = (
        LanguageModel.objects.select_related("provider").filter(provider__slug=provider, slug=slug).first()
    )
    if found is None:
        raise BillError("model", f"unknown model {model_key!r} (see GET /api/v1/models)")
    return found


def prefetch_sheets(versions: Iterable[PriceVersion]) -> None:
    """Load every row the sheets of ``versions`` need in a few queries (not one per version)."""
    prefetch_related_objects([v for v in versions if v is not None], *SHEET_ROWS)


def estimate_breakdown(version: PriceVersion, usage: Usage, *, batch: bool, at: datetime) -> CostBreakdown:
    """The estimate's cost of one request, billed by the engine from the version in full.

    ``usage.input_tokens`` is the whole prompt (the estimate's convention); batch applies where
    the version offers it, as the estimate always did.
    """
    sheet = price_sheet(version)
    tier = "batch" if batch and "batch" in sheet.service_tiers else "standard"
    return breakdown_of(compute_bill(sheet, bill_usage(usage), at=at, service_tier=tier))
