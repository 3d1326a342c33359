"""The estimate bills each model's service tier where it offers it, says which tier billed, and
tells when a request passed a threshold (seed prices: GPT-5.4 2.50 / 15, above 272K 5 / 22.50;
flex 1.25 / 7.50; GPT-4.1 mini 0.40 / 1.60)."""

import json

import pytest

from calculator.columns import COLUMNS
from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db
MODELS = ["openai/gpt-5.4", "openai/gpt-4.1-mini"]


@pytest.fixture(autouse=True)
def seeded(db):
    load_seed_catalogue()


def estimate(client, **body):
    response = client.post("/api/v1/estimate", json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def rows(body):
    return {f"{r['provider']}/{r['model']}": r for r in body["results"]}


def test_flex_bills_where_offered_and_standard_elsewhere(client):
    status, body = estimate(
        client,
        input_tokens=10_000,
        output_tokens=1_500,
        models=MODELS,
        as_of="2026-11-27",
        service_tier="flex",
    )
    assert status == 200, body
    gpt, mini = rows(body)["openai/gpt-5.4"], rows(body)["openai/gpt-4.1-mini"]
    assert (gpt["service_tier"], gpt["total_usd"]) == ("flex", "0.02375")  # 0.0125 + 0.01125
    assert (mini["service_tier"], mini["total_usd"]) == ("standard", "0.0064")  # 0.004 + 0.0024
    assert body["inputs"]["service_tier"] == "flex"


def test_a_request_over_272k_says_what_trimming_would_save(client):
    _, body = estimate(
        client, input_tokens=300_000, output_tokens=1_000, models=MODELS[:1], as_of="2026-11-27"
    )
    (row,) = body["results"]
    # 1.5225 at the higher rate vs 272,000 x 2.50 + 1,000 x 15 = 0.695 at the base one.
    assert row["threshold_note"] == (
        "over 272,000 prompt tokens: the whole request is billed at the higher rate; "
        "28,000 fewer tokens would save $0.83"
    )


def test_batch_and_another_tier_at_once_are_refused_naming_the_tier(client):
    status, body = estimate(client, input_tokens=1, batch=True, service_tier="flex")
    assert (status, body["error"]["field"]) == (400, "service_tier")


def test_assumed_reasoning_tokens_are_billed_as_output_and_labelled(client):
    _, body = estimate(
        client,
        input_tokens=1_000,
        output_tokens=500,
        reasoning_tokens=2_000,
        models=MODELS[1:],
        as_of="2026-11-27",
    )
    (row,) = body["results"]
    # GPT-4.1 mini has no reasoning rate of its own: 2,500 output tokens at 1.60 + 1,000 in at 0.40.
    assert (row["output_usd"], row["total_usd"], row["reasoning_tokens"]) == ("0.004", "0.0044", 2_000)
    assert next(c.label for c in COLUMNS if c.name == "reasoning_tokens") == "Reasoning tokens (assumed)"
    assert body["inputs"]["reasoning_tokens"] == 2_000


def test_a_service_tier_no_model_offers_is_refused_naming_the_field(client):
    status, body = estimate(client, input_tokens=1_000, models=MODELS, service_tier="turbo")
    assert status == 400
    assert body["error"]["field"] == "service_tier" and body["error"]["code"] == "unknown_tier"
    assert "'turbo'" in body["error"]["message"] and "flex" in body["error"]["message"]


def test_a_time_band_variant_is_not_a_tier_to_ask_for(client):
    # DeepSeek's peak price is chosen by the clock, never by name.
    status, body = estimate(client, input_tokens=1_000, models=MODELS, service_tier="peak")
    assert (status, body["error"]["field"]) == (400, "service_tier")
