"""Publishing prices: append-only history, as-of lookups at version boundaries, refusals."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from pricing.bill.rates import Rates
from pricing.models import PriceTier, PriceVersion
from pricing.services.versions import PriceRejected, publish_price_version
from tests.conftest import utc

pytestmark = pytest.mark.django_db


def publish(model, start, input_rate="1", output_rate="2", **kwargs):
    return publish_price_version(
        model=model,
        rates=Rates(D(input_rate), D(output_rate)),
        effective_from=start,
        origin=kwargs.pop("origin", PriceVersion.Origin.IMPORT),
        change_reason=kwargs.pop("reason", "test"),
        **kwargs,
    )


def test_it_closes_the_previous_version_when_a_new_one_is_published(gpt_54):
    old = PriceVersion.objects.get(model=gpt_54)
    new = publish(gpt_54, utc(2026, 6, 1), "3", "16")
    old.refresh_from_db()
    assert old.effective_to == new.effective_from == utc(2026, 6, 1)
    assert new.effective_to is None
    assert old.input_usd_per_mtok == D("2.50")  # the old rates are untouched


def test_it_answers_what_was_in_force_at_version_boundaries(gpt_54):
    new = publish(gpt_54, utc(2026, 6, 1), "3", "16")
    first = PriceVersion.objects.exclude(pk=new.pk).get(model=gpt_54)
    effective = PriceVersion.objects.filter(model=gpt_54).effective
    assert list(effective(at=utc(2026, 3, 4, 23, 59))) == []
    assert list(effective(at=utc(2026, 3, 5))) == [first]
    assert list(effective(at=utc(2026, 6, 1) - timedelta(microseconds=1))) == [first]
    assert list(effective(at=utc(2026, 6, 1))) == [new]
    assert list(effective()) == [new]


def test_it_refuses_a_version_that_does_not_start_after_the_latest(gpt_54):
    with pytest.raises(PriceRejected) as caught:
        publish(gpt_54, utc(2026, 3, 5))
    assert caught.value.problems[0].field == "effective_from"
    assert PriceVersion.objects.filter(model=gpt_54).count() == 1


def test_it_refuses_invalid_rates_and_writes_nothing(gpt_54):
    with pytest.raises(PriceRejected) as caught:
        publish(gpt_54, utc(2026, 7, 1), "-1", "2")
    assert caught.value.problems[0].field == "input_usd_per_mtok"
    assert PriceVersion.objects.get(model=gpt_54).effective_to is None


def test_it_requires_a_reason(gpt_54):
    with pytest.raises(PriceRejected, match="change_reason"):
        publish(gpt_54, utc(2026, 7, 1), reason="  ")


def test_it_refuses_an_admin_change_by_someone_without_the_permission(gpt_54, staff_non_editor):
    with pytest.raises(PermissionDenied):
        publish(gpt_54, utc(2026, 7, 1), origin=PriceVersion.Origin.ADMIN, created_by=staff_non_editor)


def test_it_lets_a_price_editor_publish(gpt_54, editor):
    version = publish(gpt_54, utc(2026, 7, 1), origin=PriceVersion.Origin.ADMIN, created_by=editor)
    assert version.created_by == editor


def test_no_update_path_changes_a_published_version(gpt_54):
    version = PriceVersion.objects.get(model=gpt_54)
    version.input_usd_per_mtok = D("0.01")
    with pytest.raises(PermissionDenied):
        version.save()
    with pytest.raises(PermissionDenied):
        version.save(update_fields=["input_usd_per_mtok", "verified_at"])
    with pytest.raises(PermissionDenied):
        PriceVersion.objects.filter(pk=version.pk).update(input_usd_per_mtok=D("0.01"))
    with pytest.raises(PermissionDenied):
        PriceVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(PermissionDenied):
        version.delete()
    tier = PriceTier.objects.get(version=version)
    with pytest.raises(PermissionDenied):
        tier.save()
    assert PriceVersion.objects.get(pk=version.pk).input_usd_per_mtok == D("2.50")


@pytest.mark.postgresql
def test_the_database_refuses_overlapping_versions_on_postgresql(gpt_54):
    current = PriceVersion.objects.get(model=gpt_54)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceVersion.objects.create(
            model=gpt_54,
            input_usd_per_mtok=1,
            output_usd_per_mtok=1,
            effective_from=current.effective_from + timedelta(days=1),
            origin="admin",
            change_reason="bypassing the service",
        )
