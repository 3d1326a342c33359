"""Parsing an estimate request body into typed values; every refusal names its field."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from config.api import ApiError, parse_as_of

from .budgets import PRESETS

ESTIMATE_FIELDS = (
    "text",
    "input_tokens",
    "output_tokens",
    "preset",
    "models",
    "all_models",
    "as_of",
    "batch",
    "cached_input_share",
    "requests_per_month",
    "chat_messages",
)
MAX_TOKENS = 100_000_000  # per request; far above any context window, far below overflow
MAX_REQUESTS_PER_MONTH = 10_000_000_000
MAX_MODELS = 500


@dataclass(frozen=True)
class EstimateRequest:
    text: str | None
    input_tokens: int | None
    output_tokens: int
    preset: str | None
    models: tuple[str, ...] | None
    all_models: bool
    as_of: datetime | None
    batch: bool
    cached_input_share: Decimal
    requests_per_month: int
    chat_messages: int

    def normalised(self) -> dict[str, Any]:
        """The inputs as JSON (text left out: it is stored, if at all, on its own)."""
        data = asdict(self)
        data.pop("text")
        data["models"] = list(self.models) if self.models is not None else None
        data["as_of"] = self.as_of.isoformat() if self.as_of else None
        data["cached_input_share"] = str(self.cached_input_share)
        return data


def parse_estimate_request(body: dict[str, Any]) -> EstimateRequest:
    text = body.get("text")
    if text is not None and not isinstance(text, str):
        raise ApiError("must be a string.", field="text")
    input_tokens = _int(body, "input_tokens", None)
    if text is not None and input_tokens is not None:
        raise ApiError("Send either text or input_tokens, not both.", field="input_tokens")
    preset = _preset(body.get("preset"))
    if text is None and input_tokens is None:
        if preset is None:
            raise ApiError("Send text to count, or input_tokens (or a preset).", field="text")
        input_tokens = preset.input_tokens.typical
    default_output = preset.output_tokens.typical if preset else 0
    return EstimateRequest(
        text=text,
        input_tokens=input_tokens,
        output_tokens=_int(body, "output_tokens", default_output),  # type: ignore[arg-type]
        preset=preset.key if preset else None,
        models=_models(body.get("models")),
        all_models=_bool(body, "all_models"),
        as_of=parse_as_of(body.get("as_of")),
        batch=_bool(body, "batch"),
        cached_input_share=_share(body.get("cached_input_share", 0)),
        requests_per_month=_int(body, "requests_per_month", 1, maximum=MAX_REQUESTS_PER_MONTH),  # type: ignore[arg-type]
        chat_messages=_int(body, "chat_messages", 0, maximum=10_000),  # type: ignore[arg-type]
    )


def _int(body: dict[str, Any], field: str, default: int | None, maximum: int = MAX_TOKENS) -> int | None:
    value = body.get(field, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value != int(value):
        raise ApiError("must be a whole number.", field=field)
    if value < 0:
        raise ApiError(f"must not be negative (got {value}).", field=field)
    if value > maximum:
        raise ApiError(f"must be at most {maximum:,}.", field=field)
    return int(value)


def _bool(body: dict[str, Any], field: str) -> bool:
    value = body.get(field, False)
    if not isinstance(value, bool):
        raise ApiError("must be true or false.", field=field)
    return value


def _share(value: Any) -> Decimal:
    """A number, or a decimal string (as exports carry it), between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise ApiError("must be a number between 0 and 1.", field="cached_input_share")
    try:
        share = Decimal(value)
    except ArithmeticError:
        raise ApiError(f"{value!r} is not a number.", field="cached_input_share") from None
    if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
        raise ApiError(f"must be between 0 and 1 (got {value}).", field="cached_input_share")
    return share


def _preset(value: Any) -> Any:
    if value in (None, ""):
        return None
    if value not in PRESETS:
        raise ApiError(f"Unknown preset {value!r}; use one of {', '.join(PRESETS)}.", field="preset")
    return PRESETS[value]


def _models(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError('must be a list of "provider/model" strings.', field="models")
    if len(value) > MAX_MODELS:
        raise ApiError(f"at most {MAX_MODELS} models per request.", field="models")
    for item in value:
        if "\x00" in item:
            raise ApiError("a model name cannot contain a NUL character.", field="models")
        if "/" not in item:
            raise ApiError(f'{item!r} is not "provider/model".', field="models")
    return tuple(dict.fromkeys(value))
