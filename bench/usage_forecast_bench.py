"""Usage forecast benchmark (never run by tests): an import of USAGE_FORECAST_ROWS rows (default
200,000) from 1 August to 14 September 2026 (three models, one unknown), so the forecast reads a
28-day window and bills 16 days left. In one run on a fresh SQLite database, alternating, ROUNDS
times (default 3): ``GET /api/v1/usage/imports/{id}/forecast`` and the import's page
``/usage/<id>`` with no cache (the baseline: read and billed on every view, as before the
forecast was kept), on an empty cache (first view), then again (second view), then with another
budget. Prints each as a ratio to the no-cache baseline of the same run.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from usage_money_bench import make_import as make_money_import
from usage_money_bench import setup

ROWS = int(os.environ.get("USAGE_FORECAST_ROWS", "200000"))
ROUNDS = int(os.environ.get("USAGE_FORECAST_ROUNDS", "3"))
DAYS = 45  # 1 August to 14 September


def make_import() -> object:
    return make_money_import(ROWS, DAYS)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def views(usage_import: object) -> dict[str, Callable[[], object]]:
    """Each timed request: the forecast API and the page, first view, second, another budget."""
    from django.test import Client

    client = Client()
    api = f"/api/v1/usage/imports/{usage_import.pk}/forecast"  # type: ignore[attr-defined]
    page = f"/usage/{usage_import.pk}"  # type: ignore[attr-defined]

    def get(path: str, **params: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path, params)
            assert response.status_code == 200, response.content[:300]
            return response

        return run

    def uncached(path: str, **params: str) -> Callable[[], object]:
        from django.core.cache.backends.dummy import DummyCache

        from usage import forecasting

        def run() -> object:
            kept, forecasting.cache = forecasting.cache, DummyCache("none", {})  # type: ignore[assignment]
            try:
                return get(path, **params)()
            finally:
                forecasting.cache = kept

        return run

    return {
        "API, no cache (as before: read and billed on every view)": uncached(api, budget="100"),
        "API, first view (empty cache)": get(api, budget="100"),
        "API, second view": get(api, budget="100"),
        "API, another budget": get(api, budget="250"),
        "page, no cache (as before)": uncached(page, budget="100"),
        "page, first view (empty cache)": get(page, budget="100"),
        "page, second view": get(page, budget="100"),
        "page, another budget": get(page, budget="250"),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder) / "bench.sqlite3")
        from django.core.cache import cache

        started = time.perf_counter()
        usage_import = make_import()
        print(f"import of {ROWS:,} rows: {time.perf_counter() - started:.0f} s")
        runs = views(usage_import)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for run in runs.values():  # warm: the first request of a process pays for its imports
            run()
        print(f"load average at start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for _ in range(ROUNDS):
            for name, run in runs.items():
                if "empty cache" in name:
                    cache.clear()
                times[name].append(timed(run))
        print("| run | each round, s | median s | ratio to no cache |\n| --- | --- | --- | --- |")
        for name, seconds in times.items():
            base = [times[other] for other in times if other[:3] == name[:3] and "no cache" in other][0]
            median = statistics.median(seconds)
            rounds = ", ".join(f"{s:.3f}" for s in seconds)
            print(f"| {name} | {rounds} | {median:.3f} | {median / statistics.median(base):.3f} |")


if __name__ == "__main__":
    main()
