"""Counts of a text's parts, each distinct part counted once, in a bounded table.

For an engine whose text can be cut where no token crosses (the cut is the engine's own, proven
by its tests), a text's count is the sum of its parts' counts. Repeated words and lines are the
norm, so each distinct part is counted once, misses in one batch call to the engine.
"""

from __future__ import annotations

from collections.abc import Callable

ENTRIES = 50_000  # distinct parts kept per vocabulary: bounded, so memory stays flat


class PartCounts:
    def __init__(self, count_many: Callable[[list[str]], list[int]], entries: int = ENTRIES) -> None:
        self._count_many = count_many
        self._entries = entries
        self._table: dict[str, int] = {}

    def total(self, parts: list[str]) -> int:
        table, unique = self._table, set(parts)
        known = {part: table[part] for part in unique if part in table}
        missing = [part for part in unique if part not in known]
        if missing:
            new = dict(zip(missing, self._count_many(missing), strict=True))
            known.update(new)
            if len(table) + len(new) > self._entries:
                table.clear()
            table.update(new)
        return sum(map(known.__getitem__, parts))

    def clear(self) -> None:
        self._table.clear()
