"""Writes to the catalogue's models that editors make in bulk: locking prices, retiring models.

A lock is part of a price version (imports read ``locked`` on the latest one), and versions are
append-only, so locking or unlocking publishes a copy of the current rates with the lock changed,
with its reason and author, through ``publish_price_version``: the history shows who locked what
and why, like any other change.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pricing.models import LanguageModel, PriceVersion
from pricing.services.versions import can_edit_prices, publish_price_version


def set_prices_locked(
    *, model: LanguageModel, locked: bool, reason: str, user: AbstractBaseUser, at: datetime | None = None
) -> PriceVersion | None:
    """Lock (or unlock) ``model``'s current price from ``at`` (default now); ``None`` when it has no
    price or is already so. Raises ``PriceRejected`` (e.g. a later version is scheduled),
    ``PermissionDenied`` unless ``user`` is a price editor, ``ValueError`` without a reason."""
    if not can_edit_prices(user):
        raise PermissionDenied("Only price editors may lock or unlock prices.")
    if not reason.strip():
        raise ValueError("A lock or an unlock needs a reason.")
    latest = PriceVersion.objects.latest_of(model)
    if latest is None or latest.locked == locked:
        return None
    verb = "Locked" if locked else "Unlocked"
    return publish_price_version(
        model=model,
        rates=latest.to_rates(),
        effective_from=at or timezone.now(),
        origin=PriceVersion.Origin.ADMIN,
        change_reason=f"{verb}: {reason.strip()}",
        source_url=latest.source_url,
        created_by=user,
        locked=locked,
    )


def retire_models(
    *, models: list[LanguageModel], at: datetime, source_url: str, user: AbstractBaseUser, reason: str
) -> int:
    """Record that the provider retires ``models`` at ``at`` (the page ``source_url`` says so):
    retired from that moment, deprecated until then (announced). Their prices stay: history is
    never removed; the featured pick goes once the moment has passed. The caller records
    ``reason`` in the models' history (the admin's log)."""
    if not can_edit_prices(user):
        raise PermissionDenied("Only price editors may retire models.")
    if not reason.strip():
        raise ValueError("Retiring needs a reason.")
    with transaction.atomic():
        return LanguageModel.objects.filter(pk__in=[m.pk for m in models]).update(
            retired_at=at, retirement_source_url=source_url, **lifecycle_status(at)
        )


def lifecycle_status(retired_at: datetime) -> dict[str, object]:
    """The status (and featured pick) that go with a retirement at ``retired_at``: retired and
    no longer featured once it has passed, deprecated (announced) before."""
    if retired_at <= timezone.now():
        return {"status": LanguageModel.Status.RETIRED, "featured": False}
    return {"status": LanguageModel.Status.DEPRECATED}
