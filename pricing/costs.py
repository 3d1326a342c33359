"""The cost core: token usage + a price version's rates → cost, exactly, in Decimal USD.

Pure: no Django imports. All rates are USD per million tokens (``*_usd_per_mtok``);
every result is an unrounded ``Decimal`` (round only for display).

Rules, as the providers bill them:
- Long-context tiers: when a request's prompt (all input tokens, cached ones included) is
  *strictly above* a tier's threshold, that tier's rates apply to the whole request. With
  several tiers, the highest threshold exceeded wins.
- Cached input: ``cached_input_tokens`` of the prompt are read from the prompt cache at the
  cache-read rate (the input rate when the model has none); ``cache_write_*_tokens`` are
  written at the cache-write rates (the input rate when the model has none).
- Batch: uncached input and output are billed at the batch rates. Under a long-context tier,
  the batch discount is the base batch/standard ratio applied to the tier's rates.
- A per-request fee, when a model has one, is added once per request.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields, replace
from decimal import Decimal

MTOK = Decimal(1_000_000)
ZERO = Decimal(0)


# The rate fields are declared once, here: every field carrying a ``label`` is a money column of
# the catalogue (models, admin, forms, validation, importers, seed all follow ``RATE_FIELDS``).
# Adding a rate is one line in ``Rates`` (and one in ``TierRates`` if tiers may override it),
# plus the migration Django writes for the new column.
def _label(text: str) -> dict[str, str]:
    return {"label": text}


@dataclass(frozen=True)
class TierRates:
    """Rates that replace the base rates when the prompt exceeds ``threshold_tokens``."""

    threshold_tokens: int
    input_usd_per_mtok: Decimal = field(metadata=_label("input"))
    output_usd_per_mtok: Decimal = field(metadata=_label("output"))
    cache_read_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache read"))
    cache_write_5m_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache write (5 min)"))
    cache_write_1h_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache write (1 h)"))


@dataclass(frozen=True)
class Rates:
    """One price version's rates, USD per million tokens (request fee: USD per request)."""

    input_usd_per_mtok: Decimal = field(metadata=_label("input"))
    output_usd_per_mtok: Decimal = field(metadata=_label("output"))
    cache_read_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache read"))
    cache_write_5m_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache write (5 min)"))
    cache_write_1h_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache write (1 h)"))
    batch_input_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("batch input"))
    batch_output_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("batch output"))
    request_usd: Decimal | None = field(default=None, metadata=_label("fee per request (USD)"))
    tiers: tuple[TierRates, ...] = ()

    @property
    def offers_batch(self) -> bool:
        return self.batch_input_usd_per_mtok is not None and self.batch_output_usd_per_mtok is not None


def rate_fields(kind: type[Rates] | type[TierRates]) -> tuple[str, ...]:
    """The money fields of ``Rates`` or ``TierRates``, in declaration order."""
    return tuple(f.name for f in fields(kind) if "label" in f.metadata)


def required_rate_fields(kind: type[Rates] | type[TierRates]) -> frozenset[str]:
    """The money fields without a default: a price is not a price without them."""
    return frozenset(f.name for f in fields(kind) if "label" in f.metadata and f.default is MISSING)


RATE_FIELDS = rate_fields(Rates)
TIER_RATE_FIELDS = rate_fields(TierRates)
RATE_LABELS: dict[str, str] = {f.name: f.metadata["label"] for f in fields(Rates) if "label" in f.metadata}


def rate_values(rates: Rates | TierRates) -> dict[str, Decimal | None]:
    """The money fields of ``rates`` by name (no tiers, no threshold): what a model row stores."""
    values: dict[str, Decimal | None] = {name: getattr(rates, name) for name in rate_fields(type(rates))}
    return values


