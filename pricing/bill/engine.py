"""The bill engine: usage + a moment + a service tier → the provider's bill, line by line.

Pure: no Django imports. Rules, as the providers bill them:
- The service tier picks a variant (``standard``, ``batch``, ``flex``, ``priority``, ...);
  a time-of-day band in force at the moment may switch it (DeepSeek's peak hours).
- A variant's threshold tier applies when the tokens it counts pass its threshold (``>`` or
  ``>=``); its prices then bill the whole request. The highest threshold passed wins.
- A service tier with no price of its own above a threshold the standard tier prices is refused
  there, naming ``service_tier``, never billed at its short-request rates: OpenAI prices GPT-5.4's
  prompts above 272,000 tokens for standard, batch and flex only, so priority above it is refused,
  as published.
- A token kind without its own price is billed at its parent's (a cache read at the input
  rate, reasoning at the output rate); the line says which rate it used.
- Per-unit prices (web searches, requests, audio seconds, images) bill their own units; a
  quantity the variant has no price for is refused, never billed as zero.
Every line is exact (``Decimal``); the total is their sum.
"""

from __future__ import annotations

import contextvars
import decimal
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from pricing.bill.images import NoImageRule, image_tokens
from pricing.bill.sheet import (
    PROMPT_KINDS,
    STANDARD,
    TOKEN_PARENTS,
    UNIT_KINDS,
    PriceSheet,
    Provenance,
    TierRule,
    UnitPrice,
    Variant,
)
from pricing.bill.usage import FIELD_KINDS, BillError, BillUsage

# Anything finer than this is below any invoice's resolution; only inexact divisions (per
# 3,600 audio seconds) are rounded to it.
LINE_QUANTUM = Decimal("1e-12")
KIND_ORDER = (*TOKEN_PARENTS, *UNIT_KINDS)


@dataclass(frozen=True)
class BillLine:
    what: str
    quantity: int
    unit: str
    rate_usd: Decimal
    per: int
    usd: Decimal
    variant: str
    rate_kind: str
    tier_threshold_tokens: int | None
    provenance: Provenance


@dataclass(frozen=True)
class ThresholdNotice:
    """The request passed a threshold: by how many tokens, and what trimming input would save."""

    threshold_tokens: int
    counted_tokens: int
    tokens_over: int
    saving_usd: Decimal | None


@dataclass(frozen=True)
class Bill:
    total_usd: Decimal
    lines: tuple[BillLine, ...]
    service_tier: str
    variant: str
    tier_threshold_tokens: int | None
    threshold: ThresholdNotice | None
    provenance: Provenance

    @property
    def prompt_usd(self) -> Decimal:
        """Everything billed for the prompt: uncached input, cache reads and writes, audio and
        image input (the rest of the total is output and per-unit fees)."""
        return sum((line.usd for line in self.lines if line.what in PROMPT_KINDS), Decimal(0))


def compute_bill(
    sheet: PriceSheet,
    usage: BillUsage,
    *,
    at: datetime,
    service_tier: str = "standard",
    provider: str = "",
    model: str = "",
) -> Bill:
    """The bill for one request of ``usage`` made at ``at`` (timezone-aware) on ``service_tier``."""
    if at.tzinfo is None:
        raise BillError("at", "needs a time zone (e.g. 2026-11-27T12:00:00Z)")
    if service_tier not in sheet.service_tiers:
        offered = ", ".join(sheet.service_tiers)
        raise BillError(
            "service_tier", f"{service_tier!r} is not offered for this model (offered: {offered})"
        )
    variant = sheet.variant_for(service_tier, at)
    quantities = _quantities(usage, variant, provider, model)
    tier = _tier_in_force(variant, quantities)
    _refuse_unpriced_threshold(sheet, variant, tier, quantities, service_tier)
    prices = {**variant.prices, **(tier.prices if tier else {})}
    threshold = tier.threshold_tokens if tier else None
    lines = tuple(
        _line(kind, quantities[kind], prices, variant.name, threshold, sheet.provenance)
        for kind in KIND_ORDER
        if quantities.get(kind)
    )
    total = sum((line.usd for line in lines), Decimal(0))
    # The notice needs the total only: the bill is built once, with it (not copied to add it).
    notice = _notice(sheet, usage, total, service_tier, variant, quantities, at, provider, model)
    return Bill(
        total_usd=total,
        lines=lines,
        service_tier=service_tier,
        variant=variant.name,
        tier_threshold_tokens=threshold,
        threshold=notice,
        provenance=sheet.provenance,
    )


