"""Reads of the catalogue: what was in force when, for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Prefetch, Q, QuerySet

from .models import ImportRun, LanguageModel, PriceVersion

# Longer searches match nothing useful, and SQLite refuses LIKE patterns over 50,000 bytes.
MAX_SEARCH_CHARS = 200


@dataclass(frozen=True)
class CatalogueRow:
    model: LanguageModel
    version: PriceVersion | None


def models_with_prices(
    *,
    at: datetime | None = None,
    provider: str | None = None,
    search: str | None = None,
    featured_only: bool = False,
    keys: list[str] | None = None,
) -> list[CatalogueRow]:
    """Every selected model with the price version in force at ``at`` (None when it had none)."""
    versions = PriceVersion.objects.effective(at=at).select_related("snapshot").prefetch_related("tiers")
    queryset: QuerySet[LanguageModel] = LanguageModel.objects.select_related("provider").prefetch_related(
        Prefetch("price_versions", queryset=versions, to_attr="versions_in_force")
    )
    if provider:
        queryset = queryset.filter(provider__slug=provider)
    if featured_only:
        queryset = queryset.filter(featured=True)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(slug__icontains=search) | Q(provider__name__icontains=search)
        )
    if keys is not None:
        wanted = Q(pk__in=[])
        for key in keys:
            provider_slug, _, model_slug = key.partition("/")
            wanted |= Q(provider__slug=provider_slug, slug=model_slug)
        queryset = queryset.filter(wanted)
    return [
        CatalogueRow(model=m, version=m.versions_in_force[0] if m.versions_in_force else None)  # type: ignore[attr-defined]
        for m in queryset
    ]


def first_price_dates(model_ids: list[int]) -> dict[int, datetime]:
    """When each model's first standing price version starts (models with none are left out)."""
    firsts = (
        PriceVersion.objects.standing()
        .filter(model_id__in=model_ids)
        .values("model_id")
        .annotate(first=Min("effective_from"))
    )
    return {row["model_id"]: row["first"] for row in firsts}


def find_model(provider: str, model: str) -> LanguageModel | None:
    return (
        LanguageModel.objects.select_related("provider").filter(provider__slug=provider, slug=model).first()
    )


def price_history(model: LanguageModel) -> QuerySet[PriceVersion]:
    """All versions of ``model``, newest first, with tiers and who made them."""
    return (
        PriceVersion.objects.filter(model=model)
        .select_related("created_by", "import_run", "snapshot")
        .prefetch_related("tiers")
        .order_by("-effective_from")
    )


def last_refresh(source: str | None = None) -> ImportRun | None:
    """The latest run that succeeded or found no change (optionally of one source)."""
    done = (ImportRun.Status.SUCCEEDED, ImportRun.Status.NO_CHANGE)
    runs = ImportRun.objects.filter(status__in=done, dry_run=False)
    if source:
        runs = runs.filter(source=source)
    return runs.order_by("-finished_at", "-pk").first()
