"""The estimate request: one schema that documents the fields (OpenAPI), parses them into typed
values and refuses bad ones naming the field (the API maps each refusal to its error shape)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from config.api import AsOf

from .budgets import PRESETS
from .tokenizers.chat.conversation import Conversation, ConversationError, parse_conversation

MAX_TOKENS = 100_000_000  # per request; far above any context window, far below overflow
MAX_REQUESTS_PER_MONTH = 10_000_000_000
MAX_CHAT_MESSAGES = 10_000
MAX_MODELS = 500
SERVICE_TIER = re.compile(r"^[a-z][a-z0-9_.=,/-]{0,59}$")


def _invalid(message: str) -> PydanticCustomError:
    return PydanticCustomError("invalid", message)


def _invalid_field(field: str, message: str) -> PydanticCustomError:
    """A refusal about how fields combine, naming the field to change."""
    return PydanticCustomError("invalid", message, {"field": field})


def _whole(maximum: int, default: int | None = None) -> Any:
    """A whole number from 0 to ``maximum`` (5.0 is 5; true, 1.5 and "5" are refused); null is
    the default."""

    def check(value: Any) -> Any:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise _invalid("must be a whole number.")
        # Checked on the Decimal itself: int() of 1e100000000 would build a hundred-million-digit number.
        if isinstance(value, Decimal) and (not value.is_finite() or value != value.to_integral_value()):
            raise _invalid("must be a whole number.")
        if value < 0:
            raise _invalid(f"must not be negative (got {value}).")
        if value > maximum:
            raise _invalid(f"must be at most {maximum:,}.")
        return int(value)

    return BeforeValidator(check)


def _strict_bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise _invalid("must be true or false.")
    return value


def _text(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise _invalid("must be a string.")
    return value


def _share(value: Any) -> Decimal:
    """A number, or a decimal string (as exports carry it), between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _invalid("must be a number between 0 and 1.")
    try:
        share = Decimal(value)
    except ArithmeticError:
        raise _invalid(f"{value!r} is not a number.") from None
    if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
        raise _invalid(f"must be between 0 and 1 (got {value}).")
    return share


def _service_tier(value: Any) -> Any:
    if value is None:
        return "standard"
    if not isinstance(value, str) or not SERVICE_TIER.match(value):
        raise _invalid("must name a service tier such as standard, batch, flex or priority.")
    return value


CACHE_WRITE_LIFETIMES = ("5m", "1h")


def _cache_write_lifetime(value: Any) -> Any:
    if value is None:
        return "5m"
    if value not in CACHE_WRITE_LIFETIMES:
        raise _invalid("must be 5m or 1h (how long the written prompt cache lives).")
    return value


def _preset(value: Any) -> Any:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or value not in PRESETS:
        raise _invalid(f"Unknown preset {value!r}; use one of {', '.join(PRESETS)}.")
    return value


