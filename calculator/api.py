"""JSON API: estimate, tokenize, tokenizers, budget presets, saved comparisons.

The API layer: it maps the estimate's domain errors to the error shape and the typed estimate
to its schema (where money becomes a decimal string)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Status

from config.api import ERRORS, ApiError
from pricing.models import LanguageModel

from . import tokenizers
from .budgets import PRESETS, ratio
from .coverage import coverage
from .estimate import SCHEMA_VERSION, Estimate, UnknownModel, UnknownTier, run_estimate
from .image_counts import count_images
from .inputs import ComparisonRequest, EstimateRequest
from .models import Comparison
from .money import money_parts, with_money
from .schemas import (
    TABLE_FIELDS,
    ComparisonOut,
    EstimateOut,
    PresetsOut,
    TokenizeOut,
    TokenizeRequest,
    TokenizersOut,
    estimate_json,
    table_json,
    table_update_json,
    write_rows,
)
from .tokenizers.chat.conversation import parse_conversation
from .tokenizers.chat.framing import count_conversation
from .tokenizers.quality import quality_of
from .tokenizers.registry import check_text

MAX_TOKENS_LISTED = 20_000

router = Router(tags=["calculator"])


@contextmanager
def domain_errors(tokenizer: str | None = None) -> Iterator[None]:
    """The estimate's and the tokenizers' refusals as API errors naming the field (``tokenizer``:
    the key the request named)."""
    try:
        yield
    except UnknownModel as exc:
        raise ApiError(str(exc), field="models", code="unknown_model") from None
    except UnknownTier as exc:
        raise ApiError(str(exc), field="service_tier", code="unknown_tier") from None
    except tokenizers.UnknownTokenizer:
        raise ApiError(
            f"Unknown tokenizer {tokenizer!r}.", field="tokenizer", code="unknown_tokenizer"
        ) from None
    except tokenizers.TokenizerUnavailable as exc:
        raise ApiError(str(exc), field="tokenizer", status=409, code="unavailable") from None
    except tokenizers.TextTooLarge as exc:
        raise ApiError(str(exc), field="text", status=413, code="too_large") from None
    except tokenizers.CountDeadline as exc:
        raise ApiError(str(exc), field="text", status=503, code="count_deadline") from None
    except tokenizers.TokenizerError as exc:
        raise ApiError(str(exc), field="text", code="bad_text") from None


@router.post(
    "/estimate",
    response={200: EstimateOut, **ERRORS},
    url_name="api-estimate",
    summary="Count and cost a text (or token counts) on every selected model",
)
def estimate(request: HttpRequest, payload: EstimateRequest) -> Estimate | dict[str, Any]:
    with domain_errors():
        result = run_estimate(payload)
    return with_money(payload, result)  # the estimate as it was unless an overlay or currency applies


@router.post("/estimate/table", url_name="api-estimate-table", include_in_schema=False)
def estimate_table(request: HttpRequest, payload: EstimateRequest, since: str = "") -> HttpResponse:
    """The estimate as the calculator page reads it (``table_json``): the same request, the same
    numbers, the rows as a table of values. Not part of the public API (docs/api.md).

    ``results_table`` carries a ``stamp`` of the rows' static values (names, links, tokenizer,
    price version, counts) and each row's ``place`` among them. A page that holds an answer with
    stamp S asks ``?since=S``; when this answer's rows have that stamp too, it gets
    ``results_update`` instead: each row's place and its other values only (``table_update_json``).
    Any other stamp (another catalogue, text or set of models) gets the full answer."""
    with domain_errors():
        result = run_estimate(payload)
    answer = table_json(result, with_rows=False)
    answer.update(money_parts(payload, result) or {})
    written = write_rows(result.results)  # most of it is kept between requests
    stamp, places = written.stamp_and_places()
    if since and since == stamp:
        table = f'{{"stamp":{_compact_text(stamp)},{table_update_json(written, places)[1:]}'
        text = f'{_compact_text(answer)[:-1]},"results_update":{table}}}'
    else:
        fields = _compact_text(list(TABLE_FIELDS))
        held = f'"stamp":"{stamp}","places":{_compact_text(places)}'
        table = f'{{"fields":{fields},{held},"rows":{written.json()}}}'
        text = f'{_compact_text(answer)[:-1]},"results_table":{table}}}'
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a text the answer repeats: no stamp
        body = _compact_json({**answer, "results_table": table_json(result)["results_table"]})
    return HttpResponse(body, content_type="application/json")


def _compact_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _compact_json(data: dict[str, Any]) -> bytes:
    """UTF-8 as is (as the API's renderer), without the spaces after separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a text the answer repeats
        return json.dumps(data, separators=(",", ":")).encode("ascii")


@router.post(
    "/tokenize",
    response={200: TokenizeOut, **ERRORS},
    url_name="api-tokenize",
    summary="Split a text into tokens with ids and character offsets",
)
def tokenize(request: HttpRequest, payload: TokenizeRequest) -> dict[str, Any]:
    text, key = payload.text, payload.tokenizer
    if text is None:
        return _tokenize_conversation(payload)
    with domain_errors(tokenizer=key):
        info = tokenizers.get_info(key)
        tokens, boundaries_real = tokenizers.tokenize(text, key)
        # The billed count; for an estimator without real boundaries it can differ from the spans.
        counted = tokenizers.count_tokens_many(text, [key])[key]  # under the counting deadline
        if counted.tokens is None:
            raise tokenizers.TokenizerError(counted.note or "this text could not be counted")
        count = counted.tokens
    words = len(text.split())
    return {
        "tokenizer": key,
        "name": info.name,
        "exact": info.exact,
        "boundaries_real": boundaries_real,
        "count": count,
        "spans": len(tokens),
        "truncated": len(tokens) > MAX_TOKENS_LISTED,
        "tokens": tokens[:MAX_TOKENS_LISTED],
        "characters": len(text),
        "words": words,
        "chars_per_token": ratio(len(text), count),
        "tokens_per_word": ratio(count, words),
    }


def _tokenize_conversation(payload: TokenizeRequest) -> dict[str, Any]:
    """A conversation's count for one tokenizer, split into content, framing and tools."""
    conversation = parse_conversation(payload.messages or [], payload.tools)
    key = payload.tokenizer
    with domain_errors(tokenizer=key):
        info = tokenizers.get_info(key)
        check_text(conversation.dump())
        counted = count_conversation(conversation, key, payload.model)
    dumped = conversation.dump()
    words = sum(len(t.split()) for t in conversation.texts())
    # Images count by the model's maker's rule; without a model (or a rule) they are left out, and said so.
    images = count_images("", payload.model, key, conversation.images()) if conversation.images() else None
    total = counted.total + (images.tokens or 0 if images else 0)
    return {
        "tokenizer": key,
        "name": info.name,
        "exact": info.exact and counted.framing_quality == "exact",
        "boundaries_real": False,
        "count": total,
        "spans": 0,
        "truncated": False,
        "tokens": [],
        "characters": len(dumped),
        "words": words,
        "chars_per_token": ratio(len(dumped), total),
        "tokens_per_word": ratio(total, words),
        "content_tokens": counted.content,
        "framing_tokens": counted.framing,
        "tools_tokens": counted.tools,
        "framing": counted.framing_quality,
        "framing_source": "; ".join((counted.source, *counted.notes)),
        "image_tokens": images.tokens if images else None,
        "image_rule": images.rule if images else None,
    }


@router.get(
    "/tokenizers",
    response={200: TokenizersOut, **ERRORS},
    url_name="api-tokenizers",
    summary="Every tokenizer",
)
def tokenizer_list(request: HttpRequest) -> dict[str, Any]:
    return {"results": tokenizer_rows(), "coverage": coverage()}


def tokenizer_rows() -> list[dict[str, Any]]:
    """Every tokenizer with exactness, note, licence, availability and how many models use it."""
    listed = LanguageModel.objects.filter(alias_of__isnull=True)  # an alias is not another model
    used = dict(listed.values_list("tokenizer_key").annotate(n=Count("pk")))
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
            "quality": _quality(info),
        }
        for info in tokenizers.list_tokenizers()
    ]


