"""Diff an upstream record against what the catalogue holds, and decide publish or propose.

Pure: no Django imports. Rates are USD per million tokens. History is append-only, so for a
model the catalogue already prices only points that start after its latest version are
considered; if none does and the price in force upstream differs, the change starts ``now`` (the
moment of the evidence). No date is ever a constant: an undated upstream price starts when it was
first seen, and the previous observation bounds how much earlier it may have been set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from pricing.bill.money import money
from pricing.bill.rates import RATE_FIELDS, TIER_RATE_FIELDS, Rates, TierRates, rate_values
from pricing.bill.sheet import PriceSheet
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
    """What the catalogue holds for one model: its latest version's start, rates and lock."""

    latest_from: datetime
    latest_rates: Rates
    locked: bool = False
    latest_sheet: PriceSheet | None = None  # the latest version in full (``sheet_diff``)


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
    """The versions to publish or propose so the catalogue matches ``record`` as seen at ``now``.

    ``now`` is the moment of the evidence and ``seen_since`` the source's observation before it:
    a price without an upstream date is dated by the evidence, within that window, never by a
    constant. ``review=False`` (replaying published snapshots) publishes every valid change.
    """
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


def keep_batch(rates: Rates, previous: Rates) -> Rates:
    """A source silent about batch prices does not remove the catalogue's (genai-prices, for
    one, does not model batch history of retired models)."""
    if rates.batch_input_usd_per_mtok is None and rates.batch_output_usd_per_mtok is None:
        return replace(
            rates,
            batch_input_usd_per_mtok=previous.batch_input_usd_per_mtok,
            batch_output_usd_per_mtok=previous.batch_output_usd_per_mtok,
        )
    return rates


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
