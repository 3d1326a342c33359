"""Admin actions on selected models that need a reason: lock or unlock their prices, retire them.

Each action first shows a page asking for the reason (and, to retire, the date); the action
runs when that page is submitted. Only price editors see or run them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from pricing.models import LanguageModel
from pricing.models.catalogue import moment_text
from pricing.services.lifecycle import retire_models, set_prices_locked
from pricing.services.versions import PriceRejected, can_edit_prices


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=2000,
        help_text="Shown in the history.",
    )


class RetireForm(ReasonForm):
    retired_at = forms.DateTimeField(
        label="retired at (UTC)",
        help_text="When the provider stops serving them, in UTC: YYYY-MM-DD, or YYYY-MM-DD HH:MM "
        "when the provider names the time.",
        initial=timezone.localdate,
    )
    source_url = forms.URLField(
        label="source",
        max_length=500,
        assume_scheme="https",
        help_text="The provider's page that gives this moment (a date is a fact with a source).",
    )

    def clean_retired_at(self) -> datetime:
        # The form reads in the site's zone; the provider's moment is UTC as typed.
        return self.cleaned_data["retired_at"].replace(tzinfo=UTC)


class ModelActions:
    """Mixed into the language models' admin."""

    actions = ["lock_prices", "unlock_prices", "retire"]

    def has_edit_prices_permission(self, request: HttpRequest) -> bool:
        return can_edit_prices(request.user)  # type: ignore[arg-type]

    @admin.action(
        description="Lock the prices of the selected models (imports propose instead)",
        permissions=["edit_prices"],
    )
    def lock_prices(self, request: HttpRequest, queryset: QuerySet[LanguageModel]) -> HttpResponse | None:
        return self._with_reason(request, queryset, "lock_prices", ReasonForm, locked=True)

    @admin.action(description="Unlock the prices of the selected models", permissions=["edit_prices"])
    def unlock_prices(self, request: HttpRequest, queryset: QuerySet[LanguageModel]) -> HttpResponse | None:
        return self._with_reason(request, queryset, "unlock_prices", ReasonForm, locked=False)

    @admin.action(description="Retire the selected models on a date", permissions=["edit_prices"])
    def retire(self, request: HttpRequest, queryset: QuerySet[LanguageModel]) -> HttpResponse | None:
        return self._with_reason(request, queryset, "retire", RetireForm)

    def _with_reason(
        self,
        request: HttpRequest,
        queryset: QuerySet[LanguageModel],
        action: str,
        form_class: type[ReasonForm],
        **options: Any,
    ) -> HttpResponse | None:
        if not can_edit_prices(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Only price editors may do this.")
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            if action == "retire":
                self._retire(request, list(queryset), form.cleaned_data)
            else:
                self._lock(request, list(queryset), form.cleaned_data["reason"], options["locked"])
            return None  # back to the list, with the messages
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": _TITLES[action],
            "form": form,
            "models": queryset,
            "action": action,
            "opts": LanguageModel._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/pricing/model_action_reason.html", context)

    def _lock(self, request: HttpRequest, models: list[LanguageModel], reason: str, locked: bool) -> None:
        done = 0
        for model in models:
            try:
                if set_prices_locked(model=model, locked=locked, reason=reason, user=request.user):  # type: ignore[arg-type]
                    done += 1
            except PriceRejected as error:
                messages.error(request, f"{model}: not changed: {error}")
        verb = "locked" if locked else "unlocked"
        messages.success(
            request, f"Prices of {done} model(s) {verb}; each is a new version with your reason."
        )

    def _retire(self, request: HttpRequest, models: list[LanguageModel], data: dict[str, Any]) -> None:
        at, source_url = data["retired_at"], data["source_url"]
        count = retire_models(
            models=models,
            at=at,
            source_url=source_url,
            user=request.user,
            reason=data["reason"],  # type: ignore[arg-type]
        )
        when = moment_text(at)
        for model in models:
            self.log_change(request, model, f"Retired at {when} ({source_url}): {data['reason']}")  # type: ignore[attr-defined]
        messages.success(request, f"{count} model(s) retire at {when}.")


_TITLES = {
    "lock_prices": "Lock the prices of these models",
    "unlock_prices": "Unlock the prices of these models",
    "retire": "Retire these models",
}