def _quality(info: tokenizers.TokenizerInfo) -> dict[str, str]:
    quality = quality_of(info.key, info.exact)
    return {"label": quality.label, "detail": quality.detail, "source": quality.source}


@router.get(
    "/budgets/presets",
    response={200: PresetsOut, **ERRORS},
    url_name="api-presets",
    summary="The guide's use-case presets (tokens per request)",
)
def presets(request: HttpRequest) -> dict[str, Any]:
    return {"results": list(PRESETS.values())}


@router.post(
    "/comparisons",
    response={201: ComparisonOut, **ERRORS},
    url_name="api-comparisons",
    summary="Estimate and save a comparison (permalink, JSON and CSV export)",
)
def comparisons(request: HttpRequest, payload: ComparisonRequest) -> Status:
    """Estimate and save; the text is stored only with ``save_text`` (its hash and length always)."""
    save_text = payload.save_text and bool(payload.text)
    if save_text and payload.text and "\x00" in payload.text:
        raise ApiError(
            "The text contains NUL characters, which cannot be stored; save without the text.",
            field="save_text",
        )
    with domain_errors():
        result = run_estimate(payload)
    stored = estimate_json(result)
    with transaction.atomic():
        comparison = Comparison.objects.create(
            schema_version=SCHEMA_VERSION,
            as_of=result.as_of,
            inputs={**payload.normalised(), "as_of": stored["as_of"]},
            text=payload.text if save_text and payload.text else "",
            text_saved=save_text,
            text_sha256=result.text.sha256 if result.text else "",
            text_length=result.text.characters if result.text else None,
            results=stored,
        )
    links = {
        "id": comparison.id,
        "url": reverse("comparison", args=[comparison.id]),
        "json_url": reverse("comparison-json", args=[comparison.id]),
        "csv_url": reverse("comparison-csv", args=[comparison.id]),
    }
    return Status(201, {**links, **stored})
