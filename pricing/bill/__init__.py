"""The bill engine: what a provider would bill for one request, line by line. Pure: no Django.

``compute_bill(sheet, usage, at=..., service_tier=...)`` is the entry point; ``PriceSheet`` is a
price version in full (variants, tiers, bands, per-unit prices); ``images`` turns image inputs
into tokens by each provider's published rule.
"""

from pricing.bill.engine import Bill, BillLine, ThresholdNotice, compute_bill
from pricing.bill.images import ImageInput, NoImageRule, image_tokens
from pricing.bill.sheet import STANDARD, PriceSheet, Provenance, TierRule, TimeBand, UnitPrice, Variant
from pricing.bill.usage import BillError, BillUsage

__all__ = [
    "STANDARD",
    "Bill",
    "BillError",
    "BillLine",
    "BillUsage",
    "ImageInput",
    "NoImageRule",
    "PriceSheet",
    "Provenance",
    "ThresholdNotice",
    "TierRule",
    "TimeBand",
    "UnitPrice",
    "Variant",
    "compute_bill",
    "image_tokens",
]
