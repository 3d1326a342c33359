"""Does a pool of counting processes still pay for Claude counts? (on demand, about a minute)

Counts the same 16 distinct 100 KB texts with the three Claude families two ways: in this
process's threads (what the app does now), and in a 2-process pool whose workers load the
engines first (what the app did with ctok). Prints both wall times and their ratio.

    .venv/bin/python bench/claude_pool.py
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from tokenizers_bench import build_text  # noqa: E402

from calculator.tokenizers.claude.estimator import ClaudeEstimator  # noqa: E402

VERSIONS = ("3.0", "4.7", "4.8")
_engines: dict[str, ClaudeEstimator] = {}


def _load() -> None:
    for version in VERSIONS:
        _engines[version] = ClaudeEstimator(version)


def count_all(text: str) -> int:
    return sum(_engines[version].count(text) for version in VERSIONS)


def main() -> None:
    base = build_text(1_600_000)
    texts = [base[i * 100_000 : (i + 1) * 100_000] + f" #{i}" for i in range(16)]
    _load()
    with ThreadPoolExecutor(max_workers=4) as threads:
        start = time.perf_counter()
        in_threads = list(threads.map(count_all, texts))
        threads_s = time.perf_counter() - start
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context, initializer=_load) as pool:
        list(pool.map(count_all, ["warm up"] * 2))  # start and load both workers outside the timing
        start = time.perf_counter()
        in_pool = list(pool.map(count_all, texts))
        pool_s = time.perf_counter() - start
    assert in_threads == in_pool
    print(
        f"16 x 100 KB, 3 Claude families: threads {threads_s:.2f} s, 2-process pool {pool_s:.2f} s, "
        f"pool / threads {pool_s / threads_s:.2f}"
    )


if __name__ == "__main__":
    main()