def _quantities(usage: BillUsage, variant: Variant, provider: str, model: str) -> dict[str, int]:
    quantities = usage.quantities()
    if usage.images and "image" in variant.prices:
        quantities["image"] = len(usage.images)
    elif usage.images:
        try:
            quantities["input_image"] = sum(image_tokens(provider, model, i) for i in usage.images)
        except NoImageRule as error:
            raise BillError("usage.images", str(error)) from None
    if "request" in variant.prices:
        quantities["request"] = 1
    return quantities


def _refuse_unpriced_threshold(
    sheet: PriceSheet, variant: Variant, tier: TierRule | None, quantities: dict[str, int], service_tier: str
) -> None:
    standard = sheet.variants.get(STANDARD)
    if standard is None or variant is standard:
        return
    passed = _tier_in_force(standard, quantities)
    if passed is not None and tier is None:
        raise BillError(
            "service_tier",
            f"{service_tier!r} has no price above {passed.threshold_tokens:,} tokens for this model "
            "(standard has one): a request this long is not billed at its short-request rates",
        )


def _tier_in_force(variant: Variant, quantities: dict[str, int]) -> TierRule | None:
    crossed = [t for t in variant.tiers if t.crossed_by(_counted(t, quantities))]
    return max(crossed, key=lambda t: t.threshold_tokens, default=None)


def _counted(tier: TierRule, quantities: dict[str, int]) -> int:
    return sum(quantities.get(kind, 0) for kind in tier.counted_kinds)


def _price_for(kind: str, prices: dict[str, UnitPrice]) -> tuple[str, UnitPrice]:
    """The price a kind is billed at: its own, else its parent's (tokens only)."""
    current: str | None = kind
    while current is not None:
        if current in prices:
            return current, prices[current]
        current = TOKEN_PARENTS.get(current)
    field = _FIELD_OF_KIND.get(kind, kind)
    raise BillError(f"usage.{field}", f"this model has no price for {UNIT_KINDS.get(kind, kind)}")


_FIELD_OF_KIND = {kind: field for field, kind in FIELD_KINDS.items()} | {"image": "images"}


def _line(
    kind: str,
    quantity: int,
    prices: dict[str, UnitPrice],
    variant: str,
    threshold: int | None,
    provenance: Provenance,
) -> BillLine:
    rate_kind, price = _price_for(kind, prices)
    return BillLine(
        what=kind,
        quantity=quantity,
        unit=UNIT_KINDS.get(kind, "tokens"),
        rate_usd=price.usd,
        per=price.per,
        usd=usd_for(quantity, price),
        variant=variant,
        rate_kind=rate_kind,
        tier_threshold_tokens=threshold,
        provenance=provenance,
    )


def usd_for(quantity: int, price: UnitPrice) -> Decimal:
    """``quantity`` units at ``price``, exact unless the division is not (then to 1e-12 USD)."""
    context = _LINE_CONTEXT.get()
    if context is None:  # one per thread (and task): a context's flags are its own
        context = decimal.Context(prec=60)  # the rest as the default context: half-even, traps
        _LINE_CONTEXT.set(context)
    context.clear_flags()
    value = context.divide(context.multiply(Decimal(quantity), price.usd), price.per)
    if context.flags[decimal.Inexact]:
        return value.quantize(LINE_QUANTUM, context=context)
    return value


# The context ``usd_for`` computes in: 60 digits, its Inexact flag read after each line. Made
# once per thread rather than entered per line (a third of a line's time in an all-models estimate).
_LINE_CONTEXT: contextvars.ContextVar[decimal.Context | None] = contextvars.ContextVar(
    "line_context", default=None
)


def _notice(
    sheet: PriceSheet,
    usage: BillUsage,
    total: Decimal,
    service_tier: str,
    variant: Variant,
    quantities: dict[str, int],
    at: datetime,
    provider: str,
    model: str,
) -> ThresholdNotice | None:
    """Tell the lowest threshold the request passed, and what trimming input would save."""
    crossed = sorted(
        (t for t in variant.tiers if t.crossed_by(_counted(t, quantities))), key=lambda t: t.threshold_tokens
    )
    if not crossed:
        return None
    tier = crossed[0]
    counted = _counted(tier, quantities)
    over = counted - tier.threshold_tokens + (1 if tier.inclusive else 0)
    saving = None
    # Trimming the prompt's uncached input is the saving a user controls; a rule that does not
    # count input tokens has none to offer.
    if "input" in tier.counted_kinds and usage.input_tokens >= over:
        trimmed = replace(usage, input_tokens=usage.input_tokens - over)
        cheaper = compute_bill(
            sheet, trimmed, at=at, service_tier=service_tier, provider=provider, model=model
        )
        saving = total - cheaper.total_usd
    return ThresholdNotice(tier.threshold_tokens, counted, over, saving)
