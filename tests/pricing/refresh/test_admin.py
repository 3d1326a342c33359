"""The refresh admin: read-only import runs, deciding proposals, and the "Refresh now" button."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

import pricing.admin.refresh  # noqa: F401  (registers the ModelAdmins, as pricing.admin does)
from config.celery import app as celery_app
from pricing.models import ImportRun, PriceProposal, PriceVersion
from pricing.refresh import refresh_prices

from .conftest import genai_payload

pytestmark = pytest.mark.django_db
VIEW_ONLY = ["view_importrun", "view_priceproposal", "change_priceproposal"]


def staff(username: str, *, editor: bool) -> User:
    user = User.objects.create_user(username, password="pw-for-tests", is_staff=True)
    if editor:
        user.groups.add(Group.objects.get(name="Price editors"))
    else:
        user.user_permissions.add(*Permission.objects.filter(codename__in=VIEW_ONLY))
    return user


@pytest.fixture
def proposal(payload_server) -> PriceProposal:
    refresh_prices(source="genai-prices", url=payload_server.serve("/a", genai_payload()))
    jump = genai_payload(changes={7: {"input_mtok": "3"}})
    refresh_prices(source="genai-prices", url=payload_server.serve("/b", jump))
    return PriceProposal.objects.get()


def decide(client, action: str, proposal: PriceProposal):
    url = reverse("admin:pricing_priceproposal_changelist")
    return client.post(url, {"action": action, "_selected_action": [proposal.pk]}, follow=True)


def test_import_runs_are_read_only_and_show_status_counts_and_hash(client, proposal) -> None:
    client.force_login(staff("viewer", editor=False))
    run = ImportRun.objects.first()
    page = client.get(reverse("admin:pricing_importrun_change", args=[run.pk]))
    assert page.status_code == 200 and run.payload_sha256 in page.content.decode()
    assert client.get(reverse("admin:pricing_importrun_add")).status_code == 403
    listing = client.get(reverse("admin:pricing_importrun_changelist")).content.decode()
    assert "Refresh now" not in listing  # no price-editor permission


def test_a_price_editor_accepts_a_proposal_and_it_is_published_in_their_name(client, proposal) -> None:
    editor = staff("editor", editor=True)
    client.force_login(editor)
    assert "1 proposal(s) accepted and published" in decide(client, "accept", proposal).content.decode()
    proposal.refresh_from_db()
    version = proposal.published_version
    assert (proposal.status, proposal.decided_by, version.created_by) == ("accepted", editor, editor)
    assert version.input_usd_per_mtok == Decimal("3") and version.origin == "admin"
    assert PriceVersion.objects.filter(model=proposal.model, effective_to=version.effective_from).exists()


def test_staff_without_the_price_editor_permission_cannot_decide(client, proposal) -> None:
    client.force_login(staff("viewer", editor=False))
    decide(client, "accept", proposal)
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_a_rejected_proposal_publishes_nothing(client, proposal) -> None:
    client.force_login(staff("editor", editor=True))
    decide(client, "reject", proposal)
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.published_version is None
    assert PriceVersion.objects.filter(model=proposal.model).count() == 1


def test_refresh_now_runs_in_process_without_a_broker(client, settings, payload_server) -> None:
    settings.PRICE_SOURCE_URLS = {"genai-prices": payload_server.serve("/p", genai_payload())}
    client.force_login(staff("editor", editor=True))
    assert "Refresh now" in client.get(reverse("admin:pricing_importrun_changelist")).content.decode()
    refresh_url = reverse("admin:pricing_importrun_refresh")
    response = client.post(refresh_url, {"source": "genai-prices"}, follow=True)
    assert "refreshed in-process (Succeeded)" in response.content.decode()
    assert ImportRun.objects.get().triggered_by.username == "editor"


@pytest.fixture
def broker_down(settings) -> Iterator[str]:
    """Point the Celery app at a port where no broker listens (as when Redis is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = url
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    celery_app._pool = None  # connections are pooled per broker URL: start afresh
    celery_app.amqp._producer_pool = None
    yield f"127.0.0.1:{port}"
    celery_app.conf.update(saved)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_refresh_now_says_clearly_when_the_broker_cannot_be_reached(client, broker_down, gpt_54) -> None:
    client.force_login(staff("editor", editor=True))
    response = client.post(reverse("admin:pricing_importrun_refresh"), {"source": "litellm"}, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert f"The refresh of litellm could not be started: the task broker at {broker_down} failed" in text
    assert "Connection refused" in text
    assert not ImportRun.objects.exists()  # nothing ran, nothing half-recorded
    # The site keeps serving while the broker is down.
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("models")).status_code == 200
