"""One model, one row: the parsers fold other names of a model into its record. Pure: no database.

The pairs are genai-prices 0.2.3's own entries (its bundled data).
"""

from __future__ import annotations

from datetime import date
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
