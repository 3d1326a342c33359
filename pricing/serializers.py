"""Catalogue rows → JSON-ready dicts. Money is an exact decimal string, never a float."""

from __future__ import annotations

from typing import Any

from config.api import iso

from .costs import money
from .models import LanguageModel, PriceTier, PriceVersion
from .validation import RATE_FIELDS


def model_json(model: LanguageModel) -> dict[str, Any]:
    return {
        "provider": model.provider.slug,
        "model": model.slug,
        "name": model.name,
        "provider_name": model.provider.name,
        "tier": model.tier or None,
        "status": model.status,
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
        "tokenizer": model.tokenizer_key,
        "featured": model.featured,
    }


def version_json(version: PriceVersion) -> dict[str, Any]:
    return {
        "price_version": version.pk,
        "effective_from": iso(version.effective_from),
        "effective_to": iso(version.effective_to),
        **{name: money(getattr(version, name)) for name in RATE_FIELDS},
        "tiers": [tier_json(t) for t in version.tiers.all()],
        "origin": version.origin,
        "source_url": version.source_url or None,
        "verified_at": iso(version.verified_at),
        "change_reason": version.change_reason,
        "locked": version.locked,
    }


def tier_json(tier: PriceTier) -> dict[str, Any]:
    return {
        "threshold_tokens": tier.threshold_tokens,
        "input_usd_per_mtok": money(tier.input_usd_per_mtok),
        "output_usd_per_mtok": money(tier.output_usd_per_mtok),
        "cache_read_usd_per_mtok": money(tier.cache_read_usd_per_mtok),
        "cache_write_5m_usd_per_mtok": money(tier.cache_write_5m_usd_per_mtok),
        "cache_write_1h_usd_per_mtok": money(tier.cache_write_1h_usd_per_mtok),
    }
