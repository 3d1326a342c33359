"""JSON API: estimate, tokenize, tokenizers, budget presets, saved comparisons."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, JsonResponse

from config.api import ApiError, api_view, read_json_body
from pricing.models import LanguageModel

from . import tokenizers
from .budgets import PRESETS, ratio
from .estimate import SCHEMA_VERSION, run_estimate
from .inputs import ESTIMATE_FIELDS, parse_estimate_request
from .models import Comparison

MAX_TOKENS_LISTED = 20_000


@api_view(["POST"])
def estimate(request: HttpRequest) -> dict[str, Any]:
    body = read_json_body(request, allowed=ESTIMATE_FIELDS)
    return run_estimate(parse_estimate_request(body))


@api_view(["POST"])
def tokenize(request: HttpRequest) -> dict[str, Any]:
    body = read_json_body(request, allowed=("text", "tokenizer"))
    text, key = body.get("text"), body.get("tokenizer")
    if not isinstance(text, str):
        raise ApiError("must be a string.", field="text")
    if not isinstance(key, str):
        raise ApiError("must name a tokenizer (see GET /api/v1/tokenizers).", field="tokenizer")
    try:
        info = tokenizers.get_info(key)
        tokens, boundaries_real = tokenizers.tokenize(text, key)
        # The billed count; for an estimator without real boundaries it can differ from the spans.
        count = tokenizers.count_tokens(text, key)
    except tokenizers.UnknownTokenizer:
        raise ApiError(f"Unknown tokenizer {key!r}.", field="tokenizer", code="unknown_tokenizer") from None
    except tokenizers.TokenizerUnavailable as exc:
        raise ApiError(str(exc), field="tokenizer", status=409, code="unavailable") from None
    except tokenizers.TextTooLarge as exc:
        raise ApiError(str(exc), field="text", status=413, code="too_large") from None
    except tokenizers.TokenizerError as exc:
        raise ApiError(str(exc), field="text", code="bad_text") from None
    words = len(text.split())
    return {
        "tokenizer": key,
        "name": info.name,
        "exact": info.exact,
        "boundaries_real": boundaries_real,
        "count": count,
        "spans": len(tokens),
        "truncated": len(tokens) > MAX_TOKENS_LISTED,
        "tokens": [
            {"id": t.id, "text": t.text, "start": t.start, "end": t.end} for t in tokens[:MAX_TOKENS_LISTED]
        ],
        "characters": len(text),
        "words": words,
        "chars_per_token": _str(ratio(len(text), count)),
        "tokens_per_word": _str(ratio(count, words)),
    }


@api_view(["GET"])
def tokenizer_list(request: HttpRequest) -> dict[str, Any]:
    return {"results": tokenizer_rows()}


def tokenizer_rows() -> list[dict[str, Any]]:
    """Every tokenizer with exactness, note, licence, availability and how many models use it."""
    used = dict(LanguageModel.objects.values_list("tokenizer_key").annotate(n=Count("pk")))
    return [
        {
            "key": info.key,
            "name": info.name,
            "engine": info.engine,
            "exact": info.exact,
            "note": info.note,
            "licence": info.licence,
            "available": tokenizers.is_available(info.key),
            "unavailable_reason": tokenizers.unavailable_reason(info.key),
            "models": used.get(info.key, 0),
        }
        for info in tokenizers.list_tokenizers()
    ]


@api_view(["GET"])
def presets(request: HttpRequest) -> dict[str, Any]:
    return {"results": preset_rows()}


def preset_rows() -> list[dict[str, Any]]:
    return [
        {
            "key": p.key,
            "name": p.name,
            "input_tokens": {
                "low": p.input_tokens.low,
                "typical": p.input_tokens.typical,
                "high": p.input_tokens.high,
            },
            "output_tokens": {
                "low": p.output_tokens.low,
                "typical": p.output_tokens.typical,
                "high": p.output_tokens.high,
            },
        }
        for p in PRESETS.values()
    ]


@api_view(["POST"])
def comparisons(request: HttpRequest) -> JsonResponse:
    """Estimate and save; the text is stored only with ``save_text`` (its hash and length always)."""
    body = read_json_body(request, allowed=(*ESTIMATE_FIELDS, "save_text"))
    save_text = body.pop("save_text", False)
    if not isinstance(save_text, bool):
        raise ApiError("must be true or false.", field="save_text")
    parsed = parse_estimate_request(body)
    if save_text and parsed.text and "\x00" in parsed.text:
        raise ApiError(
            "The text contains NUL characters, which cannot be stored; save without the text.",
            field="save_text",
        )
    result = run_estimate(parsed)
    result.pop("elapsed_ms")
    stats = result["text"] or {}
    with transaction.atomic():
        comparison = Comparison.objects.create(
            schema_version=SCHEMA_VERSION,
            as_of=result["as_of"],
            inputs={**parsed.normalised(), "as_of": result["as_of"]},
            text=parsed.text if save_text and parsed.text else "",
            text_saved=bool(save_text and parsed.text),
            text_sha256=stats.get("sha256", ""),
            text_length=stats.get("characters"),
            results=result,
        )
    links = {
        "id": comparison.id,
        "url": f"/c/{comparison.id}",
        "json_url": f"/c/{comparison.id}.json",
        "csv_url": f"/c/{comparison.id}.csv",
    }
    return JsonResponse({**links, **result}, status=201, json_dumps_params={"ensure_ascii": False})


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
