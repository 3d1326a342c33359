"""HTTP load test of the production server on loopback (run by `make bench`, never by tests).

Starts gunicorn with production settings on a free 127.0.0.1 port, then, bounded in time:
1. cold start, twice (WEB_PRELOAD on, then off): seconds until /healthz answers, the slowest of
   a first burst of all-model estimates, and the memory of the whole server once every worker
   has counted with every tokenizer;
2. /healthz alone: the ceiling of the stack;
3. a realistic mix: small pastes, a few 100 KB documents, catalogue reads, comparison exports.
Reports requests/s, p50/p95/p99 latency, errors and the server's memory before and after, and
writes them to docs/benchmarks.md ("## HTTP load") with --write or BENCH_WRITE=1.
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
# The memory soak after the measured mix (make bench: 600 s); 0 skips it.
SOAK_S = float(os.environ.get("SOAK_SECONDS", "0"))
CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "8"))
WORDS = (ROOT / "README.md").read_text(encoding="utf-8").split()


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, *, preload: bool = True) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PORT": str(port),
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_RATE_LIMIT": "0",
        "WEB_MAX_REQUESTS": "0",
        "WEB_PRELOAD": "true" if preload else "false",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not become healthy within 120 s")


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


def server_memory_mb(server: subprocess.Popen[bytes]) -> tuple[float, float]:
    """(RSS, PSS) of the gunicorn master and all its descendants, MB. RSS counts pages the workers share
    copy-on-write once per process; PSS splits them, so its sum is the real footprint."""
    totals = {"Rss:": 0, "Pss:": 0}
    for pid in descendants(server.pid):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(" ")
            if name in totals:
                totals[name] += int(rest.split()[0])
    return totals["Rss:"] / 1024, totals["Pss:"] / 1024


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (the workers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        children = subprocess.run(["pgrep", "-P", str(current)], capture_output=True, text=True).stdout
        queue.extend(int(child) for child in children.split())
    return found


def sample_pss(server: subprocess.Popen[bytes], samples: list[float], seconds: float, n: int = 5) -> None:
    """PSS at each n-th of a phase: a leak climbs steadily, a warm-up levels off."""
    for _ in range(n):
        time.sleep(seconds / n)
        samples.append(server_memory_mb(server)[1])


def worker_pss_mb(server: subprocess.Popen[bytes]) -> list[float]:
    """PSS of each gunicorn worker (the master's children), MB."""
    out = []
    for pid in descendants(server.pid)[1:]:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        out.append(sum(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) / 1024)
    return out


def soak(port: int, server: subprocess.Popen[bytes], pick) -> str:
    """The mix for SOAK_S seconds, PSS sampled ten times: does server memory level off?"""
    samples: list[float] = []
    sampler = threading.Thread(target=sample_pss, args=(server, samples, SOAK_S, 10), daemon=True)
    sampler.start()
    result, wall = run_phase(port, pick, SOAK_S)
    sampler.join()
    second_half = samples[len(samples) // 2 :]
    spread = (max(second_half) - min(second_half)) / min(second_half)
    workers = ", ".join(f"{mb:.0f}" for mb in worker_pss_mb(server))
    return "\n".join(
        [
            "### Memory soak",
            "",
            f"The same mix for {SOAK_S:.0f} s ({len(result.latencies_ms)} requests, {result.errors} errors). "
            "Server PSS at each tenth: " + ", ".join(f"{mb:.0f}" for mb in samples) + " MB. Spread over the "
            f"second half: {spread:.1%} (flat: within 5 %). PSS per worker at the end: {workers} MB.",
            "",
        ]
    )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def cold_start(preload: bool) -> dict[str, float]:
    """Start a server, then send one all-model estimate per worker thread at once: the slowest
    is what the first visitors wait. Memory is read after every worker has counted with every
    tokenizer (without preload, each worker loads them on its first request)."""
    port, started = free_port(), time.perf_counter()
    server = start_server(port, preload=preload)
    try:
        ready = time.perf_counter() - started
        burst = int(os.environ.get("WEB_CONCURRENCY", "2")) * int(os.environ.get("WEB_THREADS", "4"))
        body = {"text": "The first request after a deploy. " * 20, "output_tokens": 100}
        waits: list[float] = []

        def first() -> None:
            t0 = time.perf_counter()
            status, _ = request(port, "POST", "/api/v1/estimate", body)
            assert status == 200, status
            waits.append(time.perf_counter() - t0)

        threads = [threading.Thread(target=first) for _ in range(burst)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rss, pss = server_memory_mb(server)
    finally:
        stop_server(server)
    return {
        "ready_s": ready,
        "slowest_first_s": max(waits),
        "median_first_s": statistics.median(waits),
        "rss_mb": rss,
        "pss_mb": pss,
    }


def paste(rng: random.Random, words: int) -> str:
    """Words drawn from the README: distinct every time, so no request is a cache hit."""
    return " ".join(rng.choices(WORDS, k=words)) + f" #{rng.random()}"


Request = tuple[str, str, str, dict | None]  # kind, method, path, JSON body


def mixed_request(rng: random.Random, exports: list[str], document: str) -> Request:
    roll = rng.random()
    if roll < 0.65:
        body = {"text": paste(rng, rng.randint(20, 400)), "output_tokens": 300}
        return "small paste", "POST", "/api/v1/estimate", body
    if roll < 0.70:
        body = {"text": document + f" #{rng.random()}", "output_tokens": 500}
        return "100 KB document", "POST", "/api/v1/estimate", body
    if roll < 0.80:
        return "catalogue API", "GET", "/api/v1/models?featured=true", None
    if roll < 0.90:
        return "/models page", "GET", "/models", None
    return "comparison export", "GET", rng.choice(exports), None


def run_phase(port: int, pick, seconds: float) -> tuple[Result, float]:
    result, lock = Result(), threading.Lock()
    stop_at = time.time() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.time() < stop_at:
            kind, method, path, body = pick(rng)
            started = time.perf_counter()
            try:
                status, _ = request(port, method, path, body)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                result.by_kind.setdefault(kind, []).append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                result.errors += status == 0 or status >= 500

    started = time.time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result, time.time() - started


def percentiles(latencies: list[float]) -> list[float]:
    lat = sorted(latencies)
    return statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99


def summary(name: str, result: Result, wall: float) -> str:
    q, n = percentiles(result.latencies_ms), len(result.latencies_ms)
    return (
        f"| {name} | {n} | {n / wall:.1f} | {q[49]:.1f} | {q[94]:.1f} | {q[98]:.1f} | "
        f"{result.errors} | {dict(sorted(result.statuses.items()))} |"
    )


def kinds_table(result: Result) -> list[str]:
    """The mix by kind of request: which of them make the tail."""
    rows = []
    for kind, latencies in sorted(result.by_kind.items(), key=lambda item: -len(item[1])):
        q = percentiles(latencies)
        rows.append(f"| {kind} | {len(latencies)} | {q[49]:.1f} | {q[98]:.1f} |")
    return ["| request in the mix | requests | p50 ms | p99 ms |", "| --- | --- | --- | --- |", *rows]


@dataclass
class Throughput:
    """The measured phases: the /healthz ceiling, then the mix with server memory around it."""

    health: Result
    health_wall: float
    mix: Result
    mix_wall: float
    memory_before: tuple[float, float]  # (RSS, PSS) MB
    memory_after: tuple[float, float]
    samples: list[float]  # PSS at each fifth of the mix


def main() -> None:
    cold = {preload: cold_start(preload) for preload in (True, False)}
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
        # Warm up (every worker's allocator and chunk tables), then measure from there.
        run_phase(port, lambda rng: mixed_request(rng, exports, document), DURATION_S / 4)
        memory_before = server_memory_mb(server)
        healthz: Request = ("healthz", "GET", "/healthz", None)
        health, health_wall = run_phase(port, lambda rng: healthz, DURATION_S / 2)
        samples: list[float] = []
        sampler = threading.Thread(target=sample_pss, args=(server, samples, DURATION_S), daemon=True)
        sampler.start()
        mix, mix_wall = run_phase(port, lambda rng: mixed_request(rng, exports, document), DURATION_S)
        sampler.join()
        measured = Throughput(
            health, health_wall, mix, mix_wall, memory_before, server_memory_mb(server), samples
        )
        soaked = soak(port, server, lambda rng: mixed_request(rng, exports, document)) if SOAK_S else ""
    finally:
        stop_server(server)
    text = report(cold, measured)
    text += "\n" + soaked if soaked else ""
    print(text)
    if "--write" in sys.argv or os.environ.get("BENCH_WRITE"):
        write_section(text)


def report(cold: dict[bool, dict[str, float]], measured: Throughput) -> str:
    workers, threads = os.environ.get("WEB_CONCURRENCY", "2"), os.environ.get("WEB_THREADS", "4")
    header = [
        "## HTTP load",
        "",
        f"Date: {time.strftime('%Y-%m-%d')}. gunicorn ({workers} workers x {threads} threads, gthread) "
        f"on 127.0.0.1, {CONCURRENCY} client threads, {os.cpu_count()} cores shared by client and "
        f"server, load average at the end {os.getloadavg()[0]:.1f}. `make bench` (or "
        "`BENCH_WRITE=1 .venv/bin/python bench/http_load.py`) rewrites this section.",
        "",
    ]
    throughput = _throughput_section(measured)
    return "\n".join([*header, *_cold_section(cold, int(workers) * int(threads)), *throughput])


def _cold_section(cold: dict[bool, dict[str, float]], burst: int) -> list[str]:
    on, off = cold[True], cold[False]
    return [
        "### Cold start: tokenizers preloaded before forking, or not",
        "",
        f"A burst of {burst} all-model estimates right after start; memory once "
        "every worker has used every tokenizer.",
        "",
        "| server | s until /healthz | median first estimate s | slowest first estimate s "
        "| RSS MB (sum) | PSS MB (real) |",
        "| --- | --- | --- | --- | --- | --- |",
        *(
            f"| WEB_PRELOAD={name} | {c['ready_s']:.1f} | {c['median_first_s']:.2f} "
            f"| {c['slowest_first_s']:.2f} | {c['rss_mb']:.0f} | {c['pss_mb']:.0f} |"
            for name, c in (("true (default)", on), ("false", off))
        ),
        "",
        "Slowest first estimate, preload / no preload: "
        f"{on['slowest_first_s'] / off['slowest_first_s']:.3f}. "
        f"Memory (PSS), preload / no preload: {on['pss_mb'] / off['pss_mb']:.2f}.",
        "",
    ]


def _throughput_section(measured: Throughput) -> list[str]:
    health, mix, before, after = measured.health, measured.mix, measured.memory_before, measured.memory_after
    ratio = (len(mix.latencies_ms) / measured.mix_wall) / (len(health.latencies_ms) / measured.health_wall)
    q = percentiles(mix.latencies_ms)
    return [
        "### Throughput",
        "",
        "Mix: 65 % small pastes (20-400 words), 5 % 100 KB documents, 10 % catalogue API reads, "
        "10 % /models pages, 10 % comparison exports. Every text is new, so no count is a cache hit.",
        "",
        "| phase | requests | req/s | p50 ms | p95 ms | p99 ms | errors | statuses |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        summary("/healthz (ceiling)", health, measured.health_wall),
        summary("realistic mix", mix, measured.mix_wall),
        "",
        *kinds_table(mix),
        "",
        f"Mix p99 / p50: {q[98] / q[49]:.2f} (target <= 4). "
        f"Mix throughput / healthz throughput: {ratio:.3f} (target >= 0.2). "
        f"Server memory (master and workers) after a {DURATION_S / 4:.0f} s warm-up of the mix"
        " -> after the load: "
        f"RSS {before[0]:.0f} -> {after[0]:.0f} MB ({after[0] - before[0]:+.0f}), "
        f"PSS {before[1]:.0f} -> {after[1]:.0f} MB ({after[1] - before[1]:+.0f}). "
        "PSS at each fifth of the mix: "
        + ", ".join(f"{mb:.0f}" for mb in measured.samples)
        + " MB (a leak climbs at every fifth; allocator warm-up levels off).",
        "",
    ]


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
