"""Default tokenizer for a catalogue model, and chat-message framing per family."""

from __future__ import annotations

import re

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


# (provider pattern, model pattern, key), first match wins; patterns match slugs in lower case.
_RULES: list[tuple[str, str, str]] = [
    (r"openai|azure", r"gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|^o\d|chatgpt|gpt-oss", "o200k_base"),
    (r"openai|azure", r"gpt-4|gpt-3\.5|text-embedding|davinci|babbage", "cl100k_base"),
    (r"anthropic|claude", r"claude-(instant|2|1)", "claude_legacy"),
    (r"anthropic|claude", r"opus-4-7|opus-4\.7", "claude_opus_4_7"),
    (r"anthropic|claude", r"opus-4[.-][89]|(sonnet|opus|haiku)-5|claude-5", "claude_5"),
    (r"anthropic|claude", r"", "claude"),
    (r"google|gemini|vertex", r"gemini-(3\.[1-9]|[4-9])|gemini-3-[1-9]", "gemini3"),
    (r"google|gemini|vertex", r"gemini|gemma", "gemma3"),
    (r"", r"gemma", "gemma3"),
    (r"deepseek", r"", "deepseek_v3"),
    (r"qwen|alibaba|dashscope", r"qwen-?3[.-][5-9]|qwen-?[4-9]", "qwen3_5"),
    (r"qwen|alibaba|dashscope", r"", "qwen2"),
    (r"", r"qwen", "qwen2"),
    (r"mistral", r"large-(2407|2402)|codestral-(2405|22b)|mixtral|mistral-7b", "mistral_spm_v3"),
    (r"mistral", r"large-2411|large-latest", "mistral_spm_v7"),
    (r"mistral", r"", "mistral_tekken"),
    (r"meta|llama", r"llama-?4", "llama4"),
    (r"meta|llama", r"llama-?3", "llama3"),
    (r"", r"llama-?4", "llama4"),
    (r"", r"llama-?3", "llama3"),
    (r"xai|x-ai|grok", r"", "grok"),
]


def default_tokenizer_for(provider_slug: str, model_slug: str) -> str:
    """A sensible tokenizer key for a model imported without one; ``generic`` when unknown."""
    provider, model = provider_slug.lower(), model_slug.lower()
    for provider_pattern, model_pattern, key in _RULES:
        if re.search(provider_pattern, provider) and re.search(model_pattern, model):
            return key
    return "generic"
