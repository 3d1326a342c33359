"""Parsers of the ECB's published reference-rate files. Pure: bytes in, dated rates out.

The ECB publishes two CSV layouts, each also zipped: the whole history (``eurofxref-hist``:
``Date,USD,JPY,...`` then ``2024-01-02,1.0956,...``, ``N/A`` where a currency had no rate that
day) and the last day (``eurofxref``: ``Date, USD, ...`` then ``2 January 2024, 1.0956, ...``).
Every rate is units of the currency per 1 euro.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

ZIP_MAGIC = b"PK\x03\x04"


class RateError(ValueError):
    """A payload that is not an ECB reference-rate file, or a conversion that cannot be made."""


def parse_ecb_payload(payload: bytes) -> dict[date, dict[str, Decimal]]:
    """``{day: {currency: units per euro}}`` from an ECB CSV file or its zip (either layout).

    ``RateError`` for anything else: no ``Date`` header, a bad date, a bad or non-positive rate.
    """
    text = _csv_text(payload)
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text)) if row]
    if not rows or rows[0][0] != "Date":
        raise RateError("not an ECB reference-rate file: its first column is not 'Date'")
    currencies = rows[0][1:]
    days: dict[date, dict[str, Decimal]] = {}
    for row in rows[1:]:
        day = _day(row[0])
        days[day] = {
            currency: _rate(cell, currency, day)
            for currency, cell in zip(currencies, row[1:], strict=False)
            if currency and cell and cell != "N/A"
        }
    return days


def _csv_text(payload: bytes) -> str:
    if payload.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                names = [name for name in archive.namelist() if name.endswith(".csv")]
                if len(names) != 1:
                    raise RateError("an ECB zip holds exactly one CSV file")
                payload = archive.read(names[0])
        except zipfile.BadZipFile as error:
            raise RateError(f"not a readable zip file: {error}") from None
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RateError("not a UTF-8 CSV file") from None


def _day(cell: str) -> date:
    for layout in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(cell, layout).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    raise RateError(f"not a date: {cell!r}")


def _rate(cell: str, currency: str, day: date) -> Decimal:
    try:
        rate = Decimal(cell)
    except InvalidOperation:
        raise RateError(f"not a rate: {currency} on {day}: {cell!r}") from None
    if not rate.is_finite() or rate <= 0:
        raise RateError(f"not a positive rate: {currency} on {day}: {cell!r}")
    return rate
