"""Bills from the catalogue: the version in force at a moment, read in full, through the engine.

The estimate prices through here too (``estimate_bill``), so the page, the estimate API and
the bill API share one engine and agree to the last digit.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime
from typing import Protocol

from django.db.models import F, prefetch_related_objects
from django.utils import timezone

from pricing.bill import STANDARD, Bill, BillError, BillUsage, PriceSheet, compute_bill
from pricing.bill.from_rates import BATCH
from pricing.bill.sheet import UnitPrice
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


class VersionKey(Protocol):
    """A price version as the sheet cache knows it (a ``PriceVersion``, or its facts)."""

    @property
    def pk(self) -> int: ...

    @property
    def created_at(self) -> datetime: ...


def _sheet_key(version: VersionKey) -> tuple[int, datetime]:
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


def sheets_for(versions: Iterable[VersionKey]) -> dict[int, PriceSheet]:
    """The sheets of ``versions`` by version id, each read once per process (in a few queries for
    those this process has not read yet). ``versions`` need only their id and creation time."""
    wanted = {v.pk: v for v in versions}
    found = {pk: _sheets[_sheet_key(v)] for pk, v in wanted.items() if _sheet_key(v) in _sheets}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        read = list(PriceVersion.objects.filter(pk__in=missing))
        prefetch_related_objects(read, *SHEET_ROWS)
        found.update({v.pk: sheet_of(v) for v in read})
    return found


def estimate_bill(version: PriceVersion, usage: BillUsage, *, service_tier: str, at: datetime) -> Bill:
    """One estimated request billed by the engine from the version in full, at ``at``. The tier
    applies where the version offers it for this request, else the standard one (the bill says
    which billed): priority above GPT-5.4's 272,000-token threshold is billed at standard."""
    return sheet_bill(sheet_of(version), usage, service_tier=service_tier, at=at)


def sheet_bill(sheet: PriceSheet, usage: BillUsage, *, service_tier: str, at: datetime) -> Bill:
    """``estimate_bill`` from the version's sheet."""
    tier = service_tier if service_tier in sheet.service_tiers else STANDARD
    try:
        return compute_bill(sheet, usage, at=at, service_tier=tier)
    except BillError as error:
        if tier == STANDARD or error.field != "service_tier":
            raise
        return compute_bill(sheet, usage, at=at, service_tier=STANDARD)


# Each distinct ``prices_key`` gets a small number (a deep key is slow to hash once per row).
_prices_ids: dict[Hashable, int] = {}
_prices_id_of: dict[tuple[int, datetime], int] = {}
_numbers = itertools.count()


def prices_id(version: VersionKey, sheet: PriceSheet) -> int:
    """A number equal for two versions exactly when their sheets' ``prices_key`` are, in this
    process; worked out once per version."""
    key = _sheet_key(version)
    found = _prices_id_of.get(key)
    if found is None:
        if len(_prices_id_of) >= SHEET_CACHE_ENTRIES:
            _prices_id_of.clear()
            _prices_ids.clear()
        prices = prices_key(sheet)
        found = _prices_ids.get(prices)
        if found is None:  # never a number given before, even to prices forgotten since
            found = _prices_ids[prices] = next(_numbers)
        _prices_id_of[key] = found
    return found


def prices_key(sheet: PriceSheet) -> Hashable:
    """What a sheet bills by, without its provenance: two sheets with equal keys bill any usage
    at any moment alike, to the digit (each price as written, so even its exponent is the same).
    An estimate of every model bills each distinct sheet once per prompt size."""

    def prices(mapping: Mapping[str, UnitPrice]) -> tuple[tuple[str, str, int], ...]:
        return tuple(sorted((kind, str(p.usd), p.per) for kind, p in mapping.items()))

    return (
        tuple(
            (
                name,
                prices(variant.prices),
                tuple(
                    (t.threshold_tokens, prices(t.prices), t.counted_kinds, t.inclusive)
                    for t in variant.tiers
                ),
            )
            for name, variant in sheet.variants.items()
        ),
        sheet.bands,
    )


def service_tiers_offered() -> list[str]:
    """Every service tier some model's price sheet offers (standard and batch always; variants
    only time bands select, like DeepSeek's peak, are not asked for by name)."""
    named = (
        VariantRate.objects.exclude(version__variant_bands__variant=F("variant"))
        .values_list("variant", flat=True)
        .distinct()
    )
    return sorted({STANDARD, BATCH, *named})
