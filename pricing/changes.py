"""Price changes across the catalogue, by date: what the "what changed" page and its feed list.

A change is a price version compared with the one before it for the same model: its first price
("new"), input and output both not lower and one higher ("up"), the reverse ("down"), one up and
one down ("mixed"), or the same input and output with other rates changed ("other").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .models import PriceVersion

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


def price_changes(
    *,
    provider: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    direction: str | None = None,
) -> list[PriceChange]:
    """Changes starting in [since, until), newest first, optionally of one provider or direction."""
    versions = PriceVersion.objects.filter(model__alias_of__isnull=True).select_related("model__provider")
    if provider:
        versions = versions.filter(model__provider__slug=provider)
    changes: list[PriceChange] = []
    previous: PriceVersion | None = None
    for version in versions.order_by("model_id", "effective_from"):
        before = previous if previous is not None and previous.model_id == version.model_id else None
        previous = version
        if (since and version.effective_from < since) or (until and version.effective_from >= until):
            continue
        change = PriceChange(version, before, _direction(before, version))
        if direction is None or change.direction == direction:
            changes.append(change)
    changes.sort(key=lambda c: (c.version.effective_from, c.version.pk), reverse=True)
    return changes


def _direction(before: PriceVersion | None, after: PriceVersion) -> str:
    if before is None:
        return "new"
    moves = {
        (getattr(after, name) > getattr(before, name)) - (getattr(after, name) < getattr(before, name))
        for name in ("input_usd_per_mtok", "output_usd_per_mtok")
    }
    if moves == {0}:
        return "other"
    if -1 in moves and 1 in moves:
        return "mixed"
    return "up" if 1 in moves else "down"
