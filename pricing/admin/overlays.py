"""Contract overlays in the admin: price editors add overlays and rules; a rule, once added, is
read-only (a change is a new rule, which closes the one it replaces); nothing is deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from pricing.models import Overlay, OverlayRule, ReferenceRate
from pricing.services.overlays import add_overlay_rule, validate_overlay_rule
from pricing.services.versions import can_edit_prices

RULE_FIELDS = [
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
]


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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and can_edit_prices(request.user)  # type: ignore[arg-type]

    def save_model(self, request: HttpRequest, obj: OverlayRule, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in RULE_FIELDS}
        saved = add_overlay_rule(**data, created_by=request.user)  # type: ignore[arg-type]
        obj.pk = saved.pk


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
