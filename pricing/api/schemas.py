"""The catalogue's API schemas. Money is a Decimal until here and leaves as an exact decimal
string through ``costs.money``, never a float; the rate fields come from the cost core's ``RATE_FIELDS``."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema, create_model

from config.api import Iso
from pricing.bill.money import money
from pricing.bill.rates import RATE_FIELDS, TIER_RATE_FIELDS
from pricing.models import LanguageModel, PriceSnapshot, PriceTier, PriceVersion
from pricing.selectors.disagreement import THRESHOLD, SourceComparison

MONEY_PATTERN = r"^\d+(\.\d+)?$"
Money = Annotated[
    Decimal | None,
    PlainSerializer(money, return_type=str | None),
    WithJsonSchema(
        {
            "type": ["string", "null"],
            "pattern": MONEY_PATTERN,
            "description": "USD as an exact decimal string.",
        }
    ),
]


class ModelOut(Schema):
    provider: str
    model: str
    name: str
    provider_name: str
    tier: str | None
    status: str
    context_window: int | None
    max_output_tokens: int | None
    tokenizer: str
    featured: bool


def model_json(model: LanguageModel) -> dict[str, Any]:
    """A model's facts for ``ModelOut`` and the schemas built on it."""
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


def _rates(names: tuple[str, ...]) -> dict[str, Any]:
    return {name: (Money, ...) for name in names}


PriceTierOut = create_model(
    "PriceTier", __base__=Schema, threshold_tokens=(int, ...), **_rates(TIER_RATE_FIELDS)
)


class SnapshotOut(Schema):
    """The published snapshot of a price source that first showed a price (its evidence)."""

    package: str = Field(alias="project")
    version: str
    upload_time: Iso
    wheel_sha256: str
    member: str | None
    content_sha256: str

    @staticmethod
    def resolve_member(obj: PriceSnapshot) -> str | None:
        return obj.member or None


class _VersionFacts(Schema):
    price_version: int
    effective_from: Iso
    effective_from_earliest: Iso | None = Field(
        description="With start_basis 'window': the price was set after this, by effective_from."
    )
    start_basis: str = Field(description="exact | window | first_seen: how the start is known.")
    start: str = Field(description="The start in words, e.g. 'set between 2025-04-03 and 2025-05-04'.")
    evidence: SnapshotOut | None = Field(description="The published snapshot that dated this price.")
    withdrawn_at: Iso | None = Field(description="Set when the version was found to rest on no evidence.")
    withdrawn_reason: str | None
    effective_to: Iso | None
    tiers: list[PriceTierOut]  # type: ignore[valid-type]
    origin: str
    source_url: str | None
    verified_at: Iso | None
    change_reason: str
    locked: bool

    @staticmethod
    def resolve_price_version(obj: PriceVersion) -> int:
        return obj.pk

    @staticmethod
    def resolve_tiers(obj: PriceVersion) -> list[PriceTier]:
        return list(obj.tiers.all())

    @staticmethod
    def resolve_source_url(obj: PriceVersion) -> str | None:
        return obj.source_url or None

    @staticmethod
    def resolve_start(obj: PriceVersion) -> str:
        return obj.start_text

    @staticmethod
    def resolve_evidence(obj: PriceVersion) -> PriceSnapshot | None:
        return obj.snapshot

    @staticmethod
    def resolve_withdrawn_reason(obj: PriceVersion) -> str | None:
        return obj.withdrawn_reason or None


PriceVersionOut = create_model("PriceVersion", __base__=_VersionFacts, **_rates(RATE_FIELDS))


class SourcePriceOut(Schema):
    source: str
    upstream_id: str
    input_usd_per_mtok: Money
    output_usd_per_mtok: Money
    observed_at: Iso
    input_change_percent: str | None = Field(description="Relative to the catalogue's price.")
    output_change_percent: str | None
    differs: bool = Field(description="More than threshold_percent from the catalogue's price.")


class SourcesOut(Schema):
    """Each source's latest price for the model, and the one the catalogue follows (and why)."""

    follows: str
    why: str
    price_version: int
    disagrees: bool
    threshold_percent: str
    prices: list[SourcePriceOut]


def sources_json(comparison: SourceComparison | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    return {
        "follows": comparison.follows,
        "why": comparison.why,
        "price_version": comparison.version.pk,
        "disagrees": comparison.disagrees,
        "threshold_percent": percent(THRESHOLD),
        "prices": [
            {
                **{name: getattr(p, name) for name in ("source", "upstream_id", "observed_at", "differs")},
                "input_usd_per_mtok": p.input_usd_per_mtok,
                "output_usd_per_mtok": p.output_usd_per_mtok,
                "input_change_percent": percent(p.input_change),
                "output_change_percent": percent(p.output_change),
            }
            for p in comparison.prices
        ],
    }


def percent(share: Decimal | None) -> str | None:
    """A share as a percentage string with one decimal (``Decimal("0.0333")`` → ``"3.3"``)."""
    return None if share is None else str((share * 100).quantize(Decimal("0.1")))
