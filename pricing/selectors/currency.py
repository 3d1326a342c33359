"""Converting USD amounts at the ECB reference rates of a date: the bundled history, then the
days fetched since (``ReferenceRate``), whichever has the later quote on or before the date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from pricing.currency import LONGEST_GAP_DAYS, Conversion, DatedRates, RateSource, RateTable, convert_usd
from pricing.currency.bundled import bundled_table
from pricing.models import ReferenceRate

FETCHED_NAME = "ECB euro foreign exchange reference rates, fetched"


def convert(amount_usd: Decimal, *, currency: str, day: date) -> Conversion:
    """``amount_usd`` in ``currency`` at the rates of ``day``; ``RateError`` names what is missing."""
    return convert_usd(amount_usd, currency=currency, day=day, tables=rate_tables(day))


def rate_tables(day: date) -> list[RateTable]:
    """The tables that may quote ``day``: the bundled history, and the fetched days near it."""
    bundled = bundled_table()
    if bundled.last_day is not None and day <= bundled.last_day:
        return [bundled]
    return [bundled, fetched_table(day)]


def fetched_table(day: date) -> RateTable:
    rows = ReferenceRate.objects.filter(day__lte=day, day__gte=day - timedelta(days=LONGEST_GAP_DAYS))
    by_day: dict[date, dict[str, Decimal]] = {}
    sources: dict[date, RateSource] = {}
    for row in rows:
        by_day.setdefault(row.day, {})[row.currency] = row.per_eur
        sources[row.day] = RateSource(
            name=f"{FETCHED_NAME} {row.fetched_at:%Y-%m-%d %H:%M} UTC", url=row.source_url
        )
    return RateTable([DatedRates(day=d, per_eur=rates, source=sources[d]) for d, rates in by_day.items()])
