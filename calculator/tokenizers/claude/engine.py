"""The Claude counting engine: ctok 1.3.0's counts, exactly, at compiled speed.

ctok counts a text as the fewest tokens that tile its marked stream (``stream``), every
vocabulary piece costing one, a character no piece covers costing its byte-floor tiling. That is a
shortest path, and a SentencePiece Unigram model whose pieces all score -1 finds exactly it: its
Viterbi maximises the summed score, i.e. minimises the number of pieces, in C++. We build that
model in memory from ctok's own vocabulary files (ctok stays installed: it is the reference the
tests compare with, and its data is what we read). Characters in no piece are forced single tiles,
so they go to the model as one placeholder piece and their byte-floor cost is added here.

Long texts are cut into chunks whose counts add up (``claude_chunks.chunks``); a chunk's count is
kept in a bounded per-family table, so repeated words and lines are counted once per process.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from ..engines.part_counts import PartCounts
from . import chunks as claude_chunks
from . import stream as cs

# Our family key -> (ctok's vocabulary file, message frame tokens, frame ends in a BOW). The
# frame sizes and v4.8's bow-less frame are ctok 1.3.0's published family facts.
FAMILIES = {
    "v3": ("pieces_v3.json", 7, True),
    "v4.7": ("pieces_v4_7.json", 11, True),
    "v4.8": ("pieces_v4_7.json", 6, False),
}
PLACEHOLDER = "\ue0ff"  # stands for any character no piece covers (private use never reaches here)
BATCH_FROM = 32  # streams: fewer are encoded one call each
CHUNK_CACHE_BYTES = 8 * 1024 * 1024  # a family's common vocabulary, not a copy of every text
_ATOM = re.compile("\u27e8(bow|eow|shift|caps|0x[0-9A-Fa-f]{2})\u27e9")
_GLYPH = {"bow": cs.BOW, "eow": cs.EOW, "shift": cs.SHIFT, "caps": cs.CAPS}


def parse_piece(public: str) -> str:
    """ctok's file notation -> our stream form: named atoms to glyphs, byte atoms decoded."""
    out, pending = [], bytearray()
    pos = 0
    for match in _ATOM.finditer(public):
        if pending and (match.start() > pos or not match.group(1).startswith("0x")):
            out.append(pending.decode("utf-8"))  # a byte run ends where text or a marker starts
            pending.clear()
        out.append(public[pos : match.start()])
        atom = match.group(1)
        if atom.startswith("0x"):
            pending.append(int(atom[2:], 16))
        else:
            out.append(_GLYPH[atom])
        pos = match.end()
    if pending:
        out.append(pending.decode("utf-8"))
    out.append(public[pos:])
    return "".join(out)


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _field(number: int, wire: int, payload: bytes) -> bytes:
    key = _varint(number << 3 | wire)
    return key + (_varint(len(payload)) + payload if wire == 2 else payload)


def unigram_model(pieces: list[tuple[str, float]]) -> bytes:
    """A serialised SentencePiece ModelProto: id 0 unknown, then ``pieces`` (normal), Unigram,
    identity normalisation, no dummy prefix, whitespace kept as it is, no BOS/EOS/PAD."""

    def piece(text: str, score: float, kind: int) -> bytes:
        body = _field(1, 2, text.encode()) + _field(2, 5, struct.pack("<f", score))
        return _field(1, 2, body + _field(3, 0, _varint(kind)))

    out = [piece("<unk>", 0.0, 2)] + [piece(text, score, 1) for text, score in pieces]
    trainer = b"".join(_field(n, 0, _varint(v)) for n, v in ((3, 1), (40, 0), (41, -1), (42, -1), (43, -1)))
    normalizer = _field(1, 2, b"identity") + b"".join(_field(n, 0, _varint(0)) for n in (3, 4, 5))
    return b"".join(out) + _field(2, 2, trainer) + _field(3, 2, normalizer)


