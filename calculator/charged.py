"""The per-million rates a request was billed at: what the table's $/M columns and the exports show
beside each cost, so a reader sees why a model is cheap. Read from the same sheet, variant and
threshold tier the bill used, so a long-context or batch rate is the one shown."""

from __future__ import annotations

from decimal import Decimal

from pricing.bill import Bill, PriceSheet
from pricing.bill.sheet import MTOK, TOKEN_PARENTS, UnitPrice

# Row field -> the token kind whose rate it shows.
RATE_FIELDS = {
    "input_usd_per_mtok": "input",
    "output_usd_per_mtok": "output",
    "cached_input_usd_per_mtok": "cache_read",
}


def rates_charged(sheet: PriceSheet, bill: Bill) -> dict[str, Decimal | None]:
    """USD per million tokens of each kind in ``RATE_FIELDS`` under the bill's variant and tier
    (a kind without its own price is billed at its parent's, as the engine does); None when the
    sheet has no price for it."""
    variant = sheet.variants[bill.variant]
    prices = dict(variant.prices)
    for tier in variant.tiers:
        if tier.threshold_tokens == bill.tier_threshold_tokens:
            prices.update(tier.prices)
    return {field: _per_mtok(prices, kind) for field, kind in RATE_FIELDS.items()}


def _per_mtok(prices: dict[str, UnitPrice], kind: str) -> Decimal | None:
    current: str | None = kind
    while current is not None and current not in prices:
        current = TOKEN_PARENTS.get(current)
    if current is None:
        return None
    price = prices[current]
    return (price.usd * MTOK / price.per).normalize()
