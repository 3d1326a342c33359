"""Vendors' usage exports, each normalised by its provider's own rules into the bill's usage
(disjoint quantities: input without cache reads or writes, output without reasoning). Pure.

Each reader names its format's rules where it applies them; docs/usage.md lists the formats.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from pricing.bill import BillError, BillUsage
from usage.formats.errors import UsageFileError
from usage.formats.record import UsageRecord

Item = Mapping[str, Any]


def read_json_document(stream: BinaryIO) -> Any:
    try:
        return json.load(stream, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise UsageFileError(f"the file is not valid JSON ({error}).") from None


def _items(document: Any, *keys: str) -> list[Any]:
    """The list under ``keys`` (a bare list is taken as it is)."""
    found = document
    for key in keys:
        if isinstance(found, list):
            return found
        if not isinstance(found, Mapping) or key not in found:
            raise UsageFileError(f"not this format: no {'.'.join(keys)!r} list.")
        found = found[key]
    if not isinstance(found, list):
        raise UsageFileError(f"not this format: {'.'.join(keys)!r} is not a list.")
    return found


def _count(item: Item, key: str, *, row: int) -> int:
    value = item.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise UsageFileError(f"{value!r} is not a whole number.", row=row, column=key)
    return int(value)


def _amount(value: Any, *, row: int, column: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise UsageFileError(f"{value!r} is not an amount.", row=row, column=column)
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise UsageFileError(f"{value!r} is not an amount.", row=row, column=column) from None
    if not amount.is_finite() or amount < 0:
        raise UsageFileError(f"{value!r} is not an amount.", row=row, column=column)
    return amount


def _moment(value: Any, *, row: int, column: str) -> datetime:
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise UsageFileError(f"{value!r} is not a moment.", row=row, column=column)


def _usage(row: int, **counts: Any) -> BillUsage:
    try:
        return BillUsage(**counts)
    except BillError as error:
        raise UsageFileError(
            f"{error.message}.", row=row, column=error.field.removeprefix("usage.")
        ) from None


def _less(total: int, part: int, *, row: int, column: str) -> int:
    """``total`` without ``part`` (a vendor counts ``part`` inside ``total``)."""
    if part > total:
        raise UsageFileError(f"{part:,} is more than the {total:,} it is part of.", row=row, column=column)
    return total - part


def _model(provider: str | None, model: Any, *, row: int, column: str = "model") -> str:
    if not isinstance(model, str) or not model.strip():
        raise UsageFileError("a model is required.", row=row, column=column)
    name = model.strip()
    return name if "/" in name or not provider else f"{provider}/{name}"


# ---------- OpenAI ----------


def read_openai_usage(stream: BinaryIO, *, max_rows: int) -> Iterator[UsageRecord]:
    for result, start, row in _bucket_results(stream, "start_time", max_rows):
        yield _openai_result(result, start, row)


def _bucket_results(stream: BinaryIO, start_key: str, max_rows: int) -> Iterator[tuple[Item, Any, int]]:
    """OpenAI's and Anthropic's usage reports alike: time buckets under ``data``, each with its
    start under ``start_key`` and its rows under ``results``; yields (row, bucket start, row number)."""
    row = 0
    for bucket in _items(read_json_document(stream), "data"):
        if not isinstance(bucket, Mapping):
            raise UsageFileError("a bucket must be an object.", row=row + 1)
        for result in _items(bucket, "results"):
            row = _next(row, max_rows)
            yield _object(result, row), bucket.get(start_key), row


def _openai_result(result: Item, start: Any, row: int) -> UsageRecord:
    cached = _count(result, "input_cached_tokens", row=row)
    tier = "batch" if result.get("batch") is True else _openai_tier(result.get("service_tier"))
    return UsageRecord(
        row=row,
        at=_moment(start, row=row, column="start_time"),
        model=_model("openai", result.get("model"), row=row),
        usage=_usage(
            row,
            input_tokens=_less(
                _count(result, "input_tokens", row=row), cached, row=row, column="input_tokens"
            ),
            cache_read_tokens=cached,
            output_tokens=_count(result, "output_tokens", row=row),
        ),
        service_tier=tier,
        tags=tuple(str(result[key]) for key in ("project_id",) if result.get(key)),
        requests=max(1, _count(result, "num_model_requests", row=row)),
    )


def _openai_tier(value: Any) -> str:
    """OpenAI names its standard tier "default"."""
    return "standard" if value in (None, "", "default", "auto") else str(value)


# ---------- Anthropic ----------


def read_anthropic_usage(stream: BinaryIO, *, max_rows: int) -> Iterator[UsageRecord]:
    for result, start, row in _bucket_results(stream, "starting_at", max_rows):
        yield _anthropic_result(result, start, row)


def _anthropic_result(result: Item, start: Any, row: int) -> UsageRecord:
    creation = result.get("cache_creation") or {}
    if not isinstance(creation, Mapping):
        raise UsageFileError("cache_creation must be an object.", row=row, column="cache_creation")
    tier = result.get("service_tier")
    return UsageRecord(
        row=row,
        at=_moment(start, row=row, column="starting_at"),
        model=_model("anthropic", result.get("model"), row=row),
        usage=_usage(
            row,
            input_tokens=_count(result, "uncached_input_tokens", row=row),
            cache_read_tokens=_count(result, "cache_read_input_tokens", row=row),
            cache_write_5m_tokens=_count(creation, "ephemeral_5m_input_tokens", row=row),
            cache_write_1h_tokens=_count(creation, "ephemeral_1h_input_tokens", row=row),
            output_tokens=_count(result, "output_tokens", row=row),
            web_searches=_count(result.get("server_tool_use") or {}, "web_search_requests", row=row),
        ),
        service_tier="standard" if tier in (None, "", "standard") else str(tier),
        tags=tuple(str(result[key]) for key in ("workspace_id",) if result.get(key)),
    )


# ---------- OpenRouter ----------


def read_openrouter_activity(stream: BinaryIO, *, max_rows: int) -> Iterator[UsageRecord]:
    for index, item in enumerate(_items(read_json_document(stream), "data"), start=1):
        _next(index - 1, max_rows)
        item = _object(item, index)
        completion = _count(item, _key(item, "completion_tokens", "completionTokens"), row=index)
        reasoning = _count(item, _key(item, "reasoning_tokens", "reasoningTokens"), row=index)
        yield UsageRecord(
            row=index,
            at=_moment(f"{item.get('date')}T00:00:00+00:00", row=index, column="date"),
            model=_model(None, item.get("model"), row=index),
            usage=_usage(
                index,
                input_tokens=_count(item, _key(item, "prompt_tokens", "promptTokens"), row=index),
                output_tokens=_less(completion, reasoning, row=index, column="reasoning_tokens"),
                reasoning_tokens=reasoning,
            ),
            reported_cost_usd=_amount(item.get("usage"), row=index, column="usage"),
            requests=max(1, _count(item, "requests", row=index)),
        )


def _key(item: Item, snake: str, camel: str) -> str:
    """OpenRouter's REST API writes snake_case, its SDKs camelCase."""
    return camel if camel in item else snake


