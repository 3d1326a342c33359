"""GET /api/v1/models and /api/v1/models/{provider}/{model}/prices: money as decimal strings."""

import json

import pytest

from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    load_seed_catalogue()


def get(client, url):
    response = client.get(url)
    return response.status_code, json.loads(response.content)


def test_it_lists_models_with_the_price_in_force_as_decimal_strings(client, seeded):
    status, body = get(client, "/api/v1/models?provider=openai")
    assert status == 200
    mini = next(r for r in body["results"] if r["model"] == "gpt-4.1-mini")
    assert mini["price"]["input_usd_per_mtok"] == "0.4"
    assert mini["price"]["output_usd_per_mtok"] == "1.6"
    assert isinstance(mini["price"]["price_version"], int)
    assert {r["provider"] for r in body["results"]} == {"openai"}
    assert body["count"] == len(body["results"])


def test_it_shows_the_catalogue_as_of_a_date(client, seeded):
    _, body = get(client, "/api/v1/models?provider=deepseek&as_of=2025-01-15")
    v3 = next(r for r in body["results"] if r["model"] == "deepseek-chat")
    assert v3["price"]["input_usd_per_mtok"] == "0.14"
    v4 = next(r for r in body["results"] if r["model"] == "deepseek-v4-pro")
    assert v4["price"] is None  # not yet released then


def test_it_returns_a_models_whole_history_newest_first(client, seeded):
    status, body = get(client, "/api/v1/models/deepseek/deepseek-chat/prices")
    assert status == 200
    # DeepSeek's published prices for deepseek-chat: V3 promotion, standard, V3.1, V3.2, V4 Flash
    # and V4 Flash's cache-hit cut (2026-04-26 12:15 UTC: 0.028 -> 0.0028).
    history = body["history"]
    assert [v["input_usd_per_mtok"] for v in history] == ["0.14", "0.14", "0.28", "0.56", "0.27", "0.14"]
    assert [v["cache_read_usd_per_mtok"] for v in history[:2]] == ["0.0028", "0.028"]
    assert body["history"][1]["effective_to"] == body["history"][0]["effective_from"]
    assert body["in_force"] is None  # the alias was retired on 2026-07-24


def test_it_finds_models_whose_ids_contain_slashes(client, seeded):
    status, body = get(client, "/api/v1/models/groq/meta-llama/llama-4-scout-17b-16e-instruct/prices")
    # Groq shut Llama 4 Scout down on 2026-07-17: its history stays, no price is in force.
    assert status == 200 and body["history"][0]["output_usd_per_mtok"] == "0.34" and body["in_force"] is None


def test_an_unknown_model_is_a_404_naming_it(client, seeded):
    status, body = get(client, "/api/v1/models/openai/gpt-9/prices")
    assert status == 404
    assert body["error"]["field"] == "model" and "openai/gpt-9" in body["error"]["message"]


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "2025-02-30"])
def test_a_malformed_date_is_a_400_naming_the_field(client, seeded, bad):
    status, body = get(client, f"/api/v1/models?as_of={bad}")
    assert status == 400
    assert body["error"]["field"] == "as_of"


def test_healthz_is_ok_once_prices_are_loaded(client, seeded):
    status, body = get(client, "/healthz")
    assert status == 200 and body["status"] == "ok" and body["models_priced"] > 20


def test_healthz_says_so_when_the_catalogue_is_empty(client, db):
    status, body = get(client, "/healthz")
    assert status == 503 and body["status"] == "empty"


def test_a_search_longer_than_200_characters_is_a_400_naming_it(client, seeded):
    # Found by the query-string sweep: SQLite refuses a LIKE pattern this long, which was a 503.
    status, body = get(client, "/api/v1/models?search=" + "x" * 60_000)
    assert status == 400
    assert body["error"]["field"] == "search"
    status, _ = get(client, "/api/v1/models?search=" + "x" * 200)
    assert status == 200


def test_the_models_page_uses_the_first_200_characters_of_a_long_search_and_says_so(client, seeded):
    response = client.get("/models?q=" + "gpt" + "x" * 60_000)
    assert response.status_code == 200
    assert "only the first 200 characters are used" in response.content.decode()
