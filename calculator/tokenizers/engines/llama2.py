"""Meta's LLaMA 1 / Llama 2 vocabulary, read from the data file of npm ``llama-tokenizer-js`` 1.2.2.

That file keeps the 32,000 pieces (base64 of the pieces joined by newlines, in id order) and the
merges (base64 of little-endian uint16 pairs of piece ids, in merge order) as two string constants.
They are read as data, never run, and turned into the Hugging Face ``tokenizer.json`` that
``transformers`` converts Llama's SentencePiece model to: BPE with byte fallback, a "▁" put before
the text and every space written as "▁" (no pre-tokeniser), which the ``tokenizers`` library runs.

Checked against a second published copy (docs/tokenizers.md): the pieces equal, id for id, those of
the Llama SentencePiece vocabulary that llama.cpp publishes as a test file, and the merges follow
that file's piece scores; its published ids for the 46 texts of its tokenizer test are reproduced.
"""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..types import Token
from .hf import HFAdapter
from .offsets import make_tokens

if TYPE_CHECKING:
    from tokenizers import Encoding

VOCAB_SIZE = 32_000
_SPECIALS = ("<unk>", "<s>", "</s>")
_SPACE = "\u2581"  # SentencePiece's space
_WHOLE = 4_096  # a text up to this many characters is encoded whole (its parts are not worth it)


def _constant(source: str, name: str) -> bytes:
    found = re.search(rf'const {name} = "([A-Za-z0-9+/=\s]+)"', source)
    if found is None:
        raise ValueError(f"{name} not found in the llama-tokenizer-js data file")
    return base64.b64decode("".join(found.group(1).split()))


def tokenizer_doc(path: Path) -> dict[str, Any]:
    """The ``tokenizer.json`` document of the vocabulary in ``path`` (llama-tokenizer.js)."""
    source = path.read_text(encoding="utf-8")
    pieces = _constant(source, "llama_vocab_base64").decode("utf-8").split("\n")
    packed = _constant(source, "llama_merges_binary")
    if len(pieces) != VOCAB_SIZE or len(packed) % 4 or tuple(pieces[:3]) != _SPECIALS:
        raise ValueError(f"{path.name}: not the 32,000-piece Llama vocabulary")
    ids = struct.unpack(f"<{len(packed) // 2}H", packed)
    merges = [[pieces[ids[i]], pieces[ids[i + 1]]] for i in range(0, len(ids), 2)]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [_special(i, token) for i, token in enumerate(_SPECIALS)],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "Prepend", "prepend": _SPACE},
                {"type": "Replace", "pattern": {"String": " "}, "content": _SPACE},
            ],
        },
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": None,
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": "<unk>",
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": True,
            "byte_fallback": True,
            "ignore_merges": False,
            "vocab": {piece: i for i, piece in enumerate(pieces)},
            "merges": merges,
        },
    }


def _special(token_id: int, content: str) -> dict[str, Any]:
    flags = dict.fromkeys(("single_word", "lstrip", "rstrip", "normalized"), False)
    return {"id": token_id, "content": content, **flags, "special": True}


def make_adapter(path: Path) -> Llama2Adapter:
    """The engine for the vocabulary in ``path``."""
    return Llama2Adapter(tokenizer_doc(path))


class Llama2Adapter(HFAdapter):
    """Counts as ``tokenizer_doc`` encodes, but puts SentencePiece's leading space in by hand so the
    tokenizer's own normaliser is Gemma's plain space-to-"▁": a long text is then cut into parts
    (``space_cut``) counted once each, instead of one BPE pass over the whole text (3.5 s a MB of
    prose, 16.5 s for 4 MB, in one measurement; the deadline is 10 s)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        normalizers = doc["normalizer"]["normalizers"]
        if normalizers[0] != {"type": "Prepend", "prepend": _SPACE}:
            raise ValueError("expected the Llama normaliser: a leading '▁', then spaces as '▁'")
        super().__init__(doc={**doc, "normalizer": normalizers[1]})

    def _encode(self, text: str) -> Encoding:
        return super()._encode(" " + text if text else text)

    def count(self, text: str) -> int:
        if not text:
            return 0
        parts = self.cut.split(" " + text) if self.cut is not None and len(text) > _WHOLE else []
        if len(parts) < 64:
            return len(self._encode(text).ids)
        return self._parts.total(parts)

    def tokenize(self, text: str) -> tuple[Sequence[Token], bool]:
        enc = self._encode(text)
        # Offsets are into " " + text: the leading "▁" piece ends at 0, an empty token.
        return make_tokens(text, enc.ids, [max(0, end - 1) for _start, end in enc.offsets]), True
