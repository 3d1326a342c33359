"""The /models page and a model's history page."""

import pytest

from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    load_seed_catalogue()


def test_the_models_page_lists_current_prices(client, seeded):
    page = client.get("/models").content.decode()
    assert "GPT-4.1 mini" in page and "$0.40" in page and "$1.60" in page
    assert "Gemini 3.1 Pro" in page and "1,048,576" in page


def test_the_models_page_filters_by_provider(client, seeded):
    page = client.get("/models?provider=anthropic").content.decode()
    assert "Claude Opus 4.6" in page and "GPT-4.1" not in page


def test_the_models_page_sorts_by_input_price(client, seeded):
    page = client.get("/models?sort=input").content.decode()
    assert page.index("GPT-4.1 mini") < page.index("Claude Opus 4.6")
    page = client.get("/models?sort=-input").content.decode()
    assert page.index("Claude Opus 4.6") < page.index("GPT-4.1 mini")


def test_the_models_page_shows_the_catalogue_as_of_a_date(client, seeded):
    page = client.get("/models?provider=deepseek&as_of=2025-01-15&all=1").content.decode()
    assert "$0.14" in page and "$0.27" not in page


def test_the_models_page_explains_a_bad_date(client, seeded):
    response = client.get("/models?as_of=2025-99-99")
    assert response.status_code == 200 and "As-of date" in response.content.decode()


def test_the_model_page_shows_the_price_history(client, seeded):
    page = client.get("/models/anthropic/claude-opus-4-6").content.decode()
    assert "above 200,000" in page and "2026-03-13" in page


def test_an_unknown_model_page_is_a_404(client, seeded):
    assert client.get("/models/openai/gpt-9").status_code == 404


def test_the_models_page_says_when_and_from_where_prices_were_refreshed(client, seeded):
    from django.utils import timezone

    from pricing.models import ImportRun

    ImportRun.objects.create(source="genai-prices", status="succeeded", finished_at=timezone.now())
    page = client.get("/models").content.decode()
    assert "Prices last refreshed" in page and "genai-prices" in page


def test_the_admin_offers_import_runs_and_proposals(client, seeded, editor):
    client.force_login(editor)
    index = client.get("/admin/").content.decode()
    assert "Import runs" in index and "proposals" in index.lower()
