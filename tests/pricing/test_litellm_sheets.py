"""LiteLLM's flex, priority, modality and per-image prices are kept (published OpenAI prices,
as LiteLLM lists them per token)."""

from decimal import Decimal as D

from pricing.sources.litellm import parse_entry

GPT_5_4 = {
    "litellm_provider": "openai",
    "mode": "chat",
    "input_cost_per_token": "2.5e-06",
    "output_cost_per_token": "1.5e-05",
    "cache_read_input_token_cost": "2.5e-07",
    "input_cost_per_token_flex": "1.25e-06",
    "output_cost_per_token_flex": "7.5e-06",
    "cache_read_input_token_cost_flex": "1.3e-07",
    "input_cost_per_token_priority": "5e-06",
    "output_cost_per_token_priority": "3e-05",
    "input_cost_per_image": "0.001",
    "output_cost_per_reasoning_token": "1.5e-05",
    "search_context_cost_per_query": {"search_context_size_low": 0.01},
}


def test_flex_and_priority_become_variants_over_the_standard_prices():
    record = parse_entry("gpt-5.4", GPT_5_4)
    variants = record.history[0].sheet.variants
    assert {
        k: p.usd for k, p in variants["flex"].prices.items() if k in ("input", "output", "cache_read")
    } == {
        "input": D("1.25"),
        "output": D("7.5"),
        "cache_read": D("0.13"),
    }
    assert variants["priority"].prices["output"].usd == D("30")
    assert variants["priority"].prices["cache_read"].usd == D("0.25")  # none of its own: standard


def test_per_image_and_reasoning_prices_are_kept_and_the_rest_noted():
    record = parse_entry("gpt-5.4", GPT_5_4)
    standard = record.history[0].sheet.variants["standard"].prices
    assert (standard["image"].usd, standard["image"].per) == (D("0.001"), 1)
    assert standard["reasoning"].usd == D("15")
    assert record.notes == ("price key not represented: search_context_cost_per_query",)
