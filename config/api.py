"""Small shared plumbing for the JSON API: one error shape, strict bodies, JSON-safe money.

Every API error is ``{"error": {"code": ..., "message": ..., "field": ...}}`` with a 4xx
status naming what was wrong; an unexpected failure is a JSON 500, never an HTML page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, message: str, *, field: str | None = None, status: int = 400, code: str = "invalid"):
        super().__init__(message)
        self.message, self.field, self.status, self.code = message, field, status, code


def error_response(error: ApiError) -> JsonResponse:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.field:
        body["field"] = error.field
    return JsonResponse({"error": body}, status=error.status)


def api_view(methods: Iterable[str]) -> Callable[[Callable[..., Any]], Callable[..., HttpResponse]]:
    """Wrap a view returning a dict/list (or a response) into a JSON endpoint with JSON errors."""

    def decorate(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                result = view(request, *args, **kwargs)
            except ApiError as error:
                return error_response(error)
            except (OperationalError, InterfaceError):
                raise  # an outage: DatabaseUnavailableMiddleware answers 503
            except Exception:
                logger.exception("API failure in %s", view.__name__)
                return error_response(
                    ApiError("Internal error; it has been logged.", status=500, code="internal")
                )
            if isinstance(result, HttpResponse):
                return result
            return JsonResponse(result, safe=False, json_dumps_params={"ensure_ascii": False})

        # The API is for programs: it takes JSON bodies, not forms, so it carries no CSRF token.
        return csrf_exempt(require_http_methods(list(methods))(wrapper))

    return decorate


def read_json_body(request: HttpRequest, *, allowed: Iterable[str]) -> dict[str, Any]:
    """The request's JSON object; refuses malformed JSON and unknown fields by name."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(
            f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes.",
            field="text",
            status=413,
            code="too_large",
        ) from None
    if request.content_type != "application/json":
        raise ApiError(
            "Send a JSON body with Content-Type: application/json.", status=415, code="unsupported_media_type"
        )
    try:
        body = json.loads(raw or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(f"The body is not valid JSON: {exc}", code="malformed_json") from None
    if not isinstance(body, dict):
        raise ApiError("The body must be a JSON object.", code="malformed_json")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ApiError(f"Unknown field: {unknown[0]}.", field=unknown[0], code="unknown_field")
    return body


def parse_as_of(value: object, *, field: str = "as_of") -> datetime | None:
    """An ISO date or datetime → an aware datetime (a date means the end of that day, UTC)."""
    from django.utils import timezone

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
    return moment


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()
