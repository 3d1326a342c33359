"""Counts of a text's parts, each distinct part counted once, in a bounded table.

For an engine whose text can be cut where no token crosses (the cut is the engine's own, proven
by its tests), a text's count is the sum of its parts' counts. Repeated words and lines are the
norm, so each distinct part is counted once, misses in batch calls to the engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# Bounded by size, not entries, so memory stays flat whatever the texts: a part costs its
# characters plus about 100 bytes of dict slot, str header and int.
MAX_BYTES = 8 * 1024 * 1024  # per vocabulary
PART_OVERHEAD_BYTES = 100
BATCH_PARTS = 4096  # new parts per call to the engine
LONGEST_KEPT = 1024  # characters: a longer part (a long run, a minified line) is counted, never kept


class PartCounts:
    def __init__(self, count_many: Callable[[list[str]], list[int]], max_bytes: int = MAX_BYTES) -> None:
        self._count_many = count_many
        self._max_bytes = max_bytes
        self._bytes = 0
        self._table: dict[str, int] = {}
        self._lock = threading.Lock()  # one thread counts a text's new parts, the others reuse them

    def total(self, parts: list[str]) -> int:
        table = self._table
        with self._lock:
            missing = list(set(parts).difference(table))
            counted: dict[str, int] = {}
            # In batches: a C call such as SentencePiece's keeps the interpreter lock throughout,
            # and 60,000 parts in one call (1 MB of base64) held it ~160 ms at a time.
            for at in range(0, len(missing), BATCH_PARTS):
                batch = missing[at : at + BATCH_PARTS]
                counted.update(zip(batch, self._count_many(batch), strict=True))
            total = sum(table[p] if p in table else counted[p] for p in parts)
            kept = {p: n for p, n in counted.items() if len(p) <= LONGEST_KEPT}
            table.update(kept)
            self._bytes += sum(len(p) + PART_OVERHEAD_BYTES for p in kept)
            if self._bytes > self._max_bytes:
                self.clear_locked()  # a long-running server never holds more (and one text's)
        return total

    def size_bytes(self) -> int:
        """What the kept parts cost, as counted against ``max_bytes``."""
        return self._bytes

    def clear_locked(self) -> None:
        self._table.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._table)

    def clear(self) -> None:
        with self._lock:
            self.clear_locked()
