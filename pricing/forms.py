"""The admin's "new price version" form: rates + up to two long-context tiers, validated by
the same rules the importers use (``pricing.bill.validation``), each message on its field. The rate
fields and the tier fields follow the cost core's ``Rates`` and ``TierRates``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from pricing.bill.notation import sheet_from_notation
from pricing.bill.rates import (
    RATE_FIELDS,
    RATE_LABELS,
    TIER_RATE_FIELDS,
    Rates,
    TierRates,
    required_rate_fields,
)
from pricing.bill.sheet import PriceSheet
from pricing.bill.validation import price_problems
from pricing.models import LanguageModel, PriceVersion
from pricing.models.catalogue import MONEY
from pricing.services.versions import overlap_problem

TIER_FIELDS = ("threshold_tokens", *TIER_RATE_FIELDS)
TIER_REQUIRED = ("threshold_tokens", *sorted(required_rate_fields(TierRates)))
TIER_SLOTS = 2


def tier_field_names(slot: int) -> list[str]:
    """The form's field names for one tier slot, e.g. ``tier1_input_usd_per_mtok``."""
    return [f"tier{slot}_{name}" for name in TIER_FIELDS]


def _tier_field(name: str, slot: int) -> forms.Field:
    if name == "threshold_tokens":
        return forms.IntegerField(label=f"Tier {slot}: above N prompt tokens", required=False, min_value=1)
    return forms.DecimalField(label=f"Tier {slot}: {RATE_LABELS[name]}", required=False, **MONEY)


class _PriceVersionForm(forms.ModelForm):
    """A new version of a model's prices. Nothing here edits an existing version."""

    class Meta:
        model = PriceVersion
        fields = ["model", *RATE_FIELDS, "effective_from", "source_url", "change_reason", "locked"]
        help_texts = {
            "effective_from": "When the new price takes effect (UTC). The current version closes then.",
            "change_reason": "Why the price changes (required; shown in the history).",
        }

    price_extras = forms.JSONField(
        label="Variants, per-unit prices and time bands",
        required=False,
        help_text=(
            'What the rates above cannot say, as JSON: service tiers ("variants": {"flex": {"input": '
            '"1.25", ...}}), per-unit prices ("unit_prices": {"web_search": {"usd": "10", '
            '"per": 1000}}), peak hours ("bands": [...]), "batch_discounts_cache": true. '
            "Empty: the rates say it all. See pricing/sheet_notation.py."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.now
        # An alias row is never priced: its model is.
        self.fields["model"].queryset = LanguageModel.objects.filter(alias_of__isnull=True).select_related(
            "provider"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        sheet, unreadable = self._read_sheet()
        for message in unreadable:
            self.add_error("price_extras", message)
        for problem in price_problems(self.rates(), sheet):
            field = "price_extras" if problem.field == "sheet" else self._form_field(problem.field)
            self.add_error(field, problem.message)
        model, start = data.get("model"), data.get("effective_from")
        overlap = overlap_problem(model, start) if model and start else None
        if overlap is not None:
            self.add_error(overlap.field, f"{overlap.message[0].upper()}{overlap.message[1:]}.")
        return data

    def sheet(self) -> PriceSheet | None:
        """The version in full, when the extras say more than the rates."""
        notation = self.cleaned_data.get("price_extras") or {}
        return sheet_from_notation(self.rates(), notation) if isinstance(notation, dict) else None

    def _read_sheet(self) -> tuple[PriceSheet | None, list[str]]:
        """The extras as a sheet, or why they cannot be read as one."""
        if not isinstance(self.cleaned_data.get("price_extras") or {}, dict):
            return None, ["must be a JSON object"]
        try:
            return self.sheet(), []
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            return None, [f"not readable: {type(error).__name__} {error}"]

    def rates(self) -> Rates:
        values = {name: self.cleaned_data.get(name) for name in RATE_FIELDS}
        return Rates(**values, tiers=self._tiers())  # type: ignore[arg-type]

    def _tiers(self) -> tuple[TierRates, ...]:
        tiers = []
        for slot in range(1, TIER_SLOTS + 1):
            values = {name: self.cleaned_data.get(f"tier{slot}_{name}") for name in TIER_FIELDS}
            if all(v is None for v in values.values()):
                continue
            for name in TIER_REQUIRED:
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


# The tier fields are declared on the class (the admin's fieldsets name them), one per tier slot
# and tier rate; the form's metaclass collects them from these attributes.
_TIER_FORM_FIELDS = {
    f"tier{slot}_{name}": _tier_field(name, slot) for slot in range(1, TIER_SLOTS + 1) for name in TIER_FIELDS
}
NewPriceVersionForm = type(_PriceVersionForm)(
    "NewPriceVersionForm",
    (_PriceVersionForm,),
    {"__module__": __name__, "__doc__": _PriceVersionForm.__doc__, **_TIER_FORM_FIELDS},
)
