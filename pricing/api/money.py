"""List and effective side by side (FinOps FOCUS ``ListCost``, ``ContractedCost``,
``EffectiveCost``) and amounts in a display currency, for the bill and the estimate APIs.

Both are asked for (``overlay``, ``currency``) or set by a default overlay; the answer then
gains these fields and keeps every other one as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from config.api import ApiError, Iso
from pricing.api.schemas import Money
from pricing.bill import Bill, BillError
from pricing.bill.overlays import OverlaidBill, OverlaidLine, OverlayTerm, apply_overlay
from pricing.currency import Conversion, RateError
from pricing.selectors.currency import convert
from pricing.selectors.overlays import find_overlay, overlay_terms

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
COSTS = ("ListCost", "ContractedCost", "EffectiveCost")


class OverlayRuleOut(Schema):
    id: int
    overlay: str
    scope: str = Field(description="all, provider or model.")
    provider: str
    model: str
    service_tier: str
    line_kind: str
    kind: str = Field(description="percent, basis_points or fixed.")
    adjustment: Money | None = Field(description="Signed: -20 percent is a 20% discount.")
    fixed_usd: Money | None
    effective_from: Iso
    effective_until: Iso | None
    note: str
    evidence_url: str


class ConversionOut(Schema):
    currency: str
    rate: Money = Field(description="Units of the currency per 1 USD: each amount is USD × rate exactly.")
    requested_date: date
    rate_date: date = Field(description="The day whose ECB reference rates were used.")
    usd_per_eur: Money
    currency_per_eur: Money
    source: str
    source_url: str
    note: str = Field(description="Why rate_date differs from requested_date, if it does.")


class ConvertedOut(Schema):
    currency: str
    rate: Money
    rate_date: date
    ListCost: Money  # noqa: N815 - FinOps FOCUS column names
    ContractedCost: Money  # noqa: N815
    EffectiveCost: Money  # noqa: N815


def currency_code(raw: str | None) -> str | None:
    if raw is None:
        return None
    code = raw.strip().upper()
    if not CURRENCY_CODE.match(code):
        raise ApiError("currency must be an ISO 4217 code such as EUR.", field="currency", code="invalid")
    return code


def conversion_for(currency: str, day: date) -> Conversion:
    try:
        return convert(Decimal(1), currency=currency, day=day)
    except RateError as error:
        raise ApiError(f"{error}.", field="currency", code="invalid") from None


def conversion_json(conversion: Conversion) -> dict[str, Any]:
    return {
        "currency": conversion.currency,
        "rate": conversion.rate,
        "requested_date": conversion.requested_date,
        "rate_date": conversion.rate_date,
        "usd_per_eur": conversion.usd_per_eur,
        "currency_per_eur": conversion.currency_per_eur,
        "source": conversion.source.name,
        "source_url": conversion.source.url,
        "note": conversion.note,
    }


def costs_json(list_usd: Decimal, contracted_usd: Decimal) -> dict[str, Decimal]:
    """The three FOCUS costs in USD (no commitments or credits: effective = contracted)."""
    return {"ListCost": list_usd, "ContractedCost": contracted_usd, "EffectiveCost": contracted_usd}


def converted_json(costs: dict[str, Decimal], conversion: Conversion) -> dict[str, Any]:
    return {
        "currency": conversion.currency,
        "rate": conversion.rate,
        "rate_date": conversion.rate_date,
        **{name: costs[name] * conversion.rate for name in COSTS},
    }


def rule_json(term: OverlayTerm | None) -> dict[str, Any] | None:
    if term is None:
        return None
    return {
        "id": term.rule_id,
        **{name: getattr(term, name) for name in OverlayRuleOut.model_fields if name != "id"},
    }


def line_money_json(overlaid: OverlaidLine, conversion: Conversion | None) -> dict[str, Any]:
    costs = costs_json(overlaid.line.usd, overlaid.contracted_usd)
    extra: dict[str, Any] = {**costs, "overlay_rule": rule_json(overlaid.term)}
    if conversion is not None:
        extra["converted"] = converted_json(costs, conversion)
    return extra


@dataclass
class MoneyTerms:
    """The overlay and display currency one request asked for (or the default overlay), with each
    day's conversion read once: an amount converts at the rate of its own day."""

    overlay: str | None
    terms: list[OverlayTerm]
    currency: str | None
    conversions: dict[date, Conversion] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        """False: neither an overlay nor a currency applies, and answers stay as they were."""
        return self.overlay is not None or self.currency is not None

    def conversion(self, day: date) -> Conversion | None:
        """The conversion of ``day`` (None without a currency); a 400 naming ``currency`` when the
        ECB has no rate near it."""
        if self.currency is None:
            return None
        if day not in self.conversions:
            self.conversions[day] = conversion_for(self.currency, day)
        return self.conversions[day]

    def overlaid(self, bill: Bill, *, provider: str, model: str, at: datetime) -> OverlaidBill:
        return apply_overlay(bill, self.terms, provider=provider, model=model, at=at)

    def header(self, day: date | None) -> dict[str, Any]:
        """``overlay`` and, when one date applies to every amount, its ``conversion``."""
        conversion = self.conversion(day) if day is not None else None
        return {"overlay": self.overlay, "conversion": conversion_json(conversion) if conversion else None}


def money_terms(overlay: str | None, currency: str | None) -> MoneyTerms:
    """The terms asked for by name and code: a 400 naming ``overlay`` or ``currency`` if unknown."""
    code = currency_code(currency)
    try:
        found = find_overlay(overlay)
    except BillError as error:
        raise ApiError(f"{error.message}.", field="overlay") from None
    terms = overlay_terms(found) if found is not None else []
    return MoneyTerms(overlay=found.name if found else None, terms=terms, currency=code)


def overlaid_json(overlaid: OverlaidBill, conversion: Conversion | None) -> dict[str, Any]:
    """A bill's FOCUS costs, its lines each with the rule applied, and their conversion."""
    costs = costs_json(overlaid.bill.total_usd, overlaid.contracted_usd)
    lines = [
        {"what": line.line.what, "usd": line.line.usd, **line_money_json(line, conversion)}
        for line in overlaid.lines
    ]
    entry: dict[str, Any] = {**costs, "lines": lines}
    if conversion is not None:
        entry["converted"] = converted_json(costs, conversion)
    return entry


def as_json(value: Any) -> Any:
    """Money as exact decimal strings, moments and days as ISO text (the API's conventions)."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
