"""An import's totals and breakdowns, added up row by row. Pure: no Django.

A row without a price is counted as unpriced and never adds $0 to a total. The reconciliation
(``difference_usd``, computed minus reported) is over the rows that carry both a reported cost
and a price, so an unpriced row never looks like a saving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pricing.bill.money import money

ZERO = Decimal(0)


@dataclass
class Bucket:
    rows: int = 0
    priced_rows: int = 0
    total_usd: Decimal = ZERO
    reported_rows: int = 0
    reported_usd: Decimal = ZERO
    reconciled_rows: int = 0  # priced and reported
    reconciled_reported_usd: Decimal = ZERO
    reconciled_computed_usd: Decimal = ZERO

    def add(self, cost_usd: Decimal | None, reported_usd: Decimal | None) -> None:
        self.rows += 1
        if cost_usd is not None:
            self.priced_rows += 1
            self.total_usd += cost_usd
        if reported_usd is not None:
            self.reported_rows += 1
            self.reported_usd += reported_usd
            if cost_usd is not None:
                self.reconciled_rows += 1
                self.reconciled_reported_usd += reported_usd
                self.reconciled_computed_usd += cost_usd

    def merge(self, other: Bucket) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_json(self) -> dict[str, Any]:
        reconciled = self.reconciled_rows > 0
        return {
            "rows": self.rows,
            "priced_rows": self.priced_rows,
            "unpriced_rows": self.rows - self.priced_rows,
            # No row priced: the cost is unknown, never $0.
            "total_usd": money(self.total_usd) if self.priced_rows else None,
            "reported_usd": money(self.reported_usd) if self.reported_rows else None,
            "reported_rows": self.reported_rows,
            "reconciled_rows": self.reconciled_rows,
            "difference_usd": (
                _signed(self.reconciled_computed_usd - self.reconciled_reported_usd) if reconciled else None
            ),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Bucket:
        values: dict[str, Any] = {name: _number(data[name]) for name in cls.__dataclass_fields__}
        return cls(**values)

    def state(self) -> dict[str, str | int]:
        """Every field exactly (Decimals as text), to resume adding after a restart."""
        return {name: _store(getattr(self, name)) for name in self.__dataclass_fields__}


@dataclass
class ModelNotes:
    """What a model's rows were billed by, to explain a difference with the reported cost."""

    versions: dict[str, str] = field(default_factory=dict)  # price version id → effective_from
    variants: dict[str, int] = field(default_factory=dict)  # variant → rows
    over_threshold_rows: int = 0
    cache_write_rows: int = 0
    reported_places: int = 0  # the most decimal places a reported cost was given with
    reported_unpriced_usd: Decimal = ZERO

    def state(self) -> dict[str, Any]:
        return {**vars(self), "reported_unpriced_usd": str(self.reported_unpriced_usd)}

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> ModelNotes:
        return cls(**{**data, "reported_unpriced_usd": Decimal(data["reported_unpriced_usd"])})


@dataclass(frozen=True)
class BillFacts:
    """The facts of one row's bill the reconciliation explains by (none when unpriced)."""

    price_version: int
    effective_from: str
    variant: str
    over_threshold: bool


