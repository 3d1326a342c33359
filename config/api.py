"""The JSON API's plumbing on django-ninja: one way to read a body, one error shape.

Every API error is ``{"error": {"code": ..., "message": ..., "field": ...}}`` with a 4xx status
naming what was wrong; an unexpected failure is a JSON 500, never an HTML page. Every JSON body
goes through ``read_json`` (the NinjaAPI's parser), so every endpoint, present and future,
refuses the same things the same way.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.defaults import page_not_found
from ninja import NinjaAPI, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

logger = logging.getLogger(__name__)

MAX_JSON_DEPTH = 64  # far more than any request here needs; far less than the parser's recursion limit


class ApiError(Exception):
    def __init__(self, message: str, *, field: str | None = None, status: int = 400, code: str = "invalid"):
        super().__init__(message)
        self.message, self.field, self.status, self.code = message, field, status, code


def error_response(error: ApiError) -> JsonResponse:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.field:
        body["field"] = error.field
    return JsonResponse({"error": body}, status=error.status)


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    """Every refusal: ``error.field`` names the input to change, when there is one."""

    error: ErrorDetail


# The refusals every endpoint may answer, for the OpenAPI document (the handlers below make them).
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 413: ErrorOut, 415: ErrorOut, 429: ErrorOut}
ERRORS[503] = ErrorOut  # a count past COUNT_DEADLINE_SECONDS ("count_deadline")


# ---------- reading a body: the one function ----------

# A string, or an unterminated one up to the end; possessive, so a hostile body stays linear.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in ``raw``, counted without parsing (so without
    recursion): brackets inside strings are dropped first, then the running sum is taken."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    if len(brackets) <= 2 * MAX_JSON_DEPTH:
        return (len(brackets) + 1) // 2  # cannot exceed the limit: no need for the exact depth
    return max(itertools.accumulate(_DEPTH_STEP[b] for b in brackets))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_json(request: HttpRequest) -> dict[str, Any]:
    """The request's body as a JSON object (numbers with a fraction as Decimal), or an ApiError:
    413 over the size limit, 415 if not declared JSON, 400 if malformed, nested deeper than
    MAX_JSON_DEPTH, or not an object."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise too_large() from None
    if request.content_type != "application/json":
        raise ApiError(
            "Send a JSON body with Content-Type: application/json.", status=415, code="unsupported_media_type"
        )
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise ApiError(
            f"The body nests arrays or objects deeper than {MAX_JSON_DEPTH} levels.", code="too_deep"
        )
    try:
        body = json.loads(raw or b"null", parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ApiError(f"The body is not valid JSON: {exc}", code="malformed_json") from None
    if not isinstance(body, dict):
        raise ApiError("The body must be a JSON object.", code="malformed_json")
    return body


def too_large(limit: int | None = None) -> ApiError:
    """A 413 naming the body's limit (default: the one Django enforces as it reads)."""
    limit = limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(f"The body is larger than {limit:,} bytes.", field="text", status=413, code="too_large")


class JsonBodyParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return read_json(request)


class JsonRenderer(JSONRenderer):
    """UTF-8 as is (ensure_ascii off), unless the data holds a lone surrogate UTF-8 cannot carry."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        text = json.dumps(data, cls=self.encoder_class, ensure_ascii=False)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(data, cls=self.encoder_class)


# ---------- dates ----------


def parse_as_of(value: object, *, field: str = "as_of") -> datetime | None:
    """An ISO date or datetime → an aware datetime (a date means the end of that day, UTC)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ApiError("must be an ISO date such as 2026-03-01.", field=field, code="bad_date")
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise ApiError(f"{value!r} is not an ISO date such as 2026-03-01.", field=field, code="bad_date")
    if moment is None:
        assert day is not None
        moment = datetime.combine(day, datetime.max.time())
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    try:
        # In UTC: the database stores UTC, and PostgreSQL refuses offsets past +/-15:59.
        return moment.astimezone(UTC)
    except OverflowError:
        raise ApiError(
            f"{value!r} is outside the calendar once converted to UTC.", field=field, code="bad_date"
        ) from None


def _as_of(value: object) -> datetime | None:
    try:
        return parse_as_of(value)
    except ApiError as error:
        raise PydanticCustomError(error.code, error.message) from None


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# An optional moment in a request ("2026-03-01" or a datetime), and a moment in a response (isoformat).
AsOf = Annotated[
    datetime | None,
    BeforeValidator(_as_of),
    WithJsonSchema({"type": ["string", "null"], "description": "ISO date or datetime; default now."}),
]
Iso = Annotated[
    datetime,
    PlainSerializer(lambda v: v.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


# ---------- errors ----------


def _field_of(loc: tuple[Any, ...]) -> str | None:
    """("body", "payload", "models", 3) → "models"; ("query", "as_of") → "as_of"."""
    names = [str(part) for part in loc[1:] if part != "payload"]
    return names[0] if names else None


def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Pydantic's findings as the error shape (``findings_error``); an empty body says so."""
    first = exc.errors[0]
    if first["loc"] == ("body", "payload") and first["type"] == "missing":
        try:  # an empty body: the parser never ran, so let it say what is wrong
            read_json(request)
        except ApiError as error:
            return error_response(error)
    return error_response(findings_error(exc.errors))


def findings_error(errors: list[dict[str, Any]]) -> ApiError:
    """An unknown field first (the first by name), else the first finding, with our own code when
    a validator raised one. ``loc`` as ninja gives it: ("body", "payload", field, ...). A page that
    validates an API body itself words its refusals through here, as the API does."""
    unknown = sorted(_field_of(e["loc"]) or "" for e in errors if e["type"] == "extra_forbidden")
    if unknown:
        return ApiError(f"Unknown field: {unknown[0]}.", field=unknown[0], code="unknown_field")
    first = errors[0]
    code = first["type"] if first["type"] in {"invalid", "bad_date"} else "invalid"
    field = first.get("ctx", {}).get("field") or _field_of(first["loc"])
    message = "is required." if first["type"] == "missing" else first["msg"]
    return ApiError(message, field=field, code=code)


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ApiError):  # ninja wraps what the parser raised
        return error_response(exc.__cause__)
    return error_response(ApiError(exc.message, status=exc.status_code))


def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, OperationalError | InterfaceError):
        raise exc  # an outage: DatabaseUnavailableMiddleware answers 503
    if isinstance(exc, RequestDataTooBig):
        return error_response(too_large())
    logger.error("API failure serving %s", request.path, exc_info=exc)
    return error_response(ApiError("Internal error; it has been logged.", status=500, code="internal"))


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page, except under /api/ where even an unknown URL answers in the error shape."""
    if request.path.startswith("/api/"):
        return error_response(ApiError("No such API endpoint.", status=404, code="not_found"))
    return page_not_found(request, exception)


def make_api(routers: list[Router]) -> NinjaAPI:
    """The /api/v1 API from the apps' routers, with the parser, renderer and error shape above."""
    api = NinjaAPI(
        title="LLM token & price calculator API",
        version="1",
        description="Money is always an exact decimal string in USD; rates are per million tokens.",
        urls_namespace="api",
        parser=JsonBodyParser(),
        renderer=JsonRenderer(),
        # Swagger UI from ninja's own static files; no call out to an online validator.
        docs=Swagger(settings={"validatorUrl": None}),
    )
    api.add_exception_handler(ApiError, lambda request, exc: error_response(exc))
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(
        Http404, lambda request, exc: error_response(ApiError("Not found.", status=404, code="not_found"))
    )
    api.add_exception_handler(Exception, unexpected_error)
    for router in routers:
        api.add_router("", router)
    return api
