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


def start_worker(database_url: str, queue: str) -> subprocess.Popen:
    """``celery -A config worker`` in one process (solo pool), consuming only ``queue``."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": BROKER,
        "PRICE_REFRESH_RETRY_BACKOFF": "1",
        "PRICE_REFRESH_SEED_FIRST": "false",  # the crafted catalogue only, as in this package's tests
    }
    command = [
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
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def stop(worker: subprocess.Popen) -> str:
    worker.terminate()
    return worker.communicate(timeout=20)[0].decode(errors="replace")


def send_refresh(queue: str, url: str) -> None:
    client = Celery(broker=BROKER)
    client.send_task("pricing.refresh_prices", kwargs={"source": "genai-prices", "url": url}, queue=queue)


@pytest.mark.celery_worker
def test_a_real_worker_retries_a_failing_upstream_and_then_imports(payload_server, worker_database) -> None:
    require_redis()
    queue = f"test-refresh-{uuid.uuid4().hex[:8]}"
    worker = start_worker(worker_database, queue)
    try:
        url = payload_server.serve("/p.json", Route(b"", status=500), genai_payload())
        send_refresh(queue, url)
        wait_for(lambda: any(status == "succeeded" for status, _ in runs(worker_database)), 60)
        assert runs(worker_database) == [("failed", 0), ("succeeded", 60)]
    finally:
        output = stop(worker)
    assert "Traceback" not in output or "FetchError" in output, output


@pytest.mark.celery_worker
@pytest.mark.postgresql
def test_a_worker_killed_mid_refresh_leaves_no_partial_version_and_the_next_run_completes(
    payload_server, worker_database
) -> None:
    """SIGKILL the worker while its import transaction is open, then refresh again.

    The test holds a lock on the versions table, so the worker's import blocks at its first
    version: the kill lands inside the transaction, after models were written, every time.
    """
    import psycopg

    require_redis()
    queue = f"test-refresh-{uuid.uuid4().hex[:8]}"
    url = payload_server.serve("/p.json", genai_payload())
    worker = start_worker(worker_database, queue)
    try:
        with psycopg.connect(worker_database) as blocker:
            blocker.execute("LOCK TABLE pricing_priceversion IN SHARE ROW EXCLUSIVE MODE")
            send_refresh(queue, url)
            wait_for(lambda: waiting_on_a_lock(worker_database), 60)
            worker.kill()
            worker.wait(timeout=20)
            blocker.rollback()
        wait_for(lambda: not waiting_on_a_lock(worker_database), 30)
        assert runs(worker_database) == [("running", 0)]  # killed: it never finished
        assert count(worker_database, "pricing_languagemodel") == 0
        assert count(worker_database, "pricing_priceversion") == 0
        assert count(worker_database, "pricing_pricetier") == 0

        worker = start_worker(worker_database, queue)
        send_refresh(queue, url)
        wait_for(lambda: len(runs(worker_database)) == 2 and runs(worker_database)[1][0] != "running", 90)
        assert runs(worker_database) == [("failed", 0), ("succeeded", 60)]
        assert count(worker_database, "pricing_priceversion") == 60
        error = scalar(worker_database, "SELECT error FROM pricing_importrun ORDER BY id LIMIT 1")
        assert error.startswith("abandoned: the process running it stopped before it finished"), error
    finally:
        if worker.poll() is None:
            output = stop(worker)
            assert "Traceback" not in output, output


def waiting_on_a_lock(url: str) -> bool:
    """Is a session of ``url``'s database (the worker's) blocked on a lock right now?"""
    name = urlsplit(url).path.lstrip("/")
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
    return bool(scalar(url, query, (name,)))


def count(url: str, table: str) -> int:
    return int(scalar(url, f"SELECT count(*) FROM {table}"))  # noqa: S608 - fixed table names


def scalar(url: str, query: str, params: tuple = ()) -> object:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(query, params).fetchone()[0]
