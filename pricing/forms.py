"""The admin's "new price version" form: rates + up to two long-context tiers, validated by
the same rules the importers use (``pricing.validation``), each message on its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from .costs import Rates, TierRates
from .models import MONEY, LanguageModel, PriceVersion
from .validation import RATE_FIELDS as VALIDATED_RATE_FIELDS
from .validation import validate_rates

RATE_FIELDS = list(VALIDATED_RATE_FIELDS)
TIER_FIELDS = ["threshold_tokens", "input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok"]
TIER_SLOTS = 2


def _tier_field(name: str, slot: int) -> forms.Field:
    label = (
        f"Tier {slot}: "
        + {
            "threshold_tokens": "above N prompt tokens",
            "input_usd_per_mtok": "input",
            "output_usd_per_mtok": "output",
            "cache_read_usd_per_mtok": "cache read",
        }[name]
    )
    if name == "threshold_tokens":
        return forms.IntegerField(label=label, required=False, min_value=1)
    return forms.DecimalField(label=label, required=False, **MONEY)


class NewPriceVersionForm(forms.ModelForm):
    """A new version of a model's prices. Nothing here edits an existing version."""

    class Meta:
        model = PriceVersion
        fields = ["model", *RATE_FIELDS, "effective_from", "source_url", "change_reason", "locked"]
        help_texts = {
            "effective_from": "When the new price takes effect (UTC). The current version closes then.",
            "change_reason": "Why the price changes (required; shown in the history).",
        }

    tier1_threshold_tokens = _tier_field("threshold_tokens", 1)
    tier1_input_usd_per_mtok = _tier_field("input_usd_per_mtok", 1)
    tier1_output_usd_per_mtok = _tier_field("output_usd_per_mtok", 1)
    tier1_cache_read_usd_per_mtok = _tier_field("cache_read_usd_per_mtok", 1)
    tier2_threshold_tokens = _tier_field("threshold_tokens", 2)
    tier2_input_usd_per_mtok = _tier_field("input_usd_per_mtok", 2)
    tier2_output_usd_per_mtok = _tier_field("output_usd_per_mtok", 2)
    tier2_cache_read_usd_per_mtok = _tier_field("cache_read_usd_per_mtok", 2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.now
        self.fields["model"].queryset = LanguageModel.objects.select_related("provider")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        rates = self.rates()
        for problem in validate_rates(rates):
            self.add_error(self._form_field(problem.field), problem.message)
        model, start = data.get("model"), data.get("effective_from")
        if model and start:
            latest = PriceVersion.objects.filter(model=model).order_by("-effective_from").first()
            if latest and start <= latest.effective_from:
                self.add_error(
                    "effective_from",
                    "Must be after the current version's start "
                    f"({latest.effective_from:%Y-%m-%d %H:%M} UTC): history is append-only.",
                )
        return data

    def rates(self) -> Rates:
        data = self.cleaned_data
        values = {name: data.get(name) for name in RATE_FIELDS}
        return Rates(**values, tiers=self._tiers())  # type: ignore[arg-type]

    def _tiers(self) -> tuple[TierRates, ...]:
        tiers = []
        for slot in range(1, TIER_SLOTS + 1):
            values = {name: self.cleaned_data.get(f"tier{slot}_{name}") for name in TIER_FIELDS}
            if all(v is None for v in values.values()):
                continue
            for name in ("threshold_tokens", "input_usd_per_mtok", "output_usd_per_mtok"):
                if values[name] is None:
                    self.add_error(f"tier{slot}_{name}", "Required when this tier is used.")
                    values[name] = Decimal(0) if name != "threshold_tokens" else 1
            tiers.append(TierRates(**values))  # type: ignore[arg-type]
        return tuple(tiers)

    def _form_field(self, problem_field: str) -> str | None:
        """Map a validation field name (``tiers[0].input_usd_per_mtok``) to a form field."""
        if problem_field.startswith("tiers["):
            index, name = problem_field[len("tiers[") :].split("].", 1)
            return f"tier{int(index) + 1}_{name}" if name in TIER_FIELDS else None
        return problem_field if problem_field in self.fields else None
