"""Overlays are edited by price editors in the admin, append-only, and a price refresh never
touches them."""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.core import serializers
from django.core.exceptions import PermissionDenied

from pricing.models import ImportRun, LanguageModel, Overlay, OverlayRule, PriceVersion
from pricing.refresh import refresh_prices
from pricing.services.overlays import add_overlay_rule
from tests.pricing.refresh.conftest import genai_payload

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/pricing/overlayrule/add/"


def rule_form(overlay, **fields):
    return {
        "overlay": overlay.pk,
        "kind": "percent",
        "adjustment": "-20",
        "effective_from_0": "2026-01-01",
        "effective_from_1": "00:00:00",
        "note": "Agreement of 2025-12-15",
        **fields,
    }


def test_a_price_editor_adds_rules_and_a_new_one_closes_the_one_it_replaces(client, editor):
    overlay = Overlay.objects.create(name="team-a")
    client.force_login(editor)
    assert client.post(ADD_URL, rule_form(overlay)).status_code == 302
    later = rule_form(overlay, adjustment="-25", effective_from_0="2026-07-01")
    assert client.post(ADD_URL, later).status_code == 302
    first, second = OverlayRule.objects.order_by("effective_from")
    assert first.effective_until == second.effective_from
    assert (second.adjustment, second.created_by) == (D("-25"), editor)


def test_a_rule_without_a_reason_or_with_a_full_discount_is_refused_on_the_form(client, editor):
    overlay = Overlay.objects.create(name="team-a")
    client.force_login(editor)
    for bad in ({"note": ""}, {"adjustment": "-100"}, {"kind": "fixed", "adjustment": "", "fixed_usd": "1"}):
        response = client.post(ADD_URL, rule_form(overlay, **bad))
        assert response.status_code == 200, bad
    assert not OverlayRule.objects.exists()


def test_staff_without_the_price_editor_permission_only_propose_rules(client, staff_non_editor):
    overlay = Overlay.objects.create(name="team-a")
    client.force_login(staff_non_editor)
    assert client.post(ADD_URL, rule_form(overlay)).status_code == 302
    assert not OverlayRule.objects.exists()  # pending review: docs/currency-and-overlays.md


def test_a_rule_is_never_edited_in_place_nor_deleted():
    overlay = Overlay.objects.create(name="team-a")
    rule = add_overlay_rule(
        overlay=overlay,
        kind="percent",
        adjustment=D("-5"),
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        note="x",
    )
    rule.adjustment = D("-50")
    with pytest.raises(PermissionDenied):
        rule.save()
    with pytest.raises(PermissionDenied):
        OverlayRule.objects.all().delete()


def test_a_price_refresh_leaves_overlays_untouched(payload_server, settings):
    settings.PRICE_REFRESH_SEED_FIRST = False
    first = refresh_prices(source="genai-prices", url=payload_server.serve("/v1.json", genai_payload()))
    assert first.status == ImportRun.Status.SUCCEEDED, first.error
    model = LanguageModel.objects.get(slug="model-07")
    overlay = Overlay.objects.create(name="acme-deal", is_default=True)
    add_overlay_rule(
        overlay=overlay, kind="fixed", fixed_usd=D("0.5"), line_kind="input", model=model,
        effective_from=datetime(2026, 1, 1, tzinfo=UTC), note="Acme input at $0.50",
    )  # fmt: skip
    before = serializers.serialize("json", [*Overlay.objects.all(), *OverlayRule.objects.all()])
    changed = genai_payload(changes={7: {"input_mtok": "1.2"}})
    second = refresh_prices(source="genai-prices", url=payload_server.serve("/v2.json", changed))
    assert second.status == ImportRun.Status.SUCCEEDED, second.error
    assert PriceVersion.objects.filter(model=model).count() == 2  # the refresh did publish
    assert serializers.serialize("json", [*Overlay.objects.all(), *OverlayRule.objects.all()]) == before
