"""HTTP load test of the production server on loopback (run by `make bench`, never by tests).

Starts gunicorn with production settings on a free 127.0.0.1 port, then, bounded in time:
1. /healthz alone: the ceiling of the stack;
2. a realistic mix: small pastes, a few 100 KB documents, catalogue reads, comparison exports.
Reports requests/s, p50/p95/p99 latency, errors and the server's memory before and after, and
writes them to docs/benchmarks.md ("## HTTP load").
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION_S = float(os.environ.get("LOAD_SECONDS", "20"))
CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "8"))
WORDS = (ROOT / "README.md").read_text(encoding="utf-8").split()


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PORT": str(port),
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_RATE_LIMIT": "0",
        "WEB_MAX_REQUESTS": "0",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "-c",
            "config/gunicorn.py",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not become healthy within 60 s")


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def server_rss_mb(server: subprocess.Popen[bytes]) -> float:
    """Resident memory of the gunicorn master and its workers, MB."""
    pids = [
        server.pid,
        *(
            int(p)
            for p in subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
        ),
    ]
    total_kb = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def paste(rng: random.Random, words: int) -> str:
    """Words drawn from the README: distinct every time, so no request is a cache hit."""
    return " ".join(rng.choices(WORDS, k=words)) + f" #{rng.random()}"


def mixed_request(rng: random.Random, exports: list[str], document: str) -> tuple[str, str, dict | None]:
    roll = rng.random()
    if roll < 0.65:
        return "POST", "/api/v1/estimate", {"text": paste(rng, rng.randint(20, 400)), "output_tokens": 300}
    if roll < 0.70:
        return "POST", "/api/v1/estimate", {"text": document + f" #{rng.random()}", "output_tokens": 500}
    if roll < 0.80:
        return "GET", "/api/v1/models?featured=true", None
    if roll < 0.90:
        return "GET", "/models", None
    return "GET", rng.choice(exports), None


def run_phase(port: int, pick, seconds: float) -> tuple[Result, float]:
    result, lock = Result(), threading.Lock()
    stop_at = time.time() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.time() < stop_at:
            method, path, body = pick(rng)
            started = time.perf_counter()
            try:
                status, _ = request(port, method, path, body)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                result.errors += status == 0 or status >= 500

    started = time.time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result, time.time() - started


def summary(name: str, result: Result, wall: float) -> str:
    lat = sorted(result.latencies_ms)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return (
        f"| {name} | {len(lat)} | {len(lat) / wall:.1f} | {q[49]:.1f} | {q[94]:.1f} | {q[98]:.1f} | "
        f"{result.errors} | {dict(sorted(result.statuses.items()))} |"
    )


def main() -> None:
    port = free_port()
    server = start_server(port)
    try:
        document = paste(random.Random(1), 16_000)[:100_000]
        exports = []
        for i in range(5):
            status, body = request(
                port, "POST", "/api/v1/comparisons", {"text": paste(random.Random(i), 300)}
            )
            assert status == 201, body
            exports.append(json.loads(body)["json_url"])
        request(port, "POST", "/api/v1/estimate", {"text": "warm up every tokenizer", "all_models": False})
        rss_before = server_rss_mb(server)
        health, health_wall = run_phase(port, lambda rng: ("GET", "/healthz", None), DURATION_S / 2)
        mix, mix_wall = run_phase(port, lambda rng: mixed_request(rng, exports, document), DURATION_S)
        rss_after = server_rss_mb(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    rows = [summary("/healthz (ceiling)", health, health_wall), summary("realistic mix", mix, mix_wall)]
    workers, threads = os.environ.get("WEB_CONCURRENCY", "2"), os.environ.get("WEB_THREADS", "4")
    ratio = (len(mix.latencies_ms) / mix_wall) / (len(health.latencies_ms) / health_wall)
    report = "\n".join(
        [
            "## HTTP load",
            "",
            f"Date: {time.strftime('%Y-%m-%d')}. gunicorn ({workers} workers x {threads} threads, gthread) "
            f"on 127.0.0.1, {CONCURRENCY} client threads, {os.cpu_count()} cores shared by client and server."
            " Mix: 65 % small pastes (20-400 words), 5 % 100 KB "
            "documents, 10 % catalogue API reads, 10 % /models pages, 10 % comparison exports.",
            "",
            "| phase | requests | req/s | p50 ms | p95 ms | p99 ms | errors | statuses |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            f"Mix throughput / healthz throughput: {ratio:.2f}. Server memory (RSS, master + workers): "
            f"{rss_before:.0f} MB before, {rss_after:.0f} MB after ({rss_after - rss_before:+.0f} MB).",
            "",
        ]
    )
    print(report)
    if "--write" in sys.argv or os.environ.get("BENCH_WRITE"):
        write_section(report)


def write_section(report: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find("## HTTP load")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + text[end + 1 :] if end >= 0 else text[:start]
    path.write_text(text.rstrip() + "\n\n" + report, encoding="utf-8")


if __name__ == "__main__":
    main()
