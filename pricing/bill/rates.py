"""Flat rates: a price version's money columns, declared once. Pure: no Django imports.

All rates are USD per million tokens (``*_usd_per_mtok``), exact ``Decimal``. Flat rates are a
view of the price in full (``pricing.bill.sheet.PriceSheet``): ``pricing.bill.from_rates`` says
what they mean as a sheet, and the bill engine (``pricing.bill.compute_bill``) bills every cost.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal

MTOK = Decimal(1_000_000)


# The rate fields are declared once, here: every field carrying a ``label`` is a money column of
# the catalogue (models, admin, forms, validation, importers, seed all follow ``RATE_FIELDS``).
# Adding a rate is one line in ``Rates`` (and one in ``TierRates`` if tiers may override it),
# plus the migration Django writes for the new column.
def _label(text: str) -> dict[str, str]:
    return {"label": text}


@dataclass(frozen=True)
class TierRates:
    """Rates that replace the base rates when the prompt exceeds ``threshold_tokens``."""

    threshold_tokens: int
    input_usd_per_mtok: Decimal = field(metadata=_label("input"))
    output_usd_per_mtok: Decimal = field(metadata=_label("output"))
    cache_read_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache read"))
    cache_write_5m_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache write (5 min)"))
    cache_write_1h_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache write (1 h)"))


@dataclass(frozen=True)
class Rates:
    """One price version's rates, USD per million tokens (request fee: USD per request)."""

    input_usd_per_mtok: Decimal = field(metadata=_label("input"))
    output_usd_per_mtok: Decimal = field(metadata=_label("output"))
    cache_read_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache read"))
    cache_write_5m_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache write (5 min)"))
    cache_write_1h_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("cache write (1 h)"))
    batch_input_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("batch input"))
    batch_output_usd_per_mtok: Decimal | None = field(default=None, metadata=_label("batch output"))
    request_usd: Decimal | None = field(default=None, metadata=_label("fee per request (USD)"))
    tiers: tuple[TierRates, ...] = ()

    @property
    def offers_batch(self) -> bool:
        return self.batch_input_usd_per_mtok is not None and self.batch_output_usd_per_mtok is not None


def rate_fields(kind: type[Rates] | type[TierRates]) -> tuple[str, ...]:
    """The money fields of ``Rates`` or ``TierRates``, in declaration order."""
    return tuple(f.name for f in fields(kind) if "label" in f.metadata)


def required_rate_fields(kind: type[Rates] | type[TierRates]) -> frozenset[str]:
    """The money fields without a default: a price is not a price without them."""
    return frozenset(f.name for f in fields(kind) if "label" in f.metadata and f.default is MISSING)


RATE_FIELDS = rate_fields(Rates)
TIER_RATE_FIELDS = rate_fields(TierRates)
RATE_LABELS: dict[str, str] = {f.name: f.metadata["label"] for f in fields(Rates) if "label" in f.metadata}


def rate_values(rates: Rates | TierRates) -> dict[str, Decimal | None]:
    """The money fields of ``rates`` by name (no tiers, no threshold): what a model row stores."""
    values: dict[str, Decimal | None] = {name: getattr(rates, name) for name in rate_fields(type(rates))}
    return values
