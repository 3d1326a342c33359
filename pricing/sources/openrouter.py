"""Parser of OpenRouter's public model list (``{"data": [...]}``): its own resale prices.

Pure: no Django imports. Prices upstream are decimal strings in USD per token (``request``:
USD per request); ``"-1"`` means the price is dynamic (a router picks the model) and the
entry is skipped. Every model belongs to the ``openrouter`` provider, keyed by OpenRouter's id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pricing.bill.rates import Rates
from pricing.sources.records import (
    Json,
    ParsedPayload,
    PayloadError,
    PricePoint,
    PriceRecord,
    ProviderInfo,
    load_json,
    merge_aliases,
    per_token_to_per_mtok,
    to_decimal,
    to_int,
)

PROVIDER = ProviderInfo("openrouter", "OpenRouter", "https://openrouter.ai/models")
TOKEN_KEYS = {
    "prompt": "input_usd_per_mtok",
    "completion": "output_usd_per_mtok",
    "input_cache_read": "cache_read_usd_per_mtok",
    "input_cache_write": "cache_write_5m_usd_per_mtok",
}
DYNAMIC = "-1"


def parse(payload: bytes) -> ParsedPayload:
    data = load_json(payload)
    models = data.get("data") if isinstance(data, Mapping) else None
    if not isinstance(models, list):
        raise PayloadError('expected a JSON object with a "data" list')
    parsed = ParsedPayload(providers={PROVIDER.slug: PROVIDER})
    for entry in models:
        parsed.models_in_payload += 1
        model_id = str(entry.get("id", "?")) if isinstance(entry, Mapping) else "?"
        try:
            record = parse_entry(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            parsed.skipped.append(f"{model_id}: unreadable entry ({error})")
            continue
        if isinstance(record, str):
            parsed.skipped.append(f"{model_id}: {record}")
        else:
            parsed.records.append(record)
    parsed.records = merge_aliases(parsed.records)
    return parsed


def parse_entry(entry: Json) -> PriceRecord | str:
    """One model → a record, or a string saying why it is skipped (e.g. a dynamic price)."""
    pricing = entry["pricing"]
    if any(str(pricing.get(key, "")).strip() == DYNAMIC for key in TOKEN_KEYS):
        return "dynamic price (-1): skipped"
    if pricing.get("prompt") is None or pricing.get("completion") is None:
        return "no per-token input and output price"
    flat: dict[str, Any] = {}  # rate field name -> Decimal | None
    notes = []
    for key, value in pricing.items():
        if key in TOKEN_KEYS:
            flat[TOKEN_KEYS[key]] = per_token_to_per_mtok(value)
        elif key == "request":
            fee = to_decimal(value)
            flat["request_usd"] = fee if fee else None
        elif to_decimal(value) != 0:
            notes.append(f"price key not represented: {key}")
    top = entry.get("top_provider") or {}
    model_id = str(entry["id"])
    return PriceRecord(
        provider=PROVIDER.slug,
        model=model_id,
        name=str(entry.get("name") or model_id),
        upstream_id=model_id,
        history=(PricePoint(None, Rates(**flat)),),
        context_window=to_int(entry.get("context_length") or top.get("context_length")),
        max_output_tokens=to_int(top.get("max_completion_tokens")),
        notes=tuple(notes),
        tokenizer_family=_published_tokenizer(entry),
    )


def _published_tokenizer(entry: Mapping[str, object]) -> str | None:
    """OpenRouter's ``architecture.tokenizer`` ("Llama3", "Qwen3", "GPT", "Other"...), if given."""
    architecture = entry.get("architecture")
    value = architecture.get("tokenizer") if isinstance(architecture, Mapping) else None
    return str(value) if value else None
