"""Every write to the price catalogue goes through these functions.

They validate (``pricing.validation``), keep history append-only, and refuse overlapping
periods (on PostgreSQL an exclusion constraint enforces the same rule in the database).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .costs import Rates
from .models import ImportRun, LanguageModel, PriceTier, PriceVersion
from .validation import Problem, validate_rates

EDIT_PERMISSION = "pricing.edit_prices"


class PriceRejected(Exception):
    """The price cannot be published; ``problems`` say which field is wrong and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def can_edit_prices(user: AbstractBaseUser | None) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm(EDIT_PERMISSION))


def publish_price_version(
    *,
    model: LanguageModel,
    rates: Rates,
    effective_from: datetime,
    origin: str,
    change_reason: str,
    source_url: str = "",
    created_by: AbstractBaseUser | None = None,
    import_run: ImportRun | None = None,
    verified_at: datetime | None = None,
    locked: bool = False,
) -> PriceVersion:
    """Publish ``rates`` for ``model`` from ``effective_from`` on, closing the version before.

    A new version must start after the latest one started; the latest is closed at the new
    start. Raises ``PriceRejected`` naming each wrong field, ``PermissionDenied`` for an admin
    change by someone without the price-editor permission.
    """
    if origin == PriceVersion.Origin.ADMIN and not can_edit_prices(created_by):
        raise PermissionDenied("Only price editors may publish prices.")
    problems = validate_rates(rates)
    if not change_reason.strip():
        problems.append(Problem("change_reason", "a reason for the change is required"))
    if timezone.is_naive(effective_from):
        problems.append(Problem("effective_from", "must include a time zone"))
    if problems:
        raise PriceRejected(problems)
    with transaction.atomic():
        # Lock the model row: two publishers of one model serialise here.
        LanguageModel.objects.select_for_update().get(pk=model.pk)
        latest = PriceVersion.objects.filter(model=model).order_by("-effective_from").first()
        _check_no_overlap(latest, effective_from)
        if latest is not None and (latest.effective_to is None or latest.effective_to > effective_from):
            latest.effective_to = effective_from
            latest.save(update_fields=["effective_to"])
        version = PriceVersion.objects.create(
            model=model,
            **_rate_fields(rates),
            effective_from=effective_from,
            verified_at=verified_at,
            source_url=source_url,
            origin=origin,
            created_by=created_by,
            import_run=import_run,
            change_reason=change_reason.strip(),
            locked=locked,
        )
        for tier in rates.tiers:
            PriceTier.objects.create(version=version, **asdict(tier))
    return version


def _check_no_overlap(latest: PriceVersion | None, effective_from: datetime) -> None:
    if latest is not None and effective_from <= latest.effective_from:
        raise PriceRejected(
            [
                Problem(
                    "effective_from",
                    f"must be after the current version's start "
                    f"({latest.effective_from:%Y-%m-%d %H:%M} UTC); history is append-only",
                )
            ]
        )


def _rate_fields(rates: Rates) -> dict[str, object]:
    fields = asdict(rates)
    fields.pop("tiers")
    return fields


def mark_verified(*, version: PriceVersion, at: datetime | None = None) -> PriceVersion:
    """Record that ``version`` was checked against its source and still holds."""
    version.verified_at = at or timezone.now()
    version.save(update_fields=["verified_at"])
    return version


def same_rates(version: PriceVersion | None, rates: Rates) -> bool:
    return version is not None and version.to_rates() == rates
