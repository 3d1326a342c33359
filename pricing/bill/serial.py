"""Reading the full-JSON form of a sheet that proposals stored before the notation
(``pricing.bill.notation``) became the one encoding of a sheet; nothing writes it any more, a
pending proposal of that time is still read exactly. Pure: no Django imports.

Money is an exact decimal string. The shape::

    {"variants": {"standard": {"prices": {"input": {"usd": "5", "per": 1000000}, ...},
                               "tiers": [{"threshold_tokens": 200000, "inclusive": false,
                                          "counted_kinds": ["cache_read", "input", ...],
                                          "prices": {...}}]},
                  "batch": {...}},
     "bands": [{"variant": "peak", "tier": "standard", "start": "09:00", "end": "12:00",
                "weekdays": [0, 1, 2, 3, 4], "time_zone": "Asia/Shanghai"}]}
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from pricing.bill.sheet import MTOK, PROMPT_KINDS, PriceSheet, TierRule, TimeBand, UnitPrice, Variant


class SheetFormatError(ValueError):
    """The JSON does not describe a sheet; the message says where."""


def sheet_from_json(data: object) -> PriceSheet:
    """The sheet ``data`` describes; ``SheetFormatError`` saying where it does not."""
    try:
        assert isinstance(data, Mapping), "a sheet is a JSON object"
        variants = {name: _variant(name, raw) for name, raw in data["variants"].items()}
        bands = tuple(band_from_json(raw) for raw in data.get("bands", []))
    except (AssertionError, KeyError, TypeError, ValueError, AttributeError, InvalidOperation) as error:
        raise SheetFormatError(f"not a price sheet: {type(error).__name__} {error}") from None
    return PriceSheet(variants=variants, bands=bands)


def _variant(name: str, raw: Mapping[str, Any]) -> Variant:
    tiers = tuple(
        TierRule(
            threshold_tokens=int(tier["threshold_tokens"]),
            prices=_prices(tier["prices"]),
            counted_kinds=frozenset(tier.get("counted_kinds") or PROMPT_KINDS),
            inclusive=bool(tier.get("inclusive", False)),
        )
        for tier in raw.get("tiers", [])
    )
    return Variant(name=name, prices=_prices(raw["prices"]), tiers=tiers)


def _prices(raw: Mapping[str, Any]) -> dict[str, UnitPrice]:
    return {
        kind: UnitPrice(Decimal(str(price["usd"])), int(price.get("per", MTOK)))
        for kind, price in raw.items()
    }


def band_from_json(raw: Mapping[str, Any]) -> TimeBand:
    return TimeBand(
        variant=str(raw["variant"]),
        start=time.fromisoformat(str(raw["start"])),
        end=time.fromisoformat(str(raw["end"])),
        weekdays=frozenset(int(day) for day in raw.get("weekdays", range(7))),
        time_zone=str(raw.get("time_zone", "UTC")),
        tier=str(raw.get("tier", "standard")),
    )
