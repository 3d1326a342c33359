"""Money beyond list prices: the ECB reference rates fetched after the bundled history, and
contract overlays (negotiated discounts, markups and fixed rates) over list prices.

Both are append-only. A ``ReferenceRate`` row, once stored, is never rewritten (a bill converted
at it converts the same forever). An ``OverlayRule`` is never edited in place or deleted: a change
is a new rule, and adding it closes the rule it replaces (``effective_until``); only that field
may be written afterwards. Every write goes through ``pricing.services.overlays`` and
``pricing.services.reference_rates``; a price refresh never touches either table.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from pricing.models.catalogue import MONEY, LanguageModel, Provider

RATE = {"max_digits": 20, "decimal_places": 6}


class ReferenceRate(models.Model):
    """One ECB euro reference rate: units of ``currency`` per 1 EUR on ``day``."""

    day = models.DateField()
    currency = models.CharField(max_length=3)
    per_eur = models.DecimalField("units per euro", **RATE)
    source_url = models.URLField(max_length=500)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["day", "currency"], name="reference_rate_one_per_day"),
            models.CheckConstraint(condition=Q(per_eur__gt=0), name="reference_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.per_eur} {self.currency} on {self.day}"


class Overlay(models.Model):
    """A named set of contract terms (one per contract or team); at most one is the default."""

    name = models.SlugField(unique=True, help_text="How the API and the page name it, e.g. acme-2026.")
    description = models.TextField(blank=True)
    is_default = models.BooleanField(
        default=False, help_text="Applied when a request names no overlay (at most one)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="overlay_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OverlayRuleQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        forbidden = set(kwargs) - OverlayRule.MUTABLE_FIELDS
        if forbidden:
            raise PermissionDenied(
                f"Overlay rules are append-only; cannot update {', '.join(sorted(forbidden))}."
            )
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Overlay rules are never deleted.")


class OverlayRule(models.Model):
    """One term of an overlay over list prices, for a scope and a period [from, until)."""

    class Kind(models.TextChoices):
        PERCENT = "percent", "percentage"
        BASIS_POINTS = "basis_points", "basis points"
        FIXED = "fixed", "fixed rate"

    overlay = models.ForeignKey(Overlay, on_delete=models.PROTECT, related_name="rules")
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, help_text="Empty: every provider."
    )
    model = models.ForeignKey(
        LanguageModel, null=True, blank=True, on_delete=models.PROTECT, help_text="Empty: every model."
    )
    service_tier = models.CharField(max_length=40, blank=True, help_text="Empty: every service tier.")
    line_kind = models.CharField(
        max_length=40, blank=True, help_text="A bill line (input, output, cache_read...); empty: every line."
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    adjustment = models.DecimalField(
        null=True,
        blank=True,
        help_text="Signed: -20 percent (or -2000 basis points) is a 20% discount, 5 a 5% markup.",
        **MONEY,
    )
    fixed_usd = models.DecimalField(
        "fixed rate (USD)",
        null=True,
        blank=True,
        help_text="USD per the line's own unit block (per million tokens for tokens).",
        **MONEY,
    )
    effective_from = models.DateTimeField()
    effective_until = models.DateTimeField(null=True, blank=True)
    note = models.TextField(help_text="Why: the contract clause, the agreement.")
    evidence_url = models.URLField(max_length=500, blank=True, help_text="Where the term is written.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    MUTABLE_FIELDS = frozenset({"effective_until"})

    objects = OverlayRuleQuerySet.as_manager()

    class Meta:
        ordering = ["overlay", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gt=models.F("effective_from")),
                name="overlay_rule_period_not_empty",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="fixed") & Q(fixed_usd__gte=0) & Q(adjustment__isnull=True) & ~Q(line_kind="")
                )
                | (~Q(kind="fixed") & Q(adjustment__isnull=False) & Q(fixed_usd__isnull=True)),
                name="overlay_rule_terms_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.overlay}: {self.terms_text()} from {self.effective_from:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            update_fields = kwargs.get("update_fields")
            if not update_fields or set(update_fields) - self.MUTABLE_FIELDS:  # type: ignore[arg-type]
                raise PermissionDenied("Overlay rules are append-only; add a new rule.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Overlay rules are never deleted.")

    @property
    def scope(self) -> str:
        return "model" if self.model_id else "provider" if self.provider_id else "all"

    def terms_text(self) -> str:
        if self.kind == self.Kind.FIXED:
            return f"fixed ${self.fixed_usd} for {self.line_kind}"
        unit = "%" if self.kind == self.Kind.PERCENT else " bp"
        return f"{self.adjustment:+}{unit} on {self.scope}"


class OverlayRuleProposal(models.Model):
    """A rule proposed by someone who may not edit prices: pending until a price editor accepts it
    (which adds the rule, as a price editor would) or rejects it (recording why), as a price
    proposal is. Nothing is deleted."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    overlay = models.ForeignKey(Overlay, on_delete=models.PROTECT, related_name="proposals")
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    model = models.ForeignKey(
        LanguageModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_tier = models.CharField(max_length=40, blank=True)
    line_kind = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=12, choices=OverlayRule.Kind.choices)
    adjustment = models.DecimalField(null=True, blank=True, **MONEY)
    fixed_usd = models.DecimalField("fixed rate (USD)", null=True, blank=True, **MONEY)
    effective_from = models.DateTimeField()
    effective_until = models.DateTimeField(null=True, blank=True)
    note = models.TextField()
    evidence_url = models.URLField(max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_rule = models.ForeignKey(
        OverlayRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    TERMS = (
        "overlay",
        "provider",
        "model",
        "service_tier",
        "line_kind",
        "kind",
        "adjustment",
        "fixed_usd",
        "effective_from",
        "effective_until",
        "note",
        "evidence_url",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Overlay rule proposal #{self.pk} for {self.overlay} ({self.status})"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Proposals are never deleted; reject it instead.")
