"""Parser of genai-prices' v2 data: a JSON list of providers, each with its models.

Pure: no Django imports. Prices upstream are already USD per million tokens (``*_mtok``).
Each model is read once, as the price in full (a ``PriceSheet`` as of each date); its flat
``Rates`` are the sheet's view (``pricing.bill.from_rates.rates_of_sheet``). The sheet keeps:
- a ``start_date`` constraint (of a price or of any variant) starts a price point on that
  date; the unconstrained price is the undated point before them;
- every price variant (``service_tier`` flex / priority / fast, ``processing=batch``,
  ``speed=fast``, ``route=...``), each resolved over the standard prices key by key, the first
  active variant winning a key (genai-prices' own rule); the batch variant gives the flat batch
  rates;
- daily time windows (DeepSeek's peak hours) as bands, in UTC, switching the standard tier to
  a ``peak`` variant; a window applies from the latest start date listed before it (the flat
  rates follow ``TIME_OF_DAY_CONVENTION``: the ones in force for most of the day);
- per-unit prices (web and file searches, code executions, requests, audio hours) and the
  modality token rates (audio, image, video, reasoning, citations);
- cliff tiers, counted over the whole prompt (cached tokens included) with ``>``, as
  genai-prices computes them.
A price key not even the sheet can hold is reported in the notes, never dropped silently.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

from pricing.bill.from_rates import TIME_OF_DAY_CONVENTION, rates_of_sheet
from pricing.bill.sheet import MTOK, STANDARD, PriceSheet, TierRule, TimeBand, UnitPrice, Variant
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
    per_mtok,
    to_int,
)

__all__ = ["TIME_OF_DAY_CONVENTION", "bundled_payload", "parse", "parse_model", "sheet_at"]


def parse(payload: bytes) -> ParsedPayload:
    """Read the whole payload; ``PayloadError`` when it is not a list of providers."""
    data = load_json(payload)
    if not isinstance(data, list) or not all(isinstance(p, Mapping) for p in data):
        raise PayloadError("expected a JSON list of provider objects")
    parsed = ParsedPayload()
    for raw_provider in data:
        _parse_provider(raw_provider, parsed)
    parsed.records = merge_aliases(parsed.records)
    return parsed


def _parse_provider(raw: Json, parsed: ParsedPayload) -> None:
    upstream = str(raw.get("id", "")).strip()
    models = raw.get("models") or []
    if not upstream or not isinstance(models, list):
        raise PayloadError(f"provider entry without an id or a model list: {str(raw)[:80]}")
    slug = canonical_provider(upstream)
    urls = raw.get("pricing_urls") or [""]
    parsed.providers[slug] = ProviderInfo(slug, str(raw.get("name") or upstream), str(urls[0]))
    for raw_model in models:
        parsed.models_in_payload += 1
        try:
            record = parse_model(slug, raw_model)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            parsed.skipped.append(f"{upstream}/{_id_of(raw_model)}: unreadable entry ({error})")
            continue
        if isinstance(record, str):
            parsed.skipped.append(f"{upstream}/{_id_of(raw_model)}: {record}")
        else:
            parsed.records.append(record)


def _id_of(raw: object) -> str:
    return str(raw.get("id", "?")) if isinstance(raw, Mapping) else "?"


def parse_model(provider: str, raw: Json) -> PriceRecord | str:
    """One model entry → a record, or a string saying why it has no token price."""
    upstream_id = str(raw["id"])
    notes: list[str] = []
    dated = [start for start, window, _ in _entries(raw.get("prices")) if window is None]
    if None not in dated:
        return "no undated base price"
    starts = sorted({start for start in dated if start} | variant_start_dates(raw))
    history = []
    for point_start in [None, *starts]:
        sheet = sheet_at(raw, point_start, notes)
        rates = rates_of_sheet(sheet)
        if rates is None:
            return "no per-token input and output price"
        history.append(PricePoint(point_start, rates, sheet))
    return PriceRecord(
        provider=provider,
        model=canonical_model(provider, upstream_id),
        name=str(raw.get("name") or upstream_id),
        upstream_id=upstream_id,
        history=tuple(history),
        context_window=to_int(raw.get("context_window")),
        deprecated=bool(raw.get("deprecated")),
        notes=tuple(dict.fromkeys(notes)),
    )


# genai-prices key → (our kind, how many units its price is for).
KEY_KINDS: dict[str, tuple[str, int]] = {
    "input_mtok": ("input", MTOK),
    "input_text_mtok": ("input", MTOK),
    "output_mtok": ("output", MTOK),
    "output_text_mtok": ("output", MTOK),
    "cache_read_mtok": ("cache_read", MTOK),
    "cache_text_read_mtok": ("cache_read", MTOK),
    "cache_write_mtok": ("cache_write_5m", MTOK),
    "cache_write_5m_mtok": ("cache_write_5m", MTOK),
    "cache_text_write_mtok": ("cache_write_5m", MTOK),
    "cache_write_1h_mtok": ("cache_write_1h", MTOK),
    "output_reasoning_mtok": ("reasoning", MTOK),
    "output_text_reasoning_mtok": ("reasoning", MTOK),
    "output_citation_mtok": ("output_citation", MTOK),
    "input_audio_mtok": ("input_audio", MTOK),
    "output_audio_mtok": ("output_audio", MTOK),
    "cache_audio_read_mtok": ("cache_audio_read", MTOK),
    "input_image_mtok": ("input_image", MTOK),
    "output_image_mtok": ("output_image", MTOK),
    "cache_image_read_mtok": ("cache_image_read", MTOK),
    "input_video_mtok": ("input_video", MTOK),
    "output_video_mtok": ("output_video", MTOK),
    "web_searches_kcount": ("web_search", 1000),
    "storage_searches_kcount": ("storage_search", 1000),
    "code_executions_kcount": ("code_execution", 1000),
    "requests_kcount": ("request", 1000),
    # Audio priced by the hour is billed by the second; "input" audio hours are the same
    # duration (genai-prices lists both at one price for transcription models).
    "audio_hours": ("audio_second", 3600),
    "input_audio_hours": ("audio_second", 3600),
}
Entry = tuple[date | None, tuple[time, time] | None, Json]
Window = tuple[time, time]
NAMED_BY_VALUE = ("service_tier", "processing", "speed")
PEAK = "peak"


def sheet_at(raw_model: Json, at: date | None, notes: list[str]) -> PriceSheet:
    """The sheet in force on ``at`` (``None``: before any dated price); notes what it drops."""
    entries = _entries(raw_model.get("prices"))
    standard = _standard(entries, at)
    variants = {STANDARD: _variant(STANDARD, standard, notes)}
    resolved = _resolved_variants(raw_model.get("price_variants") or [], standard, at, notes)
    for name, overlaid in resolved.items():
        variants[name] = _variant(name, overlaid, notes)
    bands: list[TimeBand] = []
    for index, (window, peak_prices) in enumerate(_windows(entries, at)):
        name = PEAK if index == 0 else f"{PEAK}-{index + 1}"
        variants[name] = _variant(name, peak_prices, notes)
        bands.extend(TimeBand(name, start, end) for start, end in window)
    return PriceSheet(variants=variants, bands=tuple(bands))


def variant_start_dates(raw_model: Json) -> set[date]:
    """Dates on which some variant starts: each begins a new sheet."""
    starts = set()
    for variant in raw_model.get("price_variants") or []:
        start = (variant.get("constraint") or {}).get("start_date")
        if start:
            starts.add(date.fromisoformat(str(start)))
    return starts


def _entries(raw: object) -> list[Entry]:
    """(start date, daily window, prices) in source order; a window carries the latest start
    date listed before it."""
    if isinstance(raw, Mapping):
        return [(None, None, raw)]
    if not isinstance(raw, list):
        raise ValueError("prices must be an object or a list of conditional prices")
    entries: list[Entry] = []
    latest: date | None = None
    for item in raw:
        constraint = item.get("constraint") or {}
        if "start_time" in constraint:
            window = (_utc_time(constraint["start_time"]), _utc_time(constraint["end_time"]))
            entries.append((latest, window, item["prices"]))
        elif constraint and "start_date" not in constraint:
            raise ValueError(f"unknown price constraint {sorted(constraint)}")
        else:
            start = constraint.get("start_date")
            latest = date.fromisoformat(str(start)) if start else latest
            entries.append((date.fromisoformat(str(start)) if start else None, None, item["prices"]))
    return entries


def _utc_time(value: object) -> time:
    """A window bound in UTC, without its offset (genai-prices writes them in UTC)."""
    parsed = time.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.utcoffset():
        raise ValueError(f"time window bound {value} is not in UTC")
    return parsed.replace(tzinfo=None)


def _active(start: date | None, at: date | None) -> bool:
    return start is None or (at is not None and start <= at)


def _standard(entries: list[Entry], at: date | None) -> Json:
    dated = [(start, prices) for start, window, prices in entries if window is None]
    return next(prices for start, prices in reversed(dated) if _active(start, at))


def _windows(entries: list[Entry], at: date | None) -> list[tuple[list[Window], Json]]:
    """Windows in force on ``at``, grouped by their prices (two windows, one peak rate)."""
    grouped: dict[str, tuple[list[Window], Json]] = {}
    for start, window, prices in entries:
        if window is not None and _active(start, at):
            grouped.setdefault(repr(sorted(prices.items())), ([], prices))[0].append(window)
    return list(grouped.values())


def variant_name(when: Json) -> str:
    if len(when) == 1 and next(iter(when)) in NAMED_BY_VALUE:
        value = str(next(iter(when.values())))
        return STANDARD if value == "default" else value
    return ",".join(f"{key}={value}" for key, value in sorted(when.items()))


def _resolved_variants(
    raw: list[Json], standard: Json, at: date | None, notes: list[str]
) -> dict[str, dict[str, Any]]:
    """Each variant's prices: the standard ones, overridden key by key by the first active entry."""
    overrides: dict[str, dict[str, Any]] = {}
    for variant in raw:
        constraint = variant.get("constraint") or {}
        if "start_time" in constraint:
            notes.append(f"a time-of-day variant ({variant_name(variant['when'])}) is not represented")
            continue
        start = constraint.get("start_date")
        if not _active(date.fromisoformat(str(start)) if start else None, at):
            continue
        name = variant_name(variant.get("when") or {})
        for key, value in (variant.get("prices") or {}).items():
            if value is not None:
                overrides.setdefault(name, {}).setdefault(key, value)
    overrides.pop(STANDARD, None)  # OpenAI's "default" tier is the standard price
    return {name: {**standard, **keys} for name, keys in overrides.items()}


