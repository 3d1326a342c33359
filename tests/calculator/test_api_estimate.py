"""POST /api/v1/estimate: counts from each provider's tokenizer, exact decimal costs, clear errors."""

import json
from decimal import Decimal as D

import pytest

from calculator import tokenizers
from pricing.services.seed import load_seed_catalogue
from tests.reference import DATA_DIR, deepseek_count, o200k_count

pytestmark = pytest.mark.django_db
MTOK = D(1_000_000)
TEXT = (
    "The quick brown fox jumps over the lazy dog. 敏捷的棕色狐狸跳过了懒狗。 Быстрая лиса 🦊‍🔥 <|endoftext|>"
)


@pytest.fixture(autouse=True)
def seeded(db):
    load_seed_catalogue()


def post(client, body, url="/api/v1/estimate"):
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def row(body, key):
    return next(r for r in body["results"] if f"{r['provider']}/{r['model']}" == key)


def test_it_counts_with_each_providers_own_tokenizer(client):
    models = ["openai/gpt-4.1-mini", "deepseek/deepseek-v4-flash"]
    status, body = post(client, {"text": TEXT, "models": models})
    assert status == 200
    mini, deepseek = row(body, "openai/gpt-4.1-mini"), row(body, "deepseek/deepseek-v4-flash")
    assert mini["input_tokens"] == o200k_count(TEXT) and mini["tokenizer"] == "o200k_base" and mini["exact"]
    assert deepseek["input_tokens"] == deepseek_count(TEXT) and deepseek["tokenizer"] == "deepseek_v3"
    assert mini["input_usd"] == str(D(o200k_count(TEXT)) * D("0.40") / MTOK)


def test_every_row_carries_the_contract_fields(client):
    _, body = post(client, {"text": "Hello", "output_tokens": 10})
    required = {
        "provider",
        "model",
        "tokenizer",
        "exact",
        "input_tokens",
        "output_tokens",
        "input_usd",
        "output_usd",
        "total_usd",
        "price_version",
        "effective_from",
        "context_window",
        "fits_context",
    }
    assert body["results"] and all(required <= set(r) for r in body["results"])
    assert all(isinstance(r["total_usd"], str) for r in body["results"] if r["available"])


def test_it_labels_claude_counts_as_estimates(client):
    _, body = post(client, {"text": "Hello", "models": ["anthropic/claude-opus-4-6"]})
    claude = body["results"][0]
    assert claude["exact"] is False and claude["note"]


def test_the_golden_costs_come_out_exactly(client):
    _, body = post(client, {"input_tokens": 1000, "output_tokens": 500, "models": ["openai/gpt-4.1-mini"]})
    assert body["results"][0]["total_usd"] == "0.0012"
    _, body = post(client, {"input_tokens": 300_000, "output_tokens": 1000, "models": ["openai/gpt-5.4"]})
    assert body["results"][0]["total_usd"] == "1.5225" and body["results"][0]["tier_applied"] == 272_000


def test_the_guides_worked_example_costs_72_dollars_a_month(client):
    _, body = post(
        client,
        {
            "input_tokens": 800,
            "output_tokens": 250,
            "requests_per_month": 100_000,
            "models": ["openai/gpt-4.1-mini"],
        },
    )
    assert body["results"][0]["monthly_usd"] == "72"


def test_batch_and_cache_share_change_the_costs(client):
    base = {"input_tokens": 1000, "output_tokens": 500, "models": ["openai/gpt-4.1-mini"]}
    _, batch = post(client, {**base, "batch": True})
    assert batch["results"][0]["total_usd"] == "0.0006" and batch["results"][0]["batch_applied"]
    _, cached = post(client, {**base, "cached_input_share": 0.5})
    assert cached["results"][0]["cached_input_tokens"] == 500
    assert cached["results"][0]["input_usd"] == str(D(500) * D("0.40") / MTOK + D(500) * D("0.10") / MTOK)


