"""Framing by the makers' own libraries: mistral-common for Mistral, openai-harmony for gpt-oss.

Both give the exact token sequence the model reads; content is counted with our engine, so the
framing (control tokens, roles, the default system message) is the difference.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from .conversation import ChatCount, Conversation, FramingRefused, Message, openai_messages

# Our Mistral keys -> mistral-common's tokenizer (its own bundled vocabulary files, the same
# files, by SHA-256, as ours).
_MISTRAL = {"mistral_tekken": ("v3", True), "mistral_spm_v3": ("v3", False), "mistral_spm_v7": ("v7", False)}


@functools.cache
def _mistral_tokenizer(key: str) -> Any:
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    version, tekken = _MISTRAL[key]
    return MistralTokenizer.v3(is_tekken=True) if tekken else getattr(MistralTokenizer, version)()


def mistral_tokens(conversation: Conversation, key: str) -> list[int]:
    """mistral-common's encoding of the conversation as a chat-completion request."""
    from mistral_common.exceptions import MistralCommonException
    from mistral_common.protocol.instruct.request import ChatCompletionRequest
    from pydantic import ValidationError

    messages = [_mistral_ids(m) for m in openai_messages(conversation)]
    tools = [t.as_openai() for t in conversation.tools] or None
    try:
        request = ChatCompletionRequest.from_openai(messages=messages, tools=tools)
        return list(_mistral_tokenizer(key).encode_chat_completion(request).tokens)
    except (MistralCommonException, ValidationError, ValueError, KeyError, TypeError) as exc:
        raise FramingRefused(f"mistral-common refuses this conversation ({exc})") from exc


def _mistral_ids(message: dict[str, Any]) -> dict[str, Any]:
    """Mistral's tool-call ids are 9 letters or digits; map any other id onto such a one."""
    if message.get("tool_calls"):
        calls = [c | {"id": _nine(c["id"])} for c in message["tool_calls"]]
        message = message | {"tool_calls": calls, "content": message.get("content") or None}
    if message.get("tool_call_id"):
        message = message | {"tool_call_id": _nine(message["tool_call_id"])}
    return message


def _nine(call_id: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9]{9}", call_id):
        return call_id
    return hashlib.sha256(call_id.encode()).hexdigest()[:9]


def mistral(conversation: Conversation, key: str, content: int) -> ChatCount:
    total = len(mistral_tokens(conversation, key))
    tools = 0
    if conversation.tools:
        tools = total - len(mistral_tokens(Conversation(conversation.messages), key))
    source = "mistral-common 1.13.1's chat-completion encoding"
    return ChatCount(key, content, tools, total - content - tools, "exact", source)


@functools.cache
def _harmony_encoding(data_dir: Path) -> Any:
    # openai-harmony reads o200k from tiktoken-rs's cache, whose file names are tiktoken's: ours.
    os.environ.setdefault("TIKTOKEN_RS_CACHE_DIR", str(data_dir.resolve()))
    from openai_harmony import HarmonyEncodingName, load_harmony_encoding

    return load_harmony_encoding(HarmonyEncodingName.HARMONY_GPT_OSS)


def harmony_tokens(conversation: Conversation, data_dir: Path) -> list[int]:
    """openai-harmony's rendering of the conversation, primed for the assistant's reply."""
    from openai_harmony import Conversation as HarmonyConversation
    from openai_harmony import Role

    messages = _harmony_messages(conversation)
    rendered = _harmony_encoding(data_dir).render_conversation_for_completion(
        HarmonyConversation.from_messages(messages), Role.ASSISTANT
    )
    return list(rendered)


def _harmony_messages(conversation: Conversation) -> list[Any]:
    from openai_harmony import DeveloperContent, Role, SystemContent, ToolDescription
    from openai_harmony import Message as HarmonyMessage

    out = [HarmonyMessage.from_role_and_content(Role.SYSTEM, SystemContent.new())]
    instructions = "\n\n".join(m.content for m in conversation.messages if m.role in ("system", "developer"))
    developer = DeveloperContent.new()
    if instructions:
        developer = developer.with_instructions(instructions)
    if conversation.tools:
        developer = developer.with_function_tools(
            [
                ToolDescription.new(t.name, t.description, parameters=dict(t.parameters))
                for t in conversation.tools
            ]
        )
    if instructions or conversation.tools:
        out.append(HarmonyMessage.from_role_and_content(Role.DEVELOPER, developer))
    names = {c.id: c.name for m in conversation.messages for c in m.tool_calls}
    for message in conversation.messages:
        out += _harmony_turn(message, names)
    return out


def _harmony_turn(message: Message, call_names: dict[str, str]) -> list[Any]:
    from openai_harmony import Author, Role
    from openai_harmony import Message as HarmonyMessage

    if message.role == "user":
        return [HarmonyMessage.from_role_and_content(Role.USER, message.content)]
    if message.role == "assistant":
        turns = [HarmonyMessage.from_role_and_content(Role.ASSISTANT, message.content).with_channel("final")]
        turns = turns if message.content else []
        for call in message.tool_calls:
            turns.append(
                HarmonyMessage.from_role_and_content(Role.ASSISTANT, call.arguments)
                .with_channel("commentary")
                .with_recipient(f"functions.{call.name}")
                .with_content_type("<|constrain|>json")
            )
        return turns
    if message.role == "tool":
        name = call_names.get(message.tool_call_id or "", message.name or "tool")
        author = Author.new(Role.TOOL, f"functions.{name}")
        turn = HarmonyMessage.from_author_and_content(author, message.content)
        return [turn.with_channel("commentary").with_recipient("assistant")]
    return []  # system and developer messages went into the developer message


def harmony(conversation: Conversation, key: str, content: int, data_dir: Path) -> ChatCount:
    total = len(harmony_tokens(conversation, data_dir))
    tools = (
        total - len(harmony_tokens(Conversation(conversation.messages), data_dir))
        if conversation.tools
        else 0
    )
    source = "openai-harmony 0.0.8's rendering (gpt-oss), with its default system message"
    return ChatCount(key, content, tools, total - content - tools, "exact", source)
