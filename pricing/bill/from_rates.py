"""A sheet from flat rates (the cost core's ``Rates``: a version without variant rows). Pure.

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
