"""The seed's notation for what flat rates cannot say (pure: no Django imports).

A seed version may add, next to its flat rates:
- ``"batch_discounts_cache": true``: batch also discounts cache reads and writes (Anthropic);
- ``"variants": {"flex": {"input": "1.25", "output": "7.50", "cache_read": "0.13",
  "tiers": [{"threshold_tokens": 272000, "input": "2.50", ...}]}}``: a variant's own rates,
  USD per million tokens, replacing the one the flat rates imply;
- ``"unit_prices": {"web_search": {"usd": "10", "per": 1000}}``: per-unit prices of every variant;
- ``"bands": [{"variant": "peak", "start": "09:00", "end": "12:00", "weekdays": [0, 1, 2, 3, 4],
  "time_zone": "Asia/Shanghai"}]``: hours in which the standard tier bills by another variant.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from .bill.from_rates import sheet_from_rates
from .bill.serial import band_from_json
from .bill.sheet import PriceSheet, TierRule, UnitPrice, Variant
from .costs import Rates

EXTENSIONS = ("batch_discounts_cache", "variants", "unit_prices", "bands")


def sheet_from_entry(rates: Rates, entry: dict[str, Any]) -> PriceSheet | None:
    """The sheet a seed version describes, or ``None`` when its flat rates say it all."""
    if not any(key in entry for key in EXTENSIONS):
        return None
    sheet = sheet_from_rates(rates, batch_discounts_cache=bool(entry.get("batch_discounts_cache")))
    variants = {**sheet.variants, **{n: _variant(n, raw) for n, raw in entry.get("variants", {}).items()}}
    units = {
        kind: UnitPrice(Decimal(p["usd"]), int(p["per"])) for kind, p in entry.get("unit_prices", {}).items()
    }
    return PriceSheet(
        variants={name: replace(v, prices={**v.prices, **units}) for name, v in variants.items()},
        bands=tuple(band_from_json(band) for band in entry.get("bands", [])),
    )


def _variant(name: str, raw: dict[str, Any]) -> Variant:
    tiers = tuple(TierRule(int(tier["threshold_tokens"]), _per_mtok(tier)) for tier in raw.get("tiers", []))
    return Variant(name, _per_mtok(raw), tiers)


def _per_mtok(raw: dict[str, Any]) -> dict[str, UnitPrice]:
    return {
        kind: UnitPrice(Decimal(usd))
        for kind, usd in raw.items()
        if kind not in ("tiers", "threshold_tokens")
    }
