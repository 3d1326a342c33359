"""The one planner: diff an upstream record against the catalogue, decide publish or propose.

Pure: no Django imports. Rates are USD per million tokens. History is append-only, so for a
model the catalogue already prices only points that start after its latest version are
considered; if none does and the price in force upstream differs, the change starts ``now`` (the
moment of the evidence). No date is ever a constant: an undated upstream price starts when it was
first seen, and the previous observation bounds how much earlier it may have been set.

The price is the full sheet (variants, per-unit prices, tiers, bands); flat rates are its view
that every source states. A change is planned from the flat rates, then given the sheet of its
start; a change where only the sheet differs (a flex tier that appeared) is added.

Curated facts (a seed or admin version) win over imports: over a curated version, only an
import that changes a flat rate publishes anything, and its sheet keeps the curated bands, time
zones and the variants the source does not state (``keep_curated``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, overload

from pricing.bill.compare import bills_alike, canonical
from pricing.bill.from_rates import BATCH, sheet_from_rates
from pricing.bill.money import money
from pricing.bill.rates import RATE_FIELDS, TIER_RATE_FIELDS, Rates, TierRates, rate_values
from pricing.bill.sheet import PriceSheet, Variant
from pricing.sources.records import PriceRecord

PUBLISH = "publish"
PROPOSE = "propose"
# A jump larger than this share of the old rate is reviewed by a human, not published.
MAX_AUTO_CHANGE = Decimal("0.5")
# How a change's start is known: a date the upstream data gives, or the moment of the evidence
# (a snapshot's publication, a refresh's fetch) that first showed it.
UPSTREAM_DATE = "upstream"
EVIDENCE_DATE = "evidence"


@dataclass(frozen=True)
class CatalogueState:
    """What the catalogue holds for one model: its latest version's start, rates, lock and sheet;
    ``curated``: that version is a curated fact (seed or admin), not an import."""

    latest_from: datetime
    latest_rates: Rates
    locked: bool = False
    latest_sheet: PriceSheet | None = None
    curated: bool = False


@dataclass(frozen=True)
class Change:
    """One version to publish or propose. With ``dated_by == EVIDENCE_DATE`` the price was first
    seen at ``effective_from`` and set after ``earliest`` (``None``: no earlier observation)."""

    key: str
    action: str  # PUBLISH or PROPOSE
    effective_from: datetime
    rates: Rates
    previous: Rates | None
    reason: str
    earliest: datetime | None = None
    dated_by: str = UPSTREAM_DATE
    sheet: PriceSheet | None = None  # the price in full, where the source says more than rates


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def plan_model(
    record: PriceRecord,
    state: CatalogueState | None,
    *,
    now: datetime,
    source: str,
    seen_since: datetime | None = None,
    review: bool = True,
) -> list[Change]:
    """The versions to publish or propose so the catalogue matches ``record`` as seen at ``now``,
    sheets included.

    ``now`` is the moment of the evidence and ``seen_since`` the source's observation before it:
    a price without an upstream date is dated by the evidence, within that window, never by a
    constant. ``review=False`` (replaying published snapshots) publishes every valid change.
    """
    changes = _plan_rates(record, state, now=now, source=source, seen_since=seen_since, review=review)
    if any(p.sheet is not None for p in record.history) and not (
        state is not None and state.latest_from > now and not changes  # a scheduled version stands
    ):
        changes = _with_sheets(record, state, changes, now, source, seen_since)
    if state is not None and state.curated:
        changes = _over_curated(changes, state)
    return changes


def _plan_rates(
    record: PriceRecord,
    state: CatalogueState | None,
    *,
    now: datetime,
    source: str,
    seen_since: datetime | None,
    review: bool,
) -> list[Change]:
    """The changes the flat rates call for (each without a sheet yet)."""
    dated = [(start_of(p.effective_from), p.rates) for p in record.history if p.effective_from]
    undated = next((p.rates for p in record.history if p.effective_from is None), None)
    if state is None:
        return _first_import(record.key, dated, undated, now, seen_since, source)
    fresh = [(start, rates, UPSTREAM_DATE) for start, rates in dated if start > state.latest_from]
    reason = f"{source}: price from {{:%Y-%m-%d}}"
    if not fresh and state.latest_from > now:
        return []  # a scheduled version stands until its date; nothing can be appended before it
    if not fresh:
        in_force = [rates for start, rates in dated if start <= now] or [undated or dated[0][1]]
        fresh = [(now, in_force[-1], EVIDENCE_DATE)]
        reason = f"{source}: upstream price differs from the catalogue (seen {{:%Y-%m-%d}})"
    changes: list[Change] = []
    previous = state.latest_rates
    for start, upstream, dated_by in fresh:
        rates = keep_batch(upstream, previous)
        if same_rates(rates, previous):
            continue
        why = _review_reason(previous, rates, state.locked, changes) if review else ""
        action = PROPOSE if why else PUBLISH
        text = reason.format(start) + (f"; needs review: {why}" if why else "")
        earliest = seen_since if dated_by == EVIDENCE_DATE else None
        changes.append(Change(record.key, action, start, rates, previous, text, earliest, dated_by))
        previous = rates
    return changes


def same_rates(first: Rates, second: Rates) -> bool:
    """Equal at the catalogue's stored precision (10 decimal places): a source's float noise
    (0.18000000000000002) is not a price change."""
    return _stored(first) == _stored(second)


def _stored(rates: Rates) -> tuple[object, ...]:
    def stored(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(Decimal("1e-10")).normalize()

    tiers = tuple(
        (t.threshold_tokens, *(stored(getattr(t, name)) for name in TIER_RATE_FIELDS)) for t in rates.tiers
    )
    return (*(stored(getattr(rates, name)) for name in RATE_FIELDS), tiers)


@overload
def keep_batch(upstream: Rates, previous: Rates) -> Rates: ...
@overload
def keep_batch(upstream: PriceSheet, previous: PriceSheet) -> PriceSheet: ...
def keep_batch(upstream: Rates | PriceSheet, previous: Rates | PriceSheet) -> Rates | PriceSheet:
    """The batch rule: a source silent about batch prices does not remove the catalogue's
    (genai-prices, for one, does not model batch history of retired models). Said of flat rates
    (the batch input and output rates) and of a sheet (the batch variant) alike."""
    if isinstance(upstream, PriceSheet) and isinstance(previous, PriceSheet):
        if BATCH in upstream.variants or BATCH not in previous.variants:
            return upstream
        return replace(upstream, variants={**upstream.variants, BATCH: previous.variants[BATCH]})
    assert isinstance(upstream, Rates) and isinstance(previous, Rates)
    if upstream.batch_input_usd_per_mtok is None and upstream.batch_output_usd_per_mtok is None:
        return replace(
            upstream,
            batch_input_usd_per_mtok=previous.batch_input_usd_per_mtok,
            batch_output_usd_per_mtok=previous.batch_output_usd_per_mtok,
        )
    return upstream


def _first_import(
    key: str,
    dated: list[tuple[datetime, Rates]],
    undated: Rates | None,
    now: datetime,
    seen_since: datetime | None,
    source: str,
) -> list[Change]:
    """Every upstream-dated point, and the undated price only while it is the one in force: its
    start is unknown, so it counts from the evidence (``now``) on. An undated price that a dated
    one already replaced has no known period and is left out rather than given a made-up date."""
    points = [(start, rates, UPSTREAM_DATE) for start, rates in dated]
    if undated is not None and not any(start <= now for start, _ in dated):
        points.insert(0, (now, undated, EVIDENCE_DATE))
    changes: list[Change] = []
    previous = None
    for start, rates, dated_by in sorted(points, key=lambda point: point[0]):
        if previous is not None and same_rates(rates, previous):
            continue
        if dated_by == EVIDENCE_DATE:
            when = f"first seen {start:%Y-%m-%d %H:%M} UTC" + (
                f", set after {seen_since:%Y-%m-%d %H:%M} UTC" if seen_since else ", start unknown"
            )
        else:
            when = f"from {start:%Y-%m-%d}"
        earliest = seen_since if dated_by == EVIDENCE_DATE else None
        reason = f"{source}: first import ({when})"
        changes.append(Change(key, PUBLISH, start, rates, previous, reason, earliest, dated_by))
        previous = rates
    return changes


def _with_sheets(
    record: PriceRecord,
    state: CatalogueState | None,
    changes: list[Change],
    now: datetime,
    source: str,
    seen_since: datetime | None,
) -> list[Change]:
    """Each change with the upstream sheet of its start, and a change where only the sheet
    differs. Candidates are dated as the flat rates' changes are."""
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
            upstream = keep_batch(upstream, sheet)
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


