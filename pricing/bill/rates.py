"""The cost core: token usage + a price version's rates → cost, exactly, in Decimal USD.

Pure: no Django imports. All rates are USD per million tokens (``*_usd_per_mtok``);
every result is an unrounded ``Decimal`` (round only for display).

The rules live in one place, the bill engine (``pricing.bill``): ``estimate_cost`` bills one
request through it from the sheet the flat rates imply (``pricing.bill.from_rates`` says what
flat rates mean: long-context tiers above a threshold reprice the whole request, cache reads
and writes at their rates or the input rate, batch at its own rates).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, datetime
from decimal import Decimal

from pricing.bill.engine import Bill, compute_bill
from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.sheet import PROMPT_KINDS, STANDARD
from pricing.bill.usage import BillUsage

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


# A sheet from flat rates has no time bands: any moment bills the same.
ANY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)


def estimate_cost(usage: Usage, rates: Rates, *, batch: bool = False) -> CostBreakdown:
    """Cost of one request of ``usage`` at ``rates``; ``batch`` asks for batch pricing where the
    rates offer it. Billed by the bill engine (``pricing.bill``), as every other cost is."""
    sheet = sheet_from_rates(rates)
    tier = "batch" if batch and rates.offers_batch else STANDARD
    return breakdown_of(compute_bill(sheet, bill_usage(usage), at=ANY_MOMENT, service_tier=tier))


def bill_usage(usage: Usage) -> BillUsage:
    """The estimate's usage (the whole prompt in ``input_tokens``) as the bill engine reads it
    (``input_tokens`` without cache reads or writes)."""
    cached = usage.cached_input_tokens + usage.cache_write_5m_tokens + usage.cache_write_1h_tokens
    return BillUsage(
        input_tokens=usage.input_tokens - cached,
        cache_read_tokens=usage.cached_input_tokens,
        cache_write_5m_tokens=usage.cache_write_5m_tokens,
        cache_write_1h_tokens=usage.cache_write_1h_tokens,
        output_tokens=usage.output_tokens,
    )


def breakdown_of(bill: Bill) -> CostBreakdown:
    """A bill's lines summed into the estimate's components."""

    def usd(*kinds: str) -> Decimal:
        return sum((line.usd for line in bill.lines if line.what in kinds), ZERO)

    writes = ("cache_write_5m", "cache_write_1h")
    return CostBreakdown(
        input_usd=usd(*(PROMPT_KINDS - {"cache_read", *writes})),
        cached_input_usd=usd("cache_read"),
        cache_write_usd=usd(*writes),
        output_usd=bill.total_usd - usd(*PROMPT_KINDS) - usd("request"),
        request_usd=usd("request"),
        tier_threshold_tokens=bill.tier_threshold_tokens,
        batch_applied=bill.variant == "batch",
    )