def test_as_of_uses_the_price_then_in_force(client):
    _, body = post(
        client, {"input_tokens": 1000, "models": ["deepseek/deepseek-chat"], "as_of": "2025-01-15"}
    )
    assert body["results"][0]["input_usd"] == "0.00014"
    assert body["results"][0]["effective_to"].startswith("2025-02-08")


def test_a_preset_fills_the_token_counts(client):
    _, body = post(client, {"preset": "support_bot", "models": ["openai/gpt-4.1-mini"]})
    assert body["results"][0]["input_tokens"] == 1000 and body["results"][0]["output_tokens"] == 250


def test_fits_context_and_the_cheapest_that_fits(client):
    _, body = post(
        client,
        {
            "input_tokens": 1_000_000,
            "output_tokens": 48_000,  # 1,048,000 in all
            "models": ["openai/gpt-4.1-mini", "openai/gpt-5.4", "deepseek/deepseek-v4-flash"],
        },
    )
    assert row(body, "openai/gpt-4.1-mini")["fits_context"] is False
    assert row(body, "deepseek/deepseek-v4-flash")["fits_context"] is False
    assert row(body, "openai/gpt-5.4")["fits_context"] is True
    assert body["cheapest_fitting"] == "openai/gpt-5.4"


def test_chat_framing_is_a_separate_visible_addition(client):
    _, plain = post(client, {"text": "Hello", "models": ["openai/gpt-4.1-mini"]})
    _, chat = post(client, {"text": "Hello", "chat_messages": 2, "models": ["openai/gpt-4.1-mini"]})
    p, c = plain["results"][0], chat["results"][0]
    assert c["text_tokens"] == p["text_tokens"] == 1
    assert c["chat_overhead_tokens"] > 0
    assert c["input_tokens"] == c["text_tokens"] + c["chat_overhead_tokens"]


