"""The normalised shape every source parser produces. Pure: no Django imports.

Money is ``Decimal`` USD per million tokens (``*_usd_per_mtok``), converted exactly from the
upstream unit (per token → ``Decimal(str(x)) * 1_000_000``, never through float arithmetic).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pricing.bill.sheet import PriceSheet
from pricing.costs import MTOK, Rates

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
# (our provider, upstream model id) → the provider's API id the catalogue uses.
MODEL_ALIASES = {
    ("anthropic", "claude-3-5-haiku-latest"): "claude-3-5-haiku-20241022",
    ("anthropic", "claude-3-7-sonnet-latest"): "claude-3-7-sonnet-20250219",
    ("anthropic", "claude-3-opus-latest"): "claude-3-opus-20240229",
}


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
    tokenizer_family: str | None = None  # the tokenizer the source names (OpenRouter does), if any

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
