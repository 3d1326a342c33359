"""The catalogue an estimate read is kept between requests while the database's generation token
(migration 0015: triggers on providers, models and price versions) is the same, and never served
stale: every kind of write changes the token, and each change shows in the next estimate. Also
checks that a kept read is one query, and that a version starting later than the read is seen
once its moment comes (the kept read's ``until``)."""

import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from pricing.bill.rates import Rates
from pricing.models import LanguageModel, PriceVersion, Provider
from pricing.selectors.catalogue import catalogue_generation, first_price_dates, priced_models
from pricing.services.versions import publish_price_version
from tests.conftest import utc

pytestmark = pytest.mark.django_db


def _estimate(client) -> dict:
    body = {"input_tokens": 1_000, "output_tokens": 500, "all_models": True}
    response = client.post("/api/v1/estimate", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return {row["model"]: row for row in response.json()["results"]}


def _publish(model, output: str, start) -> PriceVersion:
    return publish_price_version(
        model=model,
        rates=Rates(D("2.50"), D(output), D("0.25")),
        effective_from=start,
        origin=PriceVersion.Origin.SEED,
        change_reason="test",
    )


def _writes(gpt_54):
    version = PriceVersion.objects.get(model=gpt_54)
    provider = gpt_54.provider
    return {
        "model save": lambda: (setattr(gpt_54, "name", "Renamed"), gpt_54.save()),
        "model update": lambda: LanguageModel.objects.filter(pk=gpt_54.pk).update(context_window=5),
        "model bulk_create": lambda: LanguageModel.objects.bulk_create(
            [LanguageModel(provider=provider, slug="bulk", name="Bulk", tokenizer_key="o200k_base")]
        ),
        "model delete": lambda: LanguageModel.objects.create(
            provider=provider, slug="gone", name="Gone", tokenizer_key="o200k_base"
        ).delete(),
        "version update": lambda: PriceVersion.objects.filter(pk=version.pk).update(
            withdrawn_at=timezone.now()
        ),
        "version publish": lambda: _publish(gpt_54, "16.00", utc(2026, 6, 1)),
        "provider update": lambda: Provider.objects.filter(pk=provider.pk).update(name="Open"),
        "provider bulk_create": lambda: Provider.objects.bulk_create([Provider(slug="new", name="New")]),
    }


WRITES = [
    "model save",
    "model update",
    "model bulk_create",
    "model delete",
    "version update",
    "version publish",
    "provider update",
    "provider bulk_create",
]


@pytest.mark.parametrize("write", WRITES)
def test_every_writer_changes_the_token(gpt_54, write):
    before = catalogue_generation()
    assert before is not None  # both SQLite and PostgreSQL have one
    _writes(gpt_54)[write]()
    assert catalogue_generation() != before


def test_a_kept_catalogue_is_one_query(gpt_54, django_assert_num_queries):
    at = timezone.now()
    first = priced_models(at=at)
    with django_assert_num_queries(1):  # the token only
        assert priced_models(at=at + timedelta(seconds=1)) == first


def test_each_change_shows_in_the_next_estimate(client, gpt_54):
    first = _estimate(client)["gpt-5.4"]
    assert first["output_usd_per_mtok"] == "15"
    assert _estimate(client)["gpt-5.4"] == first  # kept, the same

    new = _publish(gpt_54, "18.00", utc(2026, 6, 1))  # published
    row = _estimate(client)["gpt-5.4"]
    assert (row["price_version"], row["output_usd_per_mtok"]) == (new.pk, "18")

    LanguageModel.objects.filter(pk=gpt_54.pk).update(name="GPT-5.4 renamed")  # edited in bulk
    assert _estimate(client)["gpt-5.4"]["name"] == "GPT-5.4 renamed"

    PriceVersion.objects.filter(pk=new.pk).update(withdrawn_at=timezone.now())  # withdrawn
    row = _estimate(client)["gpt-5.4"]
    assert row["price_version"] is None  # the first version was closed when the new one came

    LanguageModel.objects.filter(pk=gpt_54.pk).update(retired_at=timezone.now() - timedelta(days=1))
    assert "gpt-5.4" not in _estimate(client)  # retired: no longer sold


def test_a_version_starting_after_the_read_is_seen_at_its_moment(gpt_54):
    now = timezone.now()
    later = _publish(gpt_54, "20.00", now + timedelta(hours=1))
    assert priced_models(at=now)[0].version.pk != later.pk
    token = catalogue_generation()
    # No write since: the same token, but the kept read ends when the new version starts.
    assert priced_models(at=now + timedelta(hours=2))[0].version.pk == later.pk
    assert catalogue_generation() == token


def test_first_price_dates_follow_a_new_version(gpt_54):
    model = LanguageModel.objects.create(
        provider=gpt_54.provider, slug="later", name="Later", tokenizer_key="o200k_base"
    )
    assert first_price_dates([model.pk]) == {}
    _publish(model, "15.00", utc(2026, 6, 1))  # its first price, published after the read
    assert first_price_dates([model.pk]) == {model.pk: utc(2026, 6, 1)}


def test_a_recost_from_kept_parts_equals_one_read_afresh(client, gpt_54):
    from calculator import estimate
    from pricing.selectors import catalogue

    text = {"text": "What will this cost? " * 30, "all_models": True}
    for output in (500, 700, 200_000):  # the last past the output cap: another fit
        body = json.dumps({**text, "output_tokens": output})
        kept = client.post("/api/v1/estimate", body, content_type="application/json").json()
        assert estimate._plans and catalogue._kept  # the second and third from kept parts
        estimate._plans.clear()
        catalogue._kept.clear()
        fresh = client.post("/api/v1/estimate", body, content_type="application/json").json()
        assert kept["results"] == fresh["results"]
        assert [row["output_tokens"] for row in kept["results"]] == [output]
        assert kept["results"][0]["fits_context"] is (output <= 128_000)
