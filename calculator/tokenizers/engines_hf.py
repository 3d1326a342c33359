"""Adapter run by the Hugging Face ``tokenizers`` library (Gemma 3's SentencePiece-style BPE with
byte fallback, which has no regex pre-tokeniser for tiktoken to reuse)."""

from __future__ import annotations

from pathlib import Path

from .offsets import make_tokens
from .types import Token


class HFAdapter:
    """A ``tokenizer.json`` loaded with ``tokenizers``; no BOS/EOS, special-token strings in the
    text are split like any other text (``encode_special_tokens``)."""

    engine = "tokenizers"

    def __init__(self, path: Path) -> None:
        import tokenizers  # heavy, loaded where used

        self.tokenizer = tokenizers.Tokenizer.from_file(str(path))
        self.tokenizer.encode_special_tokens = True

    def _encode(self, text: str):
        return self.tokenizer.encode(text, add_special_tokens=False)

    def encode_ids(self, text: str) -> list[int]:
        return self._encode(text).ids

    def count(self, text: str) -> int:
        return len(self._encode(text).ids)

    def tokenize(self, text: str) -> tuple[list[Token], bool]:
        enc = self._encode(text)
        # Offsets are characters; byte-fallback pieces of one character repeat its range, which
        # make_tokens turns into one full range followed by empty ones.
        return make_tokens(text, enc.ids, [end for _start, end in enc.offsets]), True