class ByteFloor:
    """What a character no piece covers costs: the fewest tokens over its UTF-8 bytes, each byte
    one token, some multi-byte prefixes (and whole unit characters) one token too."""

    def __init__(self, prefixes: set[bytes]) -> None:
        self.prefixes = prefixes
        self._costs: dict[str, int] = {}

    def cost(self, char: str) -> int:
        hit = self._costs.get(char)
        if hit is None:
            data = cs.UNESCAPE.get(char, char).encode()
            best = [0] + [len(data)] * len(data)
            for end in range(1, len(data) + 1):
                for start in range(end):
                    if end - start == 1 or data[start:end] in self.prefixes:
                        best[end] = min(best[end], best[start] + 1)
            if len(self._costs) > 100_000:
                self._costs.clear()  # bounded, whatever characters a text brings
            hit = self._costs[char] = best[-1]
        return hit


@dataclass
class Vocabulary:
    pieces: frozenset[str]
    singles: frozenset[str]
    floor: ByteFloor
    caps_min: int | None
    fold_quotes: bool


@cache
def vocabulary(filename: str) -> Vocabulary:
    doc = json.loads(files("ctok").joinpath("data", filename).read_text(encoding="utf-8"))
    groups = doc["tokens"]
    pieces = {parse_piece(p) for group, items in groups.items() if group != "bytes_fallback" for p in items}
    pieces |= {parse_piece(p) + cs.EOW for p in groups["contractions"]}  # the encoder writes 's⟨eow⟩
    singles = frozenset(p for p in pieces if len(p) == 1)
    prefixes = {bytes.fromhex(h) for h in groups["bytes_fallback"]}
    prefixes |= {c.encode() for c in singles if c not in cs.MARKERS}
    meta = doc["meta"]
    floor = ByteFloor(prefixes)
    return Vocabulary(frozenset(pieces), singles, floor, meta["allcaps_min"], meta["fold_quotes"])


class Tiler:
    """The minimum tiling over one vocabulary file, and its table of chunk counts. Families that
    read the same file with the same stream rules (v4.7 and v4.8 differ only at the message
    head, which is never a table entry) share one, so a text's chunks are tiled once for both."""

    def __init__(self, filename: str) -> None:
        import sentencepiece

        vocab = vocabulary(filename)
        self.floor = vocab.floor
        chars = {c for piece in vocab.pieces for c in piece}
        # A character inside longer pieces but no piece itself still tiles alone at its floor cost.
        lone = {c: self.floor.cost(c) for c in chars - vocab.singles}
        scored = [(p, -1.0) for p in sorted(vocab.pieces)] + [(c, -float(k)) for c, k in sorted(lone.items())]
        scored.append((PLACEHOLDER, -1.0))
        self.spm = sentencepiece.SentencePieceProcessor(model_proto=unigram_model(scored))
        self.extra = {self.spm.piece_to_id(c): k - 1 for c, k in lone.items() if k != 1}
        # Streams without any of those characters (nearly all) are counted by length alone.
        dear = "".join(sorted(c for c, k in lone.items() if k != 1))
        self.dear = re.compile("[" + re.escape(dear) + "]") if dear else None
        self.unknown = re.compile("[^" + re.escape("".join(sorted(chars))) + "]")
        self.placeholder_id = self.spm.piece_to_id(PLACEHOLDER)
        caps_min = vocab.caps_min
        # Chunk -> count, bounded; one thread tiles a text's new chunks, the others reuse them.
        self.chunks = PartCounts(
            lambda parts: self.count_streams([claude_chunks.chunk_stream(p, caps_min) for p in parts]),
            max_bytes=CHUNK_CACHE_BYTES,
        )

    def count_streams(self, streams: list[str]) -> list[int]:
        """Fewest tokens tiling each stream (pieces one each, uncovered characters their floor)."""
        joined = "".join(streams)
        dear = self.dear is not None and self.dear.search(joined) is not None
        if not self.unknown.search(joined):  # the usual case: every character has a piece
            encoded = self._encode(streams)
            return [len(ids) + self._extra_cost(ids) for ids in encoded] if dear else list(map(len, encoded))
        floors = []
        inputs = []
        for s in streams:
            odd = self.unknown.findall(s)
            floors.append(sum(map(self.floor.cost, odd)))
            inputs.append(self.unknown.sub(PLACEHOLDER, s) if odd else s)
        counts = []
        for ids, floor in zip(self._encode(inputs), floors, strict=True):
            placeholders = ids.count(self.placeholder_id) if floor else 0
            counts.append(len(ids) - placeholders + floor + (self._extra_cost(ids) if dear else 0))
        return counts

    def _extra_cost(self, ids: list[int]) -> int:
        return sum(ids.count(i) * k for i, k in self.extra.items())

    def _encode(self, streams: list[str]) -> list[list[int]]:
        """Ids of each stream. SentencePiece's batch call sets up a thread pool (~0.1 ms), which
        pays only for many streams; a short text's two or three are encoded one by one."""
        if len(streams) < BATCH_FROM:
            return [self.spm.encode(s) for s in streams]
        encoded: list[list[int]] = self.spm.encode(streams, num_threads=1)
        return encoded


