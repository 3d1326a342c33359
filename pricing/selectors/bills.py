"""Bills from the catalogue: the version in force at a moment, read in full, through the engine.

The estimate prices through here too (``estimate_bill``), so the page, the estimate API and
the bill API share one engine and agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, prefetch_related_objects
from django.utils import timezone

from pricing.bill import STANDARD, Bill, BillError, BillUsage, PriceSheet, compute_bill
from pricing.bill.from_rates import BATCH
from pricing.models import LanguageModel, PriceVersion
from pricing.models.sheets import SHEET_ROWS, VariantRate, price_sheet
from pricing.selectors.catalogue import find_model, nearest_model_keys


def bill_for(
    *, model_key: str, usage: BillUsage, at: datetime | None = None, service_tier: str = "standard"
) -> tuple[Bill, PriceVersion]:
    """The bill for one request on ``model_key`` ("provider/model") made at ``at`` (default now).

    ``BillError`` names the field: an unknown model, no price at that moment, a tier the model
    does not offer, a quantity it has no price for.
    """
    moment = at or timezone.now()
    model = _model(model_key)
    version = PriceVersion.objects.in_force(model, moment)
    if version is None and model.is_retired(moment):
        raise BillError("at", f"{model_key} was retired on {model.retired_text}; no price after that")
    if version is None:
        raise BillError("at", f"{model_key} had no price in force at {moment.isoformat()}")
    prefetch_sheets([version])  # only when this process has not read its sheet yet
    bill = compute_bill(
        sheet_of(version),
        usage,
        at=moment,
        service_tier=service_tier,
        provider=model.provider.slug,
        model=model.slug,
    )
    return bill, version


def _model(model_key: str) -> LanguageModel:
    provider, _, slug = model_key.partition("/")
    found = find_model(provider, slug)  # an alias names its model
    if found is None:
        nearest = ", ".join(nearest_model_keys(model_key)) or "none close"
        raise BillError("model", f"unknown model {model_key!r} (nearest: {nearest}; see GET /api/v1/models)")
    return found


# A version's sheet never changes (its rates, tiers and variant rows are append-only), so each
# process reads it once. Keyed by id and creation time: a test database that rolls back can hand
# the same id to another version, never at the same microsecond. Bounded like the count tables.
SHEET_CACHE_ENTRIES = 5_000
_sheets: dict[tuple[int, datetime], PriceSheet] = {}


def _sheet_key(version: PriceVersion) -> tuple[int, datetime]:
    return (version.pk, version.created_at)


def sheet_of(version: PriceVersion) -> PriceSheet:
    """``price_sheet(version)``, read from the database once per process."""
    key = _sheet_key(version)
    sheet = _sheets.get(key)
    if sheet is None:
        sheet = price_sheet(version)
        if len(_sheets) >= SHEET_CACHE_ENTRIES:
            _sheets.clear()
        _sheets[key] = sheet
    return sheet


def prefetch_sheets(versions: Iterable[PriceVersion]) -> None:
    """Load every row the sheets of ``versions`` need in a few queries (not one per version),
    for the versions whose sheet this process has not read yet."""
    missing = [v for v in versions if v is not None and _sheet_key(v) not in _sheets]
    if missing:
        prefetch_related_objects(missing, *SHEET_ROWS)


def estimate_bill(version: PriceVersion, usage: BillUsage, *, service_tier: str, at: datetime) -> Bill:
    """One estimated request billed by the engine from the version in full, at ``at``. The tier
    applies where the version offers it for this request, else the standard one (the bill says
    which billed): priority above GPT-5.4's 272,000-token threshold is billed at standard."""
    sheet = sheet_of(version)
    tier = service_tier if service_tier in sheet.service_tiers else STANDARD
    try:
        return compute_bill(sheet, usage, at=at, service_tier=tier)
    except BillError as error:
        if tier == STANDARD or error.field != "service_tier":
            raise
        return compute_bill(sheet, usage, at=at, service_tier=STANDARD)


def service_tiers_offered() -> list[str]:
    """Every service tier some model's price sheet offers (standard and batch always; variants
    only time bands select, like DeepSeek's peak, are not asked for by name)."""
    named = (
        VariantRate.objects.exclude(version__variant_bands__variant=F("variant"))
        .values_list("variant", flat=True)
        .distinct()
    )
    return sorted({STANDARD, BATCH, *named})
