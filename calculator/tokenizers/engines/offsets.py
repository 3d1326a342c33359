"""Character offsets of tokens in the original text.

Every engine reports token boundaries in its own unit (tiktoken: bytes of the string it encoded;
``tokenizers``: characters, possibly overlapping where one character's bytes span two tokens;
SentencePiece: bytes). These helpers turn them into one tiling of the original text: ranges are
contiguous, never overlap, cover the whole text, and a character split across tokens belongs to
the token holding its first byte (later tokens of that character get an empty range).
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from ..types import NormalForm, Token


def byte_ends_to_char_ends(text: str, byte_ends: Iterable[int]) -> list[int]:
    """Map cumulative UTF-8 byte end offsets (ascending) to character offsets in ``text``.

    A byte offset inside a character is rounded up to that character's end, so the character goes
    to the token that holds its first byte.
    """
    if text.isascii():
        return list(byte_ends)
    # starts[i] = byte offset where character i begins; starts[-1] = total bytes.
    starts = [0]
    total = 0
    for ch in text:
        code = ord(ch)
        total += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        starts.append(total)
    return [bisect_left(starts, b) for b in byte_ends]


def make_tokens(text: str, ids: Sequence[int | None], ends: Sequence[int]) -> Tokens:
    """Tokens over ``text`` from ids and (possibly untidy) character end offsets."""
    return Tokens(text, ids, ends)


class Tokens(Sequence[Token]):
    """The tokens of a text, each made when it is read: a 5 MB text has over a million tokens,
    and one ``Token`` object apiece (with its slice of the text) took ~250 MB where the ids and
    the tiled ends, kept as machine integers, take ~20 MB. Equal to any sequence of the same
    tokens (a list included)."""

    __slots__ = ("_ends", "_ids", "_text")

    def __init__(self, text: str, ids: Sequence[int | None], ends: Sequence[int]) -> None:
        tidy, prev, length = array("q"), 0, len(text)
        for end in ends:  # contiguous ranges: ends made non-decreasing, the last stretched to the text's end
            prev = min(max(end, prev), length)
            tidy.append(prev)
        if tidy and prev < length:
            tidy[-1] = length
        if len(ids) != len(tidy):
            raise ValueError(f"{len(ids)} ids for {len(tidy)} token ends")
        self._text, self._ends = text, tidy
        self._ids: array[int] | None = None if any(i is None for i in ids) else array("q", ids)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._ends)

    def _token(self, index: int) -> Token:
        start = self._ends[index - 1] if index else 0
        end = self._ends[index]
        return Token(self._ids[index] if self._ids is not None else None, self._text[start:end], start, end)

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            return [self._token(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("token index out of range")
        return self._token(index)

    def __iter__(self) -> Iterator[Token]:
        return (self._token(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Tokens({len(self)} tokens)"


class NormalizedText:
    """A Unicode normalisation of a text, with a map of its offsets back to the original.

    The original is cut into segments of one starter character plus its combining marks; each
    segment is normalised on its own. When that equals normalising the whole text (true except for
    rare starter pairs such as decomposed Hangul jamo), a boundary inside a segment's normalised
    form maps to the end of the original segment. Otherwise the text is cut only before ASCII
    characters, which never compose with what precedes them.
    """

    def __init__(self, text: str, form: NormalForm) -> None:
        self.original = text
        self.text = unicodedata.normalize(form, text)
        self._norm_starts: list[int] = [0]
        self._orig_starts: list[int] = [0]
        if self.text != text:
            self._build(form)

    def _build(self, form: NormalForm) -> None:
        for splitter in (_starter_segments, _ascii_segments):
            norm_starts, orig_starts, total = [0], [0], 0
            pieces = []
            for seg_start, seg in splitter(self.original):
                piece = unicodedata.normalize(form, seg)
                pieces.append(piece)
                total += len(piece)
                norm_starts.append(total)
                orig_starts.append(seg_start + len(seg))
            if "".join(pieces) == self.text:
                self._norm_starts, self._orig_starts = norm_starts, orig_starts
                return

    def to_original(self, offset: int) -> int:
        """Original character offset of a normalised one (rounded up to a segment end)."""
        if self.text == self.original:
            return offset
        if offset >= len(self.text):
            return len(self.original)
        i = bisect_left(self._norm_starts, offset)
        return self._orig_starts[min(i, len(self._orig_starts) - 1)]


def _starter_segments(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for i in range(1, len(text)):
        if not unicodedata.combining(text[i]):
            yield start, text[start:i]
            start = i
    if text:
        yield start, text[start:]


def _ascii_segments(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for i in range(1, len(text)):
        if text[i] < "\x80":
            yield start, text[start:i]
            start = i
    if text:
        yield start, text[start:]
