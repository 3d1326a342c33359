"""The one text encoding of a price sheet: a short notation for what flat rates cannot say.
Pure: no Django imports.

The seed, the admin's form, the history fixture and proposals awaiting review all write a
sheet so, next to the version's flat rates; the database's sheet rows (``pricing.models.sheets``)
are its storage, converted at that edge. ``exact_notation`` refuses a sheet it cannot say.

Next to a version's flat rates (which imply a standard and a batch variant), the notation adds:
- ``"batch_discounts_cache": true``: batch also discounts cache reads and writes (Anthropic);
- ``"variants": {"flex": {"input": "1.25", "output": "7.50", "cache_read": "0.13",
  "web_search": {"usd": "10", "per": 1000}, "tiers": [{"threshold_tokens": 272000,
  "input": "2.50", ...}]}}``: a variant in full, replacing the one the flat rates imply; a bare
  amount is USD per million tokens; a tier may say ``"counted_kinds"`` and ``"inclusive"``;
- ``"unit_prices": {"web_search": {"usd": "10", "per": 1000}}``: per-unit prices of every variant;
- ``"bands": [{"variant": "peak", "start": "09:00", "end": "12:00", "weekdays": [0, 1, 2, 3, 4],
  "time_zone": "Asia/Shanghai"}]``: hours in which the standard tier bills by another variant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import time
from decimal import Decimal
from typing import Any

from pricing.bill.compare import bills_alike
from pricing.bill.from_rates import BATCH, sheet_from_rates
from pricing.bill.money import money
from pricing.bill.rates import Rates
from pricing.bill.sheet import (
    MTOK,
    PROMPT_KINDS,
    STANDARD,
    UNIT_KINDS,
    PriceSheet,
    TierRule,
    TimeBand,
    UnitPrice,
    Variant,
)

EXTENSIONS = ("batch_discounts_cache", "variants", "unit_prices", "bands")
TIER_KEYS = ("threshold_tokens", "counted_kinds", "inclusive")


def sheet_from_notation(rates: Rates, notation: Mapping[str, Any]) -> PriceSheet | None:
    """The sheet ``rates`` and ``notation`` describe, or ``None`` when the rates say it all.
    ``KeyError``, ``TypeError`` or ``ValueError`` when the notation is malformed."""
    if not any(key in notation for key in EXTENSIONS):
        return None
    sheet = sheet_from_rates(rates, batch_discounts_cache=bool(notation.get("batch_discounts_cache")))
    own = {name: _variant(name, raw) for name, raw in notation.get("variants", {}).items()}
    units = {kind: _price(raw) for kind, raw in notation.get("unit_prices", {}).items()}
    variants = {**sheet.variants, **own}
    return PriceSheet(
        variants={name: replace(v, prices={**v.prices, **units}) for name, v in variants.items()},
        bands=tuple(_band(band) for band in notation.get("bands", [])),
    )


def carry_sheet(previous: PriceSheet | None, previous_rates: Rates, rates: Rates) -> PriceSheet | None:
    """``previous``'s service tiers, per-unit prices and bands laid over new flat ``rates`` (None:
    nothing beyond flat rates to carry): a variant the old rates implied follows the new ones."""
    if previous is None:
        return None
    return sheet_from_notation(rates, notation_of(previous, previous_rates))


def notation_of(sheet: PriceSheet, rates: Rates) -> dict[str, Any]:
    """The notation that gives back ``sheet`` from ``rates``: per-unit prices every variant
    shares, Anthropic's batch cache discount if that is what batch is, each other variant the
    rates do not imply (in full), and the bands. Carried over new rates, a variant the old rates
    implied follows the new ones."""
    units = _shared_unit_prices(sheet)
    variants = {
        name: replace(v, prices={k: p for k, p in v.prices.items() if k not in units})
        for name, v in sheet.variants.items()
    }
    notation: dict[str, Any] = {}
    implied = sheet_from_rates(rates).variants
    discounted = sheet_from_rates(rates, batch_discounts_cache=True).variants
    batch = variants.get(BATCH)
    if batch and BATCH in implied and not _alike(batch, implied[BATCH]) and _alike(batch, discounted[BATCH]):
        notation["batch_discounts_cache"] = True
        implied = discounted
    own = {
        n: _variant_notation(v) for n, v in variants.items() if n not in implied or not _alike(v, implied[n])
    }
    if own:
        notation["variants"] = own
    if units:
        notation["unit_prices"] = {kind: _price_notation(price) for kind, price in units.items()}
    if sheet.bands:
        notation["bands"] = [_band_notation(band) for band in sheet.bands]
    return notation


def exact_notation(sheet: PriceSheet, rates: Rates) -> dict[str, Any]:
    """``notation_of``, checked: ``ValueError`` when it would not give back a sheet that bills
    every request as ``sheet`` does."""
    notation = notation_of(sheet, rates)
    again = sheet_from_notation(rates, notation) or sheet_from_rates(rates)
    if not bills_alike(again, sheet):
        raise ValueError("the notation cannot say this sheet")
    return notation


def _band_notation(band: TimeBand) -> dict[str, Any]:
    return {
        "variant": band.variant,
        "tier": band.tier,
        "start": band.start.strftime("%H:%M"),
        "end": band.end.strftime("%H:%M"),
        "weekdays": sorted(band.weekdays),
        "time_zone": band.time_zone,
    }


def _band(raw: Mapping[str, Any]) -> TimeBand:
    return TimeBand(
        variant=str(raw["variant"]),
        start=time.fromisoformat(str(raw["start"])),
        end=time.fromisoformat(str(raw["end"])),
        weekdays=frozenset(int(day) for day in raw.get("weekdays", range(7))),
        time_zone=str(raw.get("time_zone", "UTC")),
        tier=str(raw.get("tier", STANDARD)),
    )


def _shared_unit_prices(sheet: PriceSheet) -> dict[str, UnitPrice]:
    """Per-unit prices (searches, requests, audio) that every variant has alike."""
    first, *others = sheet.variants.values()
    return {
        kind: price
        for kind, price in first.prices.items()
        if kind in UNIT_KINDS and all(v.prices.get(kind) == price for v in others)
    }


def _alike(a: Variant, b: Variant) -> bool:
    return bills_alike(PriceSheet({a.name: a}), PriceSheet({a.name: replace(b, name=a.name)}))


def _variant(name: str, raw: Mapping[str, Any]) -> Variant:
    tiers = tuple(
        TierRule(
            int(tier["threshold_tokens"]),
            _prices(tier),
            frozenset(tier.get("counted_kinds") or PROMPT_KINDS),
            bool(tier.get("inclusive", False)),
        )
        for tier in raw.get("tiers", [])
    )
    return Variant(name, _prices(raw), tiers)


def _prices(raw: Mapping[str, Any]) -> dict[str, UnitPrice]:
    return {kind: _price(value) for kind, value in raw.items() if kind not in ("tiers", *TIER_KEYS)}


def _price(value: object) -> UnitPrice:
    if isinstance(value, Mapping):
        return UnitPrice(Decimal(str(value["usd"])), int(value.get("per", MTOK)))
    return UnitPrice(Decimal(str(value)))


def _variant_notation(variant: Variant) -> dict[str, Any]:
    data: dict[str, Any] = {kind: _price_notation(price) for kind, price in variant.prices.items()}
    tiers = []
    for tier in variant.tiers:
        entry: dict[str, Any] = {"threshold_tokens": tier.threshold_tokens}
        entry |= {kind: _price_notation(price) for kind, price in tier.prices.items()}
        if tier.counted_kinds != PROMPT_KINDS:
            entry["counted_kinds"] = sorted(tier.counted_kinds)
        if tier.inclusive:
            entry["inclusive"] = True
        tiers.append(entry)
    if tiers:
        data["tiers"] = tiers
    return data


def _price_notation(price: UnitPrice) -> str | dict[str, Any]:
    usd = money(price.usd) or "0"
    return usd if price.per == MTOK else {"usd": usd, "per": price.per}
