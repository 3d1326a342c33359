"""Re-price a saved comparison as of another moment: the same token counts and options, the
prices then in force, the difference per model, and the price changes that explain it.

The counts are the saved ones (the text may not be stored); only prices move. Costs come from
the bill engine, as the estimate's do.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

from config.api import iso
from pricing.api.money import MoneyTerms, as_json
from pricing.bill.money import money
from pricing.models import PriceVersion
from pricing.selectors.bills import prefetch_sheets
from pricing.selectors.changes import rate_changes

from .comparison_money import bill_saved_row, priced_rows, row_money, saved_tier
from .models import Comparison


def reprice_comparison(
    comparison: Comparison, at: datetime, terms: MoneyTerms | None = None
) -> dict[str, Any]:
    """Every saved row priced again at ``at``, with what changed between the two moments. With
    ``terms`` (an overlay or a currency asked for), each row also carries its list and effective
    costs at ``at`` and their conversion at the rate of ``at``'s date."""
    rows = priced_rows(comparison)
    in_force = _versions_in_force(rows, at)
    prefetch_sheets(in_force.values())
    tier = saved_tier(comparison)
    active = terms if terms is not None and terms.active else None
    results = [_repriced(row, in_force.get(_key(row)), tier, at, comparison.as_of, active) for row in rows]
    answer = {
        "id": comparison.id,
        "saved_as_of": iso(comparison.as_of),
        "as_of": iso(at),
        "results": results,
    }
    if active is not None:
        answer.update(as_json(active.header(at.date())))
    return answer


def _key(row: dict[str, Any]) -> str:
    return f"{row['provider']}/{row['model']}"


def _versions_in_force(rows: list[dict[str, Any]], at: datetime) -> dict[str, PriceVersion]:
    wanted = Q()
    for row in rows:
        wanted |= Q(model__provider__slug=row["provider"], model__slug=row["model"])
    versions = PriceVersion.objects.effective(at=at).filter(wanted).select_related("model__provider")
    return {version.model.key: version for version in versions} if rows else {}


def _repriced(
    row: dict[str, Any],
    version: PriceVersion | None,
    tier: str,
    at: datetime,
    saved_at: datetime,
    terms: MoneyTerms | None,
) -> dict[str, Any]:
    saved = Decimal(row["total_usd"])
    base = {
        "provider": row["provider"],
        "model": row["model"],
        "saved_price_version": row["price_version"],
        "saved_total_usd": money(saved),
    }
    if version is None:
        return base | {
            "price_version": None,
            "effective_from": None,
            "total_usd": None,
            "difference_usd": None,
            "changes": [],
        }
    # The saved reasoning assumption is part of the request, so it is billed again too.
    bill = bill_saved_row(row, version, tier, at)
    total = bill.total_usd
    repriced = base | {
        "price_version": version.pk,
        "effective_from": iso(version.effective_from),
        "total_usd": money(total),
        "difference_usd": money(total - saved),
        "changes": _changes(version, saved_at, at) if version.pk != row["price_version"] else [],
    }
    return repriced | (row_money(bill, version, terms, at) if terms is not None else {})


def _changes(version: PriceVersion, saved_at: datetime, at: datetime) -> list[dict[str, Any]]:
    """The versions that changed a rate between the two moments (either way round), oldest first."""
    start, end = sorted((saved_at, at))
    return [
        {
            "price_version": change.pk,
            "effective_from": iso(change.effective_from),
            "change_reason": change.change_reason,
            "source_url": change.source_url,
            "input_usd_per_mtok": money(change.input_usd_per_mtok),
            "output_usd_per_mtok": money(change.output_usd_per_mtok),
        }
        for change in rate_changes(version.model_id, start, end)
    ]
