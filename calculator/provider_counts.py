"""The provider's own token count, when the operator configures an API key (off by default).

Anthropic's Messages count_tokens and Gemini's countTokens through their official SDKs
(``anthropic``, ``google-genai``), xAI's tokenize-text endpoint over plain HTTP (xAI's SDK speaks
gRPC only). Short timeouts, no retries, a content-hash cache, and on any failure ``None`` tokens
with the reason, so the row falls back to the offline count and says so. Pure: no Django; the
Django side calls ``configure``. A key is never put in a reason, a repr or a log line.
"""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass, field

from .tokenizers.chat.conversation import Conversation, openai_messages
from .tokenizers.chat.framing import CLAUDE_FRAMES

EXACT_LABEL = "exact (provider count)"
CACHE_ENTRIES = 2048


@dataclass
class ProviderSettings:
    anthropic_api_key: str = field(default="", repr=False)
    anthropic_base_url: str = ""  # empty: the SDK's default
    gemini_api_key: str = field(default="", repr=False)
    gemini_base_url: str = ""
    xai_api_key: str = field(default="", repr=False)
    xai_base_url: str = "https://api.x.ai"
    timeout_seconds: float = 3.0


settings = ProviderSettings()
calls = {"anthropic": 0, "google": 0, "xai": 0}  # real calls made (not cache hits); tests read it
_cache: OrderedDict[str, int] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class ProviderCount:
    """``tokens``: the provider's count (for text: of the text alone), or None with ``failed``."""

    provider: str
    tokens: int | None
    failed: str | None = None

    @property
    def label(self) -> str:
        if self.failed is None:
            return EXACT_LABEL
        return f"offline count: the {self.provider} count failed ({self.failed})"


def configure(**values: object) -> None:
    """Replace the settings (keys, base URLs, timeout) and forget cached counts."""
    global settings
    settings = ProviderSettings(**values)  # type: ignore[arg-type]
    with _lock:
        _cache.clear()


def provider_for(tokenizer_key: str, provider_slug: str) -> str | None:
    """Which configured provider can count this model exactly: only the maker's own API."""
    if (
        tokenizer_key.startswith("claude")
        and tokenizer_key != "claude_legacy"
        and provider_slug == "anthropic"
    ):
        return "anthropic" if settings.anthropic_api_key else None
    if tokenizer_key in ("gemma3", "gemini3") and provider_slug == "google":
        return "google" if settings.gemini_api_key else None
    if tokenizer_key == "grok" and provider_slug == "xai":
        return "xai" if settings.xai_api_key else None
    return None


def count(
    provider: str,
    model: str,
    tokenizer_key: str,
    *,
    text: str | None = None,
    conversation: Conversation | None = None,
) -> ProviderCount:
    """The provider's count of ``text`` (alone) or of ``conversation`` (whole, framed)."""
    payload = text if conversation is None else conversation.dump()
    digest = hashlib.sha256(
        f"{provider}\0{model}\0{conversation is not None}\0{payload}".encode()
    ).hexdigest()
    with _lock:
        if digest in _cache:
            _cache.move_to_end(digest)
            return ProviderCount(provider, _cache[digest])
    try:
        tokens = _CALLS[provider](model, tokenizer_key, text, conversation)
    except Unsupported as exc:
        return ProviderCount(provider, None, str(exc))
    except Exception as exc:  # a provider being down must never break an estimate
        return ProviderCount(provider, None, _reason(exc))
    with _lock:
        _cache[digest] = tokens
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return ProviderCount(provider, tokens)


class Unsupported(Exception):
    """This request cannot be sent to this provider's count endpoint (said in the row)."""


def _reason(exc: Exception) -> str:
    """A short reason without the exception's text (which could echo a request header)."""
    status = getattr(exc, "status_code", None) or getattr(exc, "code", None)
    name = type(exc).__name__
    return f"{name}, HTTP {status}" if isinstance(status, int) else name


