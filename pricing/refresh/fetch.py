"""Getting a source's raw bytes: its URL, an HTTP GET with a size and time limit, or the data
bundled inside the genai-prices package."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from pricing.refresh.errors import FetchError

DEFAULT_URLS = {
    "litellm": "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
    "openrouter": "https://openrouter.ai/api/v1/models",
}


def source_url(source: str) -> str:
    """The URL a source is fetched from: ``PRICE_SOURCE_URLS[source]`` or the project's default."""
    configured = settings.PRICE_SOURCE_URLS.get(source)
    if configured:
        return configured
    if source == "genai-prices":
        from genai_prices.update_prices import DEFAULT_UPDATE_URL

        return DEFAULT_UPDATE_URL
    return DEFAULT_URLS[source]


def fetch_payload(*, url: str) -> bytes:
    """GET ``url`` within ``PRICE_REFRESH_FETCH_DEADLINE`` seconds in all (connecting, headers
    and every byte of the body), each read also bounded by ``PRICE_REFRESH_TIMEOUT``;
    ``FetchError`` for network errors, timeouts, HTTP errors and a payload over the size limit."""
    deadline_s = settings.PRICE_REFRESH_FETCH_DEADLINE
    watchdog = _Watchdog(deadline_s)
    try:
        payload = _read_all(url, watchdog)
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code} from {url}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        if watchdog.expired:
            raise FetchError(_too_slow(url, deadline_s, watchdog.received)) from None
        raise FetchError(f"{getattr(error, 'reason', error)} ({url})") from None
    finally:
        watchdog.cancel()
    if watchdog.expired:  # the cut socket read as an early end
        raise FetchError(_too_slow(url, deadline_s, watchdog.received))
    return payload


def _too_slow(url: str, deadline_s: float, received: int) -> str:
    return (
        f"{url} did not send its whole answer within the fetch deadline of {deadline_s:g} s "
        f"(PRICE_REFRESH_FETCH_DEADLINE; {received:,} bytes received)"
    )


def _read_all(url: str, watchdog: _Watchdog) -> bytes:
    max_bytes = settings.PRICE_REFRESH_MAX_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": "llmcalc-price-refresh/1"})
    opener = urllib.request.build_opener(_WatchedHTTP(watchdog), _WatchedHTTPS(watchdog))
    chunks: list[bytes] = []
    with opener.open(request, timeout=settings.PRICE_REFRESH_TIMEOUT) as response:
        while chunk := response.read1(64 * 1024):  # what has arrived, not a full buffer
            chunks.append(chunk)
            watchdog.received += len(chunk)
            if watchdog.received > max_bytes:
                raise FetchError(f"payload from {url} is larger than {max_bytes} bytes")
    return b"".join(chunks)


class _Watchdog:
    """Cuts every socket of one fetch when its total deadline passes: a read that waits on an
    upstream sending a byte at a time returns at once, whatever the per-read timeout."""

    def __init__(self, seconds: float) -> None:
        self.expired, self.received = False, 0
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _cut(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _cut(sock)


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], watchdog: _Watchdog) -> Any:
    """``base`` whose socket, once connected, the watchdog may cut."""

    def connect(self: http.client.HTTPConnection) -> None:
        base.connect(self)
        watchdog.watch(self.sock)

    return type(f"Watched{base.__name__}", (base,), {"connect": connect})


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._connection = _watched(http.client.HTTPConnection, watchdog)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._connection = _watched(http.client.HTTPSConnection, watchdog)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req, context=self._context)


def bundled_payload() -> bytes:
    """The genai-prices data shipped inside the installed package (no network)."""
    from pricing.sources.genai_prices_v2 import bundled_payload as genai_bundled

    return genai_bundled()
