"""The OpenAPI 3.1 document of the JSON API, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from pricing.validation import RATE_FIELDS

from .budgets import PRESETS

MONEY = {"type": "string", "pattern": r"^\d+(\.\d+)?$", "description": "USD as an exact decimal string."}
MONEY_OR_NULL = {"type": ["string", "null"], "pattern": r"^\d+(\.\d+)?$"}
INT_OR_NULL = {"type": ["integer", "null"]}
STR_OR_NULL = {"type": ["string", "null"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(_ref("Error"), "Invalid input; `error.field` names the field."),
    "404": _json(_ref("Error"), "Not found."),
    "413": _json(_ref("Error"), "Text over the size limit."),
    "415": _json(_ref("Error"), "Body is not JSON."),
}

ESTIMATE_REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "text": {"type": "string", "description": "Text to count (UTF-8, at most MAX_TEXT_BYTES)."},
        "input_tokens": {"type": "integer", "minimum": 0, "description": "Prompt tokens, instead of text."},
        "output_tokens": {"type": "integer", "minimum": 0, "default": 0},
        "preset": {"type": "string", "enum": list(PRESETS)},
        "models": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[^/]+/.+$"},
            "maxItems": 500,
            "description": 'Models as "provider/model"; default: the featured models.',
        },
        "all_models": {"type": "boolean", "default": False},
        "as_of": {
            "type": "string",
            "description": "ISO date or datetime; default now.",
            "examples": ["2025-01-15"],
        },
        "batch": {"type": "boolean", "default": False},
        "cached_input_share": {"type": "number", "minimum": 0, "maximum": 1, "default": 0},
        "requests_per_month": {"type": "integer", "minimum": 0, "default": 1},
        "chat_messages": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0},
    },
}

ESTIMATE_ROW = {
    "type": "object",
    "required": [
        "provider",
        "model",
        "tokenizer",
        "exact",
        "input_tokens",
        "output_tokens",
        "input_usd",
        "output_usd",
        "total_usd",
        "price_version",
        "effective_from",
        "context_window",
        "fits_context",
    ],
    "properties": {
        "provider": {"type": "string"},
        "model": {"type": "string"},
        "name": {"type": "string"},
        "provider_name": {"type": "string"},
        "tier": STR_OR_NULL,
        "status": {"type": "string"},
        "tokenizer": {"type": "string"},
        "tokenizer_name": {"type": "string"},
        "exact": {"type": "boolean", "description": "False: the count is an estimate."},
        "available": {"type": "boolean"},
        "note": STR_OR_NULL,
        "text_tokens": INT_OR_NULL,
        "chat_overhead_tokens": INT_OR_NULL,
        "input_tokens": INT_OR_NULL,
        "cached_input_tokens": INT_OR_NULL,
        "output_tokens": {"type": "integer"},
        "input_usd": MONEY_OR_NULL,
        "output_usd": MONEY_OR_NULL,
        "total_usd": MONEY_OR_NULL,
        "monthly_usd": MONEY_OR_NULL,
        "requests_per_month": {"type": "integer"},
        "price_version": {"type": "integer"},
        "effective_from": {"type": "string", "format": "date-time"},
        "effective_to": STR_OR_NULL,
        "tier_applied": INT_OR_NULL,
        "batch_applied": {"type": ["boolean", "null"]},
        "context_window": INT_OR_NULL,
        "max_output_tokens": INT_OR_NULL,
        "fits_context": {"type": ["boolean", "null"]},
    },
}

ESTIMATE_RESPONSE = {
    "type": "object",
    "required": ["schema_version", "as_of", "inputs", "results"],
    "properties": {
        "schema_version": {"type": "integer"},
        "as_of": {"type": "string", "format": "date-time"},
        "inputs": {"type": "object"},
        "text": {"type": ["object", "null"]},
        "tokenizers": {"type": "array", "items": {"type": "object"}},
        "results": {"type": "array", "items": _ref("EstimateRow")},
        "cheapest_fitting": STR_OR_NULL,
        "without_price": {"type": "array", "items": {"type": "string"}},
        "elapsed_ms": {"type": "number"},
    },
}

PRICE_VERSION = {
    "type": "object",
    "properties": {
        "price_version": {"type": "integer"},
        "effective_from": {"type": "string"},
        "effective_to": STR_OR_NULL,
        **{name: MONEY_OR_NULL for name in RATE_FIELDS},
        "tiers": {"type": "array", "items": {"type": "object"}},
        "origin": {"type": "string"},
        "source_url": STR_OR_NULL,
        "verified_at": STR_OR_NULL,
        "change_reason": {"type": "string"},
        "locked": {"type": "boolean"},
    },
}


def _post(
    summary: str, request: dict[str, Any], response: dict[str, Any], status: str = "200"
) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
            "responses": {status: _json(response), **ERRORS},
        }
    }


def _get(
    summary: str, response: dict[str, Any], parameters: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters or [],
            "responses": {"200": _json(response), **ERRORS},
        }
    }


def _query(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": description,
    }


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def build_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "LLM token & price calculator API",
            "version": "1",
            "description": "Money is always an exact decimal string in USD; rates are per million tokens.",
        },
        "paths": {
            "/api/v1/estimate": _post(
                "Count and cost a text (or token counts) on every selected model",
                _ref("EstimateRequest"),
                _ref("EstimateResponse"),
            ),
            "/api/v1/tokenize": _post(
                "Split a text into tokens with ids and character offsets",
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["text", "tokenizer"],
                    "properties": {"text": {"type": "string"}, "tokenizer": {"type": "string"}},
                },
                {"type": "object", "properties": {"count": {"type": "integer"}, "tokens": {"type": "array"}}},
            ),
            "/api/v1/tokenizers": _get(
                "Every tokenizer: exactness, note, licence, availability",
                {"type": "object", "properties": {"results": {"type": "array"}}},
            ),
            "/api/v1/budgets/presets": _get(
                "The guide's use-case presets (tokens per request)",
                {"type": "object", "properties": {"results": {"type": "array"}}},
            ),
            "/api/v1/comparisons": _post(
                "Estimate and save a comparison (permalink, JSON and CSV export)",
                {
                    **ESTIMATE_REQUEST,
                    "properties": {
                        **ESTIMATE_REQUEST["properties"],
                        "save_text": {"type": "boolean", "default": False},
                    },
                },
                _ref("EstimateResponse"),
                status="201",
            ),
            "/api/v1/models": _get(
                "Models with the price in force (now or as of a date)",
                {"type": "object", "properties": {"results": {"type": "array"}}},
                [
                    _query("as_of", "ISO date"),
                    _query("provider", "provider slug"),
                    _query("search", "text"),
                    _query("featured", "true: featured models only"),
                ],
            ),
            "/api/v1/models/{provider}/{model}/prices": _get(
                "A model's whole price history",
                {
                    "type": "object",
                    "properties": {
                        "in_force": {"oneOf": [_ref("PriceVersion"), {"type": "null"}]},
                        "history": {"type": "array", "items": _ref("PriceVersion")},
                    },
                },
                [_path("provider"), _path("model"), _query("as_of", "ISO date")],
            ),
        },
        "components": {
            "schemas": {
                "EstimateRequest": ESTIMATE_REQUEST,
                "EstimateRow": ESTIMATE_ROW,
                "EstimateResponse": ESTIMATE_RESPONSE,
                "PriceVersion": PRICE_VERSION,
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "field": {"type": "string"},
                            },
                        }
                    },
                },
            }
        },
    }


def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(build_document())