@cache
def tiler(filename: str) -> Tiler:
    return Tiler(filename)


class ClaudeEngine:
    """One ctok family: ``count`` gives ctok's count less the message frame."""

    def __init__(self, family: str) -> None:
        filename, self.frame, self.frame_bow = FAMILIES[family]
        vocab = vocabulary(filename)
        self.caps_min, self.fold_quotes = vocab.caps_min, vocab.fold_quotes
        self._tiler = tiler(filename)
        self.floor = self._tiler.floor
        self._spm, self._unknown = self._tiler.spm, self._tiler.unknown
        self._count_streams = self._tiler.count_streams
        self._ladder: dict[int, int] = {}

    # -- counting ---------------------------------------------------------------------------

    def count(self, text: str) -> int:
        p = cs.prepare(text, self.fold_quotes, self.frame_bow)
        parts, tail = claude_chunks.chunks(p.body)
        if not parts:
            return self._count_streams([self._stream(p.body, True)])[0] + self.ladder(p.tail_newlines)
        head = [self._stream(parts[0], True)] + ([self._stream(tail, False)] if tail else [])
        chunks = self._tiler.chunks.total(parts[1:])
        return sum(self._count_streams(head)) + chunks + self.ladder(p.tail_newlines)

    def forget(self) -> None:
        """Drop the chunk table (benchmarks measure a cold count with it)."""
        self._tiler.chunks.clear()

    def _stream(self, body: str, head: bool) -> str:
        return cs.stream(body, self.caps_min, self.frame_bow, head)

    def ladder(self, newlines: int) -> int:
        """What content-final newlines cost beyond the frame's own closing token: the frame adds
        two, one token may span into them, and the frame already pays for one."""
        if not newlines:
            return 0
        hit = self._ladder.get(newlines)
        if hit is None:
            hit = self._ladder[newlines] = self._count_streams(["\n" * (newlines + 2)])[0] - 1
        return hit

    # -- token view -------------------------------------------------------------------------

    def tiles(self, text: str) -> tuple[list[int], cs.Prepared]:
        """End offsets, in the prepared body, of one minimum tiling of the whole stream (the
        model's tie-breaking, not Anthropic's boundaries: only the count is reproduced)."""
        p = cs.prepare(text, self.fold_quotes, self.frame_bow)
        marked = self._stream(p.body, True)
        pieces = self._spm.encode(self._unknown.sub(PLACEHOLDER, marked), out_type=str)
        ends, pos, at = [], 0, 0
        for piece in pieces:
            for _ in range(len(piece)):
                char = marked[at]
                at += 1
                if char in cs.MARKERS:
                    continue
                # Seam spaces are in the body but not the stream; a head quote's space is the reverse.
                while pos < len(p.body) and p.body[pos] == " " and char != " ":
                    pos += 1
                if not (char == " " and p.body[pos : pos + 1] != " "):
                    pos += 1
            ends.append(pos)
        return ends, p
