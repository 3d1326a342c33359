"""The production server under the worst texts (run by `make bench`, never by tests).

Starts gunicorn with production settings on a free 127.0.0.1 port (as bench/http_load.py does),
then, each phase bounded in time:
1. /healthz alone, probed every 0.2 s: the baseline of this run;
2. the same probe while two clients send, back to back, the worst known texts (1 MB of each
   adversarial class to /api/v1/estimate for every featured model, and to /api/v1/tokenize): does
   /healthz keep answering within 1 s, and does every worst request end in 200 or a 503 naming
   COUNT_DEADLINE_SECONDS, never a dropped connection?
3. memory: server PSS before and after 20 /api/v1/tokenize calls of 5 MB, and again after a minute
   of small requests: is it returned?
4. the soak (WORST_SOAK_SECONDS, `make bench`: 600): the realistic mix of http_load.py with 5 % of
   its requests 1 MB adversarial texts, PSS sampled ten times, /healthz probed throughout.
Phase 2 is first run against a server with LONG_RUN_WORKERS=0 (long runs encoded in the request's
own process, as before helper processes), the baseline; WORST_BASELINE=0 skips it.
Writes "## Worst texts over HTTP" in docs/benchmarks.md with --write or BENCH_WRITE=1.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

import http_load  # noqa: E402
from http_load import free_port, request, server_memory_mb, start_server, stop_server  # noqa: E402

from tests.calculator.tokenizers.adversarial import adversarial_texts  # noqa: E402

WORST_SECONDS = float(os.environ.get("WORST_SECONDS", "60"))
SOAK_S = float(os.environ.get("WORST_SOAK_SECONDS", "120"))
PROBE_EVERY_S = 0.2
FIVE_MB = 5_000_000


@dataclass
class Probe:
    """/healthz latencies (ms) sampled in a background thread until ``stop`` is set."""

    latencies_ms: list[float] = field(default_factory=list)
    failures: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, port: int) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                ok = request(port, "GET", "/healthz")[0] == 200
            except OSError:
                ok = False
            self.latencies_ms.append((time.perf_counter() - started) * 1000)
            self.failures += not ok
            self.stop.wait(PROBE_EVERY_S)

    def summary(self) -> str:
        lat = sorted(self.latencies_ms)
        p99 = statistics.quantiles(lat, n=100)[98] if len(lat) > 1 else lat[0]
        over = sum(ms > 1000 for ms in lat)
        return (
            f"{len(lat)} probes, median {statistics.median(lat):.0f} ms, p99 {p99:.0f} ms, "
            f"worst {lat[-1]:.0f} ms, {over} over 1 s, {self.failures} failed"
        )


def probing(port: int, action, *args):
    """``action(*args)`` with /healthz probed beside it: (its result, the probe)."""
    probe = Probe()
    thread = threading.Thread(target=probe.run, args=(port,), daemon=True)
    thread.start()
    try:
        result = action(*args)
    finally:
        probe.stop.set()
        thread.join()
    return result, probe


def worst_requests(port: int, seconds: float, clients: int = 2) -> dict[str, list]:
    """``clients`` threads sending the worst texts back to back: outcome and seconds of each."""
    texts = adversarial_texts(1_000_000)
    outcomes: dict[str, list] = {"statuses": [], "seconds": [], "slowest": []}
    lock, stop_at = threading.Lock(), time.time() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.time() < stop_at:
            name = rng.choice(sorted(texts))
            text = texts[name] + f" #{rng.random()}"  # new every time: no count is a cache hit
            if rng.random() < 0.7:
                path, body = "/api/v1/estimate", {"text": text, "output_tokens": 500}
            else:
                path, body = "/api/v1/tokenize", {"text": text, "tokenizer": rng.choice(TOKENIZE_KEYS)}
            started = time.perf_counter()
            try:
                status = request(port, "POST", path, body)[0]
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                outcomes["statuses"].append(status)
                outcomes["seconds"].append(elapsed)
                outcomes["slowest"].append((elapsed, name, path))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


TOKENIZE_KEYS = ["claude", "gemma3", "o200k_base", "llama3", "mistral_spm_v7", "deepseek_v3"]


def big_tokenizes(port: int, n: int = 20) -> list[int]:
    """``n`` /tokenize calls of 5 MB of prose, each a different text."""
    rng, statuses = random.Random(5), []
    words = http_load.WORDS
    for i in range(n):
        text = " ".join(rng.choices(words, k=FIVE_MB // 6))[:FIVE_MB]
        key = TOKENIZE_KEYS[i % len(TOKENIZE_KEYS)]
        statuses.append(request(port, "POST", "/api/v1/tokenize", {"text": text, "tokenizer": key})[0])
    return statuses


def small_requests(port: int, seconds: float) -> None:
    rng, stop_at = random.Random(7), time.time() + seconds
    while time.time() < stop_at:
        request(port, "POST", "/api/v1/estimate", {"text": http_load.paste(rng, 200), "output_tokens": 100})


def soak_pick(exports: list[str], document: str):
    worst = adversarial_texts(1_000_000)

    def pick(rng: random.Random) -> http_load.Request:
        if rng.random() < 0.05:
            name = rng.choice(sorted(worst))
            body = {"text": worst[name] + f" #{rng.random()}", "output_tokens": 500}
            return f"1 MB {name}", "POST", "/api/v1/estimate", body
        return http_load.mixed_request(rng, exports, document)

    return pick


def soak(port: int, server) -> tuple[str, Probe]:
    exports = []
    for i in range(3):
        status, body = request(
            port, "POST", "/api/v1/comparisons", {"text": http_load.paste(random.Random(i), 300)}
        )
        assert status == 201, body
        exports.append(http_load.json.loads(body)["json_url"])
    document = http_load.paste(random.Random(1), 16_000)[:100_000]
    samples: list[float] = []
    sampler = threading.Thread(target=http_load.sample_pss, args=(server, samples, SOAK_S, 10), daemon=True)
    sampler.start()
    (result, wall), probe = probing(port, http_load.run_phase, port, soak_pick(exports, document), SOAK_S)
    sampler.join()
    half = samples[len(samples) // 2 :]
    spread = (max(half) - min(half)) / min(half)
    statuses = dict(sorted(result.statuses.items()))
    text = (
        f"The mix of [HTTP load](#http-load) for {SOAK_S:.0f} s with 5 % of its requests 1 MB adversarial "
        f"texts: {len(result.latencies_ms)} requests, statuses {statuses}, "
        f"{sum(n for s, n in statuses.items() if s == 0 or (s >= 500 and s != 503))} dropped or 5xx other "
        "than 503. Server PSS at each tenth: "
        + ", ".join(f"{mb:.0f}" for mb in samples)
        + " MB; spread over "
        f"the second half {spread:.1%} (flat: within 5 %). /healthz meanwhile: {probe.summary()}."
    )
    return text, probe


def in_process_baseline() -> Probe | None:
    """The worst texts against a server that encodes long runs in the request's own process
    (LONG_RUN_WORKERS=0, as before helper processes): the baseline of this run for phase 2."""
    if os.environ.get("WORST_BASELINE", "1") != "1":
        return None
    port = free_port()
    os.environ["LONG_RUN_WORKERS"] = "0"
    try:
        server = start_server(port)
    finally:
        del os.environ["LONG_RUN_WORKERS"]
    try:
        small_requests(port, 5)
        _, beside = probing(port, worst_requests, port, WORST_SECONDS)
    finally:
        stop_server(server)
    return beside


def main() -> None:
    in_process = in_process_baseline()
    port = free_port()
    server = start_server(port)
    try:
        small_requests(port, 5)  # warm every worker
        _, alone = probing(port, time.sleep, 10)
        worst, beside = probing(port, worst_requests, port, WORST_SECONDS)
        small_requests(port, 5)
        before = server_memory_mb(server)[1]
        big = big_tokenizes(port)
        after = server_memory_mb(server)[1]
        small_requests(port, 60)
        settled = server_memory_mb(server)[1]
        soaked, _ = soak(port, server) if SOAK_S else ("", None)
    finally:
        stop_server(server)
    text = report(alone, beside, worst, (before, after, settled, big), soaked, in_process)
    print(text)
    if "--write" in sys.argv or os.environ.get("BENCH_WRITE"):
        write_section(text)


def report(  # noqa: PLR0913 - one report of the run's phases
    alone: Probe, beside: Probe, worst: dict[str, list], memory, soaked: str, in_process: Probe | None
) -> str:
    lines = probe_table(alone, beside, in_process) + [*worst_and_memory(alone, beside, worst, memory)]
    if soaked:
        lines += ["### Soak with the worst texts in the mix", "", soaked, ""]
    return "\n".join(lines)


def probe_table(alone: Probe, beside: Probe, in_process: Probe | None) -> list[str]:
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    threads = os.environ.get("WEB_THREADS", "4")
    lines = [
        "## Worst texts over HTTP",
        "",
        f"Date: {time.strftime('%Y-%m-%d')}. gunicorn ({workers} workers x {threads} threads) on 127.0.0.1, "
        f"{os.cpu_count()} cores shared by client and server, load average at the end "
        f"{os.getloadavg()[0]:.1f}. `make bench` (or "
        "`BENCH_WRITE=1 .venv/bin/python bench/worst_case_http.py`) rewrites this section. "
        "Target (issue 20): /healthz answers within 1 s throughout.",
        "",
        "| /healthz probed every 0.2 s | result |",
        "| --- | --- |",
        f"| alone, 10 s (baseline) | {alone.summary()} |",
        f"| beside 2 clients sending 1 MB worst texts for {WORST_SECONDS:.0f} s | {beside.summary()} |",
    ]
    if in_process:
        lines.append(
            f"| the same, long runs encoded in the request's process (LONG_RUN_WORKERS=0, before) "
            f"| {in_process.summary()} |"
        )
    return [*lines, ""]


def worst_and_memory(alone: Probe, beside: Probe, worst: dict[str, list], memory) -> list[str]:
    before, after, settled, big = memory
    statuses = {s: worst["statuses"].count(s) for s in sorted(set(worst["statuses"]))}
    slow = sorted(worst["slowest"], reverse=True)[:3]
    median = (
        statistics.median(beside.latencies_ms) / statistics.median(alone.latencies_ms)
        if alone.latencies_ms
        else 0
    )
    return [
        f"Median /healthz beside the worst texts / alone: {median:.1f}. The worst requests: "
        f"{len(worst['statuses'])} sent, statuses {statuses} (503 = `count_deadline`, 0 = dropped); "
        f"median {statistics.median(worst['seconds']):.1f} s; slowest "
        + "; ".join(f"{s:.1f} s ({name}, {path})" for s, name, path in slow)
        + ".",
        "",
        f"Memory: server PSS {before:.0f} MB before 20 /api/v1/tokenize calls of 5 MB of prose "
        f"(statuses { {s: big.count(s) for s in sorted(set(big))} }), {after:.0f} MB after them "
        f"({after - before:+.0f}), {settled:.0f} MB after a further minute of small estimates "
        f"({settled - before:+.0f} against before).",
        "",
    ]


def write_section(report: str) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    start = text.find("## Worst texts over HTTP")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + text[end + 1 :] if end >= 0 else text[:start]
    path.write_text(text.rstrip() + "\n\n" + report, encoding="utf-8")


if __name__ == "__main__":
    main()
