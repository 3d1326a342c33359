"""Where the sources disagree, say so: each source's latest price, compared with the catalogue's.

Claude Opus 4.6 is priced by all three sources. Anthropic publishes 5.00 / 25.00 (its pricing
page; the seed follows it); genai-prices and LiteLLM agree; the OpenRouter payload below is the
recorded excerpt with its input raised 10%, a disagreement the page and the API must show.
"""

from __future__ import annotations

import json

import pytest

from pricing.models import SourceObservation
from pricing.refresh import refresh_prices
from pricing.services.seed import load_seed_catalogue
from tests.pricing.refresh.conftest import PAYLOADS, payload_server  # noqa: F401

pytestmark = pytest.mark.django_db


def genai_anthropic() -> bytes:
    opus = {
        "id": "claude-opus-4-6",
        "name": "Claude Opus 4.6",
        "match": {"equals": "claude-opus-4-6"},
        "prices": {
            "input_mtok": "5",
            "output_mtok": "25",
            "cache_read_mtok": "0.5",
            "cache_write_mtok": "6.25",
            "cache_write_1h_mtok": "10",
        },
    }
    return json.dumps([{"id": "anthropic", "name": "Anthropic", "models": [opus]}]).encode()


def openrouter(prompt_per_token: str, mini_prompt: str = "0.0000004") -> bytes:
    data = json.loads((PAYLOADS / "openrouter_excerpt.json").read_bytes())
    for entry in data["data"]:
        if entry["id"] == "anthropic/claude-opus-4.6":
            entry["pricing"]["prompt"] = prompt_per_token
        if entry["id"] == "openai/gpt-4.1-mini":
            entry["pricing"]["prompt"] = mini_prompt
    return json.dumps(data).encode()


@pytest.fixture
def observed(payload_server, settings):  # noqa: F811
    settings.PRICE_REFRESH_MIN_MODELS = 1
    load_seed_catalogue()
    for source, body in [
        ("genai-prices", genai_anthropic()),
        ("litellm", (PAYLOADS / "litellm_excerpt.json").read_bytes()),
        ("openrouter", openrouter("0.0000055", mini_prompt="0.000000416")),  # +10% and +4%
    ]:
        run = refresh_prices(source=source, url=payload_server.serve(f"/{source}.json", body))
        assert run.status == "succeeded", (source, run.error)


def test_each_source_keeps_its_latest_price_for_the_makers_model(observed) -> None:
    sources = SourceObservation.objects.filter(model__slug="claude-opus-4-6").values_list("source", flat=True)
    assert sorted(sources) == ["genai-prices", "litellm", "openrouter"]


def test_the_api_flags_a_difference_over_5_percent_and_says_which_source_it_follows(client, observed) -> None:
    body = json.loads(client.get("/api/v1/models/anthropic/claude-opus-4-6/prices").content)
    sources = body["sources"]
    # The crafted genai-prices entry restates the seed's rates without its web search price: a
    # coarser reading of a curated price publishes nothing, so the catalogue follows the seed.
    assert sources["disagrees"] is True and sources["follows"] == "seed"
    assert sources["why"].startswith("curated from the provider's own page")
    by_source = {p["source"]: p for p in sources["prices"]}
    assert by_source["openrouter"]["differs"] is True
    assert by_source["openrouter"]["input_change_percent"] == "10.0"
    assert by_source["openrouter"]["input_usd_per_mtok"] == "5.5"
    assert by_source["litellm"]["differs"] is False and by_source["genai-prices"]["differs"] is False


def test_a_difference_of_5_percent_or_less_is_not_flagged(client, observed) -> None:
    body = json.loads(client.get("/api/v1/models/openai/gpt-4.1-mini/prices").content)
    assert body["sources"]["disagrees"] is False
    assert {p["source"]: p["input_change_percent"] for p in body["sources"]["prices"]}["openrouter"] == "4.0"


def test_the_model_page_says_the_sources_disagree_and_why_it_follows_one(client, observed) -> None:
    page = client.get("/models/anthropic/claude-opus-4-6").content.decode()
    assert "The sources disagree</strong> by more than 5%" in page
    assert "The catalogue follows <strong>seed</strong>" in page
    assert 'openrouter <span class="badge">differs</span>' in page and "(+10.0%)" in page


def test_a_model_one_source_prices_shows_no_comparison(client, observed) -> None:
    body = json.loads(client.get("/api/v1/models/google/gemini-2.5-flash/prices").content)
    assert body["sources"] is None
