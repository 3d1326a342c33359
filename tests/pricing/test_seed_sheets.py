"""The seed catalogue carries what flat rates cannot: Anthropic's batch cache discount, OpenAI's
service tiers and batch cached rate, DeepSeek's peak hours, per-search prices. Expected bills
from the published prices (see ``bill_sheets``)."""

from datetime import datetime
from decimal import Decimal as D

import pytest

from pricing.bill import BillError, BillUsage
from pricing.selectors.bills import bill_for
from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db):
    load_seed_catalogue()


def total(key, at, tier="standard", **usage):
    bill, _ = bill_for(
        model_key=key, usage=BillUsage(**usage), at=datetime.fromisoformat(at), service_tier=tier
    )
    return bill.total_usd


def test_opus_4_6_batch_halves_cache_reads_in_the_seed():
    usage = {"input_tokens": 50_000, "cache_read_tokens": 50_000, "output_tokens": 1_000}
    assert total("anthropic/claude-opus-4-6", "2026-11-27T12:00Z", "batch", **usage) == D("0.15")


def test_opus_4_6_batch_halves_1h_cache_writes_above_200k_before_2026_03_13():
    # 200,001 prompt tokens, all written to the 1-hour cache: 20.00 per MTok, halved by batch.
    at = "2026-03-12T12:00Z"
    assert total("anthropic/claude-opus-4-6", at, "batch", cache_write_1h_tokens=200_001) == D("2.00001")


def test_gpt_5_4_flex_and_priority_from_the_seed():
    usage = {"input_tokens": 10_000, "output_tokens": 1_500}
    assert total("openai/gpt-5.4", "2026-11-27T12:00Z", "flex", **usage) == D("0.02375")
    assert total("openai/gpt-5.4", "2026-11-27T12:00Z", "priority", **usage) == D("0.095")


def test_gpt_5_4_batch_cached_input_has_its_own_rate_from_2026_10_14():
    assert total("openai/gpt-5.4", "2026-10-14T00:00Z", "batch", cache_read_tokens=100_000) == D("0.013")
    assert total("openai/gpt-5.4", "2026-10-13T23:59Z", "batch", cache_read_tokens=100_000) == D("0.025")


def test_flex_is_not_offered_before_it_was_seen():
    with pytest.raises(BillError) as caught:
        total("openai/gpt-5.4", "2026-10-11T12:00Z", "flex", input_tokens=1)
    assert caught.value.field == "service_tier"


@pytest.mark.parametrize(
    ("at", "expected"),
    [("2026-11-27T01:00Z", "1.32"), ("2026-11-27T04:00Z", "0.66"), ("2026-11-28T01:00Z", "0.66")],
)
def test_deepseek_v4_pro_peak_hours_from_the_seed(at, expected):
    assert total("deepseek/deepseek-v4-pro", at, input_tokens=1_000_000) == D(expected)


def test_web_searches_are_priced_per_thousand_in_the_seed():
    assert total("anthropic/claude-opus-4-6", "2026-11-27T12:00Z", web_searches=3) == D("0.03")
