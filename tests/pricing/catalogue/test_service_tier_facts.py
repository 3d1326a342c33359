"""Service tiers as the providers publish them (issue 21 item 7).

Google's Flex and Priority inference announcement (2026-04-01,
https://blog.google/innovation-and-ai/technology/developers-tools/introducing-flex-and-priority-inference):
Flex bills half the Standard API's price, Priority 1.8 times it (within the announced 75-100%).
Gemini 3.1 Pro's Standard price (Google's pricing page, https://ai.google.dev/gemini-api/docs/pricing):
2.00 in / 12.00 out, cache read 0.20; prompts above 200,000 tokens 4.00 / 18.00 / 0.40 for the whole
request. OpenAI's pricing page (https://openai.com/api/pricing/): GPT-5.4 at 2.50 / 15.00, above
272,000 prompt tokens 5.00 / 22.50 for standard, batch and flex (flex and batch half of those);
priority 5.00 / 30.00 with no long-context price, so priority above 272,000 tokens is not sold.
Expected totals are worked out by hand in each comment.
"""

from __future__ import annotations

import pytest

from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db: object) -> None:
    load_seed_catalogue()


def bill(client, model: str, at: str, tier: str, **usage: int):
    body = {"model": model, "at": at, "usage": usage, "service_tier": tier}
    return client.post("/api/v1/bill", body, "application/json")


def total(client, model: str, at: str, tier: str, **usage: int) -> str:
    response = bill(client, model, at, tier, **usage)
    assert response.status_code == 200, response.content
    return response.json()["total_usd"]


GEMINI = "google/gemini-3.1-pro-preview"
SHORT = {"input_tokens": 100_000, "output_tokens": 100_000}


def test_gemini_flex_bills_half_the_standard_price_from_its_launch(client):
    # 100,000 in and out: 0.1 x 2.00 + 0.1 x 12.00 standard, 0.1 x 1.00 + 0.1 x 6.00 on flex.
    assert total(client, GEMINI, "2026-05-01T00:00:00Z", "standard", **SHORT) == "1.4"
    assert total(client, GEMINI, "2026-05-01T00:00:00Z", "flex", **SHORT) == "0.7"
    # Above 200,000 prompt tokens: 300,000 x 4.00 standard, x 2.00 on flex; cache reads 0.40 / 0.20.
    assert total(client, GEMINI, "2026-05-01T00:00:00Z", "standard", input_tokens=300_000) == "1.2"
    assert total(client, GEMINI, "2026-05-01T00:00:00Z", "flex", input_tokens=300_000) == "0.6"
    long_cached = {"input_tokens": 250_000, "cache_read_tokens": 100_000}
    assert total(client, GEMINI, "2026-05-01T00:00:00Z", "flex", **long_cached) == "0.52"  # 0.5 + 0.02
    # Before Flex and Priority were sold, both are refused.
    for tier in ("flex", "priority"):
        before = bill(client, GEMINI, "2026-03-31T12:00:00Z", tier, **SHORT)
        assert before.status_code == 400 and before.json()["error"]["field"] == "service_tier"


def test_gemini_priority_bills_its_published_rates_from_its_launch(client):
    # Priority (Google's pricing page, in LiteLLM's map from litellm 1.83.0): 3.60 / 21.60, cache
    # read 0.36; above 200,000 prompt tokens 7.20 / 32.40 / 0.72 for the whole request.
    # 100,000 in and out: 0.1 x 3.60 + 0.1 x 21.60 = 0.36 + 2.16.
    assert total(client, GEMINI, "2026-05-01T00:00:00Z", "priority", **SHORT) == "2.52"
    # 300,000 in: 0.3 x 7.20; 250,000 in and 100,000 cache reads: 0.25 x 7.20 + 0.1 x 0.72.
    assert total(client, GEMINI, "2026-05-01T00:00:00Z", "priority", input_tokens=300_000) == "2.16"
    long_cached = {"input_tokens": 250_000, "cache_read_tokens": 100_000}
    assert total(client, GEMINI, "2026-05-01T00:00:00Z", "priority", **long_cached) == "1.872"


def test_openai_priority_is_refused_above_the_long_context_threshold_as_published(client):
    at = "2026-11-01T00:00:00Z"
    # At exactly 272,000 prompt tokens the base rates apply: priority 272,000 x 5.00 per million.
    assert total(client, "openai/gpt-5.4", at, "priority", input_tokens=272_000) == "1.36"
    refused = bill(client, "openai/gpt-5.4", at, "priority", input_tokens=272_001)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["field"] == "service_tier" and "above 272,000 tokens" in error["message"]
    # Standard, batch and flex are sold above it: 300,000 x 5.00, x 2.50 and x 2.50 per million.
    assert total(client, "openai/gpt-5.4", at, "standard", input_tokens=300_000) == "1.5"
    assert total(client, "openai/gpt-5.4", at, "batch", input_tokens=300_000) == "0.75"
    assert total(client, "openai/gpt-5.4", at, "flex", input_tokens=300_000) == "0.75"


def test_an_estimate_asking_priority_for_a_long_prompt_bills_it_at_standard_and_says_so(client):
    request = {
        "models": ["openai/gpt-5.4"],
        "input_tokens": 300_000,
        "service_tier": "priority",
        "as_of": "2026-11-01",
    }
    response = client.post("/api/v1/estimate", request, "application/json")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["service_tier"], row["total_usd"]) == ("standard", "1.5")  # 300,000 x 5.00 per million
