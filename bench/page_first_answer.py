"""The calculator page's first answer (run by `make bench`, never by tests).

Starts `make run`'s server (bin/run-dev) on a free 127.0.0.1 port, waits for /healthz to say ok,
then in Chromium at 1366x900 pastes a text, the first time, and measures the milliseconds until the
answer strip under the box shows a cost, and whether it is inside the first viewport. The baseline
measured in the same run is one /healthz round trip from the same page (fetch), so the answer's
time is also reported as a ratio to it. Prints one line per measure.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TEXT = (ROOT / "README.md").read_text(encoding="utf-8")[:4000]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ok(port: int, limit_s: float = 300) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60) as response:
                if json.load(response)["status"] == "ok":
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit("the server never said ok")


PASTE = """(text) => {
  const area = document.getElementById('text');
  area.value = text;
  area.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', bubbles: true}));
}"""


def measure(port: int) -> dict[str, float | bool]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/")
        healthz_ms = page.evaluate(
            "async () => { const t = performance.now(); await (await fetch('/healthz')).json();"
            " return performance.now() - t; }"
        )
        started = time.perf_counter()
        page.evaluate(PASTE, TEXT)
        page.wait_for_selector("#answer-cheapest .answer-usd", timeout=60_000)
        answer_ms = (time.perf_counter() - started) * 1000
        box = page.locator("#answer-cheapest").bounding_box()
        browser.close()
    inside = box is not None and box["y"] + box["height"] <= 900
    return {"healthz_ms": healthz_ms, "first_answer_ms": answer_ms, "in_first_viewport": inside}


def main() -> None:
    port = free_port()
    env = {**os.environ, "PORT": str(port)}
    server = subprocess.Popen(
        ["bin/run-dev"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        ok_s = wait_ok(port)
        result = measure(port)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print(f"server start to /healthz ok: {ok_s:.1f} s")
    print(f"/healthz from the page (baseline): {result['healthz_ms']:.0f} ms")
    print(
        f"paste to first answer: {result['first_answer_ms']:.0f} ms "
        f"({result['first_answer_ms'] / max(result['healthz_ms'], 1):.1f}x the baseline), "
        f"in the first 1366x900 viewport: {result['in_first_viewport']}"
    )


if __name__ == "__main__":
    main()
