"""How long each engine keeps the interpreter lock in one stretch (run on demand, never by tests).

One thread counts 1 MB of each adversarial class with one engine while the main thread asks to
wake every 5 ms; the longest gap between its wake-ups is how long a server thread (/healthz
included) could wait behind that count. Long runs of whitespace go to helper processes
(LONG_RUN_WORKERS, default 2); `LONG_RUN_WORKERS=0` shows the in-process figures.

    .venv/bin/python bench/gil_holds.py [--chars N] [engine ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from calculator.tokenizers import configure, count_tokens, is_available, list_tokenizers  # noqa: E402
from tests.calculator.tokenizers.adversarial import adversarial_texts  # noqa: E402

TICK_S = 0.005


def longest_gap_ms(call) -> float:  # noqa: ANN001 - a zero-argument callable
    """The longest wait, in ms, of a thread that asks to wake every 5 ms while ``call`` runs."""
    worker = threading.Thread(target=call)
    worst = 0.0
    last = time.perf_counter()
    worker.start()
    while worker.is_alive():
        time.sleep(TICK_S)
        now = time.perf_counter()
        worst = max(worst, now - last - TICK_S)
        last = now
    return worst * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("engines", nargs="*")
    args = parser.parse_args()
    configure(
        data_dir=REPO / "var" / "tokenizers",
        long_run_workers=int(os.environ.get("LONG_RUN_WORKERS", "2")),
        count_deadline_seconds=600,
    )
    texts = adversarial_texts(args.chars)
    keys = args.engines or [info.key for info in list_tokenizers() if is_available(info.key)]
    print(f"{'engine':16} {'worst class':14} {'longest hold ms':>16}")
    for key in keys:
        count_tokens("warm up " * 10 + " " * 70_000 + "x", key)  # load, and start the helpers
        holds = {
            name: longest_gap_ms(lambda t=text, k=key: count_tokens(t, k)) for name, text in texts.items()
        }
        name, worst = max(holds.items(), key=lambda item: item[1])
        print(f"{key:16} {name:14} {worst:16.0f}", flush=True)


if __name__ == "__main__":
    main()
