"""Contract overlays in the admin: price editors add overlays and rules; a rule, once added, is
read-only (a change is a new rule, which closes the one it replaces); nothing is deleted. Other
staff may propose a rule on the same form: it waits, pending, until a price editor accepts or
rejects it under *Overlay rule proposals*, as price proposals do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from pricing.models import Overlay, OverlayRule, OverlayRuleProposal, ReferenceRate
from pricing.services.overlays import (
    accept_overlay_proposal,
    add_overlay_rule,
    propose_overlay_rule,
    reject_overlay_proposal,
    validate_overlay_rule,
)
from pricing.services.versions import can_edit_prices

RULE_FIELDS = list(OverlayRuleProposal.TERMS)  # the terms of a rule, as a proposal carries them


class OverlayRuleForm(forms.ModelForm):
    class Meta:
        model = OverlayRule
        fields = RULE_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:  # the service's own checks, shown on the form
            terms = {name: cleaned.get(name) for name in RULE_FIELDS}
            validate_overlay_rule(OverlayRule(**{k: v for k, v in terms.items() if v is not None}))
        return cleaned


class PriceEditorsOnly:
    """Staff see overlays; only price editors add them (the permission that publishes prices)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit_prices(request.user)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OverlayRuleInline(admin.TabularInline):
    """An overlay's history: every rule, newest first, read-only."""

    model = OverlayRule
    fields = [
        "scope",
        "kind",
        "adjustment",
        "fixed_usd",
        "service_tier",
        "line_kind",
        "effective_from",
        "effective_until",
        "note",
        "created_by",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Overlay)
class OverlayAdmin(PriceEditorsOnly, admin.ModelAdmin):
    list_display = ["name", "is_default", "description"]
    inlines = [OverlayRuleInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit_prices(request.user)  # type: ignore[arg-type]


@admin.register(OverlayRule)
class OverlayRuleAdmin(PriceEditorsOnly, admin.ModelAdmin):
    list_display = [
        "overlay",
        "scope",
        "provider",
        "model",
        "kind",
        "adjustment",
        "fixed_usd",
        "effective_from",
        "effective_until",
        "created_by",
    ]
    list_filter = ["overlay", "kind", "provider"]
    autocomplete_fields = ["model"]
    form = OverlayRuleForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*RULE_FIELDS, "created_by", "created_at"] if obj is not None else []

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Price editors add rules; other staff propose them (pending review)."""
        return bool(request.user.is_active and request.user.is_staff)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and self.has_add_permission(request)

    def save_model(self, request: HttpRequest, obj: OverlayRule, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in RULE_FIELDS}
        if can_edit_prices(request.user):  # type: ignore[arg-type]
            obj.pk = add_overlay_rule(**data, created_by=request.user).pk  # type: ignore[arg-type]
        else:
            request.overlay_proposal = propose_overlay_rule(**data, proposed_by=request.user)  # type: ignore[attr-defined, arg-type]

    def response_add(
        self, request: HttpRequest, obj: OverlayRule, post_url_continue: Any = None
    ) -> HttpResponse:
        proposal = getattr(request, "overlay_proposal", None)
        if proposal is None:
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, f"Proposed as #{proposal.pk}: it applies once a price editor accepts it.")
        return HttpResponseRedirect(reverse("admin:pricing_overlayruleproposal_change", args=[proposal.pk]))


@admin.register(OverlayRuleProposal)
class OverlayRuleProposalAdmin(PriceEditorsOnly, admin.ModelAdmin):
    """The review queue: pending proposals first; price editors accept or reject them."""

    list_display = ["created_at", "overlay", "status", "provider", "model", "kind", "adjustment", "fixed_usd"]
    list_display += ["effective_from", "proposed_by", "decided_by"]
    list_filter = ["status", "overlay"]
    readonly_fields = [*OverlayRuleProposal.TERMS, "proposed_by", "created_at", "status"]
    readonly_fields += ["decided_at", "decided_by", "published_rule", "decision_note"]
    actions = ["accept", "reject"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # proposed on the overlay rule form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_edit_prices_permission(self, request: HttpRequest) -> bool:
        return can_edit_prices(request.user)  # type: ignore[arg-type]

    @admin.action(description="Accept: add the proposed rule", permissions=["edit_prices"])
    def accept(self, request: HttpRequest, queryset: QuerySet[OverlayRuleProposal]) -> None:
        self._decide(request, queryset, accept=True)

    @admin.action(description="Reject the proposed rule", permissions=["edit_prices"])
    def reject(self, request: HttpRequest, queryset: QuerySet[OverlayRuleProposal]) -> None:
        self._decide(request, queryset, accept=False)

    def _decide(self, request: HttpRequest, queryset: QuerySet[OverlayRuleProposal], *, accept: bool) -> None:
        done = 0
        for proposal in queryset.order_by("effective_from"):
            try:
                if accept:
                    accept_overlay_proposal(proposal=proposal, user=request.user)  # type: ignore[arg-type]
                else:
                    reject_overlay_proposal(proposal=proposal, user=request.user)  # type: ignore[arg-type]
                done += 1
            except ValidationError as error:
                messages.error(request, f"Proposal #{proposal.pk}: {'; '.join(error.messages)}")
            except PermissionDenied as error:
                messages.error(request, f"Proposal #{proposal.pk}: {error}")
        if done:
            messages.success(
                request, f"{done} proposal(s) {'accepted: rules added' if accept else 'rejected'}."
            )


@admin.register(ReferenceRate)
class ReferenceRateAdmin(admin.ModelAdmin):
    """The ECB rates fetched since the bundled history: to read, never to edit."""

    list_display = ["day", "currency", "per_eur", "fetched_at"]
    list_filter = ["currency"]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
