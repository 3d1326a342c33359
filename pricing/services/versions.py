"""Every write to the price catalogue goes through these functions.

They validate (``pricing.bill.validation``), keep history append-only, and refuse overlapping
periods (on PostgreSQL an exclusion constraint enforces the same rule in the database); the
admin form asks ``overlap_problem`` here rather than restating the rule. Proposals a refresh
queued for review are decided here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pricing.bill.notation import carry_sheet, sheet_from_notation
from pricing.bill.rates import Rates, rate_values
from pricing.bill.serial import sheet_from_json
from pricing.bill.sheet import PriceSheet
from pricing.bill.validation import Problem, price_problems
from pricing.models import ImportRun, LanguageModel, PriceProposal, PriceSnapshot, PriceTier, PriceVersion
from pricing.models.sheets import SHEET_ROWS, price_sheet, store_sheet, store_sheets
from pricing.sources.diff import keep_batch, rates_from_json

EDIT_PERMISSION = "pricing.edit_prices"


class SnapshotIdentity(Protocol):
    """What names a published snapshot (a release's map, a history fixture's snapshot)."""

    @property
    def project(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def filename(self) -> str: ...
    @property
    def upload_time(self) -> datetime: ...
    @property
    def wheel_sha256(self) -> str: ...
    @property
    def member(self) -> str: ...
    @property
    def content_sha256(self) -> str: ...


def recorded_snapshot(facts: SnapshotIdentity) -> PriceSnapshot:
    """The snapshot as recorded evidence: the row for its project and version, made once."""
    snapshot, _ = PriceSnapshot.objects.get_or_create(
        project=facts.project,
        version=facts.version,
        defaults={
            "filename": facts.filename,
            "upload_time": facts.upload_time,
            "wheel_sha256": facts.wheel_sha256,
            "member": facts.member,
            "content_sha256": facts.content_sha256,
        },
    )
    return snapshot


@dataclass(frozen=True)
class Evidence:
    """How a version's start is known: exact (the default), or by evidence within a window."""

    basis: str = PriceVersion.StartBasis.EXACT
    earliest: datetime | None = None
    snapshot: PriceSnapshot | None = None

    @classmethod
    def of(cls, *, dated_by_evidence: bool, earliest: datetime | None, snapshot: PriceSnapshot | None = None):
        """The evidence of a change the diff planned (``pricing.sources.diff.Change``)."""
        if not dated_by_evidence:
            return cls(snapshot=snapshot)
        basis = PriceVersion.StartBasis.WINDOW if earliest else PriceVersion.StartBasis.FIRST_SEEN
        return cls(basis, earliest, snapshot)


class PriceRejected(Exception):
    """The price cannot be published; ``problems`` say which field is wrong and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class Carry:
    """``publish_price_version``'s default: keep the latest version's extras."""


CARRY = Carry()


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
    evidence: Evidence | None = None,
    sheet: PriceSheet | None | Carry = CARRY,
) -> PriceVersion:
    """Publish ``rates`` for ``model`` from ``effective_from`` on, closing the version before.

    A new version must start after the latest one started; the latest is closed at the new
    start. ``evidence`` says how a start that no announcement gives is known (a window, a
    snapshot). Raises ``PriceRejected`` naming each wrong field, ``PermissionDenied`` for an
    admin change by someone without the price-editor permission. ``sheet`` is the version in
    full (variants, per-unit prices, threshold rules, bands), checked by the same rules and
    stored with it; ``None``: the flat rates say it all; by default (``CARRY``) what the latest
    version has beyond its flat rates is kept, laid over the new rates (a lock, a price table
    or a source silent about service tiers removes none).
    """
    if origin == PriceVersion.Origin.ADMIN and not can_edit_prices(created_by):
        raise PermissionDenied("Only price editors may publish prices.")
    evidence = evidence or Evidence()
    if isinstance(sheet, Carry):
        sheet = carried_sheet(model, rates)
    _refuse_unpublishable(rates, sheet, change_reason, effective_from, evidence)
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
            effective_from_earliest=evidence.earliest,
            start_basis=evidence.basis,
            snapshot=evidence.snapshot,
        )
        for tier in rates.tiers:
            PriceTier.objects.create(
                version=version, threshold_tokens=tier.threshold_tokens, **rate_values(tier)
            )
        if sheet is not None:
            store_sheet(version, sheet)
    return version


def _refuse_unpublishable(
    rates: Rates,
    sheet: PriceSheet | None,
    change_reason: str,
    effective_from: datetime,
    evidence: Evidence,
) -> None:
    """Raise ``PriceRejected`` naming every wrong field of a version about to be published."""
    problems = price_problems(rates, sheet) + _publication_problems(change_reason, effective_from)
    if evidence.earliest is not None and not evidence.earliest < effective_from:
        problems.append(Problem("effective_from_earliest", "must be before effective_from"))
    if problems:
        raise PriceRejected(problems)


def carried_sheet(model: LanguageModel, rates: Rates) -> PriceSheet | None:
    """The latest standing version's service tiers, per-unit prices and bands over ``rates``
    (None: none)."""
    latest = PriceVersion.objects.latest_of(model)
    if latest is None or not latest.variant_rates.exists():
        return None
    return carry_sheet(price_sheet(latest), latest.to_rates(), rates)


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
    latest = PriceVersion.objects.latest_of(model)
    overlap = _overlap(latest, effective_from)
    if overlap is not None:
        raise PriceRejected([overlap])
    if latest is not None and (latest.effective_to is None or latest.effective_to > effective_from):
        latest.effective_to = effective_from
        latest.save(update_fields=["effective_to"])


def overlap_problem(model: LanguageModel, effective_from: datetime) -> Problem | None:
    """Why a version of ``model`` cannot start at ``effective_from``: history is append-only, so a
    new version must start after the latest one started. ``None`` when it may."""
    latest = PriceVersion.objects.latest_of(model)
    return _overlap(latest, effective_from)


def _overlap(latest: PriceVersion | None, effective_from: datetime) -> Problem | None:
    if latest is None or effective_from > latest.effective_from:
        return None
    return Problem(
        "effective_from",
        f"must be after the current version's start "
        f"({latest.effective_from:%Y-%m-%d %H:%M} UTC); history is append-only",
    )


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
            sheet=proposed_sheet(proposal.proposed),
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


def proposed_sheet(proposed: dict) -> PriceSheet | None | Carry:
    """A proposal's sheet: its notation next to its rates (``None``: the rates say it all), the
    full JSON of a proposal stored before the notation was the one encoding, or ``CARRY``."""
    if "extras" in proposed:
        return sheet_from_notation(rates_from_json(proposed), proposed["extras"])
    if "sheet" in proposed:
        return sheet_from_json(proposed["sheet"])
    return CARRY


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


@dataclass(frozen=True)
class HistoryEntry:
    """One version of a model's replayed history, ready to publish."""

    rates: Rates
    effective_from: datetime
    change_reason: str
    evidence: Evidence
    import_run: ImportRun | None = None
    sheet: PriceSheet | None | Carry = CARRY  # as ``publish_price_version``'s ``sheet``


