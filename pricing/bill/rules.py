"""What a price sheet must satisfy before it is published. Pure: no Django imports.

The same rules as the flat rates (finite, not negative, a cache read not above input, batch not
above standard, a tier not below the base), extended to every variant, per-unit price, tier
and band; plus a 1-hour cache write never below a 5-minute one.
"""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pricing.bill.sheet import STANDARD, TOKEN_PARENTS, UNIT_KINDS, PriceSheet, TimeBand, UnitPrice, Variant

KNOWN_KINDS = frozenset(TOKEN_PARENTS) | frozenset(UNIT_KINDS)
# Variants that are discounts: never above the standard price of the same kind.
DISCOUNTS = ("batch", "flex")


def sheet_problems(sheet: PriceSheet) -> list[str]:
    """Every reason to refuse ``sheet``, each naming the variant and kind; empty when fine."""
    if STANDARD not in sheet.variants:
        return ["a price sheet needs a standard variant"]
    problems: list[str] = []
    for name, variant in sheet.variants.items():
        if variant.name != name:
            problems.append(f"variant {name!r} is filed under another name ({variant.name!r})")
        problems += _variant_problems(variant)
    standard = sheet.variants[STANDARD].prices
    for name in DISCOUNTS:
        if name in sheet.variants:
            problems += _above(sheet.variants[name].prices, standard, f"{name} ", "standard")
    for band in sheet.bands:
        problems += _band_problems(band, sheet)
    return problems


def _variant_problems(variant: Variant) -> list[str]:
    where = f"{variant.name}: "
    problems = _price_problems(variant.prices, where)
    thresholds = [tier.threshold_tokens for tier in variant.tiers]
    if any(t <= 0 for t in thresholds) or len(set(thresholds)) != len(thresholds):
        problems.append(f"{where}tier thresholds must be distinct positive token counts")
    for tier in sorted(variant.tiers, key=lambda t: t.threshold_tokens):
        at = f"{where}above {tier.threshold_tokens:,} tokens, "
        problems += _price_problems(tier.prices, at)
        problems += _above(variant.prices, tier.prices, at, "its base", below=True)
        unknown = tier.counted_kinds - KNOWN_KINDS
        if unknown or not tier.counted_kinds:
            problems.append(f"{at}the counted token kinds must be known ones: {sorted(unknown)}")
    return problems


Prices = Mapping[str, UnitPrice]


def _price_problems(prices: Prices, where: str) -> list[str]:
    problems = []
    for kind, price in prices.items():
        if kind not in KNOWN_KINDS:
            problems.append(f"{where}unknown price kind {kind!r}")
        if not price.usd.is_finite() or price.usd < 0:
            problems.append(f"{where}{kind} must be a finite amount of at least 0")
        if price.per <= 0:
            problems.append(f"{where}{kind} must be priced per a positive number of units")
    problems += _pair(prices, "cache_read", "input", where, "must not be above")
    problems += _pair(prices, "cache_write_5m", "cache_write_1h", where, "must not be above")
    return problems


def _pair(prices: Prices, low: str, high: str, where: str, verb: str) -> list[str]:
    low_price, high_price = prices.get(low), prices.get(high)
    if low_price and high_price and low_price.usd * high_price.per > high_price.usd * low_price.per:
        return [f"{where}{low} {verb} {high}"]
    return []


def _above(prices: Prices, reference: Prices, where: str, what: str, below: bool = False) -> list[str]:
    """Kinds priced above ``reference`` (``below``: kinds of ``reference`` priced below ``prices``)."""
    problems = []
    for kind, price in prices.items():
        other = reference.get(kind)
        if other is None or price.usd.is_nan() or other.usd.is_nan():
            continue
        if price.usd * other.per > other.usd * price.per:
            problems.append(f"{where}{kind} is {'below' if below else 'above'} {what}")
    return problems


def _band_problems(band: TimeBand, sheet: PriceSheet) -> list[str]:
    where = f"band {band.start:%H:%M}-{band.end:%H:%M} ({band.variant}): "
    problems = []
    if band.variant not in sheet.variants or band.variant == STANDARD:
        problems.append(f"{where}must switch to another variant of this version")
    if band.tier not in sheet.variants:
        problems.append(f"{where}applies to an unknown service tier {band.tier!r}")
    if band.start == band.end:
        problems.append(f"{where}must not start and end at the same time")
    if not band.weekdays or not band.weekdays <= frozenset(range(7)):
        problems.append(f"{where}weekdays must be 0 (Monday) to 6 (Sunday)")
    try:
        ZoneInfo(band.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"{where}unknown time zone {band.time_zone!r}")
    return problems