def _models(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _invalid('must be a list of "provider/model" strings.')
    if len(value) > MAX_MODELS:
        raise _invalid(f"at most {MAX_MODELS} models per request.")
    for item in value:
        if "\x00" in item:
            raise _invalid("a model name cannot contain a NUL character.")
        if "/" not in item:
            raise _invalid(f'{item!r} is not "provider/model".')
    return tuple(dict.fromkeys(value))


Text = Annotated[str | None, BeforeValidator(_text)]
Flag = Annotated[bool, BeforeValidator(_strict_bool)]
Tokens = Annotated[Annotated[int, Field(ge=0, le=MAX_TOKENS)] | None, _whole(MAX_TOKENS)]
ModelKeys = Annotated[
    Annotated[tuple[str, ...], Field(max_length=MAX_MODELS)] | None,
    BeforeValidator(_models),
    Field(description='Models as "provider/model"; default: the featured models.'),
]
Share = Annotated[Decimal, BeforeValidator(_share), Field(ge=0, le=1)]
Messages = Annotated[
    list[dict[str, Any]] | None,
    Field(
        description="A conversation to count instead of text: OpenAI-style messages (role, content, "
        "optional name, tool_calls, tool_call_id), each family framed as its API reads it."
    ),
]
Conversations = Annotated[
    list[dict[str, Any]] | None,
    Field(
        description="Many conversations ({messages, tools} each, at most 200, e.g. a .jsonl log): rows "
        "give the per-request average.",
        max_length=200,
    ),
]
Tools = Annotated[
    list[dict[str, Any]] | None,
    Field(description='Tool definitions sent with the messages ({"type": "function", "function": {...}}).'),
]


class EstimateRequest(Schema):
    """What to estimate. ``input_tokens`` and ``output_tokens`` are per request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Text = Field(None, description="Text to count (UTF-8, at most MAX_TEXT_BYTES).")
    input_tokens: Tokens = Field(None, description="Prompt tokens, instead of text.")
    output_tokens: Tokens = Field(None, description="Default 0, or the preset's typical output.")
    reasoning_tokens: Tokens = Field(
        None,
        description="An assumption: hidden reasoning tokens per request, billed as output (at a "
        "model's own reasoning rate where it has one). Default 0.",
    )
    preset: Annotated[
        str | None, BeforeValidator(_preset), Field(json_schema_extra={"enum": list(PRESETS)})
    ] = None
    models: ModelKeys = None
    all_models: Flag = False
    as_of: AsOf = Field(None, examples=["2025-01-15"])
    batch: Flag = False
    service_tier: Annotated[str, BeforeValidator(_service_tier)] = Field(
        "standard",
        description="standard, batch, flex, priority, ...: billed where a model offers it, else "
        "standard (each row says which it got); batch: true is service_tier batch.",
    )
    cached_input_share: Share = Decimal(0)
    cache_write_share: Share = Field(
        Decimal(0),
        description="An assumption: the share of the prompt written to the prompt cache per request, "
        "billed at the model's cache-write rate for cache_write_lifetime (its input rate where it has none).",
    )
    cache_write_lifetime: Annotated[str, BeforeValidator(_cache_write_lifetime)] = Field(
        "5m", description="5m or 1h: the cache-write rate billed (Anthropic prices a 1-hour write higher)."
    )
    overlay: str | None = Field(
        None, description="A contract overlay by name; default: the installation's default overlay, if any."
    )
    currency: str | None = Field(
        None, description="ISO 4217 code (EUR, GBP...): costs also in it, at the ECB reference rate of as_of."
    )
    requests_per_month: Annotated[int, _whole(MAX_REQUESTS_PER_MONTH, 1), Field(ge=0)] = 1
    chat_messages: Annotated[int, _whole(MAX_CHAT_MESSAGES, 0), Field(ge=0, le=MAX_CHAT_MESSAGES)] = 0
    messages: Messages = None
    tools: Tools = None
    conversations: Conversations = None

    @model_validator(mode="after")
    def _fill_from_preset(self) -> EstimateRequest:
        """Text, messages or input tokens, only one; a preset fills the token counts not given."""
        if self.text is not None and self.input_tokens is not None:
            raise _invalid_field("input_tokens", "Send either text or input_tokens, not both.")
        if self.messages is not None or self.tools is not None or self.conversations is not None:
            self._check_conversation()
            return self._fill_output()
        preset = PRESETS[self.preset] if self.preset else None
        if self.text is None and self.input_tokens is None:
            if preset is None:
                raise _invalid_field("text", "Send text to count, or input_tokens (or a preset).")
            object.__setattr__(self, "input_tokens", preset.input_tokens.typical)
        return self._fill_output()

    def _fill_output(self) -> EstimateRequest:
        if self.output_tokens is None:
            preset = PRESETS[self.preset] if self.preset else None
            object.__setattr__(self, "output_tokens", preset.output_tokens.typical if preset else 0)
        if self.reasoning_tokens is None:
            object.__setattr__(self, "reasoning_tokens", 0)
        if self.cached_input_share + self.cache_write_share > 1:
            raise _invalid_field(
                "cache_write_share", "cached_input_share and cache_write_share together must not exceed 1."
            )
        if self.batch and self.service_tier not in ("standard", "batch"):
            raise _invalid_field(
                "service_tier", "batch: true asks for the batch tier; send one or the other."
            )
        if self.batch:
            object.__setattr__(self, "service_tier", "batch")
        return self

    def _check_conversation(self) -> None:
        if self.conversations is not None and (self.messages is not None or self.tools is not None):
            raise _invalid_field("conversations", "Send either messages or conversations, not both.")
        if self.messages is None and self.conversations is None:
            raise _invalid_field("tools", "tools go with messages.")
        if self.conversations is not None and not self.conversations:
            raise _invalid_field("conversations", "must hold at least one conversation.")
        for other in ("text", "input_tokens"):
            if getattr(self, other) is not None:
                raise _invalid_field(other, f"Send either messages or {other}, not both.")
        if self.chat_messages:
            raise _invalid_field("chat_messages", "messages are framed as they are; drop chat_messages.")
        try:
            self.conversation_list()
        except ConversationError as exc:
            raise _invalid_field(exc.field, str(exc)) from None

    def conversation_list(self) -> list[Conversation]:
        """The conversations to count, validated: none for a text or token-count request."""
        if self.messages is not None:
            return [parse_conversation(self.messages, self.tools)]
        return [_one_of_many(item, i) for i, item in enumerate(self.conversations or [])]

    def normalised(self) -> dict[str, Any]:
        """The inputs as JSON (text left out: it is stored, if at all, on its own)."""
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "reasoning_tokens": self.reasoning_tokens,
            "preset": self.preset,
            "models": list(self.models) if self.models is not None else None,
            "all_models": self.all_models,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "batch": self.batch,
            "service_tier": self.service_tier,
            "cached_input_share": str(self.cached_input_share),
            "cache_write_share": str(self.cache_write_share),
            "cache_write_lifetime": self.cache_write_lifetime,
            "requests_per_month": self.requests_per_month,
            "chat_messages": self.chat_messages,
        }


def _one_of_many(item: dict[str, Any], index: int) -> Conversation:
    where = f"conversations[{index}]"
    if set(item) - {"messages", "tools"}:
        raise ConversationError("must be an object with messages (and optional tools).", where)
    try:
        return parse_conversation(item.get("messages"), item.get("tools"))
    except ConversationError as exc:
        raise ConversationError(str(exc), f"{where}.{exc.field}") from None


class ComparisonRequest(EstimateRequest):
    """An estimate to save; the text is stored only with ``save_text``."""

    save_text: Flag = False


ESTIMATE_FIELDS = tuple(EstimateRequest.model_fields)