def publish_price_history(*, histories: dict[LanguageModel, list[HistoryEntry]]) -> int:
    """Publish each model's history (oldest first) after its latest version; returns the count.

    The same rules as ``publish_price_version`` (valid rates and sheets, a reason, starts after
    the latest and ascending, nothing rewritten but the latest's ``effective_to``; an entry
    without a sheet of its own carries the one before it over its rates), written in bulk because
    the history fixture holds thousands of versions. Raises ``PriceRejected``; then nothing is
    written.
    """
    entries = [entry for history in histories.values() for entry in history]
    problems: list[Problem] = []
    missing_reason = [e for e in entries if not e.change_reason.strip()]
    problems += [Problem("change_reason", "a reason is required") for _ in missing_reason]
    with transaction.atomic():
        ids = [model.pk for model in histories]
        list(LanguageModel.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        latest = PriceVersion.objects.filter(model_id__in=ids).prefetch_related(*SHEET_ROWS).latest_by_model()
        sheets: list[PriceSheet | None] = []
        for model, history in histories.items():
            own = _history_sheets(history, latest.get(model.pk))
            problems += [
                Problem(p.field, f"{model.key}: {p.message}") if p.field == "sheet" else p
                for entry, sheet in zip(history, own, strict=True)
                for p in price_problems(entry.rates, sheet)
            ]
            sheets += own
        if problems:
            raise PriceRejected(problems)
        versions: list[PriceVersion] = []
        for model, history in histories.items():
            versions += _history_versions(model, history, latest.get(model.pk))
        created = PriceVersion.objects.bulk_create(versions, batch_size=500)
        tiers = [
            PriceTier(version=v, threshold_tokens=t.threshold_tokens, **rate_values(t))
            for v, e in zip(created, entries, strict=True)
            for t in e.rates.tiers
        ]
        PriceTier.objects.bulk_create(tiers, batch_size=500)
        store_sheets([(v, sheet) for v, sheet in zip(created, sheets, strict=True) if sheet is not None])
    return len(created)


def _history_sheets(history: list[HistoryEntry], latest: PriceVersion | None) -> list[PriceSheet | None]:
    """Each entry's sheet in full: its own, or the one in force before it carried over its rates
    (``carry_sheet``, as ``publish_price_version``'s default does). An own sheet silent about
    batch keeps the batch variant in force, as the refresh's does (``keep_batch``)."""
    # The catalogue's latest in full (from its flat rates where it has no rows), as the refresh reads it.
    in_force = price_sheet(latest) if latest is not None else None
    previous = latest.to_rates() if latest is not None else None
    sheets: list[PriceSheet | None] = []
    for entry in history:
        if isinstance(entry.sheet, Carry):
            in_force = carry_sheet(in_force, previous or entry.rates, entry.rates)
        elif entry.sheet is not None and in_force is not None:
            in_force = keep_batch(entry.sheet, in_force)
        else:
            in_force = entry.sheet
        sheets.append(in_force)
        previous = entry.rates
    return sheets


def _history_versions(
    model: LanguageModel, history: list[HistoryEntry], latest: PriceVersion | None
) -> list[PriceVersion]:
    if not history:
        return []
    previous_start = latest.effective_from if latest else None
    for entry in history:
        if previous_start is not None and entry.effective_from <= previous_start:
            raise PriceRejected(
                [
                    Problem(
                        "effective_from",
                        f"{model.key}: history must start after the latest version and ascend",
                    )
                ]
            )
        previous_start = entry.effective_from
    if latest is not None and (
        latest.effective_to is None or latest.effective_to > history[0].effective_from
    ):
        latest.effective_to = history[0].effective_from
        latest.save(update_fields=["effective_to"])
    ends = [entry.effective_from for entry in history[1:]] + [None]
    return [
        PriceVersion(
            model=model,
            **rate_values(entry.rates),
            effective_from=entry.effective_from,
            effective_to=end,
            effective_from_earliest=entry.evidence.earliest,
            start_basis=entry.evidence.basis,
            snapshot=entry.evidence.snapshot,
            origin=PriceVersion.Origin.IMPORT,
            import_run=entry.import_run,
            change_reason=entry.change_reason.strip(),
        )
        for entry, end in zip(history, ends, strict=True)
    ]
