"""Reading contract overlays: one by name (or the default), as the pure bill core's terms."""

from __future__ import annotations

from pricing.bill.overlays import OverlayTerm
from pricing.bill.usage import BillError
from pricing.models import Overlay, OverlayRule


def find_overlay(name: str | None) -> Overlay | None:
    """The overlay called ``name``; with no name, the installation's default (or None).
    ``BillError`` on the field ``overlay`` for an unknown name."""
    if not name:
        return Overlay.objects.filter(is_default=True).first()
    overlay = Overlay.objects.filter(name=name).first()
    if overlay is None:
        known = ", ".join(Overlay.objects.values_list("name", flat=True)) or "none defined"
        raise BillError("overlay", f"unknown overlay {name!r} (known: {known})")
    return overlay


def overlay_terms(overlay: Overlay) -> list[OverlayTerm]:
    """Every rule of ``overlay``, past and future (the core picks the one in force)."""
    rules = OverlayRule.objects.filter(overlay=overlay).select_related("provider", "model")
    return [term_of(rule, overlay.name) for rule in rules]


def term_of(rule: OverlayRule, overlay_name: str) -> OverlayTerm:
    return OverlayTerm(
        rule_id=rule.pk,
        overlay=overlay_name,
        scope=rule.scope,
        provider=rule.provider.slug if rule.provider else "",
        model=rule.model.slug if rule.model else "",
        service_tier=rule.service_tier,
        line_kind=rule.line_kind,
        kind=rule.kind,
        adjustment=rule.adjustment,
        fixed_usd=rule.fixed_usd,
        effective_from=rule.effective_from,
        effective_until=rule.effective_until,
        note=rule.note,
        evidence_url=rule.evidence_url,
    )
