"""One row of usage, as the bill reads it. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pricing.bill import BillUsage

# The usage quantities a row carries, in the generic CSV's order (each a BillUsage field).
TOKEN_COLUMNS = (
    "input_tokens",
    "cache_read_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
)


@dataclass(frozen=True)
class UsageRecord:
    """One request: when, on what, its usage (disjoint, as ``/api/v1/bill`` takes it), the
    tier, what the provider reported it cost (USD, when the file says) and its tags.

    A vendor's aggregate (a day's bucket) is one record of ``requests`` requests: its usage is
    their sum, billed as that many requests of the average size (so a long-context threshold is
    judged per request, not on the bucket's total)."""

    row: int
    at: datetime
    model: str
    usage: BillUsage
    service_tier: str = "standard"
    reported_cost_usd: Decimal | None = None
    tags: tuple[str, ...] = ()
    requests: int = 1
