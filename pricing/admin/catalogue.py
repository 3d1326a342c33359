"""Django admin for the catalogue. Published prices are read-only; a change is a new version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from pricing.admin.actions import ModelActions
from pricing.admin.display import (
    DataQualityFilter,
    RateColumns,
    SafeAutocomplete,
    VersionHistory,
    made_by,
    with_units,
)
from pricing.admin.price_table import PriceTableViews
from pricing.bill.money import plain_rate
from pricing.bill.notation import notation_of
from pricing.bill.rates import RATE_FIELDS, TIER_RATE_FIELDS
from pricing.forms import TIER_FIELDS, TIER_SLOTS, NewPriceVersionForm, tier_field_names
from pricing.models import LanguageModel, PriceTier, PriceVersion, Provider
from pricing.models.sheets import VariantBand, VariantRate, VariantThreshold, price_sheet
from pricing.services.lifecycle_facts import MOMENTS as LIFECYCLE_SOURCES
from pricing.services.versions import PriceRejected, can_edit_prices, publish_price_version
from pricing.tokenizing.choices import tokenizer_choices

HISTORY_RATES = ["input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "free_tier_note", "sdk_languages"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PriceHistoryInline(RateColumns, admin.TabularInline):
    """A model's whole price history, newest first, each version with what it changed against
    the one before and who or what made it. Read-only: history is never edited."""

    model = PriceVersion
    fields = [
        "effective_from",
        "effective_to",
        *(f"shown_{name}" for name in HISTORY_RATES),
        "tier_summary",
        "changes",
        "made_by",
        "change_reason",
        "locked",
    ]
    readonly_fields = fields
    ordering = ["-effective_from"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Price history"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.history = VersionHistory()  # one per page: inline instances are made per request

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .select_related("created_by", "import_run")
            .prefetch_related("tiers", "price_tables")
        )

    @admin.display(description="long-context tiers")
    def tier_summary(self, version: PriceVersion) -> str:
        return tier_summary(version)

    @admin.display(description="what changed")
    def changes(self, version: PriceVersion) -> str:
        return self.history.changes(version)

    @admin.display(description="made by")
    def made_by(self, version: PriceVersion) -> str:
        return made_by(version)


# The model's editable fields, once: the form's and the admin page's first fieldset.
MODEL_FIELDS = [
    "provider", "slug", "name", "tier", "status", "featured", "context_window", "max_output_tokens",
    "tokenizer_key", "tokenizer_chosen", "alias_of", "notes",
]  # fmt: skip


# What only price editors change, and each change says why (as the actions do).
LIFECYCLE_FIELDS = ("status", *LIFECYCLE_SOURCES)


class LanguageModelForm(forms.ModelForm):
    lifecycle_reason = forms.CharField(
        label="reason for a status or lifecycle change",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Required when the status or a lifecycle moment changes; shown in the history.",
    )

    class Meta:
        model = LanguageModel
        fields = [*MODEL_FIELDS, *(f for pair in LIFECYCLE_SOURCES.items() for f in pair)]

    def clean(self) -> dict[str, Any]:
        """A lifecycle moment needs its source (a date is a fact with a source or unknown)."""
        data = super().clean()
        for moment, source in LIFECYCLE_SOURCES.items():
            if data.get(moment) and not data.get(source):
                self.add_error(source, "Give the provider's page that states this moment.")
        retired_at = data.get("retired_at")
        if retired_at and retired_at <= timezone.now() and data.get("featured"):
            self.add_error("featured", "A retired model is never featured.")
        changed = [name for name in LIFECYCLE_FIELDS if name in self.changed_data]
        if self.instance.pk and changed and not (data.get("lifecycle_reason") or "").strip():
            self.add_error("lifecycle_reason", f"Say why the {' and '.join(changed)} changed.")
        return data


@admin.register(LanguageModel)
class LanguageModelAdmin(SafeAutocomplete, ModelActions, PriceTableViews, admin.ModelAdmin):
    list_display = [
        "name",
        "provider",
        "slug",
        "tier",
        "status",
        "context_window",
        "tokenizer_key",
        "featured",
        "retired_at",
    ]
    list_filter = [DataQualityFilter, "provider", "tier", "status", "featured", "tokenizer_key"]
    form = LanguageModelForm
    # Admins find a model by any part of its provider, its slug or its name.
    search_fields = ["name", "slug", "provider__slug", "provider__name"]
    autocomplete_fields = ["provider"]
    list_select_related = ["provider"]
    readonly_fields = ["new_price_link", "missing_since", "context_window_source"]
    raw_id_fields = ["alias_of"]  # a select of every model would be thousands of options
    fieldsets = [
        (
            None,
            {"fields": [*MODEL_FIELDS, "context_window_source", "missing_since", "new_price_link"]},
        ),
        (
            "Lifecycle (UTC; each moment with the provider's page that gives it)",
            {
                "fields": [
                    *((name, LIFECYCLE_SOURCES[name]) for name in LIFECYCLE_SOURCES),
                    "lifecycle_reason",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The lifecycle is a price fact: no price is in force after retirement.
        if can_edit_prices(request.user):  # type: ignore[arg-type]
            return self.readonly_fields
        return [*self.readonly_fields, "status", *(f for pair in LIFECYCLE_SOURCES.items() for f in pair)]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and can_edit_prices(request.user):  # type: ignore[arg-type]
            return self.fieldsets
        return [
            (title, {"fields": [f for f in options["fields"] if f != "lifecycle_reason"]})
            for title, options in self.fieldsets
        ]

    inlines = [PriceHistoryInline]

    def get_urls(self) -> list:
        return [*self.price_table_urls(), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        context = {**(extra_context or {}), "can_edit_prices": can_edit_prices(request.user)}  # type: ignore[arg-type]
        return super().changelist_view(request, context)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "tokenizer_key" and tokenizer_choices():
            return forms.TypedChoiceField(
                label="tokenizer",
                choices=[("", "---------"), *tokenizer_choices()],
                help_text=db_field.help_text,
                required=True,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: LanguageModel, form: Any, change: bool) -> None:
        if "tokenizer_key" in form.changed_data:
            obj.tokenizer_chosen = True  # an admin's choice: the automatic family rule keeps off
        if "context_window" in form.changed_data:
            obj.context_window_source = ""  # an admin's window: no import's any more
        changed = [name for name in LIFECYCLE_FIELDS if name in form.changed_data]
        if change and changed and not can_edit_prices(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Only price editors may retire a model or change its status.")
        super().save_model(request, obj, form, change)
        if change and changed:
            reason = form.cleaned_data["lifecycle_reason"].strip()
            self.log_change(request, obj, f"Status {obj.status}, {', '.join(changed)} changed: {reason}")

    @admin.display(description="Prices")
    def new_price_link(self, model: LanguageModel) -> str:
        if model.pk is None:
            return "Save the model first, then add its first price version."
        url = reverse("admin:pricing_priceversion_add") + f"?model={model.pk}"
        return format_html('<a class="button" href="{}">Add a new price version</a>', url)


class _ReadOnlyInline(admin.TabularInline):
    """Rows of an append-only version: shown, never added or changed here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PriceTierInline(RateColumns, _ReadOnlyInline):
    model = PriceTier
    fields = ["threshold_tokens", *(f"shown_{name}" for name in TIER_RATE_FIELDS)]
    readonly_fields = fields


