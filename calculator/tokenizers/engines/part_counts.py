"""Counts of a text's parts, each distinct part counted once, in a bounded table.

For an engine whose text can be cut where no token crosses (the cut is the engine's own, proven
by its tests), a text's count is the sum of its parts' counts. Repeated words and lines are the
norm, so each distinct part is counted once, misses in one batch call to the engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

ENTRIES = 50_000  # distinct parts kept per vocabulary: bounded, so memory stays flat


class PartCounts:
    def __init__(self, count_many: Callable[[list[str]], list[int]], entries: int = ENTRIES) -> None:
        self._count_many = count_many
        self._entries = entries
        self._table: dict[str, int] = {}
        self._lock = threading.Lock()  # one thread counts a text's new parts, the others reuse them

    def total(self, parts: list[str]) -> int:
        table = self._table
        with self._lock:
            missing = list(set(parts).difference(table))
            if missing:
                table.update(zip(missing, self._count_many(missing), strict=True))
            total = sum(map(table.__getitem__, parts))
            if len(table) > self._entries:
                table.clear()  # bounded: a long-running server never holds more (and one text's)
        return total

    def __len__(self) -> int:
        return len(self._table)

    def clear(self) -> None:
        with self._lock:
            self._table.clear()
