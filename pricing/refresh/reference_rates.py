"""The daily refresh of the ECB reference rates: fetch the published file, append new days."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from pricing.refresh.fetch import fetch_payload
from pricing.services.reference_rates import store_reference_rates


def refresh_reference_rates(*, url: str | None = None) -> int:
    """Fetch ``url`` (default ``settings.ECB_RATES_URL``) and store the days it adds; the number
    of rates added. ``FetchError`` for the network, ``RateError`` for a file that is not the ECB's."""
    source_url = url or settings.ECB_RATES_URL
    payload = fetch_payload(url=source_url)
    return store_reference_rates(payload=payload, source_url=source_url, fetched_at=timezone.now())
