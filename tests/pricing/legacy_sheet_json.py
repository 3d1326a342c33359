"""Test helper: a sheet in the full-JSON form proposals stored before the notation became the
one encoding of a sheet (what ``pricing.bill.serial`` still reads)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pricing.bill.money import money
from pricing.bill.sheet import PriceSheet, UnitPrice, Variant


def sheet_to_json(sheet: PriceSheet) -> dict[str, Any]:
    return {
        "variants": {name: _variant_json(variant) for name, variant in sheet.variants.items()},
        "bands": [
            {
                "variant": band.variant,
                "tier": band.tier,
                "start": band.start.strftime("%H:%M"),
                "end": band.end.strftime("%H:%M"),
                "weekdays": sorted(band.weekdays),
                "time_zone": band.time_zone,
            }
            for band in sheet.bands
        ],
    }


def _variant_json(variant: Variant) -> dict[str, Any]:
    return {
        "prices": _prices_json(variant.prices),
        "tiers": [
            {
                "threshold_tokens": tier.threshold_tokens,
                "inclusive": tier.inclusive,
                "counted_kinds": sorted(tier.counted_kinds),
                "prices": _prices_json(tier.prices),
            }
            for tier in variant.tiers
        ],
    }


def _prices_json(prices: Mapping[str, UnitPrice]) -> dict[str, Any]:
    return {kind: {"usd": money(price.usd), "per": price.per} for kind, price in prices.items()}
