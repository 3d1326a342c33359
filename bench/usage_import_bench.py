"""Usage import benchmark (run by `make bench`, never by tests): a generic CSV of USAGE_BENCH_ROWS
rows (default 1,000,000) imported by `manage.py import_usage` into a fresh SQLite database (or
the PostgreSQL server of BENCH_DATABASE_URL), priced in chunks by the Celery task (in-process,
or on a worker when CELERY_BROKER_URL is set). Reports wall time, rows/s, the importing process's
peak memory and the progress the database showed while it ran, against a baseline measured in
the same run: the same file read by Python's csv module alone. --write puts the figures in
docs/benchmarks.md ("## Usage import").

``--celery`` runs the import the way a deployment does, at each size of USAGE_BENCH_SIZES
(default 100,000 and 1,000,000 rows): the file is posted to ``POST /api/v1/usage/imports`` on a
``manage.py runserver`` and priced by a real ``celery -A config worker`` (solo pool) on the Redis
of USAGE_BENCH_BROKER (default database 13 of 127.0.0.1:6379, so the default queue is the
bench's own), with the progress polled from ``GET /api/v1/usage/imports/{id}``. Each size gets
a fresh worker and server; their peak resident memory is read from /proc (VmHWM). The baseline,
measured in the same run, is the in-process import (``manage.py import_usage`` without a broker)
of the smallest size. --write puts the figures in docs/benchmarks.md ("## Usage import through
Celery").
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("USAGE_BENCH_ROWS", "1000000"))
MODELS = [
    "openai/gpt-5.4",
    "openai/gpt-4.1-mini",
    "anthropic/claude-opus-4-6",
    "anthropic/claude-sonnet-4-6",
    "google/gemini-3.1-pro-preview",
    "deepseek/deepseek-v4-pro",
    "deepseek/deepseek-v4-flash",
    "openai/not-a-model",
]
HEADER = "timestamp,model,input_tokens,cache_read_tokens,output_tokens,service_tier,reported_cost_usd,tags\n"


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(1)
    start = datetime(2026, 7, 16, tzinfo=UTC)  # to 2026-09-14: the forecast has half a month to project
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for _ in range(rows):
            moment = (start + timedelta(seconds=rng.randrange(61 * 86_400))).isoformat()
            out.write(
                f"{moment},{rng.choice(MODELS)},{rng.randrange(8_000)},{rng.randrange(20_000)},"
                f"{rng.randrange(2_000)},,{rng.randrange(100) / 1000},team{rng.randrange(5)}\n"
            )


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory (KB) of the process, and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{command[2:4]} failed:\n{output}")
    return time.perf_counter() - started, usage.ru_maxrss, output


BASELINE = "import csv, sys\nwith open(sys.argv[1], newline='') as f: print(sum(1 for _ in csv.reader(f)))"


def watch_progress(database: Path, samples: list[tuple[float, int]], stop: threading.Event) -> None:
    started = time.perf_counter()
    while not stop.wait(5):
        try:
            with sqlite3.connect(database, timeout=1) as connection:
                row = connection.execute("SELECT max(rows_done) FROM usage_usageimport").fetchone()
        except sqlite3.Error:
            continue
        samples.append((time.perf_counter() - started, row[0] or 0))


def prepared_env(work: Path, rows: int) -> dict[str, str]:
    """The environment of a fresh database (migrated, the catalogue loaded) in ``work``."""
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}"),
        "USAGE_UPLOAD_DIR": str(work / "uploads"),
        "USAGE_MAX_ROWS": str(max(rows, 1_000_000)),
        "CELERY_TASK_TIME_LIMIT": "7200",
    }
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "load_catalogue", "--no-history"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def main() -> None:
    if "--celery" in sys.argv:
        celery_main()
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = work / "bench.sqlite3"
        env = prepared_env(work, ROWS)
        path = work / "usage.csv"
        write_csv(path, ROWS)
        size_mb = path.stat().st_size / 1e6
        base_s, base_kb, _ = run_measured([sys.executable, "-c", BASELINE, str(path)], env)
        samples: list[tuple[float, int]] = []
        stop = threading.Event()
        watcher = threading.Thread(target=watch_progress, args=(database, samples, stop), daemon=True)
        watcher.start()
        import_s, import_kb, output = run_measured(
            [sys.executable, "manage.py", "import_usage", str(path)], env
        )
        stop.set()
        report(size_mb, base_s, base_kb, import_s, import_kb, samples, output.strip().splitlines()[-1])


def report(size_mb, base_s, base_kb, import_s, import_kb, samples, import_id) -> None:
    progress = ", ".join(
        f"{s:.0f}s: {100 * done // ROWS}%" for s, done in samples[:: max(1, len(samples) // 8)]
    )
    lines = [
        f"Date: {datetime.now(UTC):%Y-%m-%d}. Machine: {os.cpu_count()} cores, load average at start "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}. File: {ROWS:,} rows, {size_mb:.0f} MB, "
        f"{len(MODELS)} models (one unknown) over two months; chunks of 2,000 rows; import {import_id[:6]}….",
        "",
        "| run | wall s | rows/s | peak memory MB | ratio to baseline |",
        "| --- | --- | --- | --- | --- |",
        f"| baseline: csv.reader over the file | {base_s:.1f} | {ROWS / base_s:,.0f} | "
        f"{base_kb / 1024:.0f} | 1 |",
        f"| `manage.py import_usage` (read whole, then billed and stored in chunks) | {import_s:.1f} | "
        f"{ROWS / import_s:,.0f} | {import_kb / 1024:.0f} | {import_s / base_s:.0f}x |",
        "",
        f"Progress the database showed while it ran: {progress or 'no sample'}.",
    ]
    text = "\n".join(lines)
    print(text)
    if "--write" in sys.argv or os.environ.get("BENCH_WRITE"):
        write_section(text)


def write_section(text: str, title: str = "Usage import") -> None:
    docs = ROOT / "docs" / "benchmarks.md"
    current = docs.read_text(encoding="utf-8")
    section = f"## {title}\n\n{text}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    updated = (
        pattern.sub(section + "\n", current)
        if pattern.search(current)
        else current.rstrip() + "\n\n" + section
    )
    docs.write_text(updated, encoding="utf-8")


CELERY_SIZES = [int(size) for size in os.environ.get("USAGE_BENCH_SIZES", "100000,1000000").split(",")]
CELERY_BROKER = os.environ.get("USAGE_BENCH_BROKER", "redis://127.0.0.1:6379/13")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def peak_rss_kb(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), KB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def start_services(env: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], subprocess.Popen[bytes]]:
    """A Celery worker (solo pool, the default queue) and ``runserver`` on ``port``, both on the broker."""
    env = {**env, "CELERY_BROKER_URL": CELERY_BROKER, "API_RATE_LIMIT": "0", "DEBUG": "false"}
    env.setdefault("SECRET_KEY", uuid.uuid4().hex * 2)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, **quiet,
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, **quiet,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            http_request(port, "GET", "/api/v1/models")
            return worker, server
        except OSError:
            time.sleep(0.5)
    raise SystemExit("runserver did not answer within 120 s")


def http_request(
    port: int, method: str, path: str, body: bytes | None = None, headers=None
) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        text = response.read()
        return response.status, json.loads(text) if text.startswith(b"{") else {}
    finally:
        connection.close()


def post_file(port: int, path: Path) -> str:
    boundary = uuid.uuid4().hex
    body = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'.encode(),
            b"Content-Type: text/csv\r\n\r\n",
            path.read_bytes(),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, answer = http_request(port, "POST", "/api/v1/usage/imports", body, headers)
    if status != 202:
        raise SystemExit(f"POST /api/v1/usage/imports answered {status}: {answer}")
    return str(answer["id"])


def through_celery(env: dict[str, str], path: Path, rows: int) -> dict[str, object]:
    """Post the file, poll the API until the worker is done; times, peaks and progress seen."""
    port = free_port()
    worker, server = start_services(env, port)
    try:
        started = time.perf_counter()
        import_id = post_file(port, path)
        accepted = time.perf_counter() - started
        samples, status = poll(port, import_id, started)
        took = time.perf_counter() - started
        if status != "done":
            raise SystemExit(f"the import of {rows:,} rows ended {status}")
        asked = time.perf_counter()
        answered, _ = http_request(port, "GET", f"/api/v1/usage/imports/{import_id}/forecast?budget=1000")
        forecast_s = time.perf_counter() - asked
        if answered != 200:
            raise SystemExit(f"the forecast answered {answered}")
        return {"rows": rows, "accepted_s": accepted, "wall_s": took, "samples": samples,
                "forecast_s": forecast_s, "worker_kb": peak_rss_kb(worker.pid),
                "server_kb": peak_rss_kb(server.pid)}  # fmt: skip
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=60)


def poll(port: int, import_id: str, started: float) -> tuple[list[tuple[float, int]], str]:
    samples: list[tuple[float, int]] = []
    while True:
        _, body = http_request(port, "GET", f"/api/v1/usage/imports/{import_id}")
        samples.append((time.perf_counter() - started, body["progress"]["percent"]))
        if body["status"] in {"done", "failed"}:
            return samples, body["status"]
        time.sleep(2)


def celery_main() -> None:
    sizes = sorted(CELERY_SIZES)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = prepared_env(work, sizes[-1])
        paths = {size: work / f"usage-{size}.csv" for size in sizes}
        for size, path in paths.items():
            write_csv(path, size)
        base_s, base_kb, _ = run_measured(
            [sys.executable, "manage.py", "import_usage", str(paths[sizes[0]])], env
        )
        runs = [through_celery(env, paths[size], size) for size in sizes]
    report_celery(load, sizes[0], base_s, base_kb, runs)


def report_celery(load, base_rows: int, base_s: float, base_kb: int, runs: list[dict]) -> None:
    lines = [
        f"Date: {datetime.now(UTC):%Y-%m-%d}. Machine: {os.cpu_count()} cores, load average at start "
        f"{', '.join(f'{x:.1f}' for x in load)}. Files: the generic CSV above at each size; SQLite; "
        f"chunks of 2,000 rows; Redis broker; one worker (solo pool); one `runserver` (the API).",
        "",
        "| run | rows | wall s | rows/s | worker peak MB | API peak MB | time vs baseline "
        "| time per row vs baseline | forecast s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| baseline: in-process `manage.py import_usage` | {base_rows:,} | {base_s:.1f} | "
        f"{base_rows / base_s:,.0f} | {base_kb / 1024:.0f} (the one process) | — | 1 | 1 | — |",
    ]
    for run in runs:
        rows, wall = run["rows"], run["wall_s"]
        lines.append(
            f"| API + Celery worker (202 after {run['accepted_s']:.1f} s) | {rows:,} | {wall:.1f} | "
            f"{rows / wall:,.0f} | {run['worker_kb'] / 1024:.0f} | {run['server_kb'] / 1024:.0f} | "
            f"{wall / base_s:.1f}x | {(wall / rows) / (base_s / base_rows):.2f} | {run['forecast_s']:.1f} |"
        )
    first, last = runs[0], runs[-1]
    lines += [
        "",
        f"Linearity: {last['rows'] / first['rows']:.0f}x the rows took "
        f"{last['wall_s'] / first['wall_s']:.1f}x the time.",
    ]
    for run in runs:
        samples = run["samples"]
        seen = samples[:-1][:: max(1, len(samples) // 8)] + samples[-1:]
        lines.append(f"Progress the API showed ({run['rows']:,} rows): " + ", ".join(
            f"{s:.0f}s: {percent}%" for s, percent in seen) + ".")  # fmt: skip
    text = "\n".join(lines)
    print(text)
    if "--write" in sys.argv or os.environ.get("BENCH_WRITE"):
        write_section(text, "Usage import through Celery")


if __name__ == "__main__":
    main()