def _anthropic(model: str, key: str, text: str | None, conversation: Conversation | None) -> int:
    import anthropic

    calls["anthropic"] += 1
    client = anthropic.Anthropic(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url or None,
        timeout=settings.timeout_seconds,
        max_retries=0,
    )
    if conversation is None:
        result = client.messages.count_tokens(model=model, messages=[{"role": "user", "content": text or ""}])
        # The endpoint counts a one-message request; its frame is known per family (ctok measured it).
        return max(0, result.input_tokens - CLAUDE_FRAMES.get(key, 0))
    system, messages = _anthropic_messages(conversation)
    extra: dict = {"system": system} if system else {}
    if conversation.tools:
        extra["tools"] = [
            {"name": t.name, "description": t.description, "input_schema": dict(t.parameters)}
            for t in conversation.tools
        ]
    return client.messages.count_tokens(model=model, messages=messages, **extra).input_tokens


def _anthropic_messages(conversation: Conversation) -> tuple[str, list[dict]]:
    system = "\n\n".join(m.content for m in conversation.messages if m.role in ("system", "developer"))
    messages: list[dict] = []
    for message in conversation.messages:
        if message.role in ("user", "assistant") and not message.tool_calls:
            messages.append({"role": message.role, "content": message.content})
        elif message.role == "assistant":
            blocks: list[dict] = [{"type": "text", "text": message.content}] if message.content else []
            blocks += [
                {"type": "tool_use", "id": c.id, "name": c.name, "input": _json_object(c.arguments)}
                for c in message.tool_calls
            ]
            messages.append({"role": "assistant", "content": blocks})
        elif message.role == "tool":
            block = {
                "type": "tool_result",
                "tool_use_id": message.tool_call_id or "",
                "content": message.content,
            }
            messages.append({"role": "user", "content": [block]})
    return system, messages


def _json_object(arguments: str) -> dict:
    try:
        value = json.loads(arguments)
    except ValueError:
        return {"arguments": arguments}
    return value if isinstance(value, dict) else {"value": value}


def _gemini(model: str, key: str, text: str | None, conversation: Conversation | None) -> int:
    from google import genai
    from google.genai import types

    if conversation is not None and any(
        m.tool_calls or m.role not in ("user", "assistant") for m in conversation.messages
    ):
        # google-genai's count_tokens refuses a system instruction for the Gemini API (not Vertex).
        raise Unsupported("google-genai counts user and model turns only; counted offline")
    if conversation is not None and conversation.tools:
        raise Unsupported("Gemini's countTokens is sent text turns only; tools are counted offline")
    calls["google"] += 1
    options = types.HttpOptions(
        timeout=int(settings.timeout_seconds * 1000),
        base_url=settings.gemini_base_url or None,
        api_version="v1beta",  # where the Gemini API documents countTokens
        retry_options=types.HttpRetryOptions(attempts=1),
    )
    client = genai.Client(api_key=settings.gemini_api_key, http_options=options)
    if conversation is None:
        contents: object = text or ""
    else:
        contents = [
            {"role": "model" if m["role"] == "assistant" else "user", "parts": [{"text": m["content"]}]}
            for m in openai_messages(conversation)
        ]
    return int(client.models.count_tokens(model=model, contents=contents).total_tokens or 0)


def _xai(model: str, key: str, text: str | None, conversation: Conversation | None) -> int:
    if conversation is not None:
        raise Unsupported("xAI's tokenize endpoint counts text, not conversations")
    calls["xai"] += 1
    request = urllib.request.Request(
        settings.xai_base_url.rstrip("/") + "/v1/tokenize-text",
        data=json.dumps({"text": text or "", "model": model}).encode(),
        headers={"Authorization": f"Bearer {settings.xai_api_key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=settings.timeout_seconds) as response:  # noqa: S310
        return len(json.loads(response.read())["token_ids"])


_CALLS = {"anthropic": _anthropic, "google": _gemini, "xai": _xai}
