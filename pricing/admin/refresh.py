"""Admin for the price refresh: import runs (read-only), proposals to accept or reject, and a
"Refresh now" button. Registered with ``admin.site`` here; ``pricing.admin`` imports this module.
"""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from pricing.bill.money import plain_rate
from pricing.models import ImportRun, PriceProposal
from pricing.services.versions import PriceRejected, accept_proposal, can_edit_prices, reject_proposal
from pricing.sources import SOURCES


def _pretty(data: object) -> str:
    return format_html("<pre>{}</pre>", json.dumps(data, indent=2, ensure_ascii=False))


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "source",
        "status",
        "dry_run",
        "models_seen",
        "models_created",
        "versions_published",
        "proposals_created",
        "short_hash",
        "triggered_by",
    )
    list_filter = ("source", "status", "dry_run")
    date_hierarchy = "started_at"
    readonly_fields = (
        "source",
        "url",
        "status",
        "dry_run",
        "started_at",
        "finished_at",
        "payload_sha256",
        "payload_bytes",
        "models_seen",
        "models_created",
        "versions_published",
        "proposals_created",
        "error",
        "triggered_by",
        "diff_pretty",
        "problems_pretty",
    )
    exclude = ("diff", "problems")

    @admin.display(description="payload sha256")
    def short_hash(self, run: ImportRun) -> str:
        return run.payload_sha256[:12]

    @admin.display(description="diff")
    def diff_pretty(self, run: ImportRun) -> str:
        return _pretty(run.diff)

    @admin.display(description="problems and notes")
    def problems_pretty(self, run: ImportRun) -> str:
        return _pretty(run.problems)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.refresh_view)
        return [path("refresh/", view, name="pricing_importrun_refresh"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        context = {"can_refresh": can_edit_prices(request.user), "refresh_sources": list(SOURCES)}
        return super().changelist_view(request, {**(extra_context or {}), **context})

    def refresh_view(self, request: HttpRequest) -> HttpResponse:
        """POST: queue a refresh of one source; say plainly when the broker cannot be reached."""
        if request.method != "POST" or not can_edit_prices(request.user):
            raise PermissionDenied("Only price editors may start a refresh.")
        source = request.POST.get("source", "")
        if source not in SOURCES:
            messages.error(request, f"Unknown source {source!r}.")
        else:
            self._enqueue(request, source)
        return HttpResponseRedirect(reverse("admin:pricing_importrun_changelist"))

    def _enqueue(self, request: HttpRequest, source: str) -> None:
        from pricing.tasks import start_refresh

        try:
            start_refresh(source=source, triggered_by_id=request.user.pk)
        except Exception as error:  # noqa: BLE001 - kombu, redis and the eager task raise many kinds
            broker = settings.CELERY_BROKER_URL
            host = urlsplit(broker)
            where = f"the task broker at {host.hostname}:{host.port}" if broker else "the in-process refresh"
            messages.error(request, f"The refresh of {source} could not be started: {where} failed: {error}")
            return
        if settings.CELERY_BROKER_URL:
            messages.success(request, f"A refresh of {source} is queued; its run appears below.")
            return
        run = ImportRun.objects.filter(source=source).order_by("-pk").first()
        status = run.get_status_display() if run else "unknown"
        messages.success(request, f"No broker is configured: {source} was refreshed in-process ({status}).")


@admin.register(PriceProposal)
class PriceProposalAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "model",
        "status",
        "current_input",
        "proposed_input",
        "proposed_output",
        "effective_from",
        "reason",
    )
    list_filter = ("status", "import_run__source")
    search_fields = ("model__slug", "model__name", "reason")
    list_select_related = ("model__provider", "current_version")
    readonly_fields = (
        "model",
        "import_run",
        "current_version",
        "proposed_pretty",
        "effective_from",
        "source_url",
        "reason",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "published_version",
        "decision_note",
    )
    exclude = ("proposed",)
    actions = ("accept", "reject")

    @admin.display(description="current input (USD/MTok)")
    def current_input(self, proposal: PriceProposal) -> str:
        return plain_rate(proposal.current_version.input_usd_per_mtok if proposal.current_version else None)

    @admin.display(description="proposed input (USD/MTok)")
    def proposed_input(self, proposal: PriceProposal) -> str:
        return _proposed(proposal, "input_usd_per_mtok")

    @admin.display(description="proposed output (USD/MTok)")
    def proposed_output(self, proposal: PriceProposal) -> str:
        return _proposed(proposal, "output_usd_per_mtok")

    @admin.display(description="proposed rates (USD per million tokens)")
    def proposed_pretty(self, proposal: PriceProposal) -> str:
        return _pretty(proposal.proposed)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PriceProposal | None = None) -> bool:
        return False

    def has_edit_prices_permission(self, request: HttpRequest) -> bool:
        return can_edit_prices(request.user)

    @admin.action(description="Accept: publish the proposed price", permissions=["edit_prices"])
    def accept(self, request: HttpRequest, queryset: QuerySet[PriceProposal]) -> None:
        self._decide(request, queryset, accept=True)

    @admin.action(description="Reject the proposed price", permissions=["edit_prices"])
    def reject(self, request: HttpRequest, queryset: QuerySet[PriceProposal]) -> None:
        self._decide(request, queryset, accept=False)

    def _decide(self, request: HttpRequest, queryset: QuerySet[PriceProposal], *, accept: bool) -> None:
        done = 0
        for proposal in queryset.order_by("effective_from"):
            try:
                if accept:
                    accept_proposal(proposal=proposal, user=request.user)
                else:
                    reject_proposal(proposal=proposal, user=request.user)
                done += 1
            except (PriceRejected, PermissionDenied) as error:
                messages.error(request, f"Proposal #{proposal.pk} ({proposal.model}): {error}")
        if done:
            verb = "accepted and published" if accept else "rejected"
            messages.success(request, f"{done} proposal(s) {verb}.")


def _proposed(proposal: PriceProposal, name: str) -> str:
    """A proposed rate (an exact decimal string in the JSON) shown as plain decimal."""
    value = proposal.proposed.get(name)
    return plain_rate(Decimal(value)) if value else "—"
