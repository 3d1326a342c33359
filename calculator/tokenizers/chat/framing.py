"""A conversation's billed tokens per family: content, tool definitions and chat framing.

Each family is framed the way its API reads a conversation, rendered once per conversation and
family and counted with the engine we already have:

- open-weight families (Llama 3, Qwen, DeepSeek, Gemma): their own chat template (templates.py);
- Mistral: mistral-common's chat-completion encoding (exact, with its control tokens);
- gpt-oss: openai-harmony's rendering (exact);
- OpenAI's hosted chat models: OpenAI's published counting recipe (documented);
- Claude: ctok's one-message frame per message (estimated);
- any other: the old per-message constant (estimated).
Content is what people and tools wrote, each piece counted alone; framing is the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import registry
from ..catalogue import SPECS
from ..registry import count_tokens
from . import templates as chat_templates
from . import vendors as chat_vendors
from .conversation import ChatCount, Conversation, FramingRefused, openai_messages

EXACT, DOCUMENTED, ESTIMATED = "exact", "documented", "estimated"
# Anthropic's tool-use documentation: the system prompt Claude adds when tools are given
# (tool_choice auto or none), for Claude 3.5 Sonnet and later.
CLAUDE_TOOL_PROMPT = 346
# ctok 1.3.0's measured one-message frame per Claude family (7 / 11 / 6), the catalogue's chat_frame.
CLAUDE_FRAMES = {key: spec.chat_frame for key, spec in SPECS.items() if spec.engine == "ctok"}


def count_conversation(conversation: Conversation, key: str, model: str = "") -> ChatCount:
    """The conversation's tokens for tokenizer ``key``; ``model`` (the model's name) picks the
    framing where one vocabulary serves several formats (gpt-oss vs GPT-4o, Gemma vs Gemini)."""
    content = sum(count_tokens(text, key) for text in conversation.texts())
    name = model.lower()
    variant = frame_variant(key, model)
    if variant == "harmony":
        return chat_vendors.harmony(conversation, key, content, registry.settings.data_dir)
    if variant == "openai":
        return _openai(conversation, key, content)
    try:
        if key.startswith("mistral_"):
            return chat_vendors.mistral(conversation, key, content)
        if key in chat_templates.CONFIGS:
            return _template(conversation, key, content, name)
    except FramingRefused as exc:
        return _per_message(conversation, key, content, str(exc))
    if key in CLAUDE_FRAMES:
        return _claude(conversation, key, content)
    return _per_message(conversation, key, content, "no framing source for this family")


def frame_variant(key: str, model: str) -> str:
    """Which framing a model of tokenizer ``key`` gets: one vocabulary can serve several formats
    (o200k: gpt-oss's harmony or OpenAI's hosted chat; Gemma 3's: Gemma or Gemini)."""
    name = model.lower()
    if key in ("o200k_base", "cl100k_base"):
        return "harmony" if "gpt-oss" in name else "openai"
    if key in ("gemma3", "gemini3"):
        return "gemma" if "gemma" in name else "gemini"
    return ""


def _template(conversation: Conversation, key: str, content: int, name: str) -> ChatCount:
    messages = openai_messages(conversation)
    tools = [t.as_openai() for t in conversation.tools]

    def framed(with_tools: list[dict[str, Any]]) -> int:
        rendered = chat_templates.render(registry.settings.data_dir, key, messages, with_tools)
        return chat_templates.count_rendered(
            registry.settings.data_dir, key, rendered, lambda t: count_tokens(t, key)
        )

    total = framed(tools)
    tool_tokens = total - framed([]) if tools else 0
    notes: list[str] = []
    if tools and not tool_tokens:
        tool_tokens = _tools_as_json(conversation, key)
        total += tool_tokens
        notes.append("this family's template has no tool format: tool definitions counted as JSON text")
    quality, source = _template_quality(key, name)
    return ChatCount(key, content, tool_tokens, total - content - tool_tokens, quality, source, tuple(notes))


def _template_quality(key: str, name: str) -> tuple[str, str]:
    config = chat_templates.CONFIGS[key]
    if key in ("gemma3", "gemini3") and "gemma" not in name:
        return ESTIMATED, f"Gemma 3's chat template ({config}); Gemini's API framing is not published"
    if key == "qwen3_5":
        return ESTIMATED, f"Qwen 3's chat template ({config}) standing in for Qwen 3.5's"
    return EXACT, f"the model's chat template ({config}), rendered by transformers"


def _openai(conversation: Conversation, key: str, content: int) -> ChatCount:
    """OpenAI's published recipe: 3 tokens per message plus its role (and name: 1 more), and 3
    to prime the reply; tool definitions by the same guide's function-counting recipe."""
    count: Callable[[str], int] = lambda text: count_tokens(text, key)  # noqa: E731
    framing = 3
    for message in conversation.messages:
        framing += 3 + count(message.role)
        if message.name:
            framing += 1 + count(message.name)
        for call in message.tool_calls:
            framing += count(call.name)
    tools = _openai_tools(conversation, count, function_init=7 if key == "o200k_base" else 10)
    source = "OpenAI's published token-counting recipe (3 per message + role, +3 reply priming)"
    return ChatCount(key, content, tools, framing, DOCUMENTED, source)


def _openai_tools(conversation: Conversation, count: Callable[[str], int], function_init: int) -> int:
    """Tokens of the tool definitions, per OpenAI's guide to counting function tokens."""
    if not conversation.tools:
        return 0
    total = 12  # the block's end
    for tool in conversation.tools:
        total += function_init + count(f"{tool.name}:{tool.description.removesuffix('.')}")
        properties = tool.parameters.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        if properties:
            total += 3
        for prop, schema in properties.items():
            total += 3
            schema = schema if isinstance(schema, dict) else {}
            if isinstance(schema.get("enum"), list):
                total += -3 + sum(3 + count(str(item)) for item in schema["enum"])
            description = str(schema.get("description", "")).removesuffix(".")
            total += count(f"{prop}:{schema.get('type', '')}:{description}")
    return total


def _claude(conversation: Conversation, key: str, content: int) -> ChatCount:
    framing = CLAUDE_FRAMES[key] * len(conversation.messages)
    tools = _tools_as_json(conversation, key) + CLAUDE_TOOL_PROMPT if conversation.tools else 0
    source = (
        f"ctok's measured one-message frame ({CLAUDE_FRAMES[key]} tokens) per message; tools: their JSON "
        f"plus Anthropic's documented tool-use system prompt ({CLAUDE_TOOL_PROMPT} tokens)"
    )
    return ChatCount(key, content, tools, framing, ESTIMATED, source)


def _per_message(conversation: Conversation, key: str, content: int, why: str) -> ChatCount:
    per_message = SPECS[key].chat_frame
    framing = per_message * len(conversation.messages)
    tools = _tools_as_json(conversation, key)
    source = f"{per_message} tokens per message, an approximation ({why})"
    return ChatCount(key, content, tools, framing, ESTIMATED, source)


def _tools_as_json(conversation: Conversation, key: str) -> int:
    if not conversation.tools:
        return 0
    text = json.dumps([t.as_openai() for t in conversation.tools], ensure_ascii=False)
    return count_tokens(text, key)


# One model per framing variant, to warm each framing's loaders (transformers, mistral-common,
# openai-harmony, the chat templates) before a server forks its workers.
_WARM = [
    ("o200k_base", "gpt-4o"),
    ("o200k_base", "gpt-oss"),
    ("llama3", "llama-3"),
    ("qwen2", "qwen3"),
    ("deepseek_v3", "deepseek"),
    ("gemma3", "gemma-3"),
    ("mistral_tekken", "mistral"),
    ("mistral_spm_v3", "mistral"),
    ("mistral_spm_v7", "mistral"),
]


def preload_framing() -> dict[str, str | None]:
    """Load every framing source now (about 8 s on first use otherwise); never raises. Returns
    each family's failure, or None when it is ready."""
    from .conversation import parse_conversation

    conversation = parse_conversation([{"role": "user", "content": "warm up"}])
    outcome: dict[str, str | None] = {}
    for key, model in _WARM:
        try:
            count_conversation(conversation, key, model)
            outcome[f"{key}/{model}"] = None
        except Exception as exc:  # a missing file must not stop the server from starting
            outcome[f"{key}/{model}"] = str(exc)
    return outcome
