"""gunicorn settings for `make serve` (production). Every value can be overridden by env vars.

Each web process holds every tokenizer it has used (~0.9 GB with all loaded), so the default
is few processes with several threads each: tokenizers release the GIL while counting.
"""

import os

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
# Import the app once in the master so workers fork with Django already loaded.
preload_app = os.environ.get("WEB_PRELOAD", "true").lower() in {"1", "true", "yes"}