def test_empty_text_is_zero_tokens(client):
    status, body = post(client, {"text": "", "models": ["openai/gpt-4.1-mini"]})
    assert status == 200 and body["results"][0]["input_tokens"] == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"text": "x", "models": ["openai/gpt-9"]}, 400, "models"),
        ({"text": "x", "models": "openai/gpt-4.1-mini"}, 400, "models"),
        ({"text": "x", "as_of": "2025-02-30"}, 400, "as_of"),
        ({"text": "x", "output_tokens": -5}, 400, "output_tokens"),
        ({"text": "x", "output_tokens": 1.5}, 400, "output_tokens"),
        ({"text": "x", "requests_per_month": -1}, 400, "requests_per_month"),
        ({"text": "x", "cached_input_share": 1.5}, 400, "cached_input_share"),
        ({"text": "x", "batch": "yes"}, 400, "batch"),
        ({"text": "x", "input_tokens": 5}, 400, "input_tokens"),
        ({}, 400, "text"),
        ({"text": 42}, 400, "text"),
        ({"text": "x", "preset": "poetry"}, 400, "preset"),
        ({"text": "x", "models": ["openai\x00/gpt-4.1-mini"]}, 400, "models"),
        ({"text": "x", "colour": "red"}, 400, "colour"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(client, body, status, field):
    got_status, got = post(client, body)
    assert got_status == status
    assert got["error"]["field"] == field and got["error"]["message"]


def test_malformed_json_and_wrong_content_type_are_refused(client):
    response = client.post("/api/v1/estimate", b'{"text": "x"', content_type="application/json")
    assert response.status_code == 400 and json.loads(response.content)["error"]["code"] == "malformed_json"
    response = client.post("/api/v1/estimate", {"text": "x"})
    assert response.status_code == 415


def test_a_lone_surrogate_is_a_clear_400_not_a_500(client):
    response = client.post(
        "/api/v1/estimate", b'{"text": "bad \\ud800 text"}', content_type="application/json"
    )
    assert response.status_code == 400 and json.loads(response.content)["error"]["field"] == "text"


def test_text_over_the_limit_is_a_413_naming_the_limit(client):
    tokenizers.configure(data_dir=DATA_DIR, max_text_bytes=1000)
    try:
        status, body = post(client, {"text": "a" * 1001})
    finally:
        tokenizers.configure(data_dir=DATA_DIR, max_text_bytes=5 * 1024 * 1024)
    assert (
        status == 413
        and body["error"]["field"] == "text"
        and "1,000" in body["error"]["message"].replace("1000", "1,000")
    )


def test_a_body_over_the_upload_limit_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    status, body = post(client, {"text": "a" * 200})
    assert status == 413 and body["error"]["code"] == "too_large"


def test_models_whose_tokenizer_is_unavailable_say_so_and_the_rest_still_work(client, tmp_path):
    tokenizers.configure(data_dir=tmp_path, max_text_bytes=5 * 1024 * 1024)
    try:
        status, body = post(
            client, {"text": "Hello", "models": ["openai/gpt-4.1-mini", "anthropic/claude-haiku-4-5"]}
        )
    finally:
        tokenizers.configure(data_dir=DATA_DIR, max_text_bytes=5 * 1024 * 1024)
    assert status == 200
    mini = row(body, "openai/gpt-4.1-mini")
    assert mini["available"] is False and mini["total_usd"] is None and mini["note"]
    assert row(body, "anthropic/claude-haiku-4-5")["available"] is True  # ctok ships inside its package


def test_an_output_above_the_models_output_cap_does_not_fit(client):
    _, body = post(client, {"input_tokens": 10, "output_tokens": 40_000, "models": ["openai/gpt-4.1-mini"]})
    assert body["results"][0]["fits_context"] is False  # max output 32,768


@pytest.fixture
def no_time_to_count():
    before = tokenizers.registry.settings
    tokenizers.configure(count_deadline_seconds=0.0)
    yield
    tokenizers.registry.settings = before


@pytest.mark.parametrize("name", ["spaces", "digits", "brackets", "minified json"])
def test_a_text_past_the_counting_deadline_gets_a_503_naming_the_limit_and_the_next_request_is_served(
    client, no_time_to_count, name
):
    from tests.calculator.tokenizers.adversarial import adversarial_texts

    worst = adversarial_texts(1_000_000)[name] + f" {name} once"  # not in the count cache
    models = ["anthropic/claude-opus-4-6", "openai/gpt-4.1-mini", "google/gemini-2.5-flash"]
    status, body = post(client, {"text": worst, "models": models})
    assert status == 503, body
    assert body["error"]["code"] == "count_deadline" and body["error"]["field"] == "text"
    assert "COUNT_DEADLINE_SECONDS" in body["error"]["message"] and "0 s limit" in body["error"]["message"]
    status, body = post(client, {"text": "Hello", "models": ["openai/gpt-4.1-mini"]})
    assert status == 200


def test_a_model_no_source_lists_any_more_is_flagged_and_not_named_cheapest(client):
    from datetime import UTC, datetime

    from pricing.models import LanguageModel

    models = ["openai/gpt-4.1-nano", "openai/gpt-4.1-mini"]  # nano is the cheaper: $0.10 vs $0.40 input
    _, body = post(
        client, {"input_tokens": 1000, "output_tokens": 100, "models": models, "as_of": "2026-06-01"}
    )
    assert body["cheapest_fitting"] == "openai/gpt-4.1-nano"
    assert row(body, "openai/gpt-4.1-nano")["missing_upstream_since"] is None

    gone = datetime(2026, 3, 1, tzinfo=UTC)
    LanguageModel.objects.filter(provider__slug="openai", slug="gpt-4.1-nano").update(missing_since=gone)
    _, body = post(
        client, {"input_tokens": 1000, "output_tokens": 100, "models": models, "as_of": "2026-06-01"}
    )
    nano = row(body, "openai/gpt-4.1-nano")
    assert nano["missing_upstream_since"].startswith("2026-03-01") and nano["total_usd"] is not None
    assert body["cheapest_fitting"] == "openai/gpt-4.1-mini"  # still listed, so still the answer

    _, body = post(
        client, {"input_tokens": 1000, "output_tokens": 100, "models": models[:1], "as_of": "2026-06-01"}
    )
    assert body["cheapest_fitting"] == "openai/gpt-4.1-nano"  # when only it fits, it is still named
