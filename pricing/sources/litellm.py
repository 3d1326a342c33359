"""Parser of LiteLLM's ``model_prices_and_context_window.json``: one object keyed by model name.

Pure: no Django imports. Prices upstream are USD per token; they become USD per million tokens
exactly. ``*_above_<N>k_tokens`` prices become cliff tiers at N × 1,000 prompt tokens. Context
window (``max_input_tokens``) and ``max_output_tokens`` fill the model. ``deprecation_date`` (the
day the provider shuts the model down, ``YYYY-MM-DD``) becomes the record's ``retires_on``; an
unreadable one is a note. LiteLLM gives no price
history, so each record has one undated point. Service tiers (flex, priority), modality and
per-image prices go into the point's sheet (``sheet_of_entry``: the flat rates imply the standard
and batch variants; flex and priority are the standard prices with their own suffixed keys
laid over them); keys not even that can hold are reported in the record's notes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.rates import Rates, TierRates
from pricing.bill.sheet import PriceSheet, UnitPrice, Variant
from pricing.sources.records import (
    Json,
    ParsedPayload,
    PayloadError,
    PricePoint,
    PriceRecord,
    ProviderInfo,
    canonical_model,
    canonical_provider,
    load_json,
    merge_aliases,
    per_token_to_per_mtok,
    to_decimal,
    to_int,
)

RATE_KEYS = {
    "input_cost_per_token": "input_usd_per_mtok",
    "output_cost_per_token": "output_usd_per_mtok",
    "cache_read_input_token_cost": "cache_read_usd_per_mtok",
    "cache_creation_input_token_cost": "cache_write_5m_usd_per_mtok",
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h_usd_per_mtok",
    "input_cost_per_token_batches": "batch_input_usd_per_mtok",
    "output_cost_per_token_batches": "batch_output_usd_per_mtok",
}
TIER_KEY = re.compile(
    r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost"
    r"|cache_creation_input_token_cost)_above_(\d+)k_tokens$"
)
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOKEN_PRICED_MODES = {"chat", "completion", "responses", None}


def parse(payload: bytes) -> ParsedPayload:
    data = load_json(payload)
    if not isinstance(data, Mapping):
        raise PayloadError("expected a JSON object keyed by model name")
    parsed = ParsedPayload()
    for key, entry in data.items():
        if key == "sample_spec":
            continue
        parsed.models_in_payload += 1
        try:
            record = parse_entry(str(key), entry)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            parsed.skipped.append(f"{key}: unreadable entry ({error})")
            continue
        if isinstance(record, str):
            parsed.skipped.append(f"{key}: {record}")
            continue
        parsed.records.append(record)
        parsed.providers.setdefault(record.provider, ProviderInfo(record.provider, record.provider))
    parsed.records = merge_aliases(parsed.records)
    return parsed


def parse_entry(key: str, entry: Json) -> PriceRecord | str:
    """One LiteLLM entry → a record, or a string saying why it has no token price."""
    if not isinstance(entry, Mapping):
        raise TypeError("entry is not an object")
    upstream_provider = str(entry.get("litellm_provider") or "").strip()
    if not upstream_provider:
        return "no litellm_provider"
    mode = entry.get("mode")
    if mode not in TOKEN_PRICED_MODES:
        return f"mode {mode} is not priced per token"
    provider = canonical_provider(upstream_provider)
    upstream_id = key.removeprefix(f"{upstream_provider}/")
    notes: list[str] = []
    rates = _rates(entry)
    if rates is None:
        return "no per-token input and output price"
    sheet = sheet_of_entry(entry, rates, notes)
    retires_on = _day(entry.get("deprecation_date"), notes)
    return PriceRecord(
        provider=provider,
        model=canonical_model(provider, upstream_id),
        name=upstream_id,
        upstream_id=key,
        history=(PricePoint(None, rates, sheet),),
        context_window=to_int(entry.get("max_input_tokens")),
        max_output_tokens=to_int(entry.get("max_output_tokens")),
        notes=tuple(notes),
        retires_on=retires_on,
    )


def _day(value: Any, notes: list[str]) -> date | None:
    """``deprecation_date`` as a day; ``None`` (with a note) when it is not ``YYYY-MM-DD``."""
    if value in (None, ""):
        return None
    if DAY.match(str(value)):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            pass
    notes.append(f"deprecation_date {str(value)[:40]!r} is not a YYYY-MM-DD day: ignored")
    return None


def _rates(entry: Json) -> Rates | None:
    """The flat rates; the rest is the sheet's (``sheet_of_entry``), which notes what it drops."""
    flat: dict[str, Any] = {}  # rate field name -> Decimal | None
    tiers: dict[int, dict[str, Decimal]] = {}
    for key, value in entry.items():
        if value is None:
            continue
        if key in RATE_KEYS:
            flat[RATE_KEYS[key]] = per_token_to_per_mtok(value)
        elif match := TIER_KEY.match(key):
            name = RATE_KEYS[match.group(1)]
            tiers.setdefault(int(match.group(2)) * 1000, {})[name] = per_token_to_per_mtok(value)
    if "input_usd_per_mtok" not in flat or "output_usd_per_mtok" not in flat:
        return None
    return Rates(**flat, tiers=_tiers(flat, tiers))


def _tiers(flat: dict[str, Any], tiers: dict[int, dict[str, Decimal]]) -> tuple[TierRates, ...]:
    result = []
    for threshold in sorted(tiers):
        fields = dict(tiers[threshold])
        fields.setdefault("input_usd_per_mtok", flat["input_usd_per_mtok"])
        fields.setdefault("output_usd_per_mtok", flat["output_usd_per_mtok"])
        result.append(TierRates(threshold_tokens=threshold, **fields))
    return tuple(result)


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


# Where a LiteLLM map is read from: a release's wheel (``.../litellm-1.110.2-...whl``) or the map
# file itself. A lifecycle moment with such a source was imported, and a curated one replaces it.
LITELLM_SOURCE = re.compile(r"(/litellm-[^/]+\.whl|/model_prices_and_context_window[^/]*\.json)$")


def is_litellm_source(url: str) -> bool:
    return bool(url) and LITELLM_SOURCE.search(url.split("?", 1)[0].split("#", 1)[0]) is not None