@dataclass(frozen=True)
class Usage:
    """Tokens of one request. ``input_tokens`` is the whole prompt, cached parts included."""

    input_tokens: int
    output_tokens: int
    cached_input_tokens: int = 0
    cache_write_5m_tokens: int = 0
    cache_write_1h_tokens: int = 0

    def __post_init__(self) -> None:
        for name in (
            "input_tokens",
            "output_tokens",
            "cached_input_tokens",
            "cache_write_5m_tokens",
            "cache_write_1h_tokens",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        cache_tokens = self.cached_input_tokens + self.cache_write_5m_tokens + self.cache_write_1h_tokens
        if cache_tokens > self.input_tokens:
            raise ValueError("cached and cache-written tokens cannot exceed input_tokens")


@dataclass(frozen=True)
class CostBreakdown:
    """Cost of one request, per component, USD (unrounded)."""

    input_usd: Decimal
    cached_input_usd: Decimal
    cache_write_usd: Decimal
    output_usd: Decimal
    request_usd: Decimal
    tier_threshold_tokens: int | None
    batch_applied: bool

    @property
    def prompt_usd(self) -> Decimal:
        """Everything billed for the prompt: uncached input, cache reads and writes."""
        return self.input_usd + self.cached_input_usd + self.cache_write_usd

    @property
    def total_usd(self) -> Decimal:
        return self.prompt_usd + self.output_usd + self.request_usd


def select_tier(rates: Rates, input_tokens: int) -> TierRates | None:
    """The tier in force for a prompt of ``input_tokens``: the highest threshold exceeded."""
    chosen = None
    for tier in sorted(rates.tiers, key=lambda t: t.threshold_tokens):
        if input_tokens > tier.threshold_tokens:
            chosen = tier
    return chosen


def rates_in_force(rates: Rates, input_tokens: int) -> tuple[Rates, int | None]:
    """The base rates with the applicable tier's rates laid over them (and its threshold)."""
    tier = select_tier(rates, input_tokens)
    if tier is None:
        return rates, None
    batch_input = _scaled(rates.batch_input_usd_per_mtok, rates.input_usd_per_mtok, tier.input_usd_per_mtok)
    batch_output = _scaled(
        rates.batch_output_usd_per_mtok, rates.output_usd_per_mtok, tier.output_usd_per_mtok
    )
    merged = replace(
        rates,
        input_usd_per_mtok=tier.input_usd_per_mtok,
        output_usd_per_mtok=tier.output_usd_per_mtok,
        cache_read_usd_per_mtok=_overlay(tier.cache_read_usd_per_mtok, rates.cache_read_usd_per_mtok),
        cache_write_5m_usd_per_mtok=_overlay(
            tier.cache_write_5m_usd_per_mtok, rates.cache_write_5m_usd_per_mtok
        ),
        cache_write_1h_usd_per_mtok=_overlay(
            tier.cache_write_1h_usd_per_mtok, rates.cache_write_1h_usd_per_mtok
        ),
        batch_input_usd_per_mtok=batch_input,
        batch_output_usd_per_mtok=batch_output,
        tiers=(),
    )
    return merged, tier.threshold_tokens


def estimate_cost(usage: Usage, rates: Rates, *, batch: bool = False) -> CostBreakdown:
    """Cost of one request of ``usage`` at ``rates``; ``batch`` asks for batch pricing."""
    active, threshold = rates_in_force(rates, usage.input_tokens)
    use_batch = batch and active.offers_batch
    input_rate = active.batch_input_usd_per_mtok if use_batch else active.input_usd_per_mtok
    output_rate = active.batch_output_usd_per_mtok if use_batch else active.output_usd_per_mtok
    assert input_rate is not None and output_rate is not None
    uncached = (
        usage.input_tokens
        - usage.cached_input_tokens
        - usage.cache_write_5m_tokens
        - usage.cache_write_1h_tokens
    )
    base_input = active.input_usd_per_mtok
    cache_read = _first(active.cache_read_usd_per_mtok, base_input)
    write_5m = _first(active.cache_write_5m_usd_per_mtok, base_input)
    write_1h = _first(active.cache_write_1h_usd_per_mtok, write_5m)
    return CostBreakdown(
        input_usd=_usd(uncached, input_rate),
        cached_input_usd=_usd(usage.cached_input_tokens, cache_read),
        cache_write_usd=_usd(usage.cache_write_5m_tokens, write_5m)
        + _usd(usage.cache_write_1h_tokens, write_1h),
        output_usd=_usd(usage.output_tokens, output_rate),
        request_usd=rates.request_usd or ZERO,
        tier_threshold_tokens=threshold,
        batch_applied=use_batch,
    )


def money(value: Decimal | None) -> str | None:
    """Money for JSON and exports: an exact decimal string such as "0.0012", never a float or
    an exponent. The only place a money value becomes text."""
    if value is None:
        return None
    return format(value.normalize(), "f") if value else "0"


def _usd(tokens: int, usd_per_mtok: Decimal) -> Decimal:
    return Decimal(tokens) * usd_per_mtok / MTOK


def _first(value: Decimal | None, fallback: Decimal) -> Decimal:
    return fallback if value is None else value


def _overlay(tier_value: Decimal | None, base_value: Decimal | None) -> Decimal | None:
    """A tier's optional rate where it sets one, else the base rate (which may be unset too)."""
    return base_value if tier_value is None else tier_value


def _scaled(batch: Decimal | None, standard: Decimal, tier_standard: Decimal) -> Decimal | None:
    if batch is None:
        return None
    if standard == ZERO:
        return batch
    return tier_standard * batch / standard
