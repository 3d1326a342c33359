"""End to end: a real ``celery -A config worker`` process on Redis refreshes prices.

The worker gets a database of its own (a SQLite file, or a fresh PostgreSQL database when
``DATABASE_URL`` points at PostgreSQL), migrated by ``manage.py migrate``; the test reads
the outcome with plain SQL. Redis unreachable is a failure, not a skip: CI has Redis.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from celery import Celery

from .conftest import Route, genai_payload

ROOT = Path(__file__).resolve().parents[3]
BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def require_redis() -> None:
    parts = urlsplit(BROKER)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=2).close()
    except OSError as error:
        pytest.fail(f"Redis is needed for the Celery worker test and {BROKER} is unreachable: {error}")


@pytest.fixture
def worker_database(tmp_path: Path) -> Iterator[str]:
    """A migrated database URL for the worker, on the same engine as the test run."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        migrate(url)
        yield url
        return
    import psycopg

    name = f"llmcalc_worker_{uuid.uuid4().hex[:10]}"
    admin = urlsplit(configured)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(configured)._replace(path=f"/{name}").geturl()
    try:
        migrate(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def runs(url: str) -> list[tuple[str, int]]:
    query = "SELECT status, versions_published FROM pricing_importrun ORDER BY id"
    if url.startswith("sqlite"):
        with sqlite3.connect(urlsplit(url).path) as connection:
            return list(connection.execute(query))
    import psycopg

    with psycopg.connect(url) as connection:
        return list(connection.execute(query))


def wait_for(predicate, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"gave up after {timeout_s}s")


@pytest.mark.celery_worker
def test_a_real_worker_retries_a_failing_upstream_and_then_imports(payload_server, worker_database) -> None:
    require_redis()
    queue = f"test-refresh-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": worker_database,
        "CELERY_BROKER_URL": BROKER,
        "PRICE_REFRESH_RETRY_BACKOFF": "1",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = payload_server.serve("/p.json", Route(b"", status=500), genai_payload())
        client = Celery(broker=BROKER)
        client.send_task("pricing.refresh_prices", kwargs={"source": "genai-prices", "url": url}, queue=queue)
        wait_for(lambda: any(status == "succeeded" for status, _ in runs(worker_database)), 60)
        assert runs(worker_database) == [("failed", 0), ("succeeded", 60)]
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
    assert "Traceback" not in output or "FetchError" in output, output
