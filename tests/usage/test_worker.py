"""End to end: a real ``celery -A config worker`` on Redis prices a usage import in chunks.

The worker and ``manage.py import_usage`` share a database of their own (the refresh worker
test's harness: a SQLite file, or a fresh PostgreSQL database); the test reads the outcome
with plain SQL. Redis unreachable is a failure, not a skip.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.pricing.refresh.test_worker import (
    BROKER,
    ROOT,
    require_redis,
    start_worker,
    stop,
    wait_for,
    worker_database,  # noqa: F401 - a fixture
)

from .conftest import csv_bytes

ROWS = [
    {
        "timestamp": f"2026-08-{day:02d}T12:00:00Z",
        "model": "deepseek/deepseek-v4-flash",
        "input_tokens": 1_000_000,
    }
    for day in range(10, 25)  # 0.14 until 08-17, then 0.22 per million
] + [{"timestamp": "2026-08-20T12:00:00Z", "model": "openai/no-such-model", "input_tokens": 5}]


def sql(url: str, query: str, params: tuple) -> list[tuple]:
    """The rows of ``query`` (``%s`` placeholders) on the worker's database."""
    if url.startswith("sqlite"):
        with sqlite3.connect(urlsplit(url).path) as connection:
            return connection.execute(query.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(query, params).fetchall()


def manage(database_url: str, *args: str, env: dict | None = None) -> str:
    environment = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@pytest.mark.celery_worker
def test_a_real_worker_prices_an_import_in_chunks(worker_database, tmp_path: Path, monkeypatch) -> None:  # noqa: F811, E501
    require_redis()
    manage(worker_database, "load_catalogue", "--no-history")
    path = tmp_path / "usage.csv"
    path.write_bytes(csv_bytes(ROWS, header=["timestamp", "model", "input_tokens"]))
    queue = f"test-usage-{uuid.uuid4().hex[:8]}"
    env = {"CELERY_BROKER_URL": BROKER, "USAGE_CHUNK_ROWS": "4", "USAGE_UPLOAD_DIR": str(tmp_path / "up")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # the worker's environment is this process's
    worker = start_worker(worker_database, queue)
    try:
        import_id = manage(
            worker_database, "import_usage", str(path), "--queue", queue, env=env
        ).splitlines()[-1]
        query = "SELECT status FROM usage_usageimport WHERE id = %s"
        wait_for(lambda: sql(worker_database, query, (import_id,))[0][0] in {"done", "failed"}, 90)
        assert sql(worker_database, query, (import_id,)) == [("done",)]
        costs = sql(
            worker_database, "SELECT cost_usd FROM usage_usagerow WHERE usage_import_id = %s", (import_id,)
        )
        assert len(costs) == 16
        priced = [Decimal(str(cost)) for (cost,) in costs if cost is not None]  # SQLite hands back floats
        assert (len(priced), sum(priced)) == (15, 7 * Decimal("0.14") + 8 * Decimal("0.22"))
    finally:
        output = stop(worker)
    assert "Traceback" not in output, output
