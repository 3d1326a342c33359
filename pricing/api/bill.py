"""POST /api/v1/bill: one request's usage and moment in, the provider's bill out, line by line.

Each line names what it bills, the quantity, the rate (USD per ``per`` units), its exact USD,
the variant, and the price version it comes from (id, ``effective_from``, source URL). Versions
are append-only, so a request with an explicit ``at`` gets the same bill forever.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import ConfigDict, Field, ValidationError, create_model

from config.api import ERRORS, ApiError, AsOf, Iso, findings_error
from pricing.api.money import (
    ConversionOut,
    ConvertedOut,
    OverlayRuleOut,
    conversion_for,
    conversion_json,
    converted_json,
    costs_json,
    currency_code,
    line_money_json,
)
from pricing.api.schemas import Money
from pricing.bill import Bill, BillError, BillUsage, ImageInput
from pricing.bill.overlays import OverlaidBill, apply_overlay
from pricing.currency import Conversion
from pricing.selectors.bills import bill_for
from pricing.selectors.overlays import find_overlay, overlay_terms

router = Router(tags=["bill"])


class Strict(Schema):
    """Unknown fields are refused, never ignored."""

    model_config = ConfigDict(extra="forbid")


class ImageIn(Strict):
    width: int = Field(description="Pixels.")
    height: int = Field(description="Pixels.")
    detail: str = Field("auto", description="auto, low, high, or medium (Gemini 3 media resolution).")


# The usage fields are BillUsage's own: one description, here and in the engine.
UsageIn = create_model(  # type: ignore[call-overload]
    "UsageIn",
    __base__=Strict,
    **{f.name: (int, 0) for f in fields(BillUsage) if f.name != "images"},
    images=(list[ImageIn], []),
)


class BillIn(Strict):
    model: str = Field(description='"provider/model", as GET /api/v1/models lists them.')
    at: AsOf = Field(None, description="When the request was made (ISO datetime); default now.")
    service_tier: str = Field(
        "standard", description="standard, batch, flex, priority, ... as the model offers."
    )
    usage: UsageIn = Field(  # type: ignore[valid-type]
        description="input_tokens are billed at the base input rate: cache reads and writes are not in them."
    )
    overlay: str | None = Field(
        None, description="A contract overlay by name; default: the installation's default overlay, if any."
    )
    currency: str | None = Field(
        None,
        description="ISO 4217 code (EUR, GBP...): amounts also in it, at the ECB reference rate of `at`.",
    )


class BillLineOut(Schema):
    what: str
    quantity: int
    unit: str
    rate_usd: Money
    per: int = Field(description="The rate is USD per this many units (1,000,000 tokens, 1,000 searches...).")
    usd: Money
    rate_kind: str = Field(description="Whose price billed this line (a cache read without its own: input).")
    variant: str
    tier_threshold_tokens: int | None
    price_version: int
    effective_from: Iso
    source_url: str
    ListCost: Money | None = Field(None, description="With an overlay or currency: the list amount (USD).")  # noqa: N815
    ContractedCost: Money | None = Field(None, description="Under the overlay rule applied (USD).")  # noqa: N815
    EffectiveCost: Money | None = Field(None, description="Equals ContractedCost (no credits modelled).")  # noqa: N815
    overlay_rule: OverlayRuleOut | None = Field(
        None, description="The overlay rule that set this line, if any."
    )
    converted: ConvertedOut | None = None


class ThresholdOut(Schema):
    threshold_tokens: int
    counted_tokens: int
    tokens_over: int
    saving_usd: Money = Field(description="What trimming tokens_over input tokens would save.")


class BillOut(Schema):
    model: str
    at: Iso
    service_tier: str
    variant: str
    total_usd: Money
    lines: list[BillLineOut]
    threshold: ThresholdOut | None
    overlay: str | None = Field(
        None, description="The overlay applied (present when one was asked or is default)."
    )
    ListCost: Money | None = None  # noqa: N815 - FinOps FOCUS names
    ContractedCost: Money | None = None  # noqa: N815
    EffectiveCost: Money | None = None  # noqa: N815
    conversion: ConversionOut | None = None
    converted: ConvertedOut | None = None


@router.post(
    "/bill",
    response={200: BillOut, **ERRORS},
    url_name="api-bill",
    summary="The provider's bill for one request",
    exclude_unset=True,  # the overlay and currency fields only when asked
)
def bill(request: HttpRequest, payload: BillIn) -> dict[str, Any]:
    """Usage of one request → the bill its provider would send, every line traced to a dated price."""
    return bill_answer(payload)


def bill_answer(payload: BillIn) -> dict[str, Any]:
    """The endpoint's answer to a validated body (before ninja's response schema), or an ApiError.
    The bill page answers through here too, so page and API bill alike."""
    moment = payload.at or timezone.now()
    currency = currency_code(payload.currency)
    try:
        usage = _usage(payload.usage.model_dump())
        result, version = bill_for(
            model_key=payload.model, usage=usage, at=moment, service_tier=payload.service_tier
        )
        overlay = find_overlay(payload.overlay)
    except BillError as error:
        code = {"model": "unknown_model", "service_tier": "unknown_tier"}.get(error.field, "invalid")
        raise ApiError(f"{error.message}.", field=error.field, code=code) from None
    answer = bill_json(payload.model, moment, result)
    if overlay is None and currency is None:
        return answer
    terms = overlay_terms(overlay) if overlay is not None else []
    model = version.model
    overlaid = apply_overlay(result, terms, provider=model.provider.slug, model=model.slug, at=moment)
    conversion = conversion_for(currency, moment.date()) if currency else None
    return _with_money(answer, overlaid, overlay.name if overlay else None, conversion)


def bill_of_body(body: dict[str, Any]) -> dict[str, Any]:
    """What ``POST /api/v1/bill`` answers for ``body`` (a JSON object), as ninja hands it to the
    renderer: validated by the same schema, refused in the same words (an ApiError), dumped
    through ``BillOut`` with unset fields left out."""
    try:
        payload = BillIn.model_validate(body)
    except ValidationError as error:
        findings = [{**e, "loc": ("body", "payload", *e["loc"])} for e in error.errors(include_url=False)]
        raise findings_error(findings) from None
    return BillOut.model_validate(bill_answer(payload)).model_dump(exclude_unset=True)


def _with_money(
    answer: dict[str, Any], overlaid: OverlaidBill, overlay: str | None, conversion: Conversion | None
) -> dict[str, Any]:
    costs = costs_json(overlaid.bill.total_usd, overlaid.contracted_usd)
    for line_json, line in zip(answer["lines"], overlaid.lines, strict=True):
        line_json.update(line_money_json(line, conversion))
    answer.update(overlay=overlay, **costs)
    if conversion is not None:
        answer.update(conversion=conversion_json(conversion), converted=converted_json(costs, conversion))
    return answer


def _usage(raw: dict[str, Any]) -> BillUsage:
    images = tuple(ImageInput(**image) for image in raw.pop("images"))
    return BillUsage(**raw, images=images)


def bill_json(model: str, at: datetime, result: Bill) -> dict[str, Any]:
    lines = [
        {
            **{name: getattr(line, name) for name in BillLineOut.model_fields if hasattr(line, name)},
            "price_version": line.provenance.price_version,
            "effective_from": line.provenance.effective_from,
            "source_url": line.provenance.source_url,
        }
        for line in result.lines
    ]
    threshold = result.threshold
    return {
        "model": model,
        "at": at,
        "service_tier": result.service_tier,
        "variant": result.variant,
        "total_usd": result.total_usd,
        "lines": lines,
        "threshold": None if threshold is None else vars(threshold),
    }