def _over_curated(changes: list[Change], state: CatalogueState) -> list[Change]:
    """Curated facts win: changes that restate the curated version's flat rates (a coarser or
    other reading of the same price: bands in another time zone, tiers left out) publish nothing;
    the first real rate change keeps what the curated sheet says that the source does not."""
    curated = state.latest_sheet or sheet_from_rates(state.latest_rates)
    for index, change in enumerate(changes):
        if same_rates(change.rates, state.latest_rates):
            continue
        sheet = None if change.sheet is None else keep_curated(change.sheet, curated)
        return [replace(change, sheet=sheet), *changes[index + 1 :]]
    return []


def keep_curated(upstream: PriceSheet, curated: PriceSheet) -> PriceSheet:
    """``upstream`` laid over a curated sheet: a variant the source does not state, or states at
    the curated base prices without the curated tiers, stays as curated; the curated bands (their
    weekdays and time zones) stand over the source's reading of them."""
    variants = dict(upstream.variants)
    for name, variant in curated.variants.items():
        if name not in variants or _restated(variants[name], variant):
            variants[name] = variant
    bands = curated.bands or upstream.bands
    return replace(upstream, variants=variants, bands=bands)


def _restated(upstream: Variant, curated: Variant) -> bool:
    base = PriceSheet({"standard": replace(upstream, tiers=())})
    return not upstream.tiers and canonical(base) == canonical(
        PriceSheet({"standard": replace(curated, tiers=())})
    )


