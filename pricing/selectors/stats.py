"""How much of its history the catalogue knows: the numbers of the table in docs/prices.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Count
from django.utils import timezone

from pricing.models import LanguageModel, PriceVersion


@dataclass(frozen=True)
class CatalogueStats:
    priced_at: list[tuple[datetime, int]]  # (moment, models with a price in force then)
    models: int  # listed models (alias rows are not)
    launch_known: int
    retirement_known: int
    context_window_unknown: int  # listed models whose context window no source gave
    versions_by_basis: dict[str, int]  # standing versions by how their start is known


def priced_count(at: datetime) -> int:
    """Listed models with a standing price in force at ``at`` and not retired by then."""
    return (
        PriceVersion.objects.effective(at=at)
        .filter(model__alias_of__isnull=True)
        .exclude(model__retired_at__lte=at)
        .values("model_id")
        .distinct()
        .count()
    )


def year_starts(first: int = 2023, now: datetime | None = None) -> list[datetime]:
    """00:00 UTC on 1 January of every year from ``first`` to this one."""
    last = (now or timezone.now()).year
    return [datetime(year, 1, 1, tzinfo=UTC) for year in range(first, last + 1)]


def catalogue_stats(moments: list[datetime]) -> CatalogueStats:
    listed = LanguageModel.objects.listed()
    by_basis = dict(
        PriceVersion.objects.standing()
        .values_list("start_basis")
        .annotate(count=Count("id"))
        .values_list("start_basis", "count")
    )
    return CatalogueStats(
        priced_at=[(moment, priced_count(moment)) for moment in moments],
        models=listed.count(),
        launch_known=listed.filter(launched_at__isnull=False).count(),
        retirement_known=listed.filter(retired_at__isnull=False).count(),
        context_window_unknown=listed.filter(context_window__isnull=True).count(),
        versions_by_basis={basis: by_basis.get(basis, 0) for basis in PriceVersion.StartBasis.values},
    )
