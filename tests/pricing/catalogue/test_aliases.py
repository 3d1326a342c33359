"""One model, one row: the parsers fold other names of a model into its record. Pure: no database.

The pairs are genai-prices 0.2.3's own entries (its bundled data).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from pricing.sources import genai_prices_v2
from pricing.sources.records import PriceRecord


@pytest.fixture(scope="module")
def bundled() -> dict[str, PriceRecord]:
    return {r.key: r for r in genai_prices_v2.parse(genai_prices_v2.bundled_payload()).records}


def test_a_bare_openrouter_id_folds_into_its_vendor_prefixed_twin(bundled: dict[str, PriceRecord]) -> None:
    assert "openrouter/yi-large" not in bundled
    assert "yi-large" in bundled["openrouter/01-ai/yi-large"].aliases
    folded = sum(len(r.aliases) for r in bundled.values() if r.provider == "openrouter")
    assert 90 <= folded <= 110  # the issue counts about 100 such pairs


def test_the_canonical_entry_keeps_its_own_history_over_an_aliass(bundled: dict[str, PriceRecord]) -> None:
    small = bundled["mistral/mistral-small-2603"]
    assert small.aliases == ("mistral-small-latest",)
    # mistral-small-latest pointed at an older Small (0.10 / 0.30) before 2026-03-16; 2603 never cost that.
    assert {p.rates.input_usd_per_mtok for p in small.history} == {Decimal("0.15")}
    assert "mistral/mistral-small-latest" not in bundled


def test_each_named_pair_is_one_record(bundled: dict[str, PriceRecord]) -> None:
    pairs = {
        "mistral/mistral-large-2411": "mistral-large",
        "deepseek/deepseek-v4-flash": "deepseek-flash",
        "google/gemini-3.1-pro-preview": "gemini-3-pro-preview",
        "google/gemini-1.5-flash": "gemini-flash-1.5",
    }
    for key, alias in pairs.items():
        assert alias in bundled[key].aliases, key
        assert f"{key.split('/')[0]}/{alias}" not in bundled
    assert bundled["deepseek/deepseek-v4-flash"].history[1].effective_from == date(2026, 8, 17)


def test_duplicate_ids_of_one_model_fold_into_it(bundled: dict[str, PriceRecord]) -> None:
    # Google's own id for Gemini 1.5 Pro is gemini-1.5-pro (its deprecations page); Anthropic's
    # Claude 3 Haiku is claude-3-haiku-20240307 (its models overview), reached also by two short names.
    assert "gemini-pro-1.5" in bundled["google/gemini-1.5-pro"].aliases
    assert "google/gemini-pro-1.5" not in bundled
    assert "claude-3-haiku" in bundled["anthropic/claude-3-haiku-20240307"].aliases
    assert "anthropic/claude-3-haiku" not in bundled


@pytest.mark.django_db
def test_a_history_only_duplicate_id_is_an_alias_row_after_the_load() -> None:
    from django.core.management import call_command

    from pricing.models import LanguageModel
    from pricing.selectors.catalogue import find_model

    call_command("load_catalogue", verbosity=0)
    for alias in ("claude-3-haiku", "claude-3-haiku-latest"):
        row = LanguageModel.objects.get(provider__slug="anthropic", slug=alias)
        assert row.alias_of is not None and row.alias_of.slug == "claude-3-haiku-20240307"
    assert find_model("google", "gemini-pro-1.5").slug == "gemini-1.5-pro"


@pytest.mark.django_db
def test_grok_4_20_multi_agent_is_its_dated_id_at_the_later_dated_price(client) -> None:
    """xAI's grok-4.20-multi-agent is grok-4.20-multi-agent-0309: genai-prices 0.2.0 dates its
    1.25 / 2.50 (cached 0.20) from 2026-04-30, LiteLLM 1.101.0.dev1 (2026-09-01) prices both names
    alike; genai-prices 0.0.67's 2.00 / 6.00 for the short name (2026-06-24) is not kept."""
    from django.core.management import call_command

    from pricing.models import LanguageModel
    from pricing.selectors.catalogue import find_model

    call_command("load_catalogue", verbosity=0)
    row = LanguageModel.objects.get(provider__slug="xai", slug="grok-4.20-multi-agent")
    assert row.alias_of is not None and row.alias_of.slug == "grok-4.20-multi-agent-0309"
    assert find_model("xai", "grok-4.20-multi-agent").slug == "grok-4.20-multi-agent-0309"

    def total(at: str, tier: str = "standard", tokens: int = 100_000) -> str:
        usage = {"input_tokens": tokens, "output_tokens": tokens}
        body = {"model": "xai/grok-4.20-multi-agent", "at": at, "usage": usage, "service_tier": tier}
        response = client.post("/api/v1/bill", body, "application/json")
        assert response.status_code == 200, response.content
        return str(response.json()["total_usd"])

    # 2026-07-01, by the short name, 100,000 tokens each way: 0.125 + 0.25 = 0.375 (not 0.2 + 0.6).
    assert total("2026-07-01T00:00:00Z") == "0.375"
    # A 1M-token prompt is above 200,000: 2.50 + 5.00 = 7.5 for the whole request.
    assert total("2026-07-01T00:00:00Z", tokens=1_000_000) == "7.5"
    # Batch from 2026-10-14: 0.10 + 0.20 = 0.3.
    assert total("2026-11-01T00:00:00Z", "batch") == "0.3"


@pytest.mark.django_db
def test_ministral_24_10_and_ministral_3_stay_two_models() -> None:
    """Not duplicates: Ministral 3B / 8B (Mistral's 2024-10-16 launch, 0.04 and 0.10) and Ministral 3
    3B / 8B (the -2512 ids, Mistral 3 of 2025-12-02, 0.10 and 0.15 on Mistral's pricing page)."""
    from django.core.management import call_command

    from pricing.models import LanguageModel, PriceVersion

    call_command("load_catalogue", verbosity=0)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    expected = {
        "ministral-3b": Decimal("0.04"),
        "ministral-3b-2512": Decimal("0.1"),
        "ministral-8b": Decimal("0.1"),
        "ministral-8b-2512": Decimal("0.15"),
    }
    for slug, rate in expected.items():
        model = LanguageModel.objects.get(provider__slug="mistral", slug=slug)
        assert model.alias_of is None, slug
        version = PriceVersion.objects.effective(at=when).get(model=model)
        assert (version.input_usd_per_mtok, version.output_usd_per_mtok) == (rate, rate), slug
