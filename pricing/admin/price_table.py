"""The price table in the admin: upload (or paste) → preview → confirm, and export.

The preview carries the parsed table, its reason, source and start, and the fingerprint of its
plan in one signed field, so the confirmation publishes exactly the table previewed, by the
editor who previewed it, or nothing. Every step is for price editors only; the export, read-only,
for anyone who may view models.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from pricing.admin.display import VersionHistory, made_by
from pricing.models import PriceTable
from pricing.services.price_tables import (
    REFUSED,
    PlannedRow,
    TableNotPublished,
    current_table,
    fingerprint,
    plan_counts,
    plan_table,
    publish_table,
)
from pricing.services.versions import can_edit_prices
from pricing.sources.price_table import MAX_TABLE_BYTES, TableRefused, TableRow, read_table, write_table

SIGNING_SALT = "pricing.price-table.preview"
PREVIEW_MAX_AGE = 2 * 60 * 60  # seconds: a preview older than this is uploaded again
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class PriceTableForm(forms.Form):
    table_file = forms.FileField(label="CSV or XLSX file", required=False)
    pasted = forms.CharField(
        label="or paste CSV",
        required=False,
        max_length=MAX_TABLE_BYTES,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 100, "spellcheck": "false"}),
    )
    change_reason = forms.CharField(
        label="reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 100}),
        help_text="Why these prices change; every version of the table carries it.",
    )
    source_url = forms.URLField(label="source URL", max_length=500, required=False)
    effective_from = forms.SplitDateTimeField(
        label="effective from",
        widget=widgets.AdminSplitDateTime,
        initial=timezone.now,
        help_text="When the new prices take effect (UTC), for every row.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload, pasted = data.get("table_file"), data.get("pasted", "")
        if bool(upload) == bool(pasted.strip()):
            raise forms.ValidationError("Upload a file or paste a table (one of the two).")
        if upload and upload.size > MAX_TABLE_BYTES:
            self.add_error(
                "table_file", f"The file is {upload.size:,} bytes; the limit is {MAX_TABLE_BYTES:,}."
            )
            return data
        content = upload.read() if upload else pasted.encode("utf-8")
        try:
            data["rows"] = read_table(content, filename=upload.name if upload else "pasted.csv")
        except TableRefused as refused:
            self.add_error("table_file" if upload else "pasted", str(refused))
        data["filename"] = upload.name if upload else "pasted"
        data["sha256"] = hashlib.sha256(content).hexdigest()
        return data


class PriceTableViews:
    """Mixed into the language models' admin: the table's URLs and views."""

    def price_table_urls(self) -> list:
        view = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("price-table/", view(self.upload_view), name="pricing_languagemodel_price_table"),
            path(
                "price-table/confirm/",
                view(self.confirm_view),
                name="pricing_languagemodel_price_table_confirm",
            ),
            path(
                "price-table/export.<str:file_format>",
                view(self.export_view),
                name="pricing_languagemodel_price_table_export",
            ),
        ]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        _require_editor(request)
        form = PriceTableForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            header = {k: data[k] for k in ("change_reason", "source_url", "filename", "sha256")}
            return self._preview(request, data["rows"], header, data["effective_from"])
        context = {"form": form, "title": "Upload a price table"}
        return self._render(request, "admin/pricing/price_table_upload.html", context)

    def confirm_view(self, request: HttpRequest) -> HttpResponse:
        _require_editor(request)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:pricing_languagemodel_price_table"))
        try:
            state = signing.loads(request.POST.get("table", ""), salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE)
        except signing.BadSignature:
            return HttpResponseBadRequest("The preview expired or was altered: upload the table again.")
        if state["user"] != request.user.pk:
            raise PermissionDenied("This preview belongs to another editor.")
        rows = [TableRow(line, cells) for line, cells in state["rows"]]
        effective_from = datetime.fromisoformat(state["effective_from"])
        if "drop_refused" in request.POST:
            plan = plan_table(rows, effective_from=effective_from)
            refused = {row.line for row in plan if row.action == REFUSED}
            kept = [row for row in rows if row.line not in refused]
            messages.info(request, f"{len(refused)} refused row(s) dropped; nothing is published yet.")
            return self._preview(request, kept, state["header"], effective_from)
        return self._publish(request, rows, state, effective_from)

    def _publish(
        self, request: HttpRequest, rows: list[TableRow], state: dict, effective_from: datetime
    ) -> HttpResponse:
        header = state["header"]
        try:
            table = publish_table(
                rows=rows,
                user=request.user,
                change_reason=header["change_reason"],  # type: ignore[arg-type]
                source_url=header["source_url"],
                effective_from=effective_from,
                previewed=state["plan"],
                filename=header["filename"],
                sha256=header["sha256"],
            )
        except TableNotPublished as error:
            messages.error(request, str(error))
            return self._preview(request, rows, header, effective_from, plan=error.plan)
        messages.success(
            request,
            f"Price table #{table.pk}: {table.versions.count()} new version(s) published, "
            f"{table.proposals.count()} proposal(s) queued for review, {table.unchanged} row(s) unchanged.",
        )
        return HttpResponseRedirect(reverse("admin:pricing_pricetable_change", args=[table.pk]))

    def _preview(
        self,
        request: HttpRequest,
        rows: list[TableRow],
        header: dict,
        effective_from: datetime,
        plan: list[PlannedRow] | None = None,
    ) -> HttpResponse:
        plan = plan if plan is not None else plan_table(rows, effective_from=effective_from)
        state = {
            "user": request.user.pk,
            "rows": [[row.line, row.cells] for row in rows],
            "header": header,
            "effective_from": effective_from.isoformat(),
            "plan": fingerprint(plan),
        }
        context = {
            "title": "Preview: nothing is published yet",
            "plan": plan,
            "counts": plan_counts(plan),
            "header": header,
            "effective_from": effective_from,
            "table": signing.dumps(state, salt=SIGNING_SALT, compress=True),
        }
        return self._render(request, "admin/pricing/price_table_preview.html", context)

    def export_view(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied("You may not view the catalogue's models.")
        if file_format not in CONTENT_TYPES:
            return HttpResponseBadRequest("Export as csv or xlsx.")
        changelist = self.get_changelist_instance(request)  # type: ignore[attr-defined]
        rows = current_table(changelist.get_queryset(request))
        response = HttpResponse(
            write_table(rows, file_format=file_format), content_type=CONTENT_TYPES[file_format]
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="prices-{stamp}.{file_format}"'
        return response

    def _render(self, request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
        opts = self.model._meta  # type: ignore[attr-defined]
        base = {**self.admin_site.each_context(request), "opts": opts}  # type: ignore[attr-defined]
        return TemplateResponse(request, template, {**base, **context})


def _require_editor(request: HttpRequest) -> None:
    if not can_edit_prices(request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Only price editors may upload a price table.")


@admin.register(PriceTable)
class PriceTableAdmin(admin.ModelAdmin):
    """Confirmed tables, read-only: what each published and queued, with each version's changes."""

    list_display = ["__str__", "uploaded_by", "change_reason", "rows", "published", "queued", "unchanged"]
    list_select_related = ["uploaded_by"]
    search_fields = ["change_reason", "filename", "uploaded_by__username"]
    fields = [
        "uploaded_by",
        "uploaded_at",
        "filename",
        "sha256",
        "change_reason",
        "source_url",
        "effective_from",
        "rows",
        "unchanged",
        "published_versions",
        "queued_proposals",
    ]
    readonly_fields = fields

    @admin.display(description="new versions")
    def published(self, table: PriceTable) -> int:
        return table.versions.count()

    @admin.display(description="proposals")
    def queued(self, table: PriceTable) -> int:
        return table.proposals.count()

    @admin.display(description="new versions and what changed")
    def published_versions(self, table: PriceTable) -> str:
        history = VersionHistory()
        versions = table.versions.select_related("model__provider", "created_by").order_by(
            "model__provider__slug", "model__slug"
        )
        lines = [{"version": v, "changes": history.changes(v), "made_by": made_by(v)} for v in versions]
        return render_to_string("admin/pricing/_table_versions.html", {"lines": lines})

    @admin.display(description="proposals queued for review")
    def queued_proposals(self, table: PriceTable) -> str:
        proposals = table.proposals.select_related("model__provider").order_by("model__slug")
        return render_to_string("admin/pricing/_table_proposals.html", {"proposals": proposals})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
