"""Chat-message framing per tokenizer family."""

from __future__ import annotations

from .registry import _spec

# Per-message framing in tokens, for "count as chat messages" only (never added to raw text).
# OpenAI: 3 per message (<|start|>role ... <|end|>, OpenAI's cookbook); Llama 3/4: header start,
# role, header end, "\n\n", end-of-turn = 5; Qwen ChatML <|im_start|>role\n ... <|im_end|>\n = 5;
# Gemma/Gemini <start_of_turn>user\n ... <end_of_turn>\n = 5; Mistral [INST] ... [/INST] = 2;
# DeepSeek <｜User｜> / <｜Assistant｜> = 1; Claude: the frame ctok measured on the count endpoint
# (v3 7, v4.7 11, v4.8 6); Claude 1/2 "\n\nHuman: " = 4. Estimators follow their stand-in.
_PER_MESSAGE = {
    "o200k_base": 3,
    "cl100k_base": 3,
    "grok": 3,
    "generic": 3,
    "llama3": 5,
    "llama4": 5,
    "qwen2": 5,
    "qwen3_5": 5,
    "gemma3": 5,
    "gemini3": 5,
    "mistral_tekken": 2,
    "mistral_spm_v3": 2,
    "mistral_spm_v7": 2,
    "deepseek_v3": 1,
    "claude": 7,
    "claude_opus_4_7": 11,
    "claude_5": 6,
    "claude_legacy": 4,
}


def chat_overhead_tokens(key: str, messages: int) -> int:
    """Tokens the chat format adds around ``messages`` messages (0 for none), by family."""
    _spec(key)
    if messages < 0:
        raise ValueError("messages must be >= 0")
    return _PER_MESSAGE[key] * messages
