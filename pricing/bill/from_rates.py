"""Flat rates and the sheet, each a view of the other. Pure: no Django imports.

``sheet_from_rates``: the sheet flat rates imply (a version without variant rows).
``rates_of_sheet``: the flat rates of a sheet, the view every source states and every list
shows (standard and batch input, output, cache and request prices, long-context tiers; with time
bands, the prices in force for most of the day, ``TIME_OF_DAY_CONVENTION``).

What flat rates mean: batch has its own input and output rates; its cache rates are the
standard ones (unless ``batch_discounts_cache``), and under a long-context tier the batch
discount is the base batch/standard ratio applied to the tier's rates. Cache reads and writes
without a rate of their own cost the (tier's) standard input rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from pricing.bill.rates import Rates, TierRates
from pricing.bill.sheet import STANDARD, PriceSheet, Provenance, TierRule, UnitPrice, Variant

BATCH = "batch"
MINUTES_A_DAY = 24 * 60
# How a version's flat rates show a price that depends on the time of day (DeepSeek's bands): one
# rule for every model, written in the notes of a model with bands; the bands live in the sheet.
TIME_OF_DAY_CONVENTION = (
    "versions show the rate in force for most of the day; the bill engine charges each time band "
    "its own rate (DeepSeek V4's weekday peak hours: twice the rate shown)"
)
TOKEN_COLUMNS = {
    "input": "input_usd_per_mtok",
    "output": "output_usd_per_mtok",
    "cache_read": "cache_read_usd_per_mtok",
    "cache_write_5m": "cache_write_5m_usd_per_mtok",
    "cache_write_1h": "cache_write_1h_usd_per_mtok",
}
CACHE_RATES = {
    "cache_read": "cache_read_usd_per_mtok",
    "cache_write_5m": "cache_write_5m_usd_per_mtok",
    "cache_write_1h": "cache_write_1h_usd_per_mtok",
}


def sheet_from_rates(
    rates: Rates, provenance: Provenance | None = None, *, batch_discounts_cache: bool = False
) -> PriceSheet:
    """``batch_discounts_cache``: the batch discount (batch input / input) applies to cache reads
    and writes too, as Anthropic bills them; otherwise batch caches at the standard rates."""
    variants = {STANDARD: _variant(STANDARD, rates, rates.input_usd_per_mtok, rates.output_usd_per_mtok)}
    batch_input, batch_output = rates.batch_input_usd_per_mtok, rates.batch_output_usd_per_mtok
    if batch_input is not None and batch_output is not None:
        batch = _variant(BATCH, rates, batch_input, batch_output)
        if batch_discounts_cache and rates.input_usd_per_mtok:
            batch = _discount_cache(batch, batch_input / rates.input_usd_per_mtok)
        variants[BATCH] = batch
    return PriceSheet(variants=variants, provenance=provenance or Provenance())


def _discount_cache(variant: Variant, ratio: Decimal) -> Variant:
    def scaled(prices: Mapping[str, UnitPrice]) -> dict[str, UnitPrice]:
        return {
            kind: UnitPrice(price.usd * ratio, price.per) if kind in CACHE_RATES else price
            for kind, price in prices.items()
        }

    tiers = tuple(replace(tier, prices=scaled(tier.prices)) for tier in variant.tiers)
    return replace(variant, prices=scaled(variant.prices), tiers=tiers)


def _variant(name: str, rates: Rates, input_usd: Decimal, output_usd: Decimal) -> Variant:
    prices = _token_prices(rates, input_usd, output_usd)
    if rates.request_usd is not None:
        prices["request"] = UnitPrice(rates.request_usd, per=1)
    tiers = tuple(_tier(name, rates, tier) for tier in rates.tiers)
    return Variant(name=name, prices=prices, tiers=tiers)


def _token_prices(
    rates: Rates | TierRates, input_usd: Decimal, output_usd: Decimal, base: Rates | None = None
) -> dict[str, UnitPrice]:
    """Token prices; a tier's unset cache rates are the ``base`` ones."""
    prices = {"input": UnitPrice(input_usd), "output": UnitPrice(output_usd)}
    for kind, attribute in CACHE_RATES.items():
        usd = getattr(rates, attribute)
        if usd is None and base is not None:
            usd = getattr(base, attribute)
        if usd is not None:
            prices[kind] = UnitPrice(usd)
    # Without their own rate, cache reads and writes cost the (tier's) standard input rate,
    # batch or not.
    prices.setdefault("cache_read", UnitPrice(rates.input_usd_per_mtok))
    prices.setdefault("cache_write_5m", UnitPrice(rates.input_usd_per_mtok))
    return prices


def _tier(name: str, rates: Rates, tier: TierRates) -> TierRule:
    input_usd, output_usd = tier.input_usd_per_mtok, tier.output_usd_per_mtok
    if name == BATCH:
        input_usd = _scaled(rates.batch_input_usd_per_mtok, rates.input_usd_per_mtok, input_usd)
        output_usd = _scaled(rates.batch_output_usd_per_mtok, rates.output_usd_per_mtok, output_usd)
    return TierRule(
        threshold_tokens=tier.threshold_tokens, prices=_token_prices(tier, input_usd, output_usd, rates)
    )


def _scaled(batch: Decimal | None, standard: Decimal, tier_standard: Decimal) -> Decimal:
    assert batch is not None
    return batch if standard == 0 else tier_standard * batch / standard


def rates_of_sheet(sheet: PriceSheet) -> Rates | None:
    """The flat rates of ``sheet``; ``None`` when its flat variant has no input or output price."""
    variant = _flat_variant(sheet)
    prices = variant.prices
    if "input" not in prices or "output" not in prices:
        return None
    flat = {column: prices[kind].usd for kind, column in TOKEN_COLUMNS.items() if kind in prices}
    if "request" in prices:
        flat["request_usd"] = prices["request"].usd / prices["request"].per
    batch = sheet.variants.get(BATCH)
    if batch is not None and "input" in batch.prices and "output" in batch.prices:
        flat["batch_input_usd_per_mtok"] = batch.prices["input"].usd
        flat["batch_output_usd_per_mtok"] = batch.prices["output"].usd
    tiers = tuple(_tier_rates(tier, flat) for tier in variant.tiers)
    return Rates(**flat, tiers=tiers)


def _flat_variant(sheet: PriceSheet) -> Variant:
    """The standard variant, or the band variant in force for most of the day."""
    minutes: dict[str, int] = {}
    for band in sheet.bands:
        if band.tier == STANDARD:
            start, end = band.start.hour * 60 + band.start.minute, band.end.hour * 60 + band.end.minute
            minutes[band.variant] = minutes.get(band.variant, 0) + (end - start) % MINUTES_A_DAY
    if not minutes:
        return sheet.variants[STANDARD]
    name, most = max(minutes.items(), key=lambda pair: pair[1])
    return sheet.variants[name] if most > MINUTES_A_DAY - sum(minutes.values()) else sheet.variants[STANDARD]


def _tier_rates(tier: TierRule, flat: Mapping[str, Decimal]) -> TierRates:
    own = {column: tier.prices[kind].usd for kind, column in TOKEN_COLUMNS.items() if kind in tier.prices}
    own.setdefault("input_usd_per_mtok", flat["input_usd_per_mtok"])
    own.setdefault("output_usd_per_mtok", flat["output_usd_per_mtok"])
    return TierRates(threshold_tokens=tier.threshold_tokens, **own)
