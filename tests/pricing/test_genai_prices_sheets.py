"""genai-prices' variants, windows, per-unit prices and tiers survive the import into sheets.

Expected numbers are the published prices named in ``bill_sheets`` (which genai-prices 0.2.3,
the pinned package, also records)."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D
from functools import cache

import pytest

from pricing.bill import BillUsage, UnitPrice, compute_bill
from pricing.sources.genai_prices_v2 import bundled_payload, sheet_at, variant_start_dates

TODAY = date(2026, 11, 27)


@cache
def upstream(provider, model):
    for entry in json.loads(bundled_payload()):
        if entry["id"] == provider:
            return next(m for m in entry["models"] if m["id"] == model)
    raise LookupError(model)


def sheet(provider, model, on=TODAY):
    notes = []
    return sheet_at(upstream(provider, model), on, notes), notes


def test_opus_4_6_batch_from_the_data_halves_cache_reads_too():
    opus, notes = sheet("anthropic", "claude-opus-4-6")
    usage = BillUsage(input_tokens=50_000, cache_read_tokens=50_000, output_tokens=1_000)
    noon = datetime(2026, 11, 27, 12, tzinfo=UTC)
    assert compute_bill(opus, usage, at=noon, service_tier="batch").total_usd == D("0.15")
    assert opus.variants["batch"].prices["cache_write_1h"] == UnitPrice(D("5"))
    assert opus.variants["batch"].prices["web_search"] == UnitPrice(D("10"), per=1000)
    assert notes == []


def test_opus_4_6_before_its_first_dated_price_has_the_200k_tier():
    opus, _ = sheet("anthropic", "claude-opus-4-6", on=None)
    (tier,) = opus.variants["standard"].tiers
    assert tier.threshold_tokens == 200_000
    assert tier.prices["output"] == UnitPrice(D("37.5"))
    assert set(opus.variants) == {"standard"}


def test_gpt_5_4_keeps_every_service_tier_and_its_272k_tier():
    gpt, notes = sheet("openai", "gpt-5.4")
    assert set(gpt.service_tiers) == {"standard", "batch", "flex", "priority", "fast"}
    assert gpt.variants["flex"].prices["cache_read"] == UnitPrice(D("0.13"))
    assert gpt.variants["flex"].tiers[0].threshold_tokens == 272_000
    assert gpt.variants["priority"].prices["output"] == UnitPrice(D("30"))
    assert gpt.variants["standard"].prices["storage_search"] == UnitPrice(D("2.5"), per=1000)
    assert notes == []


def test_variants_start_on_their_own_dates():
    assert variant_start_dates(upstream("openai", "gpt-5.4")) == {date(2026, 10, 12), date(2026, 10, 14)}
    before, _ = sheet("openai", "gpt-5.4", on=date(2026, 10, 11))
    assert before.service_tiers == ("standard",)


@pytest.mark.parametrize(
    ("moment", "input_usd"),
    [("2026-11-27T00:59:59Z", "0.66"), ("2026-11-27T01:00:00Z", "1.32"), ("2026-11-27T10:00:00Z", "0.66")],
)
def test_deepseek_v4_pro_peak_windows_become_bands(moment, input_usd):
    deepseek, notes = sheet("deepseek", "deepseek-v4-pro")
    at = datetime.fromisoformat(moment)
    assert compute_bill(deepseek, BillUsage(input_tokens=1_000_000), at=at).total_usd == D(input_usd)
    assert notes == []


def test_deepseek_v4_pro_windows_start_with_the_dated_price_they_follow():
    deepseek, _ = sheet("deepseek", "deepseek-v4-pro", on=date(2026, 8, 16))
    assert deepseek.bands == ()


def test_a_price_key_the_sheet_cannot_hold_is_noted():
    notes = []
    raw = {"id": "m", "prices": {"input_mtok": "1", "output_mtok": "2", "input_mchars": "3"}}
    sheet_at(raw, None, notes)
    assert notes == ["price key not represented: input_mchars"]
