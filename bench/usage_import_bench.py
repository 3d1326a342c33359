"""Usage import benchmark (run by `make bench`, never by tests): a generic CSV of USAGE_BENCH_ROWS
rows (default 1,000,000) imported by `manage.py import_usage` into a fresh SQLite database (or
the PostgreSQL server of BENCH_DATABASE_URL), priced in chunks by the Celery task (in-process,
or on a worker when CELERY_BROKER_URL is set). Reports wall time, rows/s, the importing process's
peak memory and the progress the database showed while it ran, against a baseline measured in
the same run: the same file read by Python's csv module alone. --write puts the figures in
docs/benchmarks.md ("## Usage import").
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
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
    start = datetime(2026, 8, 1, tzinfo=UTC)
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


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = work / "bench.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{database}"),
            "USAGE_UPLOAD_DIR": str(work / "uploads"),
            "USAGE_MAX_ROWS": str(max(ROWS, 1_000_000)),
            "CELERY_TASK_TIME_LIMIT": "7200",
        }
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [sys.executable, "manage.py", "load_catalogue", "--no-history"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
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


def write_section(text: str) -> None:
    docs = ROOT / "docs" / "benchmarks.md"
    current = docs.read_text(encoding="utf-8")
    section = f"## Usage import\n\n{text}\n"
    pattern = re.compile(r"^## Usage import\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    updated = (
        pattern.sub(section + "\n", current)
        if pattern.search(current)
        else current.rstrip() + "\n\n" + section
    )
    docs.write_text(updated, encoding="utf-8")


if __name__ == "__main__":
    main()
