"""What a price version says, in full: the shape the bill engine reads. Pure: no Django imports.

A ``PriceSheet`` holds a version's variants (``standard``, ``batch``, ``flex``, ``priority``,
``peak``, ...), each a complete set of unit prices with its own threshold tiers, plus the
time-of-day bands that switch a service tier to another variant. Every price is
``UnitPrice(usd, per)``: USD per ``per`` units of one kind (tokens: per 1,000,000; web searches:
per 1,000; requests: per 1; audio: per 3,600 seconds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

MTOK = 1_000_000

# Token kinds, priced per million tokens. Each falls back to its parent when a variant has no
# price of its own (a 1-hour write without its own rate costs what a 5-minute write costs).
TOKEN_PARENTS: dict[str, str | None] = {
    "input": None,
    "cache_read": "input",
    "cache_write_5m": "input",
    "cache_write_1h": "cache_write_5m",
    "input_audio": "input",
    "input_image": "input",
    "input_video": "input",
    "cache_audio_read": "cache_read",
    "cache_image_read": "cache_read",
    "output": None,
    "reasoning": "output",
    "output_audio": "output",
    "output_image": "output",
    "output_video": "output",
    "output_citation": "output",
}
# Everything else is priced per unit, never folded into a token rate.
UNIT_KINDS: dict[str, str] = {
    "request": "requests",
    "web_search": "web searches",
    "storage_search": "file searches",
    "code_execution": "code executions",
    "image": "images",
    "audio_second": "audio seconds",
}
# Kinds a threshold usually counts: all prompt tokens, cached ones included (OpenAI, Google,
# Anthropic all count the whole prompt).
PROMPT_KINDS = frozenset(
    {"input", "cache_read", "cache_write_5m", "cache_write_1h", "input_audio", "input_image", "input_video"}
    | {"cache_audio_read", "cache_image_read"}
)
UNCACHED_INPUT_KINDS = frozenset({"input", "input_audio", "input_image", "input_video"})
STANDARD = "standard"


@dataclass(frozen=True)
class UnitPrice:
    """USD per ``per`` units of a kind (``per`` = 1,000,000 for tokens)."""

    usd: Decimal
    per: int = MTOK


@dataclass(frozen=True)
class TierRule:
    """When the counted tokens pass ``threshold_tokens``, ``prices`` replace the variant's own
    for the whole request. ``inclusive``: ``>=`` instead of ``>``."""

    threshold_tokens: int
    prices: Mapping[str, UnitPrice]
    counted_kinds: frozenset[str] = PROMPT_KINDS
    inclusive: bool = False

    def crossed_by(self, counted_tokens: int) -> bool:
        if self.inclusive:
            return counted_tokens >= self.threshold_tokens
        return counted_tokens > self.threshold_tokens


@dataclass(frozen=True)
class Variant:
    """One complete way a version bills: its prices and its threshold tiers."""

    name: str
    prices: Mapping[str, UnitPrice]
    tiers: tuple[TierRule, ...] = ()


@dataclass(frozen=True)
class TimeBand:
    """During ``start``-``end`` (local time in ``time_zone``) on ``weekdays`` (0 = Monday),
    a request of service tier ``tier`` is billed by ``variant``. ``end`` before ``start``
    wraps past midnight."""

    variant: str
    start: time
    end: time
    weekdays: frozenset[int] = frozenset(range(7))
    time_zone: str = "UTC"
    tier: str = STANDARD

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(ZoneInfo(self.time_zone))
        clock = local.time().replace(tzinfo=None)
        if self.start <= self.end:
            inside = self.start <= clock < self.end
            day = local.weekday()
        else:  # wraps midnight: the part after midnight belongs to the previous day's band
            inside = clock >= self.start or clock < self.end
            day = local.weekday() if clock >= self.start else (local.weekday() - 1) % 7
        return inside and day in self.weekdays


@dataclass(frozen=True)
class Provenance:
    """Where a sheet's prices come from, copied onto every bill line."""

    price_version: int | None = None
    effective_from: datetime | None = None
    source_url: str = ""


@dataclass(frozen=True)
class PriceSheet:
    variants: Mapping[str, Variant]
    bands: tuple[TimeBand, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)

    @property
    def service_tiers(self) -> tuple[str, ...]:
        """Variants a request may ask for; band-only variants (peak) are chosen by the clock."""
        banded = {band.variant for band in self.bands}
        return tuple(name for name in self.variants if name not in banded or name == STANDARD)

    def variant_for(self, tier: str, moment: datetime) -> Variant:
        for band in self.bands:
            if band.tier == tier and band.contains(moment):
                return self.variants[band.variant]
        return self.variants[tier]
