"""Which tokenizer family counts a catalogue model: a rule on what the model is.

Pure (no Django): the price import uses it for models it creates, the calculator for defaults.
The keys are those of ``calculator.tokenizers``; ``generic`` when no family is recognised.
"""

from __future__ import annotations

import re

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


def tokenizer_key_for(provider_slug: str, model_slug: str) -> str:
    """A sensible tokenizer key for a model imported without one; ``generic`` when unknown."""
    provider, model = provider_slug.lower(), model_slug.lower()
    for provider_pattern, model_pattern, key in _RULES:
        if re.search(provider_pattern, provider) and re.search(model_pattern, model):
            return key
    return "generic"
