"""CPU time of re-costing every model through the page's table endpoint, this tree against a
baseline tree, alternately in the same run (docs/benchmarks.md, "A re-cost's catalogue and rows
kept").

    BENCH_BASELINE=/tmp/old-tree .venv/bin/python bench/estimate_recost.py [rounds] [requests]

The baseline is another checkout of the project (``git archive integ | tar -x -C /tmp/old-tree``)
with this tree's ``.venv`` and database. Each measurement is a fresh process on the dev database
(var/db.sqlite3): the 4,000-character text of ``bench/page_first_answer.py`` on all models, two
warm-up requests, then ``requests`` re-costs (each another output size, ``?since=`` the answer's
stamp as the page asks), each timed as the process's CPU time around the test client's POST.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(root: Path, requests: int) -> dict[str, float]:
    """Run in a fresh process: the median CPU ms per re-cost (the endpoint's; the estimate's own,
    ``run_estimate``), and the estimate's ``elapsed_ms`` (wall time)."""
    post, estimate_cpu = _set_up(root)
    _, first = post(700, "")
    stamp = first["results_table"]["stamp"]
    post(701, stamp)
    cpu, elapsed = [], []
    del estimate_cpu[:]
    for index in range(requests):
        spent, answer = post(10_000 + index, stamp)
        cpu.append(spent)
        elapsed.append(answer["elapsed_ms"])
    return {
        "cpu_ms": round(statistics.median(cpu), 1),
        "estimate_cpu_ms": round(statistics.median(estimate_cpu), 1),
        "elapsed_ms": statistics.median(elapsed),
    }


def _set_up(root: Path) -> tuple[Callable[[int, str], tuple[float, dict]], list[float]]:
    """Django on ``root`` with the dev database: a timed POST of a re-cost, and the list each
    request's ``run_estimate`` CPU ms is appended to."""
    sys.path[:0] = [str(root), str(root / "bench")]
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'db.sqlite3'}"
    import django

    django.setup()
    from django.test import Client
    from page_first_answer import TEXT

    import calculator.api

    client = Client()
    estimate_cpu: list[float] = []
    run_estimate = calculator.api.run_estimate

    def timed_estimate(payload):  # the estimate's own CPU time, inside the endpoint's
        started = time.process_time()
        try:
            return run_estimate(payload)
        finally:
            estimate_cpu.append((time.process_time() - started) * 1000)

    calculator.api.run_estimate = timed_estimate

    def post(output: int, since: str) -> tuple[float, dict]:
        body = json.dumps({"text": TEXT, "output_tokens": output, "all_models": True})
        url = "/api/v1/estimate/table" + (f"?since={since}" if since else "")
        started = time.process_time()
        response = client.post(url, body, content_type="application/json")
        spent = (time.process_time() - started) * 1000
        assert response.status_code == 200, response.content[:300]
        return spent, json.loads(response.content)

    return post, estimate_cpu


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3]))))
        return
    baseline = Path(os.environ["BENCH_BASELINE"])
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    for number in range(1, rounds + 1):
        found = {}
        for name, root in (("baseline", baseline), ("this tree", ROOT)):
            command = [sys.executable, __file__, "--one", str(root), str(requests)]
            found[name] = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
        ratio = found["this tree"]["cpu_ms"] / found["baseline"]["cpu_ms"]
        of_estimate = found["this tree"]["estimate_cpu_ms"] / found["baseline"]["estimate_cpu_ms"]
        load = os.getloadavg()[0]
        ratios = f"endpoint {ratio:.2f}x, estimate {of_estimate:.2f}x"
        print(f"round {number} (load {load:.1f}): {json.dumps(found)} {ratios}", flush=True)


if __name__ == "__main__":
    main()
