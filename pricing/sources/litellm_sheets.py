"""LiteLLM's service-tier, modality and per-image prices → a sheet. Pure: no Django imports.

A LiteLLM entry prices flex and priority processing with suffixed keys
(``input_cost_per_token_flex``, ``cache_read_input_token_cost_priority``), audio, image and
reasoning tokens with their own keys, and images per image (``input_cost_per_image``). The flat
rates imply the standard and batch variants; flex and priority are the standard prices with
their own keys laid over them. Cost keys none of this can hold are noted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.rates import Rates
from pricing.bill.sheet import PriceSheet, UnitPrice, Variant
from pricing.sources.records import Json, per_token_to_per_mtok, to_decimal

# Per-token key (without a tier suffix) → our token kind.
TOKEN_KEYS = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write_5m",
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h",
    "input_cost_per_audio_token": "input_audio",
    "output_cost_per_audio_token": "output_audio",
    "cache_read_input_audio_token_cost": "cache_audio_read",
    "output_cost_per_reasoning_token": "reasoning",
    "input_cost_per_image_token": "input_image",
    "output_cost_per_image_token": "output_image",
}
# USD per unit keys → (kind, units the price is for).
UNIT_KEYS = {"input_cost_per_image": ("image", 1), "input_cost_per_audio_per_second": ("audio_second", 1)}
TIER_SUFFIXES = ("_flex", "_priority")
FLAT_SUFFIXES = ("", "_batches")  # what the flat rates already hold


def sheet_of_entry(entry: Json, rates: Rates, notes: list[str]) -> PriceSheet | None:
    """The entry in full, or ``None`` when the flat rates hold all of it."""
    standard: dict[str, UnitPrice] = {}
    tiers: dict[str, dict[str, UnitPrice]] = {suffix: {} for suffix in TIER_SUFFIXES}
    for key, value in entry.items():
        if value is None or value in (0, "0") or not ("cost" in key or "price" in key):
            continue
        if not _place(key, value, standard, tiers):
            notes.append(f"price key not represented: {key}")
    own = {suffix.lstrip("_"): prices for suffix, prices in tiers.items() if prices}
    if not own and not set(standard) - {"input", "output", "cache_read", "cache_write_5m", "cache_write_1h"}:
        return None
    sheet = sheet_from_rates(rates)
    variants = {name: _with(v, standard) for name, v in sheet.variants.items()}
    base = variants["standard"]
    for name, prices in own.items():
        variants[name] = Variant(name, {**base.prices, **prices})
    return replace(sheet, variants=variants)


def _place(
    key: str, value: Any, standard: dict[str, UnitPrice], tiers: dict[str, dict[str, UnitPrice]]
) -> bool:
    """File one cost key; ``False`` when no kind takes it."""
    if key in UNIT_KEYS:
        kind, per = UNIT_KEYS[key]
        standard[kind] = UnitPrice(to_decimal(value), per)
        return True
    for suffix in (*TIER_SUFFIXES, *FLAT_SUFFIXES):
        base = key.removesuffix(suffix) if suffix else key
        if (suffix == "" or key.endswith(suffix)) and base in TOKEN_KEYS:
            price = UnitPrice(per_token_to_per_mtok(value))
            if suffix in TIER_SUFFIXES:
                tiers[suffix][TOKEN_KEYS[base]] = price
            elif suffix == "":
                standard[TOKEN_KEYS[base]] = price
            return True
    return "_above_" in key  # long-context tiers: the flat rates' TierRates hold them


def _with(variant: Variant, standard: dict[str, UnitPrice]) -> Variant:
    """A variant the flat rates imply, plus the modality and per-unit prices they cannot hold."""
    extra = {kind: price for kind, price in standard.items() if kind not in variant.prices}
    return replace(variant, prices={**variant.prices, **extra})