class VariantRateInline(_ReadOnlyInline):
    model = VariantRate
    fields = readonly_fields = ["variant", "kind", "threshold_tokens", "usd", "per_units"]
    verbose_name_plural = "Variant prices (USD per per_units units; threshold 0: the variant's own price)"


class VariantThresholdInline(_ReadOnlyInline):
    model = VariantThreshold
    fields = readonly_fields = ["variant", "threshold_tokens", "counted_kinds", "inclusive"]


class VariantBandInline(_ReadOnlyInline):
    model = VariantBand
    fields = readonly_fields = ["tier", "variant", "weekdays", "start", "end", "time_zone"]


SHEET_INLINES = [VariantRateInline, VariantThresholdInline, VariantBandInline]


@admin.register(PriceVersion)
class PriceVersionAdmin(SafeAutocomplete, RateColumns, admin.ModelAdmin):
    """Viewing any version; adding a new one (price editors only). Never changing or deleting."""

    list_display = [
        "model",
        "effective_from",
        "effective_to",
        *(f"shown_{name}" for name in HISTORY_RATES),
        "origin",
        "created_by",
        "locked",
    ]
    autocomplete_fields = ["model"]
    list_filter = ["origin", "locked", "model__provider"]
    search_fields = ["model__name", "model__slug", "change_reason"]
    list_select_related = ["model__provider", "created_by"]
    date_hierarchy = "effective_from"
    form = NewPriceVersionForm
    inlines = [PriceTierInline]
    actions = None

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:  # a published version, read-only, its rates as plain decimals
            rates = [f"shown_{name}" for name in RATE_FIELDS]
            return [
                (None, {"fields": ["model", "effective_from", "effective_to", "changes", "made_by"]}),
                ("Rates", {"fields": rates}),
                (None, {"fields": [n for n in self.get_readonly_fields(request, obj) if n not in _SHOWN]}),
            ]
        tiers = [name for slot in range(1, TIER_SLOTS + 1) for name in tier_field_names(slot)]
        return [
            (None, {"fields": ["model", "effective_from", "change_reason", "source_url", "locked"]}),
            ("Rates (USD per million tokens)", {"fields": list(RATE_FIELDS)}),
            (
                "Long-context tiers: above the threshold, these rates apply to the whole request",
                {"fields": tiers, "classes": ["collapse"]},
            ),
            ("Service tiers, per-unit prices and time bands", {"fields": ["price_extras"]}),
        ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None:  # viewing a published version: every field is read-only
            kwargs["form"] = forms.ModelForm
        else:
            kwargs["form"] = PriceVersionFormWithUnits
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        shown = [f"shown_{name}" for name in RATE_FIELDS]
        return [
            *shown,
            "changes",
            "made_by",
            *(f.name for f in PriceVersion._meta.fields if f.name not in RATE_FIELDS),
        ]

    @admin.display(description="what changed")
    def changes(self, version: PriceVersion) -> str:
        return VersionHistory().changes(version)

    @admin.display(description="made by")
    def made_by(self, version: PriceVersion) -> str:
        return made_by(version)

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return [PriceTierInline, *SHEET_INLINES] if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        current = PriceVersion.objects.effective().filter(model_id=initial.get("model")).first()
        if current is not None:
            initial.update({name: getattr(current, name) for name in RATE_FIELDS})
            for slot, tier in enumerate(current.tiers.all()[:TIER_SLOTS], start=1):
                initial.update({f"tier{slot}_{name}": getattr(tier, name) for name in TIER_FIELDS})
            initial["source_url"] = current.source_url
            if current.variant_rates.exists():  # start from what the current version bills by
                initial["price_extras"] = notation_of(price_sheet(current), current.to_rates())
        return initial

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_edit_prices(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: PriceVersion, form: Any, change: bool) -> None:
        if change:
            raise PermissionDenied("Published price versions cannot be changed.")
        try:
            version = publish_price_version(
                model=form.cleaned_data["model"],
                rates=form.rates(),
                effective_from=form.cleaned_data["effective_from"],
                origin=PriceVersion.Origin.ADMIN,
                change_reason=form.cleaned_data["change_reason"],
                source_url=form.cleaned_data["source_url"],
                created_by=request.user,  # type: ignore[arg-type]
                locked=form.cleaned_data["locked"],
                sheet=form.sheet(),
            )
        except PriceRejected as rejected:  # lost a race with another editor since validation
            messages.error(request, f"Not published: {rejected}")
            raise PermissionDenied(str(rejected)) from rejected
        obj.pk = version.pk  # so the admin redirects to the published version

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Tiers were written by ``publish_price_version``; nothing else to save."""


def tier_summary(version: PriceVersion) -> str:
    return (
        "; ".join(
            f"> {t.threshold_tokens:,}: {plain_rate(t.input_usd_per_mtok)} in"
            f" / {plain_rate(t.output_usd_per_mtok)} out"
            for t in version.tiers.all()
        )
        or "—"
    )


class PriceVersionFormWithUnits(NewPriceVersionForm):  # type: ignore[misc, valid-type]
    """The new-version form with units in its labels and rates shown as plain decimals."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_units(self)


_SHOWN = {"changes", "made_by", "model", "effective_from", "effective_to"} | {
    f"shown_{n}" for n in RATE_FIELDS
}
