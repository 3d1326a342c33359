"""A chat conversation as the OpenAI-style API takes it, validated, and the framed count's shape.

Pure (no Django). ``parse_conversation`` accepts ``messages`` (``role``, ``content`` as a string or
a list of ``{"type": "text", "text": ...}`` and ``{"type": "image_url", ...}`` parts (image_parts: sizes
only, never fetched), optional ``name``, ``tool_calls`` on assistant
messages, ``tool_call_id`` on tool results) and ``tools`` (``{"type": "function", "function":
{"name", "description", "parameters"}}``). Every refusal names the offending field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..types import TokenizerError
from .image_parts import MAX_IMAGES, ImagePart, ImagePartError, parse_image_part

ROLES = ("system", "developer", "user", "assistant", "tool")
MAX_MESSAGES = 2_000
MAX_TOOLS = 256


class ConversationError(TokenizerError):
    """The conversation is malformed; ``field`` names where (``messages[2].role``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class FramingRefused(ValueError):
    """A family's own framing cannot render this conversation (Gemma's strict turns, Mistral's
    rule that a request ends with a user or tool message); the count falls back to an estimate."""


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # the JSON text the model produced, as the API carries it


@dataclass(frozen=True)
class Message:
    role: str
    content: str
    name: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    images: tuple[ImagePart, ...] = ()


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: Mapping[str, Any]

    def as_openai(self) -> dict[str, Any]:
        """The OpenAI ``tools`` entry, the shape chat templates and SDKs take."""
        function = {"name": self.name, "description": self.description, "parameters": dict(self.parameters)}
        return {"type": "function", "function": function}


@dataclass(frozen=True)
class Conversation:
    messages: tuple[Message, ...]
    tools: tuple[Tool, ...] = ()

    def texts(self) -> list[str]:
        """Every piece of content a person or tool wrote: message texts and tool-call arguments."""
        pieces = [m.content for m in self.messages]
        pieces += [call.arguments for m in self.messages for call in m.tool_calls]
        return [p for p in pieces if p]

    def images(self) -> list[ImagePart]:
        return [image for m in self.messages for image in m.images]

    def dump(self) -> str:
        """A canonical JSON text of the whole conversation (the content-hash cache key)."""
        return json.dumps(
            {
                "messages": [_message_json(m) for m in self.messages],
                "tools": [t.as_openai() for t in self.tools],
                # an image counts by its size and detail alone, so they stand for it
                "images": [[i.width, i.height, i.detail] for i in self.images()],
            },
            sort_keys=True,
            ensure_ascii=False,
        )


@dataclass(frozen=True)
class ChatCount:
    """A conversation's tokens for one tokenizer family: ``content`` (what people and tools wrote),
    ``tools`` (the tool definitions as the model sees them) and ``framing`` (roles, turn markers,
    reply priming). ``framing_quality``: exact, documented or estimated; ``source`` says whence."""

    tokenizer: str
    content: int
    tools: int
    framing: int
    framing_quality: str
    source: str
    notes: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return self.content + self.tools + self.framing


def parse_conversation(messages: object, tools: object = None) -> Conversation:
    if not isinstance(messages, list) or not messages:
        raise ConversationError("must be a non-empty list of messages.", "messages")
    if len(messages) > MAX_MESSAGES:
        raise ConversationError(f"at most {MAX_MESSAGES:,} messages.", "messages")
    parsed = tuple(_message(m, f"messages[{i}]") for i, m in enumerate(messages))
    if sum(len(m.images) for m in parsed) > MAX_IMAGES:
        raise ConversationError(f"at most {MAX_IMAGES} images in one conversation.", "messages")
    if tools is None:
        return Conversation(parsed)
    if not isinstance(tools, list) or len(tools) > MAX_TOOLS:
        raise ConversationError(f"must be a list of at most {MAX_TOOLS} tool definitions.", "tools")
    return Conversation(parsed, tuple(_tool(t, f"tools[{i}]") for i, t in enumerate(tools)))


def _message(value: object, where: str) -> Message:
    if not isinstance(value, Mapping):
        raise ConversationError("must be an object with role and content.", where)
    role = value.get("role")
    if role not in ROLES:
        raise ConversationError(f"must be one of {', '.join(ROLES)}.", f"{where}.role")
    calls = _tool_calls(value.get("tool_calls"), f"{where}.tool_calls") if role == "assistant" else ()
    content, images = _content(value.get("content"), f"{where}.content", optional=bool(calls))
    name = _optional_str(value.get("name"), f"{where}.name")
    call_id = _optional_str(value.get("tool_call_id"), f"{where}.tool_call_id")
    return Message(role, content, name, calls, call_id, images)


def _content(value: object, where: str, *, optional: bool) -> tuple[str, tuple[ImagePart, ...]]:
    """The message's text (its text parts joined) and its images, in order."""
    if value is None and optional:
        return "", ()
    if isinstance(value, str):
        return value, ()
    if not isinstance(value, list):
        raise ConversationError("must be a string or a list of text and image_url parts.", where)
    texts, images = [], []
    for i, part in enumerate(value):
        kind = part.get("type") if isinstance(part, Mapping) else None
        if kind == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
        elif kind == "image_url":
            try:
                images.append(parse_image_part(part))
            except ImagePartError as exc:
                raise ConversationError(str(exc), f"{where}[{i}].{exc.field}") from None
        else:
            raise ConversationError(
                'must be {"type": "text", "text": ...} or an image_url part.', f"{where}[{i}]"
            )
    return "".join(texts), tuple(images)


def _tool_calls(value: object, where: str) -> tuple[ToolCall, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConversationError("must be a list.", where)
    calls = []
    for i, call in enumerate(value):
        function = call.get("function") if isinstance(call, Mapping) else None
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            raise ConversationError("must have function.name.", f"{where}[{i}]")
        arguments = function.get("arguments", "{}")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments, ensure_ascii=False)
        calls.append(ToolCall(str(call.get("id") or f"call_{i}"), function["name"], arguments))
    return tuple(calls)


def _tool(value: object, where: str) -> Tool:
    function = value.get("function") if isinstance(value, Mapping) else None
    if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
        raise ConversationError('must be {"type": "function", "function": {"name": ...}}.', where)
    description = function.get("description", "")
    parameters = function.get("parameters", {"type": "object", "properties": {}})
    if not isinstance(description, str):
        raise ConversationError("must be a string.", f"{where}.function.description")
    if not isinstance(parameters, Mapping):
        raise ConversationError("must be a JSON Schema object.", f"{where}.function.parameters")
    return Tool(function["name"], description, parameters)


def _optional_str(value: object, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ConversationError("must be a string.", where)


def _message_json(message: Message) -> dict[str, Any]:
    """The OpenAI shape of one message, as chat templates and SDKs take it."""
    data: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.name:
        data["name"] = message.name
    if message.tool_calls:
        data["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if message.tool_call_id:
        data["tool_call_id"] = message.tool_call_id
    return data


def openai_messages(conversation: Conversation) -> list[dict[str, Any]]:
    return [_message_json(m) for m in conversation.messages]
