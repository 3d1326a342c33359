"""A local stand-in for the providers' count endpoints, speaking their documented protocols:

- Anthropic ``POST /v1/messages/count_tokens`` (key, ``anthropic-version``) ->
  ``{"input_tokens": n}``;
- Gemini ``POST /v1beta/models/{model}:countTokens`` (``x-goog-api-key``) -> ``{"totalTokens": n}``;
- xAI ``POST /v1/tokenize-text`` (``Authorization: Bearer``) -> ``{"token_ids": [...]}``.

Its "tokenizer" is one token per whitespace-separated word (Anthropic adds a 7-token frame per
request, as its endpoint does for a one-message request): a number our offline engines never give,
so a test can tell the provider's count from ours.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = "sk-test-do-not-leak-7f3a"
ANTHROPIC_FRAME = 7


def words(value: object) -> int:
    """Words in every string inside a JSON value."""
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, dict):
        return sum(words(v) for k, v in value.items() if k not in ("role", "type", "model"))
    if isinstance(value, list):
        return sum(words(v) for v in value)
    return 0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.requests.append((self.path, dict(self.headers), body))  # type: ignore[attr-defined]
        if self.path == "/v1/messages/count_tokens":
            # The API takes the key as x-api-key; anthropic 2.x sends it as a Bearer token.
            key = self.headers.get("x-api-key") or self.headers.get("Authorization", "").removeprefix(
                "Bearer "
            )
            ok = key == KEY and bool(self.headers.get("anthropic-version"))
            reply = {
                "input_tokens": ANTHROPIC_FRAME + words(body.get("messages")) + words(body.get("system"))
            }
        elif re.fullmatch(r"/v1beta/models/[\w.-]+:countTokens", self.path.split("?")[0]):
            ok = self.headers.get("x-goog-api-key") == KEY
            reply = {"totalTokens": words(body.get("contents"))}
        elif self.path == "/v1/tokenize-text":
            ok = self.headers.get("Authorization") == f"Bearer {KEY}"
            pieces = enumerate(body["text"].split())
            reply = {
                "token_ids": [
                    {"token_id": i, "string_token": w, "token_bytes": list(w.encode())} for i, w in pieces
                ]
            }
        else:
            self._send(404, {"error": "not found"})
            return
        self._send(200 if ok else 401, reply if ok else {"error": {"type": "authentication_error"}})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def start() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.requests = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
