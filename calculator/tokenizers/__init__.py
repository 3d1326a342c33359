"""Each LLM provider's own tokenizer, offline. Pure Python: no Django imports here.

Vocabulary files come from ``assets.fetch_assets`` (run at setup); the registry loads each engine
lazily, once per process, and shares it across threads. What each key is lives in one table,
``catalogue.ROWS``; the host application passes its settings in with ``configure``.
"""

from pricing.tokenizing.families import tokenizer_key_for as default_tokenizer_for

from .assets import fetch_assets
from .defaults import chat_overhead_tokens
from .registry import (
    configure,
    count_tokens,
    count_tokens_many,
    get_info,
    is_available,
    list_tokenizers,
    preload,
    tokenize,
    unavailable_reason,
)
from .types import (
    Adapter,
    CountDeadline,
    Settings,
    TextTooLarge,
    Token,
    TokenCount,
    TokenizerError,
    TokenizerInfo,
    TokenizerUnavailable,
    UnknownTokenizer,
)

__all__ = [
    "Adapter",
    "Settings",
    "CountDeadline",
    "TextTooLarge",
    "Token",
    "TokenCount",
    "TokenizerError",
    "TokenizerInfo",
    "TokenizerUnavailable",
    "UnknownTokenizer",
    "chat_overhead_tokens",
    "configure",
    "count_tokens",
    "count_tokens_many",
    "default_tokenizer_for",
    "fetch_assets",
    "get_info",
    "is_available",
    "list_tokenizers",
    "preload",
    "tokenize",
    "unavailable_reason",
]
