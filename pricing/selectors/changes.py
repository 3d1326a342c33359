"""Price changes across the catalogue, by date: what the "what changed" page and its feed list.

A change is a price version compared with the one before it for the same model: its first price
("new"), input and output both not lower and one higher ("up"), the reverse ("down"), one up and
one down ("mixed"), or the same input and output with other rates changed ("other"). A version
that bills every request as the one before it did changes nothing and is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pricing.bill.compare import bills_alike
from pricing.bill.rates import RATE_FIELDS
from pricing.models import PriceVersion
from pricing.models.sheets import SHEET_ROWS, price_sheet

DIRECTIONS = ("new", "up", "down", "mixed", "other")


@dataclass(frozen=True)
class PriceChange:
    version: PriceVersion
    previous: PriceVersion | None
    direction: str

    @property
    def input_change(self) -> Decimal | None:
        return self._change("input_usd_per_mtok")

    @property
    def output_change(self) -> Decimal | None:
        return self._change("output_usd_per_mtok")

    def _change(self, name: str) -> Decimal | None:
        """The change as a share of the old rate (None for a first price or from zero)."""
        if self.previous is None or getattr(self.previous, name) == 0:
            return None
        old = getattr(self.previous, name)
        return (getattr(self.version, name) - old) / old


@dataclass(frozen=True)
class ChangeRef:
    """A change by ids only: cheap to find and page through across the whole catalogue."""

    version_id: int
    previous_id: int | None
    direction: str


def find_changes(
    *,
    provider: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    direction: str | None = None,
) -> list[ChangeRef]:
    """Changes starting in [since, until), newest first, optionally of one provider or direction.

    Reads only ids, dates and the two headline rates of every version (each change needs the
    version before it, which may lie before ``since``); ``load_changes`` fetches a page's rows.
    """
    versions = PriceVersion.objects.standing().filter(model__alias_of__isnull=True)  # withdrawn: no change
    if provider:
        versions = versions.filter(model__provider__slug=provider)
    headline = ("input_usd_per_mtok", "output_usd_per_mtok")  # ``_direction`` reads them at [3:5]
    columns = (*headline, *(name for name in RATE_FIELDS if name not in headline))
    rows = versions.order_by("model_id", "effective_from").values_list(
        "pk", "model_id", "effective_from", *columns
    )
    found: list[tuple[datetime, ChangeRef]] = []
    same_columns: list[tuple[int, int]] = []
    before: tuple | None = None
    for row in rows:
        previous = before if before is not None and before[1] == row[1] else None
        before = row
        if (since and row[2] < since) or (until and row[2] >= until):
            continue
        if previous is not None and previous[3:] == row[3:]:
            same_columns.append((previous[0], row[0]))
        ref = ChangeRef(row[0], previous[0] if previous else None, _direction(previous, row))
        if direction is None or ref.direction == direction:
            found.append((row[2], ref))
    unchanged = _bill_alike(same_columns)
    found = [pair for pair in found if pair[1].version_id not in unchanged]
    found.sort(key=lambda pair: (pair[0], pair[1].version_id), reverse=True)
    return [ref for _, ref in found]


def _bill_alike(pairs: list[tuple[int, int]]) -> set[int]:
    """Of (previous, version) ids whose money columns are equal, the versions whose sheet bills
    every request as the previous one did (tiers, service tiers, bands, per-unit prices alike)."""
    if not pairs:
        return set()
    ids = {pk for pair in pairs for pk in pair}
    versions = PriceVersion.objects.prefetch_related(*SHEET_ROWS).in_bulk(ids)
    return {
        after
        for before, after in pairs
        if bills_alike(price_sheet(versions[before]), price_sheet(versions[after]))
    }


def rate_changes(model_id: int, start: datetime, end: datetime) -> list[PriceVersion]:
    """A model's standing versions taking effect in (start, end], oldest first, less those that
    bill every request as the version before them did (a restatement is not a price change)."""
    standing = PriceVersion.objects.standing().filter(model_id=model_id).prefetch_related(*SHEET_ROWS)
    between = list(
        standing.filter(effective_from__gt=start, effective_from__lte=end).order_by("effective_from")
    )
    before = standing.filter(effective_from__lte=start).order_by("-effective_from").first()
    changes = []
    for version in between:
        if before is None or not bills_alike(price_sheet(before), price_sheet(version)):
            changes.append(version)
        before = version
    return changes


def load_changes(refs: list[ChangeRef]) -> list[PriceChange]:
    """The versions (with their models) behind ``refs``, in the same order."""
    ids = {r.version_id for r in refs} | {r.previous_id for r in refs if r.previous_id}
    versions = PriceVersion.objects.select_related("model__provider").in_bulk(ids)
    return [PriceChange(versions[r.version_id], versions.get(r.previous_id or 0), r.direction) for r in refs]


def _direction(before: tuple | None, after: tuple) -> str:
    """``before`` and ``after`` are (pk, model_id, effective_from, input, output) rows."""
    if before is None:
        return "new"
    moves = {(a > b) - (a < b) for a, b in zip(after[3:5], before[3:5], strict=True)}
    if moves == {0}:
        return "other"
    if -1 in moves and 1 in moves:
        return "mixed"
    return "up" if 1 in moves else "down"
