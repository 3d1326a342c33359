"""Properties every bill must have, for any prices that pass validation (hypothesis)."""

from dataclasses import fields, replace
from datetime import UTC, datetime
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from pricing.bill import BillUsage, PriceSheet, TierRule, UnitPrice, Variant, compute_bill

AT = datetime(2026, 11, 27, 12, tzinfo=UTC)
rate = st.decimals(min_value=0, max_value=100, places=3)
share = st.decimals(min_value=0, max_value=1, places=2)
count = st.integers(min_value=0, max_value=3_000_000)
COUNT_FIELDS = [
    f.name for f in fields(BillUsage) if f.name not in ("images", "input_audio_tokens", "output_audio_tokens")
]


@st.composite
def standard_prices(draw):
    input_usd, output_usd = draw(rate), draw(rate)
    prices = {"input": input_usd, "output": output_usd}
    if draw(st.booleans()):
        prices["cache_read"] = input_usd * draw(share)
    if draw(st.booleans()):
        prices["cache_write_5m"] = input_usd + draw(rate)
        prices["cache_write_1h"] = prices["cache_write_5m"] + draw(rate)
    for kind in ("web_search", "storage_search", "audio_second", "request"):
        prices[kind] = draw(rate)
    return prices


def to_units(prices, scale=D(1)):
    per = {"web_search": 1000, "storage_search": 1000, "audio_second": 3600, "request": 1}
    return {kind: UnitPrice(usd * scale, per.get(kind, 1_000_000)) for kind, usd in prices.items()}


@st.composite
def sheets(draw):
    """A standard variant with an optional long-context tier (rates raised by one factor, so
    every rule the validation enforces holds), and a batch variant discounted by one factor."""
    prices = draw(standard_prices())
    threshold = draw(st.integers(min_value=1, max_value=2_000_000))
    raise_by = D(1) + draw(share) * 2 if draw(st.booleans()) else None
    discount = draw(share)

    def variant(name, scale):
        tiers = (TierRule(threshold, to_units(prices, scale * raise_by)),) if raise_by else ()
        return Variant(name, to_units(prices, scale), tiers)

    return PriceSheet(variants={"standard": variant("standard", D(1)), "batch": variant("batch", discount)})


UNIT_FIELDS = ("web_searches", "file_searches", "audio_seconds")
usages = st.builds(
    BillUsage, **{name: st.integers(0, 1000) if name in UNIT_FIELDS else count for name in COUNT_FIELDS}
)


def total(sheet, usage, tier="standard"):
    return compute_bill(sheet, usage, at=AT, service_tier=tier).total_usd


@given(sheets(), usages)
def test_batch_is_never_above_standard(sheet, usage):
    assert total(sheet, usage, "batch") <= total(sheet, usage)


@given(sheets(), usages, st.sampled_from(COUNT_FIELDS), st.integers(min_value=1, max_value=1000))
def test_a_bill_never_falls_when_any_quantity_grows(sheet, usage, field, more):
    grown = replace(usage, **{field: getattr(usage, field) + more})
    assert total(sheet, grown) >= total(sheet, usage)


@given(sheets(), usages, st.integers(min_value=1, max_value=500_000))
def test_a_1h_cache_write_never_costs_less_than_a_5m_one(sheet, usage, tokens):
    five = replace(usage, cache_write_5m_tokens=usage.cache_write_5m_tokens + tokens)
    hour = replace(usage, cache_write_1h_tokens=usage.cache_write_1h_tokens + tokens)
    assert total(sheet, hour) >= total(sheet, five)


@given(sheets(), usages, st.sampled_from(["standard", "batch"]))
def test_the_lines_sum_exactly_to_the_total(sheet, usage, tier):
    bill = compute_bill(sheet, usage, at=AT, service_tier=tier)
    assert sum((line.usd for line in bill.lines), D(0)) == bill.total_usd
    for line in bill.lines:
        if line.per != 3600:  # per-hour prices of seconds are the only inexact division
            assert line.usd * line.per == line.quantity * line.rate_usd
