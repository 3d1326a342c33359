"""The one writer of contract overlays. A rule is added, never edited: adding one closes the open
rule of the same overlay, scope, service tier and line kind at the new rule's start. Someone who
may not edit prices proposes a rule instead; a price editor accepts (adds it) or rejects it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pricing.models import LanguageModel, Overlay, OverlayRule, OverlayRuleProposal, Provider
from pricing.services.versions import can_edit_prices


@transaction.atomic
def add_overlay_rule(  # noqa: PLR0913 - one argument per term of the contract
    *,
    overlay: Overlay,
    kind: str,
    effective_from: datetime,
    note: str,
    adjustment: Decimal | None = None,
    fixed_usd: Decimal | None = None,
    provider: Provider | None = None,
    model: LanguageModel | None = None,
    service_tier: str = "",
    line_kind: str = "",
    effective_until: datetime | None = None,
    evidence_url: str = "",
    created_by: AbstractBaseUser | None = None,
) -> OverlayRule:
    """Add a rule (``ValidationError`` naming the field when its terms do not hold)."""
    if model is not None:
        provider = model.provider
    rule = OverlayRule(
        overlay=overlay,
        kind=kind,
        effective_from=effective_from,
        effective_until=effective_until,
        note=note,
        adjustment=adjustment,
        fixed_usd=fixed_usd,
        provider=provider,
        model=model,
        service_tier=service_tier,
        line_kind=line_kind,
        evidence_url=evidence_url,
        created_by=created_by,
    )
    validate_overlay_rule(rule)
    _close_replaced(rule)
    rule.save()
    return rule


def validate_overlay_rule(rule: OverlayRule) -> None:
    """The admin form and the service check the same things."""
    if not rule.note.strip():
        raise ValidationError({"note": "Say why: the contract clause or agreement."})
    if rule.kind == OverlayRule.Kind.FIXED:
        if rule.fixed_usd is None or rule.fixed_usd < 0 or rule.adjustment is not None:
            raise ValidationError({"fixed_usd": "A fixed rate needs a rate of 0 or more, and no adjustment."})
        if not rule.line_kind:
            raise ValidationError({"line_kind": "A fixed rate names the line it prices (input, output...)."})
    elif rule.adjustment is None or rule.fixed_usd is not None:
        raise ValidationError(
            {"adjustment": "A percentage or basis points needs an adjustment, no fixed rate."}
        )
    elif rule.adjustment <= -(100 if rule.kind == OverlayRule.Kind.PERCENT else 10_000):
        raise ValidationError({"adjustment": "A discount of 100% or more is not a price."})
    if rule.effective_until is not None and rule.effective_until <= rule.effective_from:
        raise ValidationError({"effective_until": "The period ends after it starts."})


def _close_replaced(rule: OverlayRule) -> None:
    replaced = OverlayRule.objects.filter(
        overlay=rule.overlay,
        provider=rule.provider,
        model=rule.model,
        service_tier=rule.service_tier,
        line_kind=rule.line_kind,
        effective_from__lt=rule.effective_from,
        effective_until__isnull=True,
    )
    replaced.update(effective_until=rule.effective_from)


def propose_overlay_rule(*, proposed_by: AbstractBaseUser | None, **terms: Any) -> OverlayRuleProposal:
    """A pending proposal of a rule with ``terms`` (``add_overlay_rule``'s arguments), checked as
    the rule itself would be; it applies to nothing until a price editor accepts it."""
    if terms.get("model") is not None:
        terms["provider"] = terms["model"].provider
    validate_overlay_rule(OverlayRule(**{name: value for name, value in terms.items() if value is not None}))
    proposal = OverlayRuleProposal(**terms, proposed_by=proposed_by)
    proposal.save()
    return proposal


def accept_overlay_proposal(
    *, proposal: OverlayRuleProposal, user: AbstractBaseUser, note: str = ""
) -> OverlayRule:
    """Add the proposed rule, decided by ``user`` (a price editor; ``PermissionDenied`` if not,
    ``ValidationError`` if the proposal was already decided)."""
    with transaction.atomic():
        proposal = _pending(proposal, user)
        terms = {name: getattr(proposal, name) for name in OverlayRuleProposal.TERMS}
        terms = {name: value for name, value in terms.items() if value is not None}
        rule = add_overlay_rule(**terms, created_by=user)
        _decide(proposal, OverlayRuleProposal.Status.ACCEPTED, user, note, rule)
    return rule


def reject_overlay_proposal(*, proposal: OverlayRuleProposal, user: AbstractBaseUser, note: str = "") -> None:
    """Record that ``user`` rejected the proposal; no rule is added, nothing is deleted."""
    with transaction.atomic():
        _decide(_pending(proposal, user), OverlayRuleProposal.Status.REJECTED, user, note, None)


def _pending(proposal: OverlayRuleProposal, user: AbstractBaseUser) -> OverlayRuleProposal:
    if not can_edit_prices(user):
        raise PermissionDenied("Only price editors may decide overlay proposals.")
    proposal = OverlayRuleProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != OverlayRuleProposal.Status.PENDING:
        raise ValidationError({"status": f"proposal #{proposal.pk} was already decided"})
    return proposal


def _decide(
    proposal: OverlayRuleProposal, status: str, user: AbstractBaseUser, note: str, rule: OverlayRule | None
) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, user, timezone.now()
    proposal.decision_note, proposal.published_rule = note, rule
    proposal.save()
