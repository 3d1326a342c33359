"""gunicorn settings for `make serve` (production). Every value can be overridden by env vars.

This file sits outside the `config` package on purpose: it is deployment glue that reaches the
calculator (to preload tokenizers), which the application layers may not.

Each web process holds every tokenizer it has used (~0.9 GB with all loaded), so the default
is few processes with several threads each: tokenizers release the GIL while counting. With
WEB_PRELOAD on (the default) the master imports Django and loads every tokenizer once before
forking, so workers share those pages copy-on-write and no first request pays a 7-9 s load.
"""

import gc
import os
import time

from config.env import envbool

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "0"))  # 0: never recycle
max_requests_jitter = 50
accesslog = "-"
errorlog = "-"
preload_app = envbool("WEB_PRELOAD", True)
# Our own threads count in parallel. The Rust tokenizers' internal thread pool is not fork-safe
# (a child of a process that used it has it disabled, with a warning): keep it off everywhere.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def when_ready(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    """In the master, after the app is imported and before any worker is forked."""
    if not preload_app:
        return
    from calculator.tokenizers import preload

    started = time.perf_counter()
    outcome = preload()
    missing = {key: reason for key, reason in outcome.items() if reason}
    server.log.info(
        "tokenizers preloaded before forking: %d of %d in %.1f s",
        len(outcome) - len(missing),
        len(outcome),
        time.perf_counter() - started,
    )
    for key, reason in missing.items():
        server.log.warning("tokenizer %s unavailable: %s", key, reason)
    from calculator.tokenizers.chat.framing import preload_framing

    started = time.perf_counter()
    framing = preload_framing()
    server.log.info("chat framing preloaded in %.1f s", time.perf_counter() - started)
    for family, reason in framing.items():
        if reason:
            server.log.warning("chat framing %s unavailable: %s", family, reason)
    # What the master loaded lives as long as the workers: out of the collector's sight, a full
    # collection in a worker no longer walks it (~0.1 s each time, with the GIL held) nor
    # writes to its pages (which would unshare them from the master).
    gc.collect()
    gc.freeze()
    server.log.info("%d objects frozen before forking", gc.get_freeze_count())
