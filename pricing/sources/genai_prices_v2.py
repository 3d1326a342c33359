"""Parser of genai-prices' v2 data: a JSON list of providers, each with its models.

Pure: no Django imports. Prices upstream are already USD per million tokens (``*_mtok``).
Json:
- a ``start_date`` constraint (of a price or of any variant) starts a price point on that
  date; the unconstrained price is the undated point before them;
- each point has flat rates (``Rates``: a batch variant supplies the batch rates, cliff tiers
  become ``TierRates``, daily windows follow ``TIME_OF_DAY_CONVENTION``: the flat rates are the
  ones in force for most of the day) and the price in full as a sheet
  (``genai_prices_sheets``: every variant, per-unit price and band, billed hour by hour);
- a price key not even the sheet can hold is reported in the notes, never dropped silently.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal

from pricing.bill.rates import Rates, TierRates
from pricing.sources.genai_prices_sheets import sheet_at, variant_start_dates
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
    to_decimal,
    to_int,
)

RATE_KEYS = {
    "input_mtok": "input_usd_per_mtok",
    "output_mtok": "output_usd_per_mtok",
    "cache_read_mtok": "cache_read_usd_per_mtok",
    "cache_write_mtok": "cache_write_5m_usd_per_mtok",
    "cache_write_1h_mtok": "cache_write_1h_usd_per_mtok",
}
REQUESTS_KEY = "requests_kcount"  # USD per thousand requests
BATCH_WHEN = {"processing": "batch"}
Entry = tuple[date | None, tuple[time, time] | None, Json]
Dated = list[tuple[date | None, Json]]
# How a version's flat rates show a price that depends on the time of day (DeepSeek's bands): one
# rule for every model, written in the notes of a model with bands; the bands live in the sheet.
TIME_OF_DAY_CONVENTION = (
    "versions show the rate in force for most of the day; the bill engine charges each time band "
    "its own rate (DeepSeek V4's weekday peak hours: twice the rate shown)"
)


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
    entries = _conditional_prices(raw.get("prices"))
    dated = [(start, prices) for start, window, prices in entries if window is None]
    windows = [(window, prices) for start, window, prices in entries if window is not None]
    if not any(start is None for start, _ in dated):
        return "no undated base price"
    batch_variants = _batch_variants(raw.get("price_variants") or [])
    starts = sorted({s for s, _ in dated if s} | variant_start_dates(raw))
    history = []
    for point_start in [None, *starts]:
        standard = _standard_at(point_start, dated, windows)
        rates = _rates(standard, _batch_at(point_start, batch_variants))
        if rates is None:
            return "no per-token input and output price"
        history.append(PricePoint(point_start, rates, sheet_at(raw, point_start, notes)))
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


def _conditional_prices(raw: object) -> list[Entry]:
    if isinstance(raw, Mapping):
        return [(None, None, raw)]
    if not isinstance(raw, list):
        raise ValueError("prices must be an object or a list of conditional prices")
    entries: list[Entry] = []
    for item in raw:
        constraint = item.get("constraint") or {}
        prices = item["prices"]
        if "start_date" in constraint:
            entries.append((date.fromisoformat(str(constraint["start_date"])), None, prices))
        elif "start_time" in constraint:
            window = (_time(constraint["start_time"]), _time(constraint["end_time"]))
            entries.append((None, window, prices))
        elif constraint:
            raise ValueError(f"unknown price constraint {sorted(constraint)}")
        else:
            entries.append((None, None, prices))
    return entries


def _time(value: object) -> time:
    text = str(value).replace("Z", "+00:00")
    return time.fromisoformat(text)


def _batch_variants(raw: list[Json]) -> Dated:
    batch: Dated = []
    for variant in raw:
        when = dict(variant.get("when") or {})
        constraint = variant.get("constraint") or {}
        if when == BATCH_WHEN and "start_time" not in constraint:
            start = constraint.get("start_date")
            batch.append((date.fromisoformat(str(start)) if start else None, variant.get("prices") or {}))
    return batch


def _standard_at(at: date | None, dated: Dated, windows: list[tuple[tuple[time, time], Json]]) -> Json:
    """The flat price on ``at``: genai-prices tries conditional prices last to first; with daily
    windows, the price in force for most of the day (``TIME_OF_DAY_CONVENTION``; the sheet keeps
    every window as a band)."""
    standard = next(p for start, p in reversed(dated) if start is None or (at and start <= at))
    if not windows:
        return standard
    minutes_by_price: dict[str, tuple[int, Json]] = {}
    covered = 0
    for (start, end), prices in windows:
        length = _minutes(start, end)
        covered += length
        old = minutes_by_price.get(repr(prices), (0, prices))[0]
        minutes_by_price[repr(prices)] = (old + length, prices)
    best_minutes, best = max(minutes_by_price.values(), key=lambda pair: pair[0])
    return best if best_minutes > 24 * 60 - covered else standard


def _minutes(start: time, end: time) -> int:
    begin, finish = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return finish - begin if finish > begin else 24 * 60 - begin + finish


def _batch_at(at: date | None, variants: Dated) -> Json | None:
    """The batch prices in force on ``at``, resolved key by key as genai-prices does.

    Upstream lists a model's variants newest first and takes each price key from the first
    active variant that has it; ordering by start (latest first, undated last) gives the same
    answer and does not depend on the listing order.
    """
    active = [(start, p) for start, p in variants if start is None or (at and start <= at)]
    active.sort(key=lambda pair: pair[0] or date.min, reverse=True)
    merged: dict[str, object] = {}
    for _start, prices in active:
        for key, value in prices.items():
            if value is not None:
                merged.setdefault(key, value)
    return merged or None


def _rates(prices: Json, batch: Json | None) -> Rates | None:
    """The flat rates; every other key is the sheet's (``genai_prices_sheets``), noted there if
    not even the sheet can hold it."""
    flat: dict[str, Decimal] = {}
    tiered: dict[str, Json] = {}
    for key, value in prices.items():
        if value is None:
            continue
        if key in RATE_KEYS:
            if isinstance(value, Mapping):
                tiered[RATE_KEYS[key]] = value
                value = value["base"]
            flat[RATE_KEYS[key]] = per_mtok(value)
        elif key == REQUESTS_KEY:
            flat["request_usd"] = per_mtok(value) / 1000
    if "input_usd_per_mtok" not in flat or "output_usd_per_mtok" not in flat:
        return None
    if batch and ("input_mtok" in batch or "output_mtok" in batch):
        flat["batch_input_usd_per_mtok"] = _base(batch.get("input_mtok")) or flat["input_usd_per_mtok"]
        flat["batch_output_usd_per_mtok"] = _base(batch.get("output_mtok")) or flat["output_usd_per_mtok"]
    return Rates(**flat, tiers=_tiers(flat, tiered))


def _base(value: object) -> Decimal | None:
    if value is None:
        return None
    return per_mtok(value["base"] if isinstance(value, Mapping) else value)


def _tiers(flat: dict[str, Decimal], tiered: dict[str, Json]) -> tuple[TierRates, ...]:
    starts = {to_int(t["start"]) for spec in tiered.values() for t in spec["tiers"]}
    if None in starts:
        raise ValueError("tier start must be a positive whole number of tokens")
    tiers = []
    for threshold in sorted(start for start in starts if start is not None):
        fields = {name: _tier_price(spec, threshold) for name, spec in tiered.items()}
        fields.setdefault("input_usd_per_mtok", flat["input_usd_per_mtok"])
        fields.setdefault("output_usd_per_mtok", flat["output_usd_per_mtok"])
        tiers.append(TierRates(threshold_tokens=threshold, **fields))
    return tuple(tiers)


def _tier_price(spec: Json, threshold: int) -> Decimal:
    price = spec["base"]
    for tier in sorted(spec["tiers"], key=lambda t: to_decimal(t["start"])):
        if to_decimal(tier["start"]) <= threshold:
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
