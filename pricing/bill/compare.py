"""Whether two sheets bill every request alike, however each spells its prices. Pure.

A sheet read from flat rates spells out fallbacks (a cache read at the input rate) that an
imported sheet leaves to the engine; both bill the same, so neither is a price change. Prices
compare at the catalogue's stored precision (10 decimal places, as ``same_rates`` does): a
source's 0.0833333333333333 read back from the database is 0.0833333333, not a new price.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal

from pricing.bill.sheet import TOKEN_PARENTS, PriceSheet, UnitPrice

Canonical = tuple[object, ...]
STORED = Decimal("1e-10")  # the catalogue's money columns keep 10 decimal places


def bills_alike(a: PriceSheet, b: PriceSheet) -> bool:
    return canonical(a) == canonical(b)


def canonical(sheet: PriceSheet) -> Canonical:
    """Every variant's effective price of every kind, base and per tier, and the bands."""
    variants = []
    for name, variant in sorted(sheet.variants.items()):
        tiers = tuple(
            (
                t.threshold_tokens,
                tuple(sorted(t.counted_kinds)),
                t.inclusive,
                _effective({**variant.prices, **t.prices}),
            )
            for t in sorted(variant.tiers, key=lambda t: t.threshold_tokens)
        )
        variants.append((name, _effective(variant.prices), tiers))
    bands = sorted(
        (b.variant, b.tier, b.start, b.end, tuple(sorted(b.weekdays)), b.time_zone) for b in sheet.bands
    )
    return (tuple(variants), tuple(bands))


def _effective(prices: Mapping[str, UnitPrice]) -> tuple[tuple[str, Decimal], ...]:
    found = {}
    for kind in {*TOKEN_PARENTS, *prices}:
        current: str | None = kind
        while current is not None and current not in prices:
            current = TOKEN_PARENTS.get(current)
        if current is not None:
            found[kind] = _per_unit(prices[current])
    return tuple(sorted(found.items()))


def _per_unit(price: UnitPrice) -> Decimal:
    with decimal.localcontext() as context:
        context.prec = 50
        return (price.usd.quantize(STORED) / price.per).normalize()
