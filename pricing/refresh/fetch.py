"""Getting a source's raw bytes: its URL, an HTTP GET with a size and time limit, or the data
bundled inside the genai-prices package."""

from __future__ import annotations

import urllib.error
import urllib.request

from django.conf import settings

from pricing.refresh.errors import FetchError

DEFAULT_URLS = {
    "litellm": "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
    "openrouter": "https://openrouter.ai/api/v1/models",
}


def source_url(source: str) -> str:
    """The URL a source is fetched from: ``PRICE_SOURCE_URLS[source]`` or the project's default."""
    configured = settings.PRICE_SOURCE_URLS.get(source)
    if configured:
        return configured
    if source == "genai-prices":
        from genai_prices.update_prices import DEFAULT_UPDATE_URL

        return DEFAULT_UPDATE_URL
    return DEFAULT_URLS[source]


def fetch_payload(*, url: str) -> bytes:
    """GET ``url``; ``FetchError`` for network errors, timeouts and HTTP errors."""
    timeout_s = settings.PRICE_REFRESH_TIMEOUT
    max_bytes = settings.PRICE_REFRESH_MAX_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": "llmcalc-price-refresh/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            payload = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code} from {url}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise FetchError(f"{getattr(error, 'reason', error)} ({url})") from None
    if len(payload) > max_bytes:
        raise FetchError(f"payload from {url} is larger than {max_bytes} bytes")
    return payload


def bundled_payload() -> bytes:
    """The genai-prices data shipped inside the installed package (no network)."""
    from pricing.sources.genai_prices_v2 import bundled_payload as genai_bundled

    return genai_bundled()