# ---------- LiteLLM ----------


def read_litellm_spend(stream: BinaryIO, *, max_rows: int) -> Iterator[UsageRecord]:
    for index, item in enumerate(_items(read_json_document(stream), "data"), start=1):
        _next(index - 1, max_rows)
        item = _object(item, index)
        details = _usage_object(item)
        prompt = _count(item, "prompt_tokens", row=index)
        cached = _count(details.get("prompt_tokens_details") or {}, "cached_tokens", row=index)
        written = _count(details, "cache_creation_input_tokens", row=index)
        completion = _count(item, "completion_tokens", row=index)
        reasoning = _count(details.get("completion_tokens_details") or {}, "reasoning_tokens", row=index)
        tags = item.get("request_tags") or []
        yield UsageRecord(
            row=index,
            at=_moment(item.get("startTime"), row=index, column="startTime"),
            model=_model(item.get("custom_llm_provider") or None, item.get("model"), row=index),
            usage=_usage(
                index,
                input_tokens=_less(prompt, cached + written, row=index, column="prompt_tokens"),
                cache_read_tokens=cached,
                cache_write_5m_tokens=written,
                output_tokens=_less(completion, reasoning, row=index, column="completion_tokens"),
                reasoning_tokens=reasoning,
            ),
            reported_cost_usd=_amount(item.get("spend"), row=index, column="spend"),
            tags=tuple(sorted({str(tag) for tag in tags})) if isinstance(tags, list) else (),
        )


def _usage_object(item: Item) -> Item:
    metadata = item.get("metadata")
    found = metadata.get("usage_object") if isinstance(metadata, Mapping) else None
    return found if isinstance(found, Mapping) else {}


# ---------- Langfuse ----------

LANGFUSE_KINDS = (  # usage type (as Langfuse's integrations name it) → the bill's field, first match wins
    ("cache_read", "cache_read_tokens"),
    ("cached", "cache_read_tokens"),
    ("cache_creation", "cache_write_5m_tokens"),
    ("reasoning", "reasoning_tokens"),
    ("input", "input_tokens"),
    ("output", "output_tokens"),
)


