"""POST /api/v1/bill: the provider's bill from the seed catalogue, line by line, each line traced
to its price version; bad input is a 400 naming the field. Expected totals from the published
prices in PRODUCT.md's facts (Opus 4.6 batch: $0.15; GPT-5.4's 272K rule)."""

import json
from decimal import Decimal as D

import pytest

from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db
OPUS_BATCH = {
    "model": "anthropic/claude-opus-4-6",
    "at": "2026-11-27T12:00:00Z",
    "service_tier": "batch",
    "usage": {"input_tokens": 50_000, "cache_read_tokens": 50_000, "output_tokens": 1_000},
}


@pytest.fixture(autouse=True)
def seeded(db):
    load_seed_catalogue()


def post(client, body):
    response = client.post("/api/v1/bill", json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def gpt_5_4(input_tokens, cached):
    usage = {"input_tokens": input_tokens, "cache_read_tokens": cached, "output_tokens": 1_000}
    return {"model": "openai/gpt-5.4", "at": "2026-11-27T12:00:00Z", "usage": usage}


def test_the_opus_batch_bill_is_fifteen_cents_line_by_line(client):
    status, body = post(client, OPUS_BATCH)
    assert status == 200, body
    assert body["total_usd"] == "0.15"
    assert [(line["what"], line["quantity"], line["rate_usd"], line["usd"]) for line in body["lines"]] == [
        ("input", 50_000, "2.5", "0.125"),
        ("cache_read", 50_000, "0.25", "0.0125"),
        ("output", 1_000, "12.5", "0.0125"),
    ]
    line = body["lines"][0]
    assert (line["variant"], line["effective_from"][:10], line["source_url"]) == (
        "batch",
        "2026-03-13",
        "https://www.anthropic.com/pricing#api",
    )
    assert isinstance(line["price_version"], int)
    assert sum(D(line["usd"]) for line in body["lines"]) == D(body["total_usd"])


def test_gpt_5_4_at_272000_prompt_tokens_stays_on_the_base_rate(client):
    _, body = post(client, gpt_5_4(172_000, 100_000))
    assert (body["total_usd"], body["threshold"]) == ("0.47", None)  # 0.43 + 0.025 + 0.015


def test_gpt_5_4_one_cached_token_more_reprices_the_whole_request(client):
    _, body = post(client, gpt_5_4(172_000, 100_001))
    assert body["total_usd"] == "0.9325005"  # 0.86 + 0.0500005 + 0.0225
    assert body["threshold"] == {
        "threshold_tokens": 272_000,
        "counted_tokens": 272_001,
        "tokens_over": 1,
        # one input token fewer: 171,999 x 2.50 + 100,001 x 0.25 + 1,000 x 15 = 0.46999775
        "saving_usd": "0.46250275",
    }


def test_the_same_request_gives_the_same_bill(client):
    assert post(client, OPUS_BATCH) == post(client, OPUS_BATCH)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service_tier": "flex"}, "service_tier"),
        ({"model": "anthropic/claude-nope"}, "model"),
        ({"usage": {"input_tokens": -1}}, "usage.input_tokens"),
        ({"usage": {"output_tokens": 10**12}}, "usage.output_tokens"),
        ({"usage": {"web_searches": 10**9}}, "usage.web_searches"),
        ({"usage": {"images": [{"width": 0, "height": 10}]}}, "usage.images[0]"),
        ({"at": "yesterday"}, "at"),
        ({"at": "2020-01-01T00:00:00Z"}, "at"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, change, field):
    status, body = post(client, OPUS_BATCH | change)
    assert status == 400, body
    assert body["error"]["field"] == field


def test_an_unknown_field_is_refused(client):
    status, body = post(client, OPUS_BATCH | {"discount": "please"})
    assert (status, body["error"]["code"], body["error"]["field"]) == (400, "unknown_field", "discount")


def test_an_unknown_tier_lists_the_tiers_the_model_offers(client):
    _, body = post(client, OPUS_BATCH | {"service_tier": "priority"})
    assert "standard, batch" in body["error"]["message"]


def test_an_image_is_billed_as_the_tokens_of_openais_tile_rule(client):
    usage = {"images": [{"width": 1024, "height": 1024, "detail": "high"}]}
    _, body = post(client, {"model": "openai/gpt-4.1", "at": "2026-11-27T12:00:00Z", "usage": usage})
    assert (body["lines"][0]["what"], body["lines"][0]["quantity"], body["total_usd"]) == (
        "input_image",
        765,
        "0.00153",  # GPT-4.1 input at 2.00 per MTok
    )


def test_the_bill_is_in_the_openapi_document(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    operation = document["paths"]["/api/v1/bill"]["post"]
    assert "400" in operation["responses"]
    usage = document["components"]["schemas"]["UsageIn"]["properties"]
    assert {"input_tokens", "cache_read_tokens", "cache_write_1h_tokens", "images"} <= set(usage)