@dataclass
class Summary:
    """The whole import, by day (UTC), by model and by tag; models not found with their rows."""

    total: Bucket = field(default_factory=Bucket)
    by_day: dict[str, Bucket] = field(default_factory=dict)
    by_model: dict[str, Bucket] = field(default_factory=dict)
    by_tag: dict[str, Bucket] = field(default_factory=dict)
    unpriced_reasons: dict[str, int] = field(default_factory=dict)
    not_found: dict[str, int] = field(default_factory=dict)
    notes: dict[str, ModelNotes] = field(default_factory=dict)

    def add(
        self,
        *,
        day: str,
        model: str,
        tags: tuple[str, ...],
        cost_usd: Decimal | None,
        reported_usd: Decimal | None,
        unpriced_reason: str = "",
        model_found: bool = True,
        facts: BillFacts | None = None,
        cache_writes: bool = False,
    ) -> None:
        self.total.add(cost_usd, reported_usd)
        for key, buckets in ((day, self.by_day), (model, self.by_model)):
            buckets.setdefault(key, Bucket()).add(cost_usd, reported_usd)
        for tag in tags or ("",):
            self.by_tag.setdefault(tag, Bucket()).add(cost_usd, reported_usd)
        if cost_usd is None:
            self.unpriced_reasons[unpriced_reason] = self.unpriced_reasons.get(unpriced_reason, 0) + 1
        if not model_found:
            self.not_found[model] = self.not_found.get(model, 0) + 1
        self._note(self.notes.setdefault(model, ModelNotes()), facts, cache_writes, reported_usd)

    @staticmethod
    def _note(
        notes: ModelNotes, facts: BillFacts | None, cache_writes: bool, reported: Decimal | None
    ) -> None:
        if facts is not None:
            notes.versions[str(facts.price_version)] = facts.effective_from
            notes.variants[facts.variant] = notes.variants.get(facts.variant, 0) + 1
            notes.over_threshold_rows += facts.over_threshold
        notes.cache_write_rows += cache_writes
        if reported is not None:
            exponent = reported.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            notes.reported_places = max(notes.reported_places, places)
            if facts is None:
                notes.reported_unpriced_usd += reported

    def state(self) -> dict[str, Any]:
        return {
            "total": self.total.state(),
            **{name: {k: b.state() for k, b in getattr(self, name).items()} for name in BREAKDOWNS},
            "unpriced_reasons": self.unpriced_reasons,
            "not_found": self.not_found,
            "notes": {model: notes.state() for model, notes in self.notes.items()},
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Summary:
        return cls(
            total=Bucket.from_json(data["total"]),
            **{name: {k: Bucket.from_json(v) for k, v in data[name].items()} for name in BREAKDOWNS},
            unpriced_reasons=dict(data["unpriced_reasons"]),
            not_found=dict(data["not_found"]),
            notes={model: ModelNotes.from_state(notes) for model, notes in data["notes"].items()},
        )


BREAKDOWNS = ("by_day", "by_model", "by_tag")


def _store(value: Decimal | int) -> str | int:
    return str(value) if isinstance(value, Decimal) else value


def _number(value: str | int) -> Decimal | int:
    return Decimal(value) if isinstance(value, str) else value


def _signed(value: Decimal) -> str:
    text = money(abs(value)) or "0"
    return f"-{text}" if value < 0 else text


def explain_difference(bucket: Bucket, notes: ModelNotes) -> list[str]:
    """The causes that can be told of a model's difference between computed and reported cost."""
    if not bucket.reconciled_rows and not notes.reported_unpriced_usd:
        return []
    causes = []
    difference = bucket.reconciled_computed_usd - bucket.reconciled_reported_usd
    if notes.reported_unpriced_usd:
        causes.append(
            f"rows unpriced here carry ${money(notes.reported_unpriced_usd)} of reported cost,"
            " left out of the comparison"
        )
    if len(notes.versions) > 1:
        starts = ", ".join(sorted(start[:10] for start in notes.versions.values())[1:])
        causes.append(f"the price changed inside the period (from {starts}): each row billed at its own")
    other = {variant: rows for variant, rows in notes.variants.items() if variant != "standard"}
    if other:
        listed = ", ".join(f"{variant} ({rows:,} rows)" for variant, rows in sorted(other.items()))
        causes.append(f"rows billed on another tier or time band: {listed}")
    if notes.over_threshold_rows:
        causes.append(
            f"{notes.over_threshold_rows:,} rows passed a long-context threshold:"
            " the higher rate billed them whole"
        )
    if notes.cache_write_rows:
        causes.append(
            f"{notes.cache_write_rows:,} rows wrote to the cache:"
            " its lifetime (5 minutes or 1 hour) sets the rate"
        )
    if difference and abs(difference) <= _rounding_bound(bucket.reconciled_rows, notes.reported_places):
        causes.append(f"within rounding: reported costs carry {notes.reported_places} decimal places")
    return causes


def _rounding_bound(rows: int, places: int) -> Decimal:
    """The most that rounding each of ``rows`` reported costs to ``places`` places can add up to."""
    return rows * Decimal(5) * Decimal(10) ** -(places + 1)