def read_langfuse_observations(stream: BinaryIO, *, max_rows: int) -> Iterator[UsageRecord]:
    for index, item in enumerate(_items(read_json_document(stream), "data"), start=1):
        _next(index - 1, max_rows)
        item = _object(item, index)
        details = item.get("usageDetails") or {}
        if not isinstance(details, Mapping):
            raise UsageFileError("usageDetails must be an object.", row=index, column="usageDetails")
        counts = dict.fromkeys((name for _, name in LANGFUSE_KINDS), 0)
        for kind in details:
            name = next((field for word, field in LANGFUSE_KINDS if word in kind), None)
            if name is not None:  # "total" is their sum, not a quantity of its own
                counts[name] += _count(details, kind, row=index)
        costs = item.get("costDetails") or {}
        total = costs.get("total") if isinstance(costs, Mapping) else None
        yield UsageRecord(
            row=index,
            at=_moment(item.get("startTime"), row=index, column="startTime"),
            model=_model(None, item.get("model"), row=index),
            usage=_usage(index, **counts),
            reported_cost_usd=_amount(total, row=index, column="costDetails.total"),
        )


# ---------- OpenTelemetry GenAI ----------


def read_otel_genai(stream: BinaryIO, *, max_rows: int) -> Iterator[UsageRecord]:
    row = 0
    for resource in _items(read_json_document(stream), "resourceSpans"):
        for scope in _items(_object(resource, row + 1), "scopeSpans"):
            for span in _items(_object(scope, row + 1), "spans"):
                attributes = _attributes(_object(span, row + 1))
                if (
                    "gen_ai.usage.input_tokens" not in attributes
                    and "gen_ai.usage.output_tokens" not in attributes
                ):
                    continue  # not a model call
                row = _next(row, max_rows)
                yield _otel_span(span, attributes, row)


def _otel_span(span: Item, attributes: dict[str, Any], row: int) -> UsageRecord:
    read = _count(attributes, "gen_ai.usage.cache_read.input_tokens", row=row)
    written = _count(attributes, "gen_ai.usage.cache_creation.input_tokens", row=row)
    total_input = _count(attributes, "gen_ai.usage.input_tokens", row=row)
    provider = attributes.get("gen_ai.provider.name") or attributes.get("gen_ai.system")
    model = attributes.get("gen_ai.response.model") or attributes.get("gen_ai.request.model")
    nanos = span.get("startTimeUnixNano")
    if not str(nanos).isdigit():
        raise UsageFileError(f"{nanos!r} is not a time in nanoseconds.", row=row, column="startTimeUnixNano")
    return UsageRecord(
        row=row,
        at=datetime.fromtimestamp(int(str(nanos)) / 1e9, tz=UTC),
        model=_model(str(provider) if provider else None, model, row=row, column="gen_ai.request.model"),
        usage=_usage(
            row,
            input_tokens=_less(total_input, read + written, row=row, column="gen_ai.usage.input_tokens"),
            cache_read_tokens=read,
            cache_write_5m_tokens=written,
            output_tokens=_count(attributes, "gen_ai.usage.output_tokens", row=row),
        ),
    )


def _attributes(span: Item) -> dict[str, Any]:
    """OTLP JSON's ``[{"key": k, "value": {"intValue": "5"}}]`` as ``{k: "5"}``."""
    found: dict[str, Any] = {}
    for attribute in span.get("attributes") or []:
        if isinstance(attribute, Mapping) and isinstance(attribute.get("value"), Mapping):
            value = attribute["value"]
            found[str(attribute.get("key"))] = next(iter(value.values()), None) if value else None
    return found


# ---------- shared ----------


def _object(item: Any, row: int) -> Item:
    if not isinstance(item, Mapping):
        raise UsageFileError("each item must be a JSON object.", row=row)
    return item


def _next(row: int, max_rows: int) -> int:
    if row >= max_rows:
        raise UsageFileError(f"more than {max_rows:,} rows; split the file.", row=row + 1)
    return row + 1


Reader = Callable[..., Iterator[UsageRecord]]
VENDOR_FORMATS: dict[str, Reader] = {
    "openai-usage": read_openai_usage,
    "anthropic-usage": read_anthropic_usage,
    "openrouter-activity": read_openrouter_activity,
    "litellm-spend": read_litellm_spend,
    "langfuse-observations": read_langfuse_observations,
    "otel-genai": read_otel_genai,
}
