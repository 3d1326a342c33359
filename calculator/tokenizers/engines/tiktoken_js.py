"""OpenAI's GPT-2 / GPT-3 vocabularies (r50k_base, p50k_base), read from npm ``tiktoken`` 1.0.22.

That package keeps each encoding as JSON whose ``bpe_ranks`` is tiktoken's rank file written
compactly: one line per run of consecutive ranks, ``<label> <first rank> <base64 token> ...``.
Written back as ``<base64 token> <rank>`` lines in rank order, both files are byte for byte the
official ``.tiktoken`` files: their SHA-256 equals the one tiktoken itself pins for them
(``tiktoken_ext/openai_public.py``), which the tests check.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import tiktoken

from .tiktoken import TiktokenAdapter


def rank_lines(path: Path) -> list[tuple[str, int]]:
    """(base64 token, rank) pairs of the JSON file in ``path``, in rank order."""
    doc = json.loads(path.read_bytes())
    pairs: list[tuple[str, int]] = []
    for line in doc["bpe_ranks"].split("\n"):
        if not line:
            continue
        _label, first, *tokens = line.split(" ")
        pairs.extend((token, int(first) + i) for i, token in enumerate(tokens))
    pairs.sort(key=lambda pair: pair[1])
    if len({rank for _token, rank in pairs}) != len(pairs):  # p50k skips 50256, <|endoftext|>
        raise ValueError(f"{path.name}: a rank appears twice")
    return pairs


def load_js_ranks(path: Path, name: str, pattern: str) -> TiktokenAdapter:
    """An adapter for one of npm tiktoken's encoder JSON files, run by tiktoken."""
    ranks = {base64.b64decode(token): rank for token, rank in rank_lines(path)}
    return TiktokenAdapter(tiktoken.Encoding(name, pat_str=pattern, mergeable_ranks=ranks, special_tokens={}))
