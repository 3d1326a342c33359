"""Context windows filled from LiteLLM where the price sources lack one (the matching is pure; one
test runs a refresh). Expected sizes are LiteLLM's own (the recorded excerpt in fixtures/payloads).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pricing.models import LanguageModel, Provider
from pricing.sources import litellm
from pricing.sources.limits import context_index, context_window_for
from pricing.sources.records import PriceRecord
from tests.pricing.refresh.conftest import PAYLOADS, payload_server  # noqa: F401


def index():
    return context_index(litellm.parse((PAYLOADS / "litellm_excerpt.json").read_bytes()).records)


def test_a_model_gets_its_own_entrys_context_window_whatever_the_case_of_its_id() -> None:
    assert context_window_for("google", "Gemini-3.1-Pro-Preview", index()) == 1_048_576


def test_a_resold_model_gets_its_makers_context_window() -> None:
    assert context_window_for("openrouter", "x-ai/grok-4-0709", index()) == 256_000
    assert context_window_for("openrouter", "acme/unknown-model", index()) is None


def record(key: str, tokens: int) -> PriceRecord:
    provider, model = key.split("/", 1)
    return PriceRecord(provider=provider, model=model, name=model, upstream_id=key, context_window=tokens)


def test_witnesses_that_disagree_give_the_window_most_of_them_give_and_none_without_a_majority() -> None:
    votes = [record("a/m", 131_072), record("b/m", 131_072), record("c/m", 128_000)]
    assert context_window_for("host", "vendor/m", context_index(votes)) == 131_072
    tie = [record("a/m", 131_072), record("c/m", 60_288)]
    assert context_window_for("host", "vendor/m", context_index(tie)) is None


def test_a_routing_variant_or_weight_format_is_the_same_model_and_the_catalogue_is_a_witness() -> None:
    index = context_index([], known=[("maker", "Qwen3-32B", 32_768)])
    assert context_window_for("openrouter", "qwen/qwen3-32b:free", index) == 32_768
    assert context_window_for("doubleword", "Qwen/Qwen3-32B-FP8", index) == 32_768
    assert context_window_for("host", "qwen/qwen3-32b-0813", index) == 32_768  # a dated snapshot
    assert context_window_for("host", "qwen/qwen3-320b", index) is None


@pytest.mark.django_db
def test_a_litellm_refresh_fills_a_missing_context_window_and_reports_it(payload_server, settings) -> None:  # noqa: F811
    settings.PRICE_REFRESH_MIN_MODELS = 1
    settings.PRICE_REFRESH_SEED_FIRST = False
    provider = Provider.objects.create(slug="openrouter", name="OpenRouter")
    resold = LanguageModel.objects.create(provider=provider, slug="x-ai/grok-4-0709", name="Grok 4")
    url = payload_server.serve("/l.json", (PAYLOADS / "litellm_excerpt.json").read_bytes())
    out = io.StringIO()
    call_command("refresh_prices", source="litellm", url=url, stdout=out)
    resold.refresh_from_db()
    assert resold.context_window == 256_000  # LiteLLM's xai/grok-4-0709
    assert "context_window" in out.getvalue() and "openrouter/x-ai/grok-4-0709" in out.getvalue()
