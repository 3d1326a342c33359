"""`make run`'s server (bin/run-dev): /healthz answers ok only after every tokenizer and the chat
framing are loaded, so the first estimate a visitor asks for does not wait for them."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_LIMIT_S = 180  # a generous bound on start-up, not a timing assertion


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthz(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60) as response:
            return json.load(response)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@pytest.fixture
def server_env(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PORT": str(free_port())}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in (["migrate", "--noinput"], ["load_catalogue", "--no-history"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
    return env


def test_healthz_says_ok_only_after_the_tokenizers_and_chat_framing_are_loaded(server_env, tmp_path):
    port = int(server_env["PORT"])
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            ["bin/run-dev"],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_LIMIT_S
        body = None
        while time.monotonic() < deadline and server.poll() is None:
            body = healthz(port)
            if body and body["status"] == "ok":
                break
            time.sleep(0.5)
        log_at_ok = log_path.read_text()
        assert body and body["status"] == "ok", log_at_ok
        assert "tokenizers preloaded before forking" in log_at_ok
        assert "chat framing preloaded" in log_at_ok

        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/estimate",
            data=json.dumps({"text": "Hello there", "output_tokens": 10}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            assert json.load(response)["results"]
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/calculator/app.js", timeout=60
        ) as response:
            assert response.status == 200, "the page's script must be served without runserver"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
