"""The Claude 3+ estimator: ctok 1.3.0, an offline reconstruction of Anthropic's count endpoint.

ctok is pure Python (~0.4 MB/s on this kind of machine), so long texts are cut at line breaks
and counted in a process pool, where they neither hold this process's GIL nor use only one core.
Counting chunks separately shifts the total by a few tokens per 100 KB (measured 7 in 24,860);
the count is an estimate either way. Above ``sample_bytes`` only evenly spaced windows are counted
and the total is scaled by bytes, so a 5 MB paste costs the same as a 256 KB one.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .offsets import make_tokens
from .types import Token

PAD = "\u27e8pad\u27e9"  # ctok's frame token "⟨pad⟩"
_ATOM = re.compile("\u27e8(?:0x([0-9A-Fa-f]{2})|[a-z]+)\u27e9")

POOL_PROCESSES = max(1, min(2, multiprocessing.cpu_count()))
INLINE_BYTES = 32 * 1024  # below this, counting in-thread beats the pool's round trip
CHUNK_BYTES = 128 * 1024

_pool: Executor | None = None
_pool_lock = threading.Lock()
# The families (ctok version strings, from the catalogue's claude_family) that each new pool
# worker loads at start: those of every estimator built in this process, and start_pool's.
_families: set[str] = set()


def frame_tokens(version: str) -> int:
    """Tokens ctok adds for the one-message frame (7 / 11 / 6 by family), read from its output."""
    import ctok

    return sum(1 for t in ctok.tokenize("a", version) if t == PAD)


def count_chunk(text: str, version: str) -> int:
    """Content tokens of one chunk (runs in pool workers, hence module level)."""
    import ctok

    return ctok.token_count(text, version) - frame_tokens(version) if text else 0


def split_text(text: str, chunk_bytes: int) -> list[str]:
    """Pieces of about ``chunk_bytes`` characters, cut after a line break where there is one."""
    pieces, start = [], 0
    while len(text) - start > chunk_bytes:
        cut = text.rfind("\n", start + chunk_bytes // 2, start + chunk_bytes)
        cut = cut + 1 if cut != -1 else start + chunk_bytes
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _load_families(families: tuple[str, ...]) -> None:
    """Pool worker initializer: load every family once, so no request pays a worker's load."""
    for version in families:
        count_chunk("warm up", version)


def _executor() -> Executor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # spawn: forking a threaded web server process is unsafe.
            _pool = ProcessPoolExecutor(
                max_workers=POOL_PROCESSES,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_load_families,
                initargs=(tuple(sorted(_families)),),
            )
        return _pool


def _discard(pool: Executor) -> None:
    """Forget a broken pool (a counting process was killed), so the next count starts a new one."""
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def map_in_pool(pieces: list[str], version: str) -> list[int]:
    """``count_chunk`` over ``pieces`` in the pool; once more in a new pool if a process died."""
    for attempt in (1, 2):
        pool = _executor()
        try:
            return list(pool.map(count_chunk, pieces, [version] * len(pieces)))
        except BrokenProcessPool:
            _discard(pool)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def start_pool(families: Iterable[str]) -> None:
    """Start the counting processes now (each loads ``families``, a few seconds), so the first
    long text does not wait for them. Call it in a server's worker, never before a fork."""
    _families.update(families)
    # The pool spawns a process for each task submitted while none is idle: one task each.
    map_in_pool(["warm up"] * POOL_PROCESSES, min(_families))


class ClaudeEstimator:
    """One ctok family. ``sample_bytes`` (None: count everything) bounds the work per text."""

    engine = "ctok"

    def __init__(self, version: str, *, sample_bytes: int | None = 256 * 1024) -> None:
        import ctok

        self.version = version
        self.sample_bytes = sample_bytes
        self.frame = frame_tokens(version)
        _families.add(version)
        ctok.token_count("warm up", version)  # loads the family's vocabulary now, not mid-request

    def is_sampled(self, text: str) -> bool:
        return self.sample_bytes is not None and len(text) > self.sample_bytes

    def count(self, text: str) -> int:
        if len(text) <= INLINE_BYTES:
            return count_chunk(text, self.version)
        if not self.is_sampled(text):
            return self._count_in_pool(split_text(text, CHUNK_BYTES))
        windows = self._windows(text)
        counted = self._count_in_pool(windows)
        return round(counted * len(text) / sum(len(w) for w in windows))

    def _windows(self, text: str) -> list[str]:
        """Four evenly spaced windows of ``sample_bytes / 4`` characters, cut at line breaks."""
        assert self.sample_bytes is not None  # only sampled texts get here
        size = self.sample_bytes // 4
        step = (len(text) - size) // 3
        return [split_text(text[i * step :], size)[0] for i in range(4)]

    def _count_in_pool(self, pieces: list[str]) -> int:
        return sum(map_in_pool(pieces, self.version))

    def tokenize(self, text: str) -> tuple[list[Token], bool]:
        """One plausible tiling of ``text`` whose length is ctok's count; not real boundaries."""
        import ctok

        if not text:
            return [], False
        rendered = ctok.tokenize(text, self.version)[self.frame :]
        ends = _advancing(align(text, rendered))
        if not ends:  # ctok counts some text (control characters) as nothing: still show it
            return [Token(id=None, text=text, start=0, end=len(text))], False
        ends[-1] = len(text)  # the spans must cover the whole text, whatever ctok folded away
        return make_tokens(text, [None] * len(ends), ends), False


def _advancing(ends: list[int]) -> list[int]:
    """Drop zero-width spans (characters ctok folded away); the tiling is illustrative anyway."""
    kept: list[int] = []
    for end in ends:
        if end > (kept[-1] if kept else 0):
            kept.append(end)
    return kept


def align(text: str, rendered: list[str]) -> list[int]:
    """Character end offsets of ctok's rendered tokens in the original text.

    ctok renders lower-cased, NFC-folded text with marker atoms; we strip the atoms, count raw
    byte atoms until they complete a character, and walk the original text case-insensitively,
    letting whitespace that ctok folded into markers join the token before it.
    """
    ends, pos, pending_bytes = [], 0, 0
    for token in rendered:
        for match in _ATOM.finditer(token):
            if match.group(1):
                pending_bytes += 1
        for ch in _ATOM.sub("", token):
            while pos < len(text) and text[pos].isspace() and not ch.isspace():
                pos += 1
            if pos < len(text):
                pos += 1
        while pending_bytes and pos < len(text):
            width = len(text[pos].encode("utf-8", "surrogatepass"))
            if width > pending_bytes:
                break
            pending_bytes -= width
            pos += 1
        ends.append(pos)
    return ends
