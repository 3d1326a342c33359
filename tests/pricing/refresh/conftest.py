"""Fixtures for the price refresh: a local HTTP server, crafted payloads, a catalogue dump."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core import serializers

from pricing.models import LanguageModel, PriceProposal, PriceTier, PriceVersion, Provider, SourceListing

PAYLOADS = Path(__file__).resolve().parents[3] / "fixtures" / "payloads"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    delay_s: float = 0.0
    hits: int = 0
    trickle_s: float = 0.0  # > 0: send one byte of the answer at a time, this far apart
    trickle_headers: bool = False  # trickle the headers too, not only the body


@dataclass
class PayloadServer:
    """Serves bytes per path from 127.0.0.1 on a free port; never the internet."""

    base_url: str
    routes: dict[str, list[Route]] = field(default_factory=dict)

    def serve(self, path: str, *responses: Route | bytes) -> str:
        """Answer ``path`` with ``responses`` in turn (the last one repeats); returns the URL."""
        self.routes[path] = [r if isinstance(r, Route) else Route(r) for r in responses]
        return self.base_url + path

    def next_route(self, path: str) -> Route | None:
        queue = self.routes.get(path)
        if not queue:
            return None
        route = queue.pop(0) if len(queue) > 1 else queue[0]
        route.hits += 1
        return route


@pytest.fixture
def payload_server() -> Iterator[PayloadServer]:
    server_ref: dict[str, PayloadServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            route = server_ref["server"].next_route(self.path)
            if route is None:
                self.send_error(404)
                return
            time.sleep(route.delay_s)
            if route.trickle_s:
                self.trickle(route)
                return
            self.send_response(route.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def trickle(self, route: Route) -> None:
            head = f"HTTP/1.1 {route.status} OK\r\nContent-Length: {len(route.body)}\r\n\r\n".encode()
            if not route.trickle_headers:
                self.wfile.write(head)
                head = b""
            for i in range(len(head + route.body)):
                self.wfile.write((head + route.body)[i : i + 1])
                self.wfile.flush()
                time.sleep(route.trickle_s)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server_ref["server"] = PayloadServer(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server_ref["server"]
    httpd.shutdown()
    httpd.server_close()


def genai_model(index: int, **prices: object) -> dict:
    """A genai-prices v2 model entry; prices in USD per million tokens."""
    base = {"input_mtok": "1", "output_mtok": "2", "cache_read_mtok": "0.1"}
    base.update({k: v for k, v in prices.items() if k != "history"})
    entry = {
        "id": f"model-{index:02d}",
        "name": f"Model {index}",
        "context_window": 100000,
        "match": {"equals": f"model-{index:02d}"},
    }
    entry["prices"] = [{"prices": base}, *prices["history"]] if "history" in prices else base
    return entry


def genai_payload(count: int = 60, changes: dict[int, dict] | None = None) -> bytes:
    """A crafted genai-prices v2 payload: provider ``acme`` with ``count`` models."""
    changes = changes or {}
    models = [genai_model(i, **changes.get(i, {})) for i in range(count)]
    provider = {
        "id": "acme",
        "name": "Acme AI",
        "api_pattern": "acme",
        "pricing_urls": ["https://acme.test"],
        "models": models,
    }
    return json.dumps([provider]).encode()


def catalogue_dump() -> str:
    """Every catalogue row, serialised in primary-key order: equal dumps mean an unchanged catalogue."""
    tables = (Provider, LanguageModel, PriceVersion, PriceTier, PriceProposal, SourceListing)
    return "\n".join(serializers.serialize("json", t.objects.order_by("pk")) for t in tables)


@pytest.fixture(autouse=True)
def _no_seed_before_refresh(settings: Any) -> None:
    """These tests give the refresh a crafted catalogue; a new install's seed-first load is
    tested on its own (tests/pricing/catalogue/test_seed_and_import.py)."""
    settings.PRICE_REFRESH_SEED_FIRST = False
