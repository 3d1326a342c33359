"""The normalised shape every source parser produces. Pure: no Django imports.

Money is ``Decimal`` USD per million tokens (``*_usd_per_mtok``), converted exactly from the
upstream unit (per token → ``Decimal(str(x)) * 1_000_000``, never through float arithmetic).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pricing.bill.rates import MTOK, Rates
from pricing.bill.sheet import PriceSheet

# A JSON object as parsed: each parser checks its shape as it reads it.
Json = Mapping[str, Any]

# One model is one model: upstream provider ids mapped onto the catalogue's slugs.
PROVIDER_ALIASES = {
    "x-ai": "xai",
    "together_ai": "together",
    "gemini": "google",
    "dashscope": "alibaba",
    "mistralai": "mistral",
}
# (our provider, upstream model id) → the provider's API id the catalogue uses. Each pair is one
# model under two names (a "-latest" pointer, a renamed id, a redirect the provider announced).
MODEL_ALIASES = {
    ("anthropic", "claude-3-5-haiku-latest"): "claude-3-5-haiku-20241022",
    ("anthropic", "claude-3-7-sonnet-latest"): "claude-3-7-sonnet-20250219",
    ("anthropic", "claude-3-opus-latest"): "claude-3-opus-20240229",
    ("mistral", "mistral-large"): "mistral-large-2411",
    ("mistral", "mistral-small-latest"): "mistral-small-2603",
    ("deepseek", "deepseek-flash"): "deepseek-v4-flash",
    ("google", "gemini-3-pro-preview"): "gemini-3.1-pro-preview",
    ("google", "gemini-flash-1.5"): "gemini-1.5-flash",
    # Duplicate ids of one model (issue 21): the dated snapshot or Google's own id is the model.
    ("google", "gemini-pro-1.5"): "gemini-1.5-pro",
    ("anthropic", "claude-3-haiku"): "claude-3-haiku-20240307",
    ("anthropic", "claude-3-haiku-latest"): "claude-3-haiku-20240307",
    # xAI's dated id is the model; genai-prices 0.2.0 renamed its entry to it (with the 2026-04-30
    # cut to 1.25 / 2.50), and LiteLLM prices both names alike from 1.101.0.dev1 (2026-09-01).
    ("xai", "grok-4.20-multi-agent"): "grok-4.20-multi-agent-0309",
}
# Providers that list one model both bare ("yi-large") and vendor-prefixed ("01-ai/yi-large").
PREFIXED_PROVIDERS = frozenset({"openrouter"})


class PayloadError(ValueError):
    """The payload cannot be read at all (truncated, not JSON, wrong shape)."""


@dataclass(frozen=True)
class PricePoint:
    """Rates in force from ``effective_from`` (``None``: undated, before any dated point);
    ``sheet``, where the source says more than flat rates hold (variants, per-unit prices,
    bands), is the price in full."""

    effective_from: date | None
    rates: Rates
    sheet: PriceSheet | None = None


@dataclass(frozen=True)
class PriceRecord:
    """One upstream model, normalised: identity, limits, and its price history (oldest first)."""

    provider: str
    model: str
    name: str
    upstream_id: str
    history: tuple[PricePoint, ...] = ()
    context_window: int | None = None
    max_output_tokens: int | None = None
    deprecated: bool = False
    notes: tuple[str, ...] = ()
    # The day the source says the provider shuts the model down (LiteLLM's ``deprecation_date``):
    # past, it is retired from then; ahead, its shutdown is announced.
    retires_on: date | None = None
    tokenizer_family: str | None = None  # the tokenizer the source names (OpenRouter does), if any
    aliases: tuple[str, ...] = ()  # other upstream ids of this same model

    @property
    def key(self) -> str:
        return f"{self.provider}/{self.model}"


@dataclass(frozen=True)
class ProviderInfo:
    slug: str
    name: str
    pricing_url: str = ""


@dataclass
class ParsedPayload:
    """What a parser read: records, the providers they name, and anything it could not map."""

    records: list[PriceRecord] = field(default_factory=list)
    providers: dict[str, ProviderInfo] = field(default_factory=dict)
    models_in_payload: int = 0
    skipped: list[str] = field(default_factory=list)


def canonical_provider(upstream: str) -> str:
    slug = upstream.strip().lower()
    return PROVIDER_ALIASES.get(slug, slug)


def canonical_model(provider: str, upstream_id: str) -> str:
    return MODEL_ALIASES.get((provider, upstream_id), upstream_id)


def merge_aliases(records: list[PriceRecord]) -> list[PriceRecord]:
    """One record per model: entries that are another name of a model fold into its record.

    The entry listed under the canonical id itself wins (an alias may carry an older model's
    history, as ``mistral-small-latest`` does); the other names (a ``MODEL_ALIASES`` pair or a
    bare twin of a vendor-prefixed id) become its ``aliases``.
    """
    by_key: dict[str, list[PriceRecord]] = {}
    prefixed = prefixed_twins((r.provider, r.model) for r in records)
    names: set[tuple[str, str]] = set(MODEL_ALIASES)
    for record in records:
        target = prefixed.get((record.provider, record.model), record.model)
        if target != record.model:
            names.add((record.provider, record.upstream_id))
            record = dataclasses.replace(record, model=target)
        by_key.setdefault(record.key, []).append(record)
    merged = []
    for group in by_key.values():
        group.sort(key=lambda r: r.upstream_id != r.model)  # the canonical entry first
        kept = group[0]
        other = [r.upstream_id for r in group if (r.provider, r.upstream_id) in names]
        aliases = tuple(dict.fromkeys(kept.aliases + tuple(n for n in other if n != kept.model)))
        merged.append(dataclasses.replace(kept, aliases=aliases))
    return merged


def prefixed_twins(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(provider, bare id) → its vendor-prefixed id, for bare ids with exactly one prefixed twin
    among ``keys`` in a provider that lists both (OpenRouter)."""
    twins: dict[tuple[str, str], list[str]] = {}
    for provider, model in keys:
        if provider in PREFIXED_PROVIDERS and "/" in model:
            twins.setdefault((provider, model.split("/", 1)[1]), []).append(model)
    return {key: ids[0] for key, ids in twins.items() if len(ids) == 1}


