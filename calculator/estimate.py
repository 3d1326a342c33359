"""Estimates: count the text once per distinct tokenizer, join with the prices in force, cost.

The flow: request → models with the price in force at ``as_of`` → distinct tokenizers →
counts (in parallel, cached by content hash, in ``calculator.tokenizers``) → per model the
pure cost core (``pricing.costs``) → rows. Every row names its tokenizer and price version.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from config.api import ApiError, iso
from pricing.costs import Usage, estimate_cost, money
from pricing.selectors import CatalogueRow, models_with_prices

from . import tokenizers
from .budgets import cached_tokens, monthly_usd, ratio
from .inputs import EstimateRequest

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Counted:
    """Tokens of the prompt for one tokenizer (None when the tokenizer is unavailable)."""

    text_tokens: int | None
    chat_overhead_tokens: int
    available: bool
    note: str


def run_estimate(request: EstimateRequest) -> dict[str, Any]:
    """The whole estimate response (see the OpenAPI document), money as decimal strings."""
    started = time.perf_counter()
    at = request.as_of or timezone.now()
    catalogue = _select_models(request, at)
    keys = sorted({row.model.tokenizer_key for row in catalogue})
    counted = _count(request, keys)
    rows = [_row(request, row, counted[row.model.tokenizer_key]) for row in catalogue if row.version]
    rows.sort(key=lambda r: (r["total_usd"] is None, Decimal(r["total_usd"] or 0), r["provider"], r["model"]))
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": at.isoformat(),
        "inputs": request.normalised(),
        "text": _text_stats(request.text),
        "tokenizers": [_tokenizer_json(key, counted[key], request.text) for key in keys],
        "results": rows,
        "cheapest_fitting": _cheapest_fitting(rows),
        "without_price": [row.model.key for row in catalogue if row.version is None],
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _select_models(request: EstimateRequest, at: Any) -> list[CatalogueRow]:
    rows = models_with_prices(
        at=at,
        keys=list(request.models) if request.models is not None else None,
        featured_only=request.models is None and not request.all_models,
    )
    if request.models is not None:
        found = {row.model.key for row in rows}
        missing = [key for key in request.models if key not in found]
        if missing:
            raise ApiError(
                f"Unknown model: {missing[0]} (see GET /api/v1/models).", field="models", code="unknown_model"
            )
    return rows


def _count(request: EstimateRequest, keys: list[str]) -> dict[str, Counted]:
    if request.text is None:
        assert request.input_tokens is not None
        return {key: Counted(request.input_tokens, 0, True, "") for key in keys}
    try:
        counts = tokenizers.count_tokens_many(request.text, keys)
    except tokenizers.TextTooLarge as exc:
        raise ApiError(str(exc), field="text", status=413, code="too_large") from None
    except tokenizers.TokenizerError as exc:
        raise ApiError(str(exc), field="text", code="bad_text") from None
    return {
        key: Counted(
            text_tokens=count.tokens,
            chat_overhead_tokens=tokenizers.chat_overhead_tokens(key, request.chat_messages)
            if request.chat_messages and count.available
            else 0,
            available=count.available,
            note=count.note,
        )
        for key, count in counts.items()
    }


def _row(request: EstimateRequest, row: CatalogueRow, counted: Counted) -> dict[str, Any]:
    model, version = row.model, row.version
    assert version is not None
    info = tokenizers.get_info(model.tokenizer_key)
    base = {
        "provider": model.provider.slug,
        "model": model.slug,
        "name": model.name,
        "provider_name": model.provider.name,
        "tier": model.tier or None,
        "status": model.status,
        "tokenizer": info.key,
        "tokenizer_name": info.name,
        "exact": info.exact,
        "available": counted.available,
        "note": counted.note or (None if info.exact else info.note),
        "price_version": version.pk,
        "effective_from": iso(version.effective_from),
        "effective_to": iso(version.effective_to),
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
        "requests_per_month": request.requests_per_month,
        "output_tokens": request.output_tokens,
    }
    if counted.text_tokens is None:
        return base | dict.fromkeys(
            (
                "text_tokens",
                "chat_overhead_tokens",
                "input_tokens",
                "cached_input_tokens",
                "input_usd",
                "output_usd",
                "total_usd",
                "monthly_usd",
                "tier_applied",
                "batch_applied",
                "fits_context",
            )
        )
    input_tokens = counted.text_tokens + counted.chat_overhead_tokens
    cached = cached_tokens(input_tokens, request.cached_input_share)
    cost = estimate_cost(
        Usage(input_tokens, request.output_tokens, cached_input_tokens=cached),
        version.to_rates(),
        batch=request.batch,
    )
    fits = _fits(input_tokens, request.output_tokens, model.context_window, model.max_output_tokens)
    return base | {
        "text_tokens": counted.text_tokens,
        "chat_overhead_tokens": counted.chat_overhead_tokens,
        "input_tokens": input_tokens,
        "cached_input_tokens": cached,
        "input_usd": money(cost.prompt_usd),
        "output_usd": money(cost.output_usd + cost.request_usd),
        "total_usd": money(cost.total_usd),
        "monthly_usd": money(monthly_usd(cost.total_usd, request.requests_per_month)),
        "tier_applied": cost.tier_threshold_tokens,
        "batch_applied": cost.batch_applied,
        "fits_context": fits,
    }


def _fits(
    input_tokens: int, output_tokens: int, context_window: int | None, max_output: int | None
) -> bool | None:
    """Whether prompt + expected output fit the context window (and the output the output cap)."""
    if max_output is not None and output_tokens > max_output:
        return False
    if context_window is None:
        return None
    return input_tokens + output_tokens <= context_window


def _cheapest_fitting(rows: list[dict[str, Any]]) -> str | None:
    fitting = [r for r in rows if r["fits_context"] and r["total_usd"] is not None]
    if not fitting:
        return None
    best = min(fitting, key=lambda r: Decimal(r["total_usd"]))
    return f"{best['provider']}/{best['model']}"


def _text_stats(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    encoded = text.encode("utf-8", errors="surrogatepass")
    return {
        "characters": len(text),
        "bytes": len(encoded),
        "words": len(text.split()),
        "sha256": hashlib.sha256(encoded).hexdigest(),
    }


def _tokenizer_json(key: str, counted: Counted, text: str | None) -> dict[str, Any]:
    info = tokenizers.get_info(key)
    tokens = counted.text_tokens
    measured = text is not None and tokens is not None
    return {
        "key": key,
        "name": info.name,
        "exact": info.exact,
        "note": info.note,
        "available": counted.available,
        "tokens": tokens if text is not None else None,
        "chars_per_token": _str(ratio(len(text), tokens)) if measured else None,  # type: ignore[arg-type]
        "tokens_per_word": _str(ratio(tokens, len(text.split()))) if measured else None,  # type: ignore[arg-type, union-attr]
    }


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
