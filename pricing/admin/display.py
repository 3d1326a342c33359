"""How the admin shows prices: plain decimals with units, the history's changes and authors, and
the list filters that find data-quality problems."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from pricing.bill.money import plain_rate
from pricing.bill.rates import RATE_LABELS
from pricing.display.change_words import rate_changes
from pricing.models import ImportRun, LanguageModel, PriceVersion


def unit_label(name: str, *, short: bool = False) -> str:
    """A rate's label with its unit: "input (USD per million tokens)" or, in columns, "input
    (USD/MTok)"."""
    label = RATE_LABELS[name]
    if not name.endswith("_usd_per_mtok"):
        return label  # the request fee's label names its unit already
    return f"{label} ({'USD/MTok' if short else 'USD per million tokens'})"


def rate_display(name: str) -> Callable[[Any, Any], str]:
    """An admin column showing rate ``name`` of a version or tier as a plain decimal."""

    def show(admin_self: Any, obj: Any) -> str:
        return plain_rate(getattr(obj, name))

    return admin.display(description=unit_label(name, short=True))(show)


class RateColumns:
    """An admin's ``shown_<rate>`` columns: each rate of a version or tier as a plain decimal
    with its unit (a tier shows the first five)."""

    shown_input_usd_per_mtok = rate_display("input_usd_per_mtok")
    shown_output_usd_per_mtok = rate_display("output_usd_per_mtok")
    shown_cache_read_usd_per_mtok = rate_display("cache_read_usd_per_mtok")
    shown_cache_write_5m_usd_per_mtok = rate_display("cache_write_5m_usd_per_mtok")
    shown_cache_write_1h_usd_per_mtok = rate_display("cache_write_1h_usd_per_mtok")
    shown_batch_input_usd_per_mtok = rate_display("batch_input_usd_per_mtok")
    shown_batch_output_usd_per_mtok = rate_display("batch_output_usd_per_mtok")
    shown_request_usd = rate_display("request_usd")


class SafeAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, safe to show again on a refused form: Django's looks the posted
    value up in the database to label it, and a value that is no id ("NaN", 20 digits) made that
    lookup fail with a server error. Such a value is simply not selected."""

    def optgroups(self, name: str, value: Any, attrs: Any = None) -> Any:
        ids = [v for v in value if re.fullmatch(r"[0-9]{1,18}", str(v))]
        return super().optgroups(name, ids, attrs)


class SafeAutocomplete:
    """Mixed into an admin with ``autocomplete_fields``: they use ``SafeAutocompleteSelect``."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs.setdefault(
                "widget", SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )  # type: ignore[attr-defined]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class PlainDecimalInput(forms.NumberInput):
    """A rate input that shows its value as "0.40", not as the column's "0.4000000000"."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return plain_rate(value)
        return super().format_value(value)


def with_units(form: forms.BaseForm) -> None:
    """Put units in a price form's rate labels and show its rates as plain decimals."""
    for name, form_field in form.fields.items():
        if not isinstance(form_field, forms.DecimalField):
            continue
        form_field.widget = PlainDecimalInput(attrs=form_field.widget.attrs)
        if name.endswith("_usd_per_mtok"):
            form_field.label = f"{form_field.label} (USD per million tokens)"


class VersionHistory:
    """A model's versions, loaded once per page, to say what each changed and who made it."""

    def __init__(self) -> None:
        self._previous: dict[int, PriceVersion | None] = {}

    def previous(self, version: PriceVersion) -> PriceVersion | None:
        if version.pk not in self._previous:
            versions = list(
                PriceVersion.objects.standing()
                .filter(model_id=version.model_id)
                .order_by("effective_from")
                .prefetch_related("tiers")
            )
            self._previous.update({v.pk: p for p, v in zip([None, *versions], versions, strict=False)})
        return self._previous.get(version.pk)

    def changes(self, version: PriceVersion) -> str:
        previous = self.previous(version)
        lines = rate_changes(previous.to_rates() if previous else None, version.to_rates()) or [
            "no rate changed"
        ]
        if previous is not None and previous.locked != version.locked:
            lines.append("locked" if version.locked else "unlocked")
        return "; ".join(lines)


def made_by(version: PriceVersion) -> str:
    """Who or what made a version: an editor (and the table they uploaded), an import run, the seed."""
    parts = []
    if version.created_by is not None:
        parts.append(format_html("{}", version.created_by.get_username()))
    for table in version.price_tables.all():
        url = reverse("admin:pricing_pricetable_change", args=[table.pk])
        parts.append(format_html('<a href="{}">price table #{}</a>', url, table.pk))
    if version.import_run is not None:
        url = reverse("admin:pricing_importrun_change", args=[version.import_run.pk])
        run = version.import_run
        parts.append(format_html('<a href="{}">import run #{} ({})</a>', url, run.pk, run.source))
    if not parts:
        parts.append(format_html("{}", version.get_origin_display()))
    return format_html_join(", ", "{}", ((part,) for part in parts))


class DataQualityFilter(admin.SimpleListFilter):
    """Models whose catalogue entry is incomplete or doubtful, one problem at a time."""

    title = "data quality"
    parameter_name = "quality"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("no_context", "No context window"),
            ("generic_tokenizer", "Generic tokenizer"),
            ("missing_upstream", "Missing upstream"),
            ("start_unknown", "Price in force started in a window or unknown"),
            ("sources_disagree", "Sources disagree"),
            ("no_price", "No price"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[LanguageModel]) -> QuerySet[LanguageModel]:
        value = self.value()
        if value == "no_context":
            return queryset.filter(context_window__isnull=True)
        if value == "generic_tokenizer":
            return queryset.filter(tokenizer_key="generic")
        if value == "missing_upstream":
            return queryset.filter(missing_since__isnull=False)
        if value == "start_unknown":
            # The price in force now is dated by evidence, not by the provider: worth confirming.
            doubtful = PriceVersion.objects.effective().exclude(start_basis=PriceVersion.StartBasis.EXACT)
            return queryset.filter(pk__in=doubtful.values("model_id"))
        if value == "no_price":
            return queryset.filter(price_versions__isnull=True)
        if value == "sources_disagree":
            return queryset.filter(_keys_q(disagreeing_keys()))
        return queryset


def disagreeing_keys() -> set[str]:
    """``provider/model`` keys a lower-priority source priced differently in its latest run (the
    refresh records these as "disagrees" lines of the run's diff instead of applying them)."""
    keys: set[str] = set()
    for source in ImportRun.objects.filter(dry_run=False).values_list("source", flat=True).distinct():
        run = (
            ImportRun.objects.filter(source=source, dry_run=False, status=ImportRun.Status.SUCCEEDED)
            .order_by("-started_at")
            .first()
        )
        if run is not None:
            keys |= {line.get("model", "") for line in run.diff if line.get("action") == "disagrees"}
    return keys


def _keys_q(keys: set[str]) -> Q:
    query = Q(pk__in=[])
    for key in keys:
        provider, _, slug = key.partition("/")
        query |= Q(provider__slug=provider, slug=slug)
    return query
