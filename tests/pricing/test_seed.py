"""The seed catalogue: the guide's providers and models with PRODUCT.md's corrected facts."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from pricing.models import LanguageModel, PriceTier, PriceVersion, Provider
from pricing.services.seed import load_seed_catalogue
from tests.conftest import utc
from tests.pricing.flat_billing import Usage, estimate_cost

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Provider.objects.values().order_by("pk")),
        list(LanguageModel.objects.values().order_by("pk")),
        list(PriceVersion.objects.values().order_by("pk")),
        list(PriceTier.objects.values().order_by("pk")),
    )


def in_force(provider, model, at=None):
    return PriceVersion.objects.effective(at=at).get(model__provider__slug=provider, model__slug=model)


def test_loading_the_seed_twice_changes_nothing():
    first = load_seed_catalogue()
    before = snapshot()
    second = load_seed_catalogue()
    assert first.versions_published > 0
    assert second.versions_published == second.models_created == second.providers_created == 0
    assert snapshot() == before


def test_it_has_every_provider_the_guide_names():
    load_seed_catalogue()
    assert {"openai", "anthropic", "google", "deepseek", "groq", "together"} <= set(
        Provider.objects.values_list("slug", flat=True)
    )


def test_it_carries_the_corrected_facts_for_fixtures():
    load_seed_catalogue()
    mini = in_force("openai", "gpt-4.1-mini")
    assert (mini.input_usd_per_mtok, mini.output_usd_per_mtok, mini.cache_read_usd_per_mtok) == (
        D("0.40"),
        D("1.60"),
        D("0.10"),
    )
    assert mini.model.context_window == 1_047_576 and mini.model.max_output_tokens == 32_768
    gemini = in_force("google", "gemini-3.1-pro-preview")
    assert gemini.input_usd_per_mtok == D("2.00")  # not the guide's $1.25
    assert [
        (t.threshold_tokens, t.input_usd_per_mtok, t.output_usd_per_mtok) for t in gemini.tiers.all()
    ] == [(200_000, D("4.00"), D("18.00"))]
    haiku = LanguageModel.objects.get(slug="claude-3-5-haiku-20241022")
    assert haiku.status == "retired"


def test_gpt_54_has_its_272k_tier_and_matches_the_golden_cost():
    load_seed_catalogue()
    version = in_force("openai", "gpt-5.4")
    assert estimate_cost(Usage(300_000, 1000), version.to_rates()).total_usd == D("1.5225")


def test_deepseek_v3_price_history_changes_on_2025_02_08():
    load_seed_catalogue()
    before = in_force("deepseek", "deepseek-chat", at=utc(2025, 2, 7, 23, 59))
    after = in_force("deepseek", "deepseek-chat", at=utc(2025, 2, 8))
    assert (before.input_usd_per_mtok, before.output_usd_per_mtok) == (D("0.14"), D("0.28"))
    assert (after.input_usd_per_mtok, after.output_usd_per_mtok) == (D("0.27"), D("1.10"))


def test_claude_opus_46_long_context_tier_ends_on_2026_03_13():
    load_seed_catalogue()
    before = in_force("anthropic", "claude-opus-4-6", at=utc(2026, 3, 12))
    after = in_force("anthropic", "claude-opus-4-6", at=utc(2026, 3, 13))
    usage = Usage(300_000, 1000)
    assert estimate_cost(usage, before.to_rates()).total_usd == D("3.0375")  # 300k x 10 + 1k x 37.50
    assert estimate_cost(usage, after.to_rates()).total_usd == D("1.525")  # 300k x 5 + 1k x 25


def test_llama_4_is_keyed_by_host_and_model():
    load_seed_catalogue()
    groq = in_force("groq", "meta-llama/llama-4-maverick-17b-128e-instruct")
    together = in_force("together", "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8")
    assert (groq.input_usd_per_mtok, groq.output_usd_per_mtok) == (D("0.20"), D("0.60"))
    assert (together.input_usd_per_mtok, together.output_usd_per_mtok) == (D("0.27"), D("0.85"))


def test_every_seeded_price_names_its_source_and_reason():
    load_seed_catalogue()
    assert not PriceVersion.objects.filter(source_url="").exists()
    assert not PriceVersion.objects.filter(change_reason="").exists()
    assert not PriceVersion.objects.filter(verified_at__isnull=True).exists()


def test_the_command_reports_what_it_did(capsys):
    call_command("load_catalogue")
    assert "price versions published" in capsys.readouterr().out
