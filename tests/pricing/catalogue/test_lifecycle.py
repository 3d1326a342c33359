"""Each model's life from launch to retirement, from the providers' own pages (read 2026-12-06).

DeepSeek: its V4 announcement (2026-04-24): deepseek-chat and deepseek-reasoner are retired after
2026-07-24 15:59 UTC. xAI: its migration guide, retirement at 12:00 PT on 2026-05-15 (19:00 UTC).
Google: the Gemini API deprecations page (2.5 Pro and Flash shut down 2026-12-01, 1.5 on
2025-09-24). OpenAI: its deprecations page (2026-10-23 shutdowns; GPT-4.1 and GPT-4.1 mini shut down
2027-01-14, announced 2026-10-14). Groq: its deprecations page. Anthropic: its model deprecations
page and release notes.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.utils import timezone

from pricing.models import LanguageModel, PriceVersion
from pricing.services.seed import load_seed_catalogue
from tests.conftest import utc

pytestmark = pytest.mark.django_db

# (provider/model, shutdown moment, the host of the page that gives it)
RETIREMENTS = [
    ("groq/llama-3.3-70b-versatile", utc(2026, 8, 16), "console.groq.com"),
    ("groq/meta-llama/llama-4-maverick-17b-128e-instruct", utc(2026, 3, 9), "console.groq.com"),
    ("groq/meta-llama/llama-4-scout-17b-16e-instruct", utc(2026, 7, 17), "console.groq.com"),
    ("groq/qwen/qwen3-32b", utc(2026, 7, 17), "console.groq.com"),
    ("google/gemini-2.5-pro", utc(2026, 12, 1), "ai.google.dev"),
    ("google/gemini-2.5-flash", utc(2026, 12, 1), "ai.google.dev"),
    ("google/gemini-2.0-flash", utc(2026, 6, 1), "ai.google.dev"),
    ("openai/gpt-4.1-nano", utc(2026, 10, 23), "developers.openai.com"),
    ("xai/grok-4-0709", utc(2026, 5, 15, 19), "docs.x.ai"),
    ("deepseek/deepseek-chat", utc(2026, 7, 24, 15, 59), "api-docs.deepseek.com"),
]
# The same, for models only the price history brings.
HISTORY_RETIREMENTS = [
    ("deepseek/deepseek-reasoner", utc(2026, 7, 24, 15, 59), "api-docs.deepseek.com"),
    ("openai/gpt-4", utc(2026, 10, 23), "developers.openai.com"),
    ("openai/o1", utc(2026, 10, 23), "developers.openai.com"),
    ("openai/o4-mini", utc(2026, 10, 23), "developers.openai.com"),
    ("xai/grok-3", utc(2026, 5, 15, 19), "docs.x.ai"),
    ("xai/grok-code-fast-1", utc(2026, 5, 15, 19), "docs.x.ai"),
    ("anthropic/claude-v1", utc(2024, 11, 6), "platform.claude.com"),
    ("anthropic/claude-2", utc(2025, 7, 21), "platform.claude.com"),
    ("anthropic/claude-3-sonnet", utc(2025, 7, 21), "platform.claude.com"),
    ("anthropic/claude-3-opus-20240229", utc(2026, 1, 5), "platform.claude.com"),
    ("anthropic/claude-opus-4-0", utc(2026, 6, 15), "platform.claude.com"),
    ("anthropic/claude-sonnet-4-0", utc(2026, 6, 15), "platform.claude.com"),
    ("google/gemini-1.5-pro", utc(2025, 9, 24), "ai.google.dev"),
    ("google/gemini-1.5-flash", utc(2025, 9, 24), "ai.google.dev"),
]


def model(key: str) -> LanguageModel:
    return LanguageModel.objects.resolve([key])[key]


def check_retired(key: str, moment: datetime, host: str, *, priced_before: bool = True) -> None:
    found = model(key)
    assert (found.retired_at, urlparse(found.retirement_source_url).hostname) == (moment, host)
    assert PriceVersion.objects.in_force(found, moment) is None
    if priced_before:
        before = PriceVersion.objects.in_force(found, moment - timezone.timedelta(minutes=1))
        assert before is not None, f"{key} had a price until its retirement"
    if moment <= timezone.now():
        assert (found.status, found.featured) == ("retired", False)


class TestSeedOnly:
    @pytest.fixture(autouse=True)
    def seeded(self, db: object) -> None:
        load_seed_catalogue()

    @pytest.mark.parametrize(("key", "moment", "host"), RETIREMENTS)
    def test_a_retired_model_has_its_moment_and_source_and_no_price_from_then_on(self, key, moment, host):
        check_retired(key, moment, host)

    def test_no_featured_model_has_a_retirement_in_the_past(self):
        gone = LanguageModel.objects.filter(featured=True, retired_at__lte=timezone.now())
        assert list(gone) == []

    def test_gpt_4_1_and_4_1_mini_are_deprecated_and_still_sold_until_2027_01_14(self):
        for slug in ("gpt-4.1", "gpt-4.1-mini"):
            found = model(f"openai/{slug}")
            assert (found.status, found.deprecated_at, found.retired_at) == (
                "deprecated",
                utc(2026, 10, 14),
                utc(2027, 1, 14),
            )
            assert PriceVersion.objects.in_force(found, utc(2027, 1, 13, 23, 59)) is not None
            assert PriceVersion.objects.in_force(found, utc(2027, 1, 14)) is None

    def test_deepseek_chat_is_billed_until_15_59_utc_and_refused_after_naming_the_moment(self, client):
        usage = {"input_tokens": 1_000_000, "output_tokens": 1_000_000}
        body = {"model": "deepseek/deepseek-chat", "usage": usage}
        before = client.post("/api/v1/bill", {**body, "at": "2026-07-24T15:58:00Z"}, "application/json")
        # V4 Flash's price, which deepseek-chat served from 2026-04-24: 0.14 in + 0.28 out.
        assert before.status_code == 200 and before.json()["total_usd"] == "0.42"
        after = client.post("/api/v1/bill", {**body, "at": "2026-07-24T15:59:00Z"}, "application/json")
        assert after.status_code == 400 and after.json()["error"]["field"] == "at"
        assert "retired on 2026-07-24 15:59 UTC" in after.json()["error"]["message"]

    def test_an_estimate_after_the_moment_says_when_the_model_was_retired(self, client):
        request = {"models": ["deepseek/deepseek-chat"], "input_tokens": 1000, "as_of": "2026-07-25"}
        [row] = client.post("/api/v1/estimate", request, "application/json").json()["results"]
        assert (row["total_usd"], row["price_note"]) == (
            None,
            "retired on 2026-07-24 15:59 UTC; no price after that",
        )

    def test_the_model_page_shows_each_moment_with_its_source(self, client):
        page = client.get("/models/deepseek/deepseek-chat").content.decode()
        assert "2026-07-24 15:59 UTC" in page and "https://api-docs.deepseek.com/news/news260424" in page
        assert "Deprecated (shutdown announced)" in page


class TestFreshInstall:
    @pytest.fixture(autouse=True)
    def loaded(self, db: object) -> None:
        call_command("load_catalogue", verbosity=0)

    @pytest.mark.parametrize(("key", "moment", "host"), HISTORY_RETIREMENTS)
    def test_a_model_only_the_history_brings_is_retired_at_its_moment(self, key, moment, host):
        # The history's evidence of some old models starts after their shutdown (2024 is thin).
        check_retired(key, moment, host, priced_before=False)

    def test_at_least_the_41_retirements_before_2026_12_06_are_held_with_a_source(self):
        retired = LanguageModel.objects.filter(retired_at__lte=utc(2026, 12, 6)).exclude(
            retirement_source_url=""
        )
        assert retired.count() >= 41
        assert not retired.filter(featured=True).exists()

    def test_the_featured_set_is_alive_and_carries_each_providers_current_line(self):
        featured = LanguageModel.objects.filter(featured=True)
        assert not featured.filter(retired_at__lte=timezone.now()).exists()
        keys = {m.key for m in featured.select_related("provider")}
        for current in (
            "groq/openai/gpt-oss-120b",
            "anthropic/claude-opus-5-5",
            "google/gemini-3.8-flash",
            "xai/grok-4.3",
            "openai/gpt-6.1-sol",
        ):
            assert current in keys
        for gone in ("groq/llama-3.3-70b-versatile", "google/gemini-2.5-pro", "xai/grok-4-0709"):
            assert gone not in keys
        for row in featured:
            assert PriceVersion.objects.in_force(row) is not None, row.key

    def test_loading_again_changes_no_moment(self):
        fields = ("pk", "retired_at", "retirement_source_url", "deprecated_at", "featured")
        before = set(LanguageModel.objects.values_list(*fields))
        call_command("load_catalogue", verbosity=0)
        assert before <= set(LanguageModel.objects.values_list(*fields))

    def test_a_moment_an_admin_entered_with_its_own_source_is_kept(self):
        LanguageModel.objects.filter(slug="grok-3").update(
            retired_at=utc(2026, 5, 16), retirement_source_url="https://example.com/our-own-check"
        )
        call_command("load_catalogue", verbosity=0)
        assert model("xai/grok-3").retired_at == utc(2026, 5, 16)
