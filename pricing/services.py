"""Every write to the price catalogue goes through these functions.

They validate (``pricing.validation``), keep history append-only, and refuse overlapping
periods (on PostgreSQL an exclusion constraint enforces the same rule in the database); the
admin form asks ``overlap_problem`` here rather than restating the rule. Proposals a refresh
queued for review are decided here too.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .costs import Rates, rate_values
from .models import ImportRun, LanguageModel, PriceProposal, PriceTier, PriceVersion
from .sources.diff import rates_from_json
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
    problems = validate_rates(rates) + _publication_problems(change_reason, effective_from)
    if problems:
        raise PriceRejected(problems)
    with transaction.atomic():
        _close_latest(model, effective_from)
        version = PriceVersion.objects.create(
            model=model,
            **rate_values(rates),
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
            PriceTier.objects.create(
                version=version, threshold_tokens=tier.threshold_tokens, **rate_values(tier)
            )
    return version


def _publication_problems(change_reason: str, effective_from: datetime) -> list[Problem]:
    problems = []
    if not change_reason.strip():
        problems.append(Problem("change_reason", "a reason for the change is required"))
    if timezone.is_naive(effective_from):
        problems.append(Problem("effective_from", "must include a time zone"))
    return problems


def _close_latest(model: LanguageModel, effective_from: datetime) -> None:
    """Close the model's latest version at ``effective_from``, or refuse an overlapping start."""
    # Lock the model row: two publishers of one model serialise here.
    LanguageModel.objects.select_for_update().get(pk=model.pk)
    latest = PriceVersion.objects.filter(model=model).order_by("-effective_from").first()
    overlap = _overlap(latest, effective_from)
    if overlap is not None:
        raise PriceRejected([overlap])
    if latest is not None and (latest.effective_to is None or latest.effective_to > effective_from):
        latest.effective_to = effective_from
        latest.save(update_fields=["effective_to"])


def overlap_problem(model: LanguageModel, effective_from: datetime) -> Problem | None:
    """Why a version of ``model`` cannot start at ``effective_from``: history is append-only, so a
    new version must start after the latest one started. ``None`` when it may."""
    latest = PriceVersion.objects.filter(model=model).order_by("-effective_from").first()
    return _overlap(latest, effective_from)


def _overlap(latest: PriceVersion | None, effective_from: datetime) -> Problem | None:
    if latest is None or effective_from > latest.effective_from:
        return None
    return Problem(
        "effective_from",
        f"must be after the current version's start "
        f"({latest.effective_from:%Y-%m-%d %H:%M} UTC); history is append-only",
    )


def mark_verified(*, version: PriceVersion, at: datetime | None = None) -> PriceVersion:
    """Record that ``version`` was checked against its source and still holds."""
    version.verified_at = at or timezone.now()
    version.save(update_fields=["verified_at"])
    return version


def same_rates(version: PriceVersion | None, rates: Rates) -> bool:
    return version is not None and version.to_rates() == rates


def accept_proposal(*, proposal: PriceProposal, user: AbstractBaseUser, note: str = "") -> PriceVersion:
    """Publish a pending proposal's rates as a new version decided by ``user`` (a price editor).

    Raises ``PriceRejected`` when the rates or dates can no longer be published (e.g. a newer
    version now exists), ``PermissionDenied`` when ``user`` may not edit prices.
    """
    with transaction.atomic():
        proposal = PriceProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != PriceProposal.Status.PENDING:
            raise PriceRejected([Problem("status", f"proposal #{proposal.pk} was already decided")])
        current = proposal.current_version
        version = publish_price_version(
            model=proposal.model,
            rates=rates_from_json(proposal.proposed),
            effective_from=proposal.effective_from,
            origin=PriceVersion.Origin.ADMIN,
            change_reason=f"Accepted proposal #{proposal.pk}: {proposal.reason}",
            source_url=proposal.source_url,
            created_by=user,
            import_run=proposal.import_run,
            locked=bool(current and current.locked),
        )
        _decide(proposal, PriceProposal.Status.ACCEPTED, user, note, version)
    return version


def reject_proposal(*, proposal: PriceProposal, user: AbstractBaseUser, note: str = "") -> None:
    """Record that ``user`` rejected a pending proposal; nothing is published or deleted."""
    if not can_edit_prices(user):
        raise PermissionDenied("Only price editors may decide proposals.")
    with transaction.atomic():
        proposal = PriceProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != PriceProposal.Status.PENDING:
            raise PriceRejected([Problem("status", f"proposal #{proposal.pk} was already decided")])
        _decide(proposal, PriceProposal.Status.REJECTED, user, note, None)


def _decide(
    proposal: PriceProposal, status: str, user: AbstractBaseUser, note: str, version: PriceVersion | None
) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, user, timezone.now()
    proposal.decision_note, proposal.published_version = note, version
    proposal.save()
