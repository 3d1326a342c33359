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
from pathlib import Path
from typing import Any

VOCAB_SIZE = 32_000
_SPECIALS = ("<unk>", "<s>", "</s>")
_SPACE = "\u2581"  # SentencePiece's space


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