def model_for_alias(provider: str, model: str, twins: dict[tuple[str, str], str]) -> str:
    """The catalogue id that ``provider/model`` names: itself, unless it is another name of a model."""
    return MODEL_ALIASES.get((provider, model)) or twins.get((provider, model)) or model


def load_json(payload: bytes) -> object:
    """JSON with every number read as an exact ``Decimal`` (floats never appear)."""
    try:
        return json.loads(payload, parse_float=Decimal, parse_int=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError(f"payload is not valid JSON: {error}") from None


def to_decimal(value: object) -> Decimal:
    """An exact Decimal from a JSON number or numeric string; ``ValueError`` otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def per_token_to_per_mtok(value: object) -> Decimal:
    """USD per token → USD per million tokens, exactly (no float noise)."""
    return _tidy(to_decimal(value) * MTOK)


def per_mtok(value: object) -> Decimal:
    return _tidy(to_decimal(value))


def _tidy(value: Decimal) -> Decimal:
    if not value.is_finite():
        return value
    # Plain notation without trailing zeros: 3E-7 × 1e6 → 0.3, not 3.000000E-1.
    normalised = value.normalize()
    return normalised.quantize(Decimal(1)) if normalised == normalised.to_integral() else normalised


def to_int(value: object) -> int | None:
    """A positive whole number of tokens, or ``None`` when absent or not sensible."""
    try:
        number = to_decimal(value)
    except ValueError:
        return None
    if not number.is_finite() or number <= 0 or number != number.to_integral():
        return None
    return int(number)
