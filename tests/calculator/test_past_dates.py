"""A past date's default set: when no featured model was priced then, the models that were are
shown (the featured ones first, each saying since when it is priced), not an empty table."""

import json
from decimal import Decimal

from pricing.bill.rates import Rates
from pricing.models import LanguageModel, Provider
from pricing.services.seed import load_seed_catalogue
from pricing.services.versions import publish_price_version
from tests.conftest import utc


def estimate(client, body):
    response = client.post("/api/v1/estimate", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_date_before_every_featured_price_shows_the_models_priced_then(client, db):
    load_seed_catalogue()
    old = LanguageModel.objects.create(
        provider=Provider.objects.get(slug="openai"),
        slug="gpt-old",
        name="GPT Old",
        tokenizer_key="cl100k_base",
        featured=False,
        context_window=8192,
    )
    publish_price_version(
        model=old,
        rates=Rates(input_usd_per_mtok=Decimal("30"), output_usd_per_mtok=Decimal("60")),
        effective_from=utc(2020, 1, 1),
        origin="import",
        change_reason="an old price",
    )
    body = {"input_tokens": 1000, "output_tokens": 0, "as_of": "2021-06-01"}

    results = estimate(client, body)["results"]
    priced = [r for r in results if r["total_usd"] is not None]
    assert [(r["provider"], r["model"]) for r in priced] == [("openai", "gpt-old")]
    # 1,000 tokens at $30 per million.
    assert Decimal(priced[0]["total_usd"]) == Decimal("0.03")
    featured = LanguageModel.objects.filter(featured=True).count()
    assert len(results) >= featured + 1, "the featured rows stay, each with since when it is priced"

    # Today the featured set is priced: the old model is not added to it.
    now = estimate(client, {"input_tokens": 1000, "output_tokens": 0})["results"]
    assert "gpt-old" not in [r["model"] for r in now]
