"""List and effective side by side (FinOps FOCUS ``ListCost``, ``ContractedCost``,
``EffectiveCost``) and amounts in a display currency, for the bill and the estimate APIs.

Both are asked for (``overlay``, ``currency``) or set by a default overlay; the answer then
gains these fields and keeps every other one as it was.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from config.api import ApiError, Iso
from pricing.api.schemas import Money
from pricing.bill.overlays import OverlaidLine, OverlayTerm
from pricing.currency import Conversion, RateError
from pricing.selectors.currency import convert

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
