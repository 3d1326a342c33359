"""The generic usage CSV (and the same rows as JSON). Pure: no Django.

Columns are the bill's usage: ``timestamp`` (ISO 8601 with a UTC offset) and ``model`` are
required; an absent quantity column is zero, an empty cell too; a column not listed here is
refused with its name. Tags are separated by ``;`` or ``,`` inside their cell.

The file is read as a stream (a million rows never sit in memory at once) and refused whole at
the first bad row, named as a spreadsheet numbers it (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from pricing.bill import BillError, BillUsage
from usage.formats.errors import UsageFileError
from usage.formats.record import TOKEN_COLUMNS, UsageRecord

COLUMNS = (
    "timestamp",
    "model",
    *TOKEN_COLUMNS,
    "service_tier",
    "reported_cost_usd",
    "tags",
)
REQUIRED = ("timestamp", "model")
MAX_CELL_CHARS = 500
# A text cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_WHOLE = re.compile(r"\d{1,12}")
_DECIMAL = re.compile(r"\d{1,12}(\.\d{1,12})?")
_TAG_SPLIT = re.compile(r"[;,]")


def read_generic_csv(stream: BinaryIO, *, max_rows: int) -> Iterator[UsageRecord]:
    """Each data row of the CSV in ``stream`` (UTF-8, UTF-8 with BOM, or UTF-16 with BOM)."""
    reader = csv.reader(_text(stream), strict=True)
    try:
        header = _header(next(reader, None))
        count = 0
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > max_rows:
                raise UsageFileError(
                    f"the file has more than {max_rows:,} rows; split it.", row=reader.line_num
                )
            if len(cells) != len(header):
                raise UsageFileError(
                    f"{len(cells)} cells, but the header has {len(header)} columns.", row=reader.line_num
                )
            yield record_from_cells(dict(zip(header, cells, strict=True)), row=reader.line_num)
    except UnicodeDecodeError:
        raise UsageFileError(
            "not UTF-8 text (save the file as UTF-8, or UTF-16 with a byte order mark).",
            row=reader.line_num + 1,
        ) from None
    except csv.Error as error:
        raise UsageFileError(f"not a readable CSV row ({error}).", row=reader.line_num) from None


def read_json_rows(rows: Iterable[object], *, max_rows: int) -> Iterator[UsageRecord]:
    """Rows given as JSON objects with the CSV's column names (row 1 is the first object)."""
    for index, row in enumerate(rows, start=1):
        if index > max_rows:
            raise UsageFileError(f"more than {max_rows:,} rows; split them.", row=index)
        if not isinstance(row, Mapping):
            raise UsageFileError("each row must be a JSON object.", row=index)
        _refuse_unknown(row.keys(), row=index)
        cells = {name: _json_cell(name, value, row=index) for name, value in row.items()}
        yield record_from_cells(cells, row=index)


def record_from_cells(cells: Mapping[str, str], *, row: int) -> UsageRecord:
    """One row's cells (by column name; absent ones empty) → its record, or the row's error."""
    for name, cell in cells.items():
        if len(cell) > MAX_CELL_CHARS:
            raise UsageFileError(
                f"the cell is longer than {MAX_CELL_CHARS} characters.", row=row, column=name
            )
    counts: dict[str, Any] = {
        name: _whole(cells.get(name, ""), row=row, column=name) for name in TOKEN_COLUMNS
    }
    try:
        usage = BillUsage(**counts)
    except BillError as error:
        raise UsageFileError(
            f"{error.message}.", row=row, column=error.field.removeprefix("usage.")
        ) from None
    model = _text_cell(cells.get("model", ""), row=row, column="model")
    if not model:
        raise UsageFileError("a model is required.", row=row, column="model")
    tags = _text_cell(cells.get("tags", ""), row=row, column="tags")
    return UsageRecord(
        row=row,
        at=_timestamp(cells.get("timestamp", ""), row=row),
        model=model,
        usage=usage,
        service_tier=_text_cell(cells.get("service_tier", ""), row=row, column="service_tier") or "standard",
        reported_cost_usd=_decimal(cells.get("reported_cost_usd", ""), row=row, column="reported_cost_usd"),
        tags=tuple(sorted({tag.strip() for tag in _TAG_SPLIT.split(tags) if tag.strip()})),
    )


def _text(stream: BinaryIO) -> io.TextIOWrapper:
    start = stream.read(4)
    stream.seek(0)
    utf16 = start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding = "utf-16" if utf16 else "utf-8-sig"
    return io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")


def _header(cells: list[str] | None) -> list[str]:
    if not cells:
        raise UsageFileError("the file is empty: the first row must name the columns.", row=1)
    names = [cell.strip() for cell in cells]
    _refuse_unknown(names, row=1)
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise UsageFileError(f"columns named twice: {', '.join(duplicated)}.", row=1)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise UsageFileError(f"missing columns: {', '.join(missing)}.", row=1)
    return names


def _refuse_unknown(names: Iterable[str], *, row: int) -> None:
    unknown = sorted(set(names) - set(COLUMNS))
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        raise UsageFileError(f"unknown columns: {listed}. The columns are: {', '.join(COLUMNS)}.", row=row)


def _json_cell(name: str, value: object, *, row: int) -> str:
    if value is None:
        return ""
    if name == "tags" and isinstance(value, list) and all(isinstance(tag, str) for tag in value):
        return ";".join(value)
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        raise UsageFileError("must be a string or a number.", row=row, column=name)
    if isinstance(value, float):  # a JSON number without a fraction that overflowed, or an exponent
        raise UsageFileError("must be an exact number.", row=row, column=name)
    return str(value)


def _timestamp(cell: str, *, row: int) -> datetime:
    text = cell.strip()
    _refuse_formula(text, row=row, column="timestamp")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageFileError(
            f"{text!r} is not an ISO 8601 timestamp such as 2026-08-03T14:05:00Z.",
            row=row,
            column="timestamp",
        ) from None
    if moment.tzinfo is None:
        raise UsageFileError(
            f"{text!r} has no UTC offset (write 2026-08-03T14:05:00Z or +08:00).", row=row, column="timestamp"
        )
    return moment


def _whole(cell: str, *, row: int, column: str) -> int:
    text = cell.strip()
    if not text:
        return 0
    _refuse_formula(text, row=row, column=column)
    if not _WHOLE.fullmatch(text):
        raise UsageFileError(f"{text!r} is not a whole number of tokens.", row=row, column=column)
    return int(text)


def _decimal(cell: str, *, row: int, column: str) -> Decimal | None:
    text = cell.strip()
    if not text:
        return None
    _refuse_formula(text, row=row, column=column)
    if not _DECIMAL.fullmatch(text):
        raise UsageFileError(f"{text!r} is not an amount in USD such as 0.0125.", row=row, column=column)
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise UsageFileError(f"{text!r} is not an amount.", row=row, column=column) from None


def _text_cell(cell: str, *, row: int, column: str) -> str:
    text = cell.strip()
    _refuse_formula(cell, row=row, column=column)
    return text


def _refuse_formula(cell: str, *, row: int, column: str) -> None:
    if cell.startswith(FORMULA_STARTS):
        raise UsageFileError(
            f"the cell starts with {cell[0]!r}, as a spreadsheet formula does; formulas are never run.",
            row=row,
            column=column,
        )
