"""The cost core against the golden numbers in PRODUCT.md (genai-prices' own calculation)."""

from decimal import Decimal as D

import pytest

from pricing.bill.rates import Rates, TierRates
from tests.pricing.flat_billing import Usage, estimate_cost

GPT_41_MINI = Rates(
    D("0.40"),
    D("1.60"),
    cache_read_usd_per_mtok=D("0.10"),
    batch_input_usd_per_mtok=D("0.20"),
    batch_output_usd_per_mtok=D("0.80"),
)
GPT_54 = Rates(
    D("2.50"),
    D("15.00"),
    cache_read_usd_per_mtok=D("0.25"),
    batch_input_usd_per_mtok=D("1.25"),
    batch_output_usd_per_mtok=D("7.50"),
    tiers=(TierRates(272_000, D("5.00"), D("22.50"), D("0.50")),),
)


def test_it_costs_gpt_41_mini_1000_in_500_out_at_the_golden_0_0012():
    assert estimate_cost(Usage(1000, 500), GPT_41_MINI).total_usd == D("0.0012")


def test_it_applies_gpt_54_long_context_tier_to_the_whole_request():
    cost = estimate_cost(Usage(300_000, 1000), GPT_54)
    assert cost.total_usd == D("1.5225")
    assert cost.tier_threshold_tokens == 272_000


def test_it_reproduces_the_guides_worked_example_of_72_dollars_a_month():
    per_request = estimate_cost(Usage(800, 250), GPT_41_MINI).total_usd
    assert per_request == D("0.00072")
    assert per_request * 100_000 == D("72")


def test_it_keeps_the_base_rate_exactly_at_the_threshold_and_tiers_one_token_above():
    at = estimate_cost(Usage(272_000, 0), GPT_54)
    above = estimate_cost(Usage(272_001, 0), GPT_54)
    assert at.tier_threshold_tokens is None
    assert at.input_usd == D("272000") * D("2.50") / D(1_000_000)
    assert above.tier_threshold_tokens == 272_000
    assert above.input_usd == D("272001") * D("5.00") / D(1_000_000)


def test_it_picks_the_highest_threshold_exceeded_when_there_are_several_tiers():
    rates = Rates(D(1), D(2), tiers=(TierRates(100, D(2), D(3)), TierRates(1000, D(4), D(5))))
    tier = [estimate_cost(Usage(tokens, 0), rates).tier_threshold_tokens for tokens in (100, 101, 1001)]
    assert tier == [None, 100, 1000]


def test_it_bills_cached_input_at_the_cache_read_rate():
    cost = estimate_cost(Usage(1000, 0, cached_input_tokens=600), GPT_41_MINI)
    assert cost.input_usd == D("400") * D("0.40") / D(1_000_000)
    assert cost.cached_input_usd == D("600") * D("0.10") / D(1_000_000)


def test_it_bills_cached_input_at_the_input_rate_when_the_model_has_no_cache_price():
    cost = estimate_cost(Usage(1000, 0, cached_input_tokens=1000), Rates(D("1"), D("2")))
    assert cost.cached_input_usd == D("0.001")


def test_it_uses_batch_rates_only_when_asked_and_offered():
    assert estimate_cost(Usage(1000, 500), GPT_41_MINI, batch=True).total_usd == D("0.0006")
    no_batch = estimate_cost(Usage(1000, 500), Rates(D("0.40"), D("1.60")), batch=True)
    assert no_batch.batch_applied is False
    assert no_batch.total_usd == D("0.0012")


def test_it_scales_the_batch_discount_onto_the_tier_rates():
    cost = estimate_cost(Usage(300_000, 1000), GPT_54, batch=True)
    assert cost.total_usd == D("1.5225") / 2


def test_it_adds_the_per_request_fee_once():
    rates = Rates(D("1"), D("1"), request_usd=D("0.005"))
    assert estimate_cost(Usage(0, 0), rates).total_usd == D("0.005")


def test_it_bills_cache_writes_at_their_own_rates():
    rates = Rates(D("5"), D("25"), D("0.5"), D("6.25"), D("10"))
    cost = estimate_cost(
        Usage(2_000_000, 0, cache_write_5m_tokens=1_000_000, cache_write_1h_tokens=1_000_000), rates
    )
    assert cost.cache_write_usd == D("16.25")
    assert cost.input_usd == 0


def test_it_refuses_negative_or_inconsistent_usage():
    with pytest.raises(ValueError, match="input_tokens"):
        Usage(-1, 0)
    with pytest.raises(ValueError, match="cannot exceed"):
        Usage(10, 0, cached_input_tokens=11)


def test_it_never_uses_floats():
    cost = estimate_cost(Usage(3, 7), Rates(D("0.1"), D("0.3")))
    assert isinstance(cost.total_usd, D)
    assert cost.total_usd == D("0.0000024")
