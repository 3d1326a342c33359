"""Diff an upstream record against what the catalogue holds, and decide publish or propose.

Pure: no Django imports. Rates are USD per million tokens. History is append-only, so for a
model the catalogue already prices only points that start after its latest version are
considered; if none does and the price in force upstream differs, the change starts ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from pricing.costs import RATE_FIELDS, TIER_RATE_FIELDS, Rates, TierRates, money, rate_values

from .records import PriceRecord

PUBLISH = "publish"
PROPOSE = "propose"
# A jump larger than this share of the old rate is reviewed by a human, not published.
MAX_AUTO_CHANGE = Decimal("0.5")
# Undated upstream prices (no start date given) are shown from this instant.
UNDATED_FROM = datetime(2023, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CatalogueState:
    """What the catalogue holds for one model: its latest version's start, rates and lock."""

    latest_from: datetime
    latest_rates: Rates
    locked: bool = False


@dataclass(frozen=True)
class Change:
    key: str
    action: str  # PUBLISH or PROPOSE
    effective_from: datetime
    rates: Rates
    previous: Rates | None
    reason: str


def start_of(day: date | None) -> datetime:
    return UNDATED_FROM if day is None else datetime.combine(day, time(0), tzinfo=UTC)


def plan_model(
    record: PriceRecord, state: CatalogueState | None, *, now: datetime, source: str
) -> list[Change]:
    """The versions to publish or propose so the catalogue matches ``record``."""
    points = [(start_of(p.effective_from), p.rates) for p in record.history]
    if state is None:
        return _first_import(record.key, points, source)
    fresh = [(start, rates) for start, rates in points if start > state.latest_from]
    reason = f"{source}: price from {{:%Y-%m-%d}}"
    if not fresh:
        in_force = [rates for start, rates in points if start <= now] or [points[0][1]]
        fresh = [(now, in_force[-1])]
        reason = f"{source}: upstream price differs from the catalogue (seen {{:%Y-%m-%d}})"
    changes: list[Change] = []
    previous = state.latest_rates
    for start, upstream in fresh:
        rates = keep_batch(upstream, previous)
        if rates == previous:
            continue
        why = _review_reason(previous, rates, state.locked, changes)
        action = PROPOSE if why else PUBLISH
        text = reason.format(start) + (f"; needs review: {why}" if why else "")
        changes.append(Change(record.key, action, start, rates, previous, text))
        previous = rates
    return changes


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


def _first_import(key: str, points: list[tuple[datetime, Rates]], source: str) -> list[Change]:
    changes: list[Change] = []
    previous = None
    for start, rates in points:
        if rates == previous:
            continue
        when = "undated upstream" if start == UNDATED_FROM else f"from {start:%Y-%m-%d}"
        changes.append(Change(key, PUBLISH, start, rates, previous, f"{source}: first import ({when})"))
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
        "reason": change.reason,
        "old": rates_to_json(change.previous) if change.previous else None,
        "new": rates_to_json(change.rates),
    }
