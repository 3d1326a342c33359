"""The catalogue's well-known cases, checked against the providers' published prices and dates.

DeepSeek: its pricing page and announcements (V3 2024-12-26, V3.1 2025-08-21, V3.2-Exp 2025-09-29, V4
2026-04-24). Google: the Gemini API deprecations page (2.0 Flash shut down 2026-06-01). Mistral:
its models overview (Large 2411 deprecated 2026-02-27).
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from urllib.parse import urlparse

import pytest

from pricing.models import LanguageModel, PriceVersion
from pricing.selectors.catalogue import find_model, models_with_prices, priced_model_count
from pricing.services.seed import load_seed_catalogue
from tests.conftest import utc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db: object) -> None:
    load_seed_catalogue()


def rates_on(key: str, at: object) -> tuple[D, D, D | None] | None:
    [row] = models_with_prices(at=at, only=[find_model(*key.split("/", 1))])  # type: ignore[arg-type,list-item]
    v = row.version
    return None if v is None else (v.input_usd_per_mtok, v.output_usd_per_mtok, v.cache_read_usd_per_mtok)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2025, 2, 7, 23, 59), (D("0.14"), D("0.28"), D("0.014"))),  # the V3 launch promotion
        (utc(2025, 2, 8), (D("0.27"), D("1.10"), D("0.07"))),
        (utc(2025, 9, 5, 15, 59), (D("0.27"), D("1.10"), D("0.07"))),
        (utc(2025, 9, 5, 16, 0), (D("0.56"), D("1.68"), D("0.07"))),  # night discount ended
        (utc(2025, 9, 29), (D("0.28"), D("0.42"), D("0.028"))),  # V3.2
        (utc(2026, 5, 1), (D("0.14"), D("0.28"), D("0.0028"))),  # served V4 Flash
        (utc(2026, 7, 24, 15, 58), (D("0.14"), D("0.28"), D("0.0028"))),
        (utc(2026, 7, 24, 15, 59), None),  # the alias was retired (DeepSeek's V4 announcement)
    ],
)
def test_deepseek_chat_costs_what_deepseek_charged_on_each_side_of_each_change(at, expected) -> None:
    assert rates_on("deepseek/deepseek-chat", at) == expected


def test_deepseek_chat_has_the_128k_context_of_v3_1_and_says_how_time_of_day_prices_are_shown() -> None:
    chat = LanguageModel.objects.get(slug="deepseek-chat")
    assert chat.context_window == 131_072
    for slug in ("deepseek-chat", "deepseek-v4-flash", "deepseek-v4-pro"):
        notes = LanguageModel.objects.get(slug=slug).notes
        assert "versions show the rate in force for most of the day" in notes, slug


def test_deepseek_v4_rows_show_the_off_peak_rate_and_bill_peak_hours_at_twice_it() -> None:
    # From 2026-08-16 16:00 UTC DeepSeek's weekday peak hours cost twice the rest of the day
    # (0.22 / 0.66 off-peak).
    version = PriceVersion.objects.effective(at=utc(2026, 8, 20)).get(model__slug="deepseek-v4-flash")
    assert (version.input_usd_per_mtok, version.output_usd_per_mtok) == (D("0.22"), D("0.66"))


def test_a_retired_model_leaves_the_table_but_keeps_the_prices_it_was_sold_at(client) -> None:
    flash = LanguageModel.objects.get(provider__slug="google", slug="gemini-2.0-flash")
    assert (flash.status, flash.retired_at, flash.featured) == ("retired", utc(2026, 6, 1), False)
    assert flash.retirement_source_url == "https://ai.google.dev/gemini-api/docs/deprecations"
    assert rates_on("google/gemini-2.0-flash", utc(2026, 5, 31)) == (D("0.10"), D("0.40"), D("0.025"))
    assert rates_on("google/gemini-2.0-flash", utc(2026, 6, 1)) is None
    listed_now = {r.model.slug for r in models_with_prices(provider="google")}
    listed_then = {r.model.slug for r in models_with_prices(provider="google", at=utc(2026, 5, 1))}
    assert "gemini-2.0-flash" not in listed_now and "gemini-2.0-flash" in listed_then
    page = client.get("/models?all=1&provider=google").content.decode()
    assert "Gemini 2.0 Flash" not in page


def test_mistral_large_2411_is_deprecated_and_a_current_model_is_featured_instead() -> None:
    old = LanguageModel.objects.get(provider__slug="mistral", slug="mistral-large-2411")
    assert (old.status, old.deprecated_at, old.featured) == ("deprecated", utc(2026, 2, 27), False)
    featured = LanguageModel.objects.filter(featured=True)
    assert featured.filter(provider__slug="mistral", tier="flagship").exists()
    assert not featured.filter(status="retired").exists()


def test_seed_versions_name_the_providers_own_page_or_announcement() -> None:
    for version in PriceVersion.objects.filter(origin="seed").select_related("model__provider"):
        assert "PRODUCT.md" not in version.change_reason
        provider = version.model.provider
        own = {urlparse(u).hostname.removeprefix("www.") for u in (provider.website, provider.pricing_url)}
        host = urlparse(version.source_url).hostname.removeprefix("www.")
        assert any(
            host == h or host.endswith("." + h) or h.endswith("." + host.split(".", 1)[-1]) for h in own
        ), (version, version.source_url)


def test_an_alias_resolves_to_its_model_in_lookups_the_api_and_an_estimate(client) -> None:
    assert find_model("mistral", "mistral-large").slug == "mistral-large-2411"
    assert find_model("deepseek", "deepseek-flash").slug == "deepseek-v4-flash"
    assert find_model("google", "gemini-3-pro-preview").slug == "gemini-3.1-pro-preview"
    response = client.get("/api/v1/models/mistral/mistral-small-latest/prices")
    assert response.status_code == 200 and json.loads(response.content)["model"] == "mistral-small-2603"
    response = client.post(
        "/api/v1/estimate",
        {"input_tokens": 1000, "output_tokens": 0, "models": ["mistral/mistral-small-latest"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    [row] = json.loads(response.content)["results"]
    assert (row["model"], row["input_usd"]) == ("mistral-small-2603", "0.00015")  # 0.15 per MTok


def test_an_alias_is_never_a_row_of_its_own() -> None:
    listed = {r.model.key for r in models_with_prices(include_retired=True)}
    assert "mistral/mistral-large" not in listed and "mistral/mistral-large-2411" in listed


def test_the_count_of_priced_models_follows_the_date() -> None:
    assert priced_model_count(at=utc(2024, 1, 1)) == 0
    # Released by then: GPT-4o (2024-05-13), Claude 3.5 Sonnet (2024-06-20), Claude 3.5 Haiku
    # (2024-11-04), Mistral Large 2411 (2024-11-18), Llama 3.3 on Groq (2024-12-06), DeepSeek-V3
    # (2024-12-26).
    assert priced_model_count(at=utc(2025, 1, 15)) == 6
    assert priced_model_count() == len([r for r in models_with_prices() if r.version])


def test_loading_the_seed_on_an_older_catalogue_fills_lifecycle_dates_and_drops_retired_picks() -> None:
    LanguageModel.objects.filter(slug="gemini-2.0-flash").update(
        retired_at=None, retirement_source_url="", status="deprecated", featured=True
    )
    load_seed_catalogue()
    flash = LanguageModel.objects.get(slug="gemini-2.0-flash")
    assert (flash.retired_at, flash.status, flash.featured) == (utc(2026, 6, 1), "retired", False)


def test_a_model_retired_on_an_unknown_day_leaves_todays_table_but_not_earlier_ones() -> None:
    LanguageModel.objects.filter(slug="claude-3-5-haiku-20241022").update(
        retired_at=None, retirement_source_url="", status="retired"
    )
    assert "claude-3-5-haiku-20241022" not in {r.model.slug for r in models_with_prices(provider="anthropic")}
    earlier = models_with_prices(provider="anthropic", at=utc(2025, 1, 15))
    # Anthropic's launch price (2024-11-04: 1.00 / 5.00); the later cut to 0.80 / 4.00 is not in the seed.
    assert [r.version.input_usd_per_mtok for r in earlier if r.model.slug == "claude-3-5-haiku-20241022"] == [
        D("1.00")
    ]


def test_an_imported_model_with_time_bands_says_how_its_versions_show_them() -> None:
    from pricing.refresh import refresh_prices

    assert refresh_prices(source="genai-prices", bundled=True).status == "succeeded"
    reasoner = LanguageModel.objects.get(provider__slug="deepseek", slug="deepseek-reasoner")
    assert "Time-of-day prices: versions show the rate in force for most of the day" in reasoner.notes


def test_a_retired_model_is_billed_until_its_retirement_and_refused_after_naming_the_day(client) -> None:
    # Gemini 2.0 Flash was shut down on 2026-06-01 (Google's deprecations page); its last price
    # was 0.10 in / 0.40 out per million tokens.
    usage = {"input_tokens": 1_000_000, "output_tokens": 1_000_000}
    body = {"model": "google/gemini-2.0-flash", "usage": usage}
    before = client.post("/api/v1/bill", {**body, "at": "2026-05-31T12:00:00Z"}, "application/json")
    assert before.status_code == 200 and before.json()["total_usd"] == "0.5"
    after = client.post("/api/v1/bill", {**body, "at": "2026-06-01T12:00:00Z"}, "application/json")
    assert after.status_code == 400
    assert after.json()["error"]["field"] == "at"
    assert "retired on 2026-06-01" in after.json()["error"]["message"]


def test_an_estimate_row_of_a_retired_model_says_it_was_retired_not_that_no_price_was_known(client) -> None:
    request = {"models": ["google/gemini-2.0-flash"], "input_tokens": 1000, "as_of": "2026-07-01"}
    [row] = client.post("/api/v1/estimate", request, "application/json").json()["results"]
    assert row["total_usd"] is None
    assert row["price_note"] == "retired on 2026-06-01; no price after that"
