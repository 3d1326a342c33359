"""The catalogue's vocabulary on its QuerySets: the latest version, the price at a moment (retirement
folded in), models still sold, and API references resolved in bulk."""

from decimal import Decimal as D

import pytest

from pricing.bill.rates import Rates
from pricing.models import LanguageModel, PriceVersion, Provider
from pricing.services.aliases import link_aliases
from pricing.services.versions import publish_price_version
from tests.conftest import utc

pytestmark = pytest.mark.django_db


def publish(model, start, input_rate):
    return publish_price_version(
        model=model,
        rates=Rates(D(input_rate), D("2")),
        effective_from=start,
        origin=PriceVersion.Origin.IMPORT,
        change_reason="test",
    )


@pytest.fixture
def mini(openai):
    return LanguageModel.objects.create(provider=openai, slug="gpt-4.1-mini", name="GPT-4.1 mini")


def test_the_latest_version_is_the_one_that_started_last(gpt_54):
    later = publish(gpt_54, utc(2026, 6, 1), "3")
    assert PriceVersion.objects.latest_of(gpt_54) == later


def test_a_model_without_versions_has_no_latest_version(mini):
    assert PriceVersion.objects.latest_of(mini) is None


def test_the_latest_versions_of_many_models_come_from_one_query(gpt_54, mini, django_assert_num_queries):
    first = publish(mini, utc(2026, 1, 1), "0.4")
    later = publish(mini, utc(2026, 2, 1), "0.5")
    with django_assert_num_queries(1):
        latest = PriceVersion.objects.latest_by_model()
    assert latest[mini.pk] == later != first
    assert latest[gpt_54.pk].input_usd_per_mtok == D("2.50")


def test_the_price_in_force_follows_the_versions_at_their_boundaries(gpt_54):
    later = publish(gpt_54, utc(2026, 6, 1), "3")
    assert PriceVersion.objects.in_force(gpt_54, utc(2026, 5, 31, 23, 59)).input_usd_per_mtok == D("2.50")
    assert PriceVersion.objects.in_force(gpt_54, utc(2026, 6, 1)) == later
    assert PriceVersion.objects.in_force(gpt_54, utc(2026, 3, 4)) is None  # before its first price


def test_a_retired_model_has_no_price_in_force_from_its_retirement_on(gpt_54):
    LanguageModel.objects.filter(pk=gpt_54.pk).update(retired_at=utc(2026, 8, 1, 15, 59))
    gpt_54.refresh_from_db()
    assert PriceVersion.objects.in_force(gpt_54, utc(2026, 8, 1, 15, 58)) is not None
    assert PriceVersion.objects.in_force(gpt_54, utc(2026, 8, 1, 15, 59)) is None


def test_models_retired_by_a_moment_are_no_longer_sold_then(gpt_54, mini):
    LanguageModel.objects.filter(pk=gpt_54.pk).update(retired_at=utc(2026, 8, 1, 15, 59))
    assert set(LanguageModel.objects.sold(utc(2026, 8, 1, 15, 58))) == {gpt_54, mini}
    assert set(LanguageModel.objects.sold(utc(2026, 8, 1, 15, 59))) == {mini}


def test_a_model_marked_retired_without_a_day_is_not_sold_today(gpt_54, mini):
    LanguageModel.objects.filter(pk=mini.pk).update(status=LanguageModel.Status.RETIRED)
    assert set(LanguageModel.objects.sold()) == {gpt_54}


def test_references_resolve_to_their_models_in_one_query_aliases_included(
    gpt_54, mini, django_assert_num_queries
):
    link_aliases(model=mini, names=["gpt-4.1-mini-2025-04-14"])
    keys = ["openai/gpt-5.4", "openai/gpt-4.1-mini-2025-04-14", "openai/gpt-9", "nobody/gpt-5.4"]
    with django_assert_num_queries(1):
        resolved = LanguageModel.objects.resolve(keys)
    assert resolved == {"openai/gpt-5.4": gpt_54, "openai/gpt-4.1-mini-2025-04-14": mini}


def test_a_name_from_the_alias_table_resolves_to_the_model_it_names(django_assert_num_queries):
    anthropic = Provider.objects.create(slug="anthropic", name="Anthropic")
    haiku = LanguageModel.objects.create(provider=anthropic, slug="claude-3-5-haiku-20241022", name="Haiku")
    key = "anthropic/claude-3-5-haiku-latest"  # no row of its own: the alias table names the model
    with django_assert_num_queries(1):
        assert LanguageModel.objects.resolve([key]) == {key: haiku}
