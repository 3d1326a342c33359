"""Plan an upstream record's changes with its sheets: variants, per-unit prices and bands count.

Pure: no Django imports. ``plan_model`` (``diff``) decides by the flat rates; this gives each
change the sheet of its start, and adds a change where only the sheet differs (a flex tier that
appeared, a peak band), so the catalogue holds what the source says, once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pricing.bill.compare import bills_alike
from pricing.bill.from_rates import BATCH, sheet_from_rates
from pricing.bill.rates import Rates
from pricing.bill.sheet import PriceSheet
from pricing.sources.diff import (
    EVIDENCE_DATE,
    PROPOSE,
    PUBLISH,
    UPSTREAM_DATE,
    CatalogueState,
    Change,
    plan_model,
    start_of,
)
from pricing.sources.records import PriceRecord


def plan_prices(
    record: PriceRecord,
    state: CatalogueState | None,
    *,
    now: datetime,
    source: str,
    seen_since: datetime | None = None,
    review: bool = True,
) -> list[Change]:
    """The versions to publish or propose so the catalogue matches ``record``, sheets included.
    Dates as ``plan_model`` gives them: an upstream date, or the evidence (``now``) for a price
    without one."""
    changes = plan_model(record, state, now=now, source=source, seen_since=seen_since, review=review)
    if all(p.sheet is None for p in record.history):
        return changes
    if state is not None and state.latest_from > now and not changes:
        return changes  # a scheduled version stands until its date
    dated = [(start_of(p.effective_from), p.sheet) for p in record.history if p.effective_from]
    undated = next((p.sheet for p in record.history if p.effective_from is None), None)
    if state is None:
        candidates = [(start, sheet, UPSTREAM_DATE) for start, sheet in dated]
        if undated is not None and not any(start <= now for start, _ in dated):
            candidates.insert(0, (now, undated, EVIDENCE_DATE))
    else:
        candidates = [(start, sheet, UPSTREAM_DATE) for start, sheet in dated if start > state.latest_from]
        if not candidates:
            in_force = [sheet for start, sheet in dated if start <= now] or [undated or dated[0][1]]
            candidates = [(now, in_force[-1], EVIDENCE_DATE)]
    return _attach(record.key, state, changes, candidates, source, seen_since)


def _attach(
    key: str,
    state: CatalogueState | None,
    changes: list[Change],
    candidates: list[tuple[datetime, PriceSheet | None, str]],
    source: str,
    seen_since: datetime | None,
) -> list[Change]:
    by_start = {change.effective_from: change for change in changes}
    rates = state.latest_rates if state else None
    sheet = (state.latest_sheet or sheet_from_rates(state.latest_rates)) if state else None
    planned = []
    for start, upstream, dated_by in sorted(candidates, key=lambda candidate: candidate[0]):
        change = by_start.pop(start, None)
        if upstream is not None and sheet is not None:
            upstream = keep_batch_variant(upstream, sheet)
        if change is not None:
            planned.append(replace(change, sheet=upstream))
            rates, sheet = change.rates, upstream or sheet_from_rates(change.rates)
        elif upstream is not None and rates is not None and not _alike(upstream, sheet, rates):
            earliest = seen_since if dated_by == EVIDENCE_DATE else None
            planned.append(
                _sheet_change(key, start, rates, upstream, state, planned, source, earliest, dated_by)
            )
            sheet = upstream
    return sorted([*planned, *by_start.values()], key=lambda change: change.effective_from)


def _alike(upstream: PriceSheet, sheet: PriceSheet | None, rates: Rates) -> bool:
    return bills_alike(upstream, sheet or sheet_from_rates(rates))


def _sheet_change(
    key: str,
    start: datetime,
    rates: Rates,
    upstream: PriceSheet,
    state: CatalogueState | None,
    planned: list[Change],
    source: str,
    earliest: datetime | None,
    dated_by: str,
) -> Change:
    """A version with the same flat rates and a new sheet; reviewed when the price is locked."""
    why = ""
    if state is not None and state.locked:
        why = "the current price is locked by an admin"
    elif any(change.action == PROPOSE for change in planned):
        why = "follows a change that needs review"
    reason = f"{source}: service tiers, per-unit prices or time bands from {start:%Y-%m-%d}"
    reason += f"; needs review: {why}" if why else ""
    action = PROPOSE if why else PUBLISH
    return Change(key, action, start, rates, rates, reason, earliest, dated_by, sheet=upstream)


def keep_batch_variant(upstream: PriceSheet, previous: PriceSheet) -> PriceSheet:
    """As with flat rates, a source silent about batch does not remove the catalogue's batch."""
    if BATCH in upstream.variants or BATCH not in previous.variants:
        return upstream
    return replace(upstream, variants={**upstream.variants, BATCH: previous.variants[BATCH]})
