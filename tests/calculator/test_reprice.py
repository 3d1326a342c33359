"""Re-pricing a saved comparison as of another date: same counts, the prices then in force, the
difference per model and the price change that explains it (GPT-4.1 mini: 0.40 per MTok)."""

import json
from decimal import Decimal as D

import pytest

from calculator.models import Comparison
from calculator.reprice import reprice_comparison
from pricing.bill.rates import Rates
from pricing.models import LanguageModel, PriceVersion
from pricing.services.seed import load_seed_catalogue
from pricing.services.versions import publish_price_version
from tests.conftest import utc

pytestmark = pytest.mark.django_db
BODY = {
    "input_tokens": 1_000_000,
    "output_tokens": 0,
    "models": ["openai/gpt-4.1-mini"],
    "as_of": "2026-06-01",
}


@pytest.fixture
def saved(client):
    load_seed_catalogue()
    response = client.post("/api/v1/comparisons", json.dumps(BODY), content_type="application/json")
    assert response.status_code == 201, response.content
    return Comparison.objects.get(pk=json.loads(response.content)["id"])


@pytest.fixture
def price_rise(db):
    mini = LanguageModel.objects.get(provider__slug="openai", slug="gpt-4.1-mini")
    return publish_price_version(
        model=mini,
        rates=Rates(D("0.50"), D("1.60"), D("0.10")),
        effective_from=utc(2026, 9, 1),
        origin=PriceVersion.Origin.IMPORT,
        change_reason="a test price rise",
        source_url="https://openai.com/api/pricing/",
    )


def test_a_later_price_shows_the_difference_and_the_change_behind_it(saved, price_rise):
    (row,) = reprice_comparison(saved, utc(2026, 10, 1))["results"]
    assert (row["saved_total_usd"], row["total_usd"], row["difference_usd"]) == ("0.4", "0.5", "0.1")
    assert [c["price_version"] for c in row["changes"]] == [price_rise.pk]
    assert row["changes"][0]["change_reason"] == "a test price rise"


def test_repricing_at_the_saved_moment_changes_nothing(saved, price_rise):
    (row,) = reprice_comparison(saved, saved.as_of)["results"]
    assert (row["difference_usd"], row["changes"], row["price_version"]) == (
        "0",
        [],
        row["saved_price_version"],
    )


def test_a_moment_before_the_models_first_price_has_no_price(saved):
    (row,) = reprice_comparison(saved, utc(2020, 1, 1))["results"]
    assert row["total_usd"] is None and row["saved_total_usd"] == "0.4"


def test_the_api_reprices_a_saved_comparison_as_of_a_date(client, saved, price_rise):
    response = client.get(f"/api/v1/comparisons/{saved.pk}/reprice?as_of=2026-10-01")
    assert response.status_code == 200, response.content
    (row,) = json.loads(response.content)["results"]
    assert (row["difference_usd"], row["changes"][0]["price_version"]) == ("0.1", price_rise.pk)


def test_the_api_says_which_comparison_it_cannot_find(client, db):
    response = client.get("/api/v1/comparisons/nope/reprice")
    assert (response.status_code, json.loads(response.content)["error"]["field"]) == (404, "id")


def test_a_version_that_only_restates_the_price_is_not_listed_as_a_change(saved):
    mini = LanguageModel.objects.get(provider__slug="openai", slug="gpt-4.1-mini")
    seeded = PriceVersion.objects.effective(at=utc(2026, 7, 1)).get(model=mini)
    restated = publish_price_version(  # the seed's rates (OpenAI's published ones), seen again
        model=mini,
        rates=seeded.to_rates(),
        effective_from=utc(2026, 8, 1),
        origin=PriceVersion.Origin.IMPORT,
        change_reason="seen again upstream",
        source_url="https://openai.com/api/pricing/",
    )
    rise = publish_price_version(
        model=mini,
        rates=Rates(D("0.50"), D("1.60"), D("0.10")),
        effective_from=utc(2026, 9, 1),
        origin=PriceVersion.Origin.IMPORT,
        change_reason="a test price rise",
        source_url="https://openai.com/api/pricing/",
    )
    (row,) = reprice_comparison(saved, utc(2026, 10, 1))["results"]
    assert restated.pk and [c["price_version"] for c in row["changes"]] == [rise.pk]
