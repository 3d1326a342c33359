"""Cross-cutting HTTP concerns: a content security policy, API rate limiting, and a clear
answer when the database is down."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from config.api import error_response, too_large

logger = logging.getLogger(__name__)

# The site's own pages run no inline script or style, so the policy can be strict. Django's admin
# still uses a few inline style attributes, so it alone may use them.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
ADMIN_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = ADMIN_CSP if request.path.startswith("/admin/") else CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class RefuseNulMiddleware:
    """A NUL character in the path or query string can never name anything here, and PostgreSQL
    refuses it in a query: answer 400 up front instead of failing deep in a lookup."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = "".join(f"{k}{v}" for k, values in request.GET.lists() for v in values)
        if "\x00" in request.path or "\x00" in query:
            message = "The URL contains a NUL character."
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"code": "invalid", "message": message}}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


# Where the admin takes uploads (the price table), and where a usage export is uploaded (page and
# API): the only paths with a larger size limit, each its own.
ADMIN_UPLOAD_PATHS = ("/admin/pricing/languagemodel/price-table/",)
USAGE_UPLOAD_PATHS = ("/usage", "/api/v1/usage/imports")
# A multipart body carries the file plus its boundaries and a few form fields.
MULTIPART_SLACK_BYTES = 64 * 1024


class RequestSizeMiddleware:
    """One size limit for every request body, checked from its declared length before anything
    reads it: ``MAX_REQUEST_BYTES``, or ``ADMIN_UPLOAD_MAX_BYTES`` for the admin's upload. Django's
    own limit counts form fields but not uploaded files, which it would spool to disk whatever
    their size. A body without a declared length (chunked) is refused: Django would not read it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BYTES
        if request.path.startswith(ADMIN_UPLOAD_PATHS):
            limit = max(limit, settings.ADMIN_UPLOAD_MAX_BYTES)
        elif request.path in USAGE_UPLOAD_PATHS:
            limit = max(limit, settings.USAGE_MAX_UPLOAD_BYTES + MULTIPART_SLACK_BYTES)
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _refuse(request, 411, "length_required", "Send the body with a Content-Length header.")
        if declared and not declared.isdigit():
            return _refuse(request, 400, "invalid", f"Content-Length {declared[:40]!r} is not a number.")
        if declared and int(declared) > limit:
            if request.path.startswith("/api/"):
                return error_response(too_large(limit))
            return _refuse(
                request, 413, "too_large", f"The request body is larger than {limit:,} bytes, the limit here."
            )
        return self.get_response(request)


def _refuse(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class ApiRateLimitMiddleware:
    """A fixed-window limit per client address on /api/; over it, a JSON 429 with Retry-After.

    Counters live in the default cache: per process with the local-memory cache, shared when
    the cache is Redis (``CACHE_URL``). When that cache cannot be reached the limit is not
    enforced (logged once a minute per process): the site keeps serving through a Redis outage.
    """

    _last_warning = 0.0

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit, window = settings.API_RATE_LIMIT_REQUESTS, settings.API_RATE_LIMIT_WINDOW
        if limit and request.path.startswith("/api/"):
            slot = int(time.time() // window)
            key = f"ratelimit:{client_address(request)}:{slot}"
            count = self.count(key, window)
            if count > limit:
                retry_after = window - int(time.time()) % window
                response = JsonResponse(
                    {
                        "error": {
                            "code": "rate_limited",
                            "message": f"Too many requests: at most {limit} per {window} s. "
                            f"Retry in {retry_after} s.",
                        }
                    },
                    status=429,
                )
                response["Retry-After"] = str(retry_after)
                return response
        return self.get_response(request)

    def count(self, key: str, window: int) -> int:
        """This request's number in its window; 0 when the cache is unreachable."""
        try:
            cache.add(key, 0, timeout=window + 1)
            try:
                return cache.incr(key)
            except ValueError:  # evicted between add and incr
                return 1
        except Exception as error:  # noqa: BLE001 - each cache backend raises its own errors
            now = time.monotonic()
            if now - ApiRateLimitMiddleware._last_warning > 60:
                ApiRateLimitMiddleware._last_warning = now
                logger.warning("API rate limit not enforced: the cache is unreachable (%r)", error)
            return 0


def client_address(request: HttpRequest) -> str:
    """The address the rate limit counts: the trusted proxy's own header (``CLIENT_IP_HEADER``)
    when set; else, behind ``TRUSTED_PROXY_COUNT`` proxies, the entry of ``X-Forwarded-For`` that
    the outermost of them appended (counted from the right: whatever a client writes itself sits
    to the left of it); else the connection's own address."""
    if settings.CLIENT_IP_HEADER:
        meta_key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        given = request.META.get(meta_key, "").strip()
        if given:
            return given
    elif settings.TRUSTED_PROXY_COUNT:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if len(entries) >= settings.TRUSTED_PROXY_COUNT:
            return entries[-settings.TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "unknown")


class DatabaseUnavailableMiddleware:
    """A database outage is a clear 503 (JSON for the API, a short page elsewhere), never a traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError) or not _is_outage(exception):
            return None
        logger.error("Database unavailable serving %s", request.path, exc_info=exception)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "error": {
                        "code": "unavailable",
                        "message": "The database is unavailable; try again shortly.",
                    }
                },
                status=503,
            )
        return HttpResponse(render_to_string("503.html", request=None), status=503)


def _is_outage(exception: DatabaseError) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exception, OperationalError | InterfaceError)
