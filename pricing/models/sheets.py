"""What a price version holds beyond its flat rates: every variant's prices (per token and per
unit), its threshold rules, and the time bands that switch a tier to another variant.

Append-only like their version: rows are written once, by ``pricing.services.versions``, together with
the version, and never changed or deleted. ``price_sheet(version)`` reads them back as the bill
engine's ``PriceSheet`` (a version without rows bills by its flat rates).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.sheet import (
    MTOK,
    PROMPT_KINDS,
    STANDARD,
    PriceSheet,
    Provenance,
    TierRule,
    TimeBand,
    UnitPrice,
    Variant,
)

MONEY = {"max_digits": 20, "decimal_places": 10}
BASE = 0  # threshold_tokens of a variant's own (untiered) price
# What a version's sheet is read from: prefetch these for many versions at once.
SHEET_ROWS = ("tiers", "variant_rates", "variant_thresholds", "variant_bands")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionDenied("Prices are append-only; publish a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Prices are never deleted.")


class VariantRate(AppendOnly):
    """One price of one variant: USD per ``per_units`` units of ``kind`` (per 1,000,000 tokens,
    per 1,000 web searches, per 3,600 audio seconds, per request), above ``threshold_tokens``
    when it belongs to a threshold tier (0: the variant's own price)."""

    version = models.ForeignKey(
        "pricing.PriceVersion", on_delete=models.PROTECT, related_name="variant_rates"
    )
    variant = models.CharField(max_length=60, help_text="standard, batch, flex, priority, peak, ...")
    kind = models.CharField(max_length=30, help_text="input, cache_read, reasoning, web_search, request, ...")
    threshold_tokens = models.PositiveIntegerField(default=BASE)
    usd = models.DecimalField("USD", **MONEY)
    per_units = models.PositiveIntegerField(default=MTOK)

    class Meta:
        ordering = ["version", "variant", "threshold_tokens", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "variant", "kind", "threshold_tokens"],
                name="one_rate_per_variant_kind_tier",
            ),
            models.CheckConstraint(condition=models.Q(usd__gte=0), name="variant_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.variant} {self.kind}: ${self.usd} per {self.per_units:,}"


class VariantThreshold(AppendOnly):
    """A variant's threshold rule: when the counted tokens pass it, its rates bill the whole request."""

    version = models.ForeignKey(
        "pricing.PriceVersion", on_delete=models.PROTECT, related_name="variant_thresholds"
    )
    variant = models.CharField(max_length=60)
    threshold_tokens = models.PositiveIntegerField()
    counted_kinds = models.CharField(max_length=300, help_text="Comma-separated token kinds the rule counts.")
    inclusive = models.BooleanField(
        default=False, help_text="Crossed at the threshold itself (>=), not above."
    )

    class Meta:
        ordering = ["version", "variant", "threshold_tokens"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "variant", "threshold_tokens"], name="one_rule_per_variant_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.variant}: {'>=' if self.inclusive else '>'} {self.threshold_tokens:,} tokens"


class VariantBand(AppendOnly):
    """During these hours on these weekdays (local time), ``tier`` requests bill by ``variant``."""

    version = models.ForeignKey(
        "pricing.PriceVersion", on_delete=models.PROTECT, related_name="variant_bands"
    )
    variant = models.CharField(max_length=60)
    tier = models.CharField("service tier", max_length=60, default=STANDARD)
    weekdays = models.CharField(max_length=7, default="0123456", help_text="0 = Monday ... 6 = Sunday.")
    start = models.TimeField()
    end = models.TimeField()
    time_zone = models.CharField(max_length=64, default="UTC")

    class Meta:
        ordering = ["version", "start"]

    def __str__(self) -> str:
        return f"{self.tier} → {self.variant} {self.start:%H:%M}-{self.end:%H:%M} {self.time_zone}"


def store_sheet(version: Any, sheet: PriceSheet) -> None:
    """Write ``sheet`` as rows of ``version`` (inside the publishing transaction)."""
    store_sheets([(version, sheet)])


def store_sheets(sheets: list[tuple[Any, PriceSheet]], batch_size: int = 1000) -> None:
    """Write each (version, sheet) as rows of that version, in bulk (the history load writes
    thousands)."""
    rates: list[VariantRate] = []
    rules: list[VariantThreshold] = []
    bands: list[VariantBand] = []
    for version, sheet in sheets:
        for variant in sheet.variants.values():
            rates += [_rate(version, variant.name, BASE, kind, p) for kind, p in variant.prices.items()]
            for tier in variant.tiers:
                rates += [
                    _rate(version, variant.name, tier.threshold_tokens, k, p) for k, p in tier.prices.items()
                ]
                rules.append(_rule(version, variant.name, tier))
        bands += [_band(version, band) for band in sheet.bands]
    VariantRate.objects.bulk_create(rates, batch_size=batch_size)
    VariantThreshold.objects.bulk_create(rules, batch_size=batch_size)
    VariantBand.objects.bulk_create(bands, batch_size=batch_size)


def _rule(version: Any, variant: str, tier: TierRule) -> VariantThreshold:
    return VariantThreshold(
        version=version,
        variant=variant,
        threshold_tokens=tier.threshold_tokens,
        counted_kinds=",".join(sorted(tier.counted_kinds)),
        inclusive=tier.inclusive,
    )


def _band(version: Any, band: TimeBand) -> VariantBand:
    return VariantBand(
        version=version,
        variant=band.variant,
        tier=band.tier,
        weekdays="".join(str(day) for day in sorted(band.weekdays)),
        start=band.start,
        end=band.end,
        time_zone=band.time_zone,
    )


def _rate(version: Any, variant: str, threshold: int, kind: str, price: UnitPrice) -> VariantRate:
    return VariantRate(
        version=version,
        variant=variant,
        kind=kind,
        threshold_tokens=threshold,
        usd=price.usd,
        per_units=price.per,
    )


def price_sheet(version: Any) -> PriceSheet:
    """The version in full, as the bill engine reads it, with its provenance."""
    provenance = Provenance(version.pk, version.effective_from, version.source_url)
    rows = list(version.variant_rates.all())
    if not rows:
        return sheet_from_rates(version.to_rates(), provenance)
    prices: dict[tuple[str, int], dict[str, UnitPrice]] = defaultdict(dict)
    for row in rows:
        prices[(row.variant, row.threshold_tokens)][row.kind] = UnitPrice(row.usd, row.per_units)
    rules = {(r.variant, r.threshold_tokens): r for r in version.variant_thresholds.all()}
    variants = {}
    for (name, threshold), own in sorted(prices.items(), key=lambda item: item[0][1]):
        if threshold == BASE:
            variants[name] = Variant(name, own, _tiers(name, prices, rules))
    bands = tuple(
        TimeBand(b.variant, b.start, b.end, frozenset(int(d) for d in b.weekdays), b.time_zone, b.tier)
        for b in version.variant_bands.all()
    )
    return PriceSheet(variants=_standard_first(variants), bands=bands, provenance=provenance)


def _tiers(
    name: str, prices: dict[tuple[str, int], dict[str, UnitPrice]], rules: dict
) -> tuple[TierRule, ...]:
    tiers = []
    for (variant, threshold), tier_prices in sorted(prices.items(), key=lambda item: item[0][1]):
        if variant == name and threshold != BASE:
            rule = rules.get((name, threshold))
            counted = frozenset(rule.counted_kinds.split(",")) if rule else PROMPT_KINDS
            tiers.append(TierRule(threshold, tier_prices, counted, bool(rule and rule.inclusive)))
    return tuple(tiers)


def _standard_first(variants: dict[str, Variant]) -> dict[str, Variant]:
    return dict(sorted(variants.items(), key=lambda item: (item[0] != STANDARD, item[0])))
