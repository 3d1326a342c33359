"""The catalogue's tables: Django finds the app's models here.

``catalogue`` holds providers, models, price versions and the refresh's records; ``sheets`` holds
what a version prices beyond its flat rates (variants, threshold rules, time bands); ``money``
holds the ECB reference rates and contract overlays.
"""

from pricing.models.catalogue import (
    ImportRun,
    LanguageModel,
    PricePayload,
    PriceProposal,
    PriceSnapshot,
    PriceTable,
    PriceTier,
    PriceVersion,
    PriceVersionQuerySet,
    Provider,
    SourceListing,
    SourceLock,
    SourceObservation,
)
from pricing.models.money import Overlay, OverlayRule, OverlayRuleProposal, ReferenceRate
from pricing.models.sheets import VariantBand, VariantRate, VariantThreshold

__all__ = [
    "ImportRun",
    "LanguageModel",
    "Overlay",
    "OverlayRule",
    "OverlayRuleProposal",
    "PricePayload",
    "PriceProposal",
    "PriceSnapshot",
    "PriceTable",
    "PriceTier",
    "PriceVersion",
    "PriceVersionQuerySet",
    "Provider",
    "ReferenceRate",
    "SourceListing",
    "SourceLock",
    "SourceObservation",
    "VariantBand",
    "VariantRate",
    "VariantThreshold",
]
