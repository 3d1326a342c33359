"""Chat-message framing per tokenizer (the per-message counts are the catalogue's ``chat_frame``)."""

from __future__ import annotations

from .registry import _spec


def chat_overhead_tokens(key: str, messages: int) -> int:
    """Tokens the chat format adds around ``messages`` messages (0 for none), by family."""
    spec = _spec(key)
    if messages < 0:
        raise ValueError("messages must be >= 0")
    return spec.chat_frame * messages
