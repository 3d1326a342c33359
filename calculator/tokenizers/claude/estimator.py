"""The Claude 3+ estimator: ctok 1.3.0's counts (an offline reconstruction of Anthropic's count
endpoint), computed by our compiled-speed engine (``claude.engine``), exactly and in-thread.

No sampling and no counting processes: the engine counts a 1 MB text in a fraction of a second,
so every text up to the size limit is counted whole, and equality with ctok is tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..engines.offsets import NormalizedText, make_tokens
from ..types import Token
from .engine import ClaudeEngine

# The catalogue's ctok version string -> our family key (ctok 1.3.0: "3.0" serves 3.0 to 4.6,
# "4.7" serves 4.7, "4.8" serves 4.8 and later).
FAMILY_OF_VERSION = {"3.0": "v3", "4.7": "v4.7", "4.8": "v4.8"}
_DROPPED = re.compile("[\x01-\x08\x0b-\x1f\x7f\x80-\x9f\ue000-\uf8ff]")


class ClaudeEstimator:
    """One ctok family."""

    engine = "ctok"

    def __init__(self, version: str) -> None:
        self.version = version
        self._engine = ClaudeEngine(FAMILY_OF_VERSION[version])
        self.frame = self._engine.frame
        self._engine.count("warm up")  # builds the character tables now, not mid-request

    def count(self, text: str) -> int:
        return self._engine.count(text)

    def forget(self) -> None:
        self._engine.forget()

    def tokenize(self, text: str) -> tuple[Sequence[Token], bool]:
        """One tiling of ``text`` whose tokens are the engine's pieces; not real boundaries."""
        if not text:
            return [], False
        ends, prepared = self._engine.tiles(text)
        to_original = _original_offsets(text)
        shift = 1 if prepared.dropped_head else 0
        spans = _advancing([to_original(end + shift) if end else 0 for end in ends])
        if not spans:  # the text normalised away (control characters): still show it
            return [Token(id=None, text=text, start=0, end=len(text))], False
        spans[-1] = len(text)  # cover what normalisation folded away at the end
        return make_tokens(text, [None] * len(spans), spans), False


def _original_offsets(text: str) -> Callable[[int], int]:
    """Map an end offset in the normalised text back to the original text.

    Normalisation is NFC, then characters dropped (controls, private use) and the Thai SARA AM
    pair composed; the rest maps one to one."""
    nfc = NormalizedText(text, "NFC")
    kept = [i for i, ch in enumerate(nfc.text) if not _DROPPED.match(ch)]
    if "\u0e4d" in nfc.text:  # a composed pair is one normalised character: keep its first index
        pairs = {b for a, b in zip(kept, kept[1:], strict=False) if nfc.text[a : b + 1] == "\u0e4d\u0e32"}
        kept = [i for i in kept if i not in pairs]

    def to_original(end: int) -> int:
        if end <= 0:
            return 0
        if end > len(kept):
            return len(text)
        return nfc.to_original(kept[end - 1] + 1)

    return to_original


def _advancing(ends: list[int]) -> list[int]:
    """Drop zero-width spans (markers and folded characters); the tiling is illustrative."""
    kept: list[int] = []
    for end in ends:
        if end > (kept[-1] if kept else 0):
            kept.append(end)
    return kept