def _review_reason(previous: Rates, rates: Rates, locked: bool, earlier: list[Change]) -> str:
    if locked:
        return "the current price is locked by an admin"
    if any(change.action == PROPOSE for change in earlier):
        return "follows a change that needs review"
    name, ratio = largest_change(previous, rates)
    if ratio > MAX_AUTO_CHANGE:
        shown = "from zero" if ratio == Decimal("Infinity") else f"by {ratio:.0%}"
        return f"{name} changes {shown} (over {MAX_AUTO_CHANGE:.0%})"
    return ""


def largest_change(old: Rates, new: Rates) -> tuple[str, Decimal]:
    """The rate that moved most, as a share of its old value (Infinity when it was zero)."""
    worst = ("", Decimal(0))
    for name in RATE_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before is None or after is None or before == after:
            continue
        ratio = Decimal("Infinity") if before == 0 else abs(after - before) / before
        if ratio > worst[1]:
            worst = (name, ratio)
    return worst


def rates_to_json(rates: Rates) -> dict[str, object]:
    """``Rates`` as JSON (money as exact decimal strings), as proposals and run diffs store them."""
    data: dict[str, object] = {name: money(value) for name, value in rate_values(rates).items()}
    data["tiers"] = [
        {"threshold_tokens": t.threshold_tokens, **{k: money(v) for k, v in rate_values(t).items()}}
        for t in rates.tiers
    ]
    return data


def rates_from_json(data: dict[str, Any]) -> Rates:
    """The inverse of ``rates_to_json``; a rate absent from ``data`` is unset."""
    tiers = tuple(
        TierRates(int(tier["threshold_tokens"]), **_amounts(tier, TIER_RATE_FIELDS))
        for tier in data.get("tiers", [])
    )
    return Rates(**_amounts(data, RATE_FIELDS), tiers=tiers)


def _amounts(data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: None if data.get(name) is None else Decimal(data[name]) for name in names}


def change_summary(change: Change) -> dict[str, object]:
    """A JSON-ready line of an import run's diff."""
    return {
        "model": change.key,
        "action": change.action,
        "effective_from": change.effective_from.isoformat(),
        "effective_from_earliest": change.earliest.isoformat() if change.earliest else None,
        "dated_by": change.dated_by,
        "reason": change.reason,
        "old": rates_to_json(change.previous) if change.previous else None,
        "new": rates_to_json(change.rates),
    }