def _variant(name: str, prices: Json, notes: list[str]) -> Variant:
    flat: dict[str, UnitPrice] = {}
    tiered: dict[str, tuple[int, Json]] = {}
    for key, value in prices.items():
        if value is None:
            continue
        if key not in KEY_KINDS:
            notes.append(f"price key not represented: {key}")
            continue
        kind, per = KEY_KINDS[key]
        base = value["base"] if isinstance(value, Mapping) else value
        price = UnitPrice(per_mtok(base), per)
        if kind in flat and flat[kind] != price:
            notes.append(f"{key} disagrees with another price for {kind}; kept the first")
            continue
        flat[kind] = price
        if isinstance(value, Mapping):
            tiered[kind] = (per, value)
    return Variant(name=name, prices=flat, tiers=_tiers(tiered))


def _tiers(tiered: dict[str, tuple[int, Json]]) -> tuple[TierRule, ...]:
    thresholds = sorted({to_int(t["start"]) or 0 for _, spec in tiered.values() for t in spec["tiers"]})
    if 0 in thresholds:
        raise ValueError("tier start must be a positive whole number of tokens")
    return tuple(
        TierRule(
            threshold,
            {kind: UnitPrice(_price_at(spec, threshold), per) for kind, (per, spec) in tiered.items()},
        )
        for threshold in thresholds
    )


def _price_at(spec: Json, threshold: int) -> Decimal:
    price = spec["base"]
    for tier in sorted(spec["tiers"], key=lambda t: Decimal(str(t["start"]))):
        if Decimal(str(tier["start"])) <= threshold:
            price = tier["price"]
    return per_mtok(price)


def bundled_payload() -> bytes:
    """The price data shipped inside the installed ``genai-prices`` package, as v2 JSON bytes.

    Serialised deterministically (sorted keys) so the same package version always hashes the
    same; money as decimal strings so nothing passes through float. Works offline.
    """
    from genai_prices import data

    plain = _plain_data(data.providers)
    return json.dumps(plain, sort_keys=True, separators=(",", ":")).encode()


def _plain_data(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)  # exact digits; the parser reads numeric strings as Decimal too
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain_data(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _plain_data(v) for k, v in value.items() if v is not None}
    if dataclasses.is_dataclass(value):
        items = {f.name.rstrip("_"): getattr(value, f.name) for f in dataclasses.fields(value)}
    elif hasattr(value, "__dict__"):  # ModelPrice keeps its prices as plain attributes
        items = dict(vars(value))
    else:
        return value
    return {k: _plain_data(v) for k, v in items.items() if v is not None and not k.startswith("_")}
