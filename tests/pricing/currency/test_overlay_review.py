"""The overlay review queue: a rule proposed by staff who may not edit prices applies to nothing
until a price editor accepts it in the admin (then it is added, closing the rule it replaces);
a rejection adds nothing; nothing is deleted; only price editors decide."""

import json
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from pricing.models import Overlay, OverlayRule, OverlayRuleProposal, Provider
from pricing.services.overlays import accept_overlay_proposal, add_overlay_rule
from pricing.services.seed import load_seed_catalogue

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/pricing/overlayrule/add/"
QUEUE_URL = "/admin/pricing/overlayruleproposal/"
BILL = {
    "model": "anthropic/claude-sonnet-4-6",
    "at": "2026-10-30T12:00:00Z",
    "overlay": "acme",
    "usage": {"input_tokens": 1_000_000, "output_tokens": 100_000},  # $3 + $1.50 at list prices
}


@pytest.fixture
def acme(db):
    load_seed_catalogue()
    overlay = Overlay.objects.create(name="acme")
    add_overlay_rule(
        overlay=overlay,
        kind="percent",
        adjustment=D("-10"),
        provider=Provider.objects.get(slug="anthropic"),
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        note="10% off Anthropic",
    )
    return overlay


def propose(client, user, overlay):
    client.force_login(user)
    form = {
        "overlay": overlay.pk,
        "provider": Provider.objects.get(slug="anthropic").pk,
        "kind": "percent",
        "adjustment": "-20",
        "effective_from_0": "2026-10-01",
        "effective_from_1": "00:00:00",
        "note": "Renewal: 20% off Anthropic",
    }
    response = client.post(ADD_URL, form)
    assert response.status_code == 302, response.content
    return OverlayRuleProposal.objects.get()


def effective_cost(client) -> str:
    response = client.post("/api/v1/bill", json.dumps(BILL), content_type="application/json")
    return json.loads(response.content)["EffectiveCost"]


def decide(client, editor, proposal, action):
    client.force_login(editor)
    body = {"action": action, "_selected_action": [proposal.pk]}
    return client.post(QUEUE_URL, body)


def test_a_proposal_applies_only_once_a_price_editor_accepts_it(client, acme, staff_non_editor, editor):
    proposal = propose(client, staff_non_editor, acme)
    assert (proposal.status, proposal.proposed_by) == ("pending", staff_non_editor)
    assert effective_cost(client) == "4.05"  # still 10% off 4.50
    assert decide(client, editor, proposal, "accept").status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("accepted", editor)
    assert proposal.published_rule.note == "Renewal: 20% off Anthropic"
    assert effective_cost(client) == "3.6"  # 20% off 4.50
    old = OverlayRule.objects.get(note="10% off Anthropic")
    assert old.effective_until == datetime(2026, 10, 1, tzinfo=UTC)


def test_a_rejected_proposal_adds_no_rule_and_stays_on_record(client, acme, staff_non_editor, editor):
    proposal = propose(client, staff_non_editor, acme)
    assert decide(client, editor, proposal, "reject").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.published_rule is None
    assert OverlayRule.objects.count() == 1 and effective_cost(client) == "4.05"
    with pytest.raises(PermissionDenied):
        proposal.delete()


def test_only_price_editors_decide(client, acme, staff_non_editor):
    proposal = propose(client, staff_non_editor, acme)
    decide(client, staff_non_editor, proposal, "accept")
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    with pytest.raises(PermissionDenied):
        accept_overlay_proposal(proposal=proposal, user=staff_non_editor)


def test_a_price_editors_rule_is_added_at_once_without_review(client, acme, editor):
    client.force_login(editor)
    queue = client.get(QUEUE_URL)
    assert queue.status_code == 200
    form = {
        "overlay": acme.pk,
        "kind": "percent",
        "adjustment": "-20",
        "effective_from_0": "2026-10-01",
        "effective_from_1": "00:00:00",
        "note": "x",
    }
    assert client.post(ADD_URL, form).status_code == 302
    assert not OverlayRuleProposal.objects.exists() and OverlayRule.objects.count() == 2
