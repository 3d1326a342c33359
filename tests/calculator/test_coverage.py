"""Coverage of the catalogue by family tokenizers; re-assignment that never overrides a person."""

import io
import json

import pytest
from django.core.management import call_command

from pricing.models import LanguageModel, Provider

pytestmark = pytest.mark.django_db


def model(provider: Provider, slug: str, key: str, chosen: bool = False) -> LanguageModel:
    return LanguageModel.objects.create(
        provider=provider, slug=slug, name=slug, tokenizer_key=key, tokenizer_chosen=chosen
    )


@pytest.fixture
def hosted():
    aws = Provider.objects.create(slug="aws", name="AWS Bedrock")
    openrouter = Provider.objects.create(slug="openrouter", name="OpenRouter")
    return {
        "claude": model(aws, "global.anthropic.claude-opus-4-6-v1:0", "generic"),
        "llama": model(openrouter, "meta-llama/llama-3.3-70b-instruct", "generic"),
        "glm": model(openrouter, "z-ai/glm-5", "generic"),
        "kept": model(openrouter, "openai/gpt-4o", "generic", chosen=True),
        "admin": model(aws, "openai.gpt-5.4", "cl100k_base", chosen=True),
    }


def test_reassigning_moves_hosted_models_to_their_family_and_spares_a_persons_choice(hosted):
    out = io.StringIO()
    call_command("assign_tokenizers", stdout=out)
    assert "Models on generic: 4 before, 2 after." in out.getvalue()
    keys = {name: LanguageModel.objects.get(pk=m.pk).tokenizer_key for name, m in hosted.items()}
    assert keys == {
        "claude": "claude",
        "llama": "llama3",
        "glm": "generic",
        "kept": "generic",
        "admin": "cl100k_base",
    }


def test_a_dry_run_changes_nothing(hosted):
    call_command("assign_tokenizers", "--dry-run", stdout=io.StringIO())
    assert LanguageModel.objects.filter(tokenizer_key="generic").count() == 4


def test_the_api_reports_coverage_and_groups_generic_models_by_reason(client, hosted):
    call_command("assign_tokenizers", stdout=io.StringIO())
    body = json.loads(client.get("/api/v1/tokenizers").content)
    cov = body["coverage"]
    counts = (cov["models"], cov["own_family_exact"], cov["own_family_estimate"], cov["generic"])
    assert counts == (5, 2, 1, 2)
    reasons = {(g["reason"], g["family"]): g["examples"] for g in cov["generic_by_reason"]}
    assert reasons == {
        ("no_vocabulary", "Zhipu GLM"): ["openrouter/z-ai/glm-5"],
        ("chosen", None): ["openrouter/openai/gpt-4o"],
    }


def test_the_tokenizers_page_shows_the_coverage_and_each_tokenizers_measured_quality(client, hosted):
    html = client.get("/tokenizers").content.decode()
    assert "Coverage of the catalogue" in html
    assert "Zhipu GLM: its maker publishes no tokenizer" in html
    assert "MultiPL-E 22 of 22 and Rosetta Code 250 of 250" in html


def test_an_admin_who_changes_the_tokenizer_marks_it_chosen(admin_client, hosted):
    llama = hosted["llama"]
    url = f"/admin/pricing/languagemodel/{llama.pk}/change/"
    form = {
        "provider": llama.provider_id,
        "slug": llama.slug,
        "name": llama.name,
        "tier": "",
        "status": "active",
        "tokenizer_key": "llama4",
        "notes": "",
        "price_versions-TOTAL_FORMS": "0",
        "price_versions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    llama.refresh_from_db()
    assert (llama.tokenizer_key, llama.tokenizer_chosen) == ("llama4", True)
