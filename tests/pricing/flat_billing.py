"""Test helper: bill one request at flat ``Rates`` through the bill engine, summed per component.

The app bills with the engine's own types (``BillUsage`` in, ``Bill`` out); these tests state
their cases as a whole prompt plus flat rates, so this helper converts at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from pricing.bill.engine import Bill, compute_bill
from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.rates import Rates
from pricing.bill.sheet import PROMPT_KINDS, STANDARD
from pricing.bill.usage import BillUsage

ZERO = Decimal(0)


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
    rates offer it."""
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
