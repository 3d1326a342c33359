"""A price table as a file: the columns, reading a CSV or XLSX upload safely, writing an export.

Pure: no Django imports. The columns follow the rate fields of ``pricing.bill.rates`` (through
``pricing.bill.validation``), so an export can be edited and uploaded back as it is. Files come from
people, and some from attackers: a table over the byte, row or cell limits, in an encoding other
than UTF-8, holding spreadsheet formulas, or not a table at all is refused whole, with a message
saying what is wrong and where. Nothing in a file is ever evaluated.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import tablib

from pricing.bill.money import money
from pricing.bill.rates import RATE_FIELDS, TIER_RATE_FIELDS, Rates, TierRates
from pricing.bill.validation import Problem, price_problems

KEY_COLUMNS = ("provider", "model", "name")
TIER_SLOTS = 2
TIER_COLUMNS = tuple(
    f"tier{slot}_{name}"
    for slot in range(1, TIER_SLOTS + 1)
    for name in ("threshold_tokens", *TIER_RATE_FIELDS)
)
COLUMNS = (*KEY_COLUMNS, *RATE_FIELDS, *TIER_COLUMNS)
REQUIRED_COLUMNS = ("provider", "model", "input_usd_per_mtok", "output_usd_per_mtok")

# Limits: the whole catalogue (about 2,000 models) fits with room to spare; more is a mistake or
# an attack. An XLSX is a zip, so its unpacked size is limited too (a zip bomb is small packed).
MAX_TABLE_BYTES = 2 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_TABLE_ROWS = 5_000
# The header and every row with each column once: a workbook wider or longer is refused unread.
MAX_TABLE_CELLS = (MAX_TABLE_ROWS + 1) * len(COLUMNS)
MAX_CELL_CHARS = 300
# The money columns of the catalogue hold 20 digits, 10 of them after the point.
MAX_DECIMAL_PLACES = 10
MAX_DIGITS = 20
# A cell starting with one of these is a formula to a spreadsheet (CSV injection); exports
# prefix such text with an apostrophe, and reading a file removes that prefix again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAGIC = b"PK\x03\x04"


class TableRefused(Exception):
    """The file as a whole cannot be used; the message says why and where."""


@dataclass(frozen=True)
class TableRow:
    """One row of an uploaded table: its line in the file (the header is line 1) and its cells."""

    line: int
    cells: dict[str, str]

    @property
    def key(self) -> str:
        return f"{self.cells.get('provider', '')}/{self.cells.get('model', '')}"


def read_table(data: bytes, *, filename: str = "") -> list[TableRow]:
    """The rows of a CSV or XLSX price table; ``TableRefused`` when the file cannot be used."""
    if not data.strip():
        raise TableRefused("The table is empty.")
    if len(data) > MAX_TABLE_BYTES:
        raise TableRefused(
            f"The file is {len(data):,} bytes; the limit is {MAX_TABLE_BYTES:,}. Split the table."
        )
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        dataset = _load_xlsx(data)
    else:
        dataset = _load_csv(data)
    return _rows(dataset)


def _load_csv(data: bytes) -> tablib.Dataset:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableRefused(
            f"The file is not UTF-8 text (byte {error.start:,} cannot be read). Save it as "
            "CSV UTF-8, or upload an XLSX."
        ) from None
    if "\x00" in text:
        raise TableRefused("The file holds NUL characters: it is not a text table.")
    _check_delimiter(text)
    try:
        return tablib.Dataset().load(text, format="csv")
    except Exception as error:  # noqa: BLE001 - the csv module and tablib raise several kinds
        raise TableRefused(f"The file could not be read as CSV: {_csv_problem(text, error)}") from None


# Delimiters a spreadsheet may save a "CSV" with, by name, other than the comma this reads.
OTHER_DELIMITERS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}


def _check_delimiter(text: str) -> None:
    """A header without a comma but with another delimiter: the file was saved with a
    locale's list separator (a semicolon, where the comma is the decimal mark)."""
    header = text.lstrip("\ufeff").partition("\n")[0]
    if "," in header:
        return
    found = max(OTHER_DELIMITERS, key=header.count)
    if header.count(found):
        raise TableRefused(
            f"The columns are separated by {OTHER_DELIMITERS[found]}, not commas: save the table as "
            "CSV with commas (and a point as the decimal mark), or upload an XLSX."
        )


def _csv_problem(text: str, error: Exception) -> str:
    """What was wrong, for errors that carry no message: the first row whose number of cells
    differs from the header's."""
    try:
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        for row in reader:
            if row and len(row) != len(header):
                return (
                    f"line {reader.line_num} has {len(row)} cells, the header {len(header)} "
                    "(a comma inside a cell needs quotes around the cell)"
                )
    except csv.Error as csv_error:
        return str(csv_error)
    return str(error) or type(error).__name__


def _load_xlsx(data: bytes) -> tablib.Dataset:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise TableRefused("The file is not a valid XLSX workbook.") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TableRefused(
            f"The workbook unpacks to {unpacked:,} bytes; the limit is {MAX_XLSX_UNPACKED_BYTES:,}."
        )
    _refuse_formulas(data)
    try:
        return tablib.Dataset().load(data, format="xlsx")
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken workbook
        raise TableRefused(f"The workbook could not be read: {_workbook_problem(error)}") from None


def _workbook_problem(error: Exception) -> str:
    if type(error).__name__ == "InvalidDimensions":
        return "its rows have different numbers of cells than its header row"
    return str(error) or type(error).__name__


def _refuse_formulas(data: bytes) -> None:
    """Formulas are refused, not evaluated: the value a spreadsheet last cached for a formula
    is not a price anyone typed, and a formula may be an attack on whoever opens the file next."""
    from openpyxl import load_workbook  # only an XLSX upload needs it

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).active
        _check_size(sheet.max_row or 0, sheet.max_column or 0)  # as the workbook declares it
        cells = 0
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_TABLE_ROWS + 1:
                raise TableRefused(f"The table has more than {MAX_TABLE_ROWS:,} rows; split it.")
            cells += len(row)
            if cells > MAX_TABLE_CELLS:  # a workbook that declared less than it holds, or nothing
                raise _too_many_cells(f"more than {MAX_TABLE_CELLS:,} cells")
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    raise TableRefused(
                        f"Cell {cell.coordinate} holds a formula; formulas are never run. "
                        "Paste the values only."
                    )
    except TableRefused:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken workbook
        raise TableRefused(f"The workbook could not be read: {error}") from None


def _check_size(rows: int, columns: int) -> None:
    if rows > MAX_TABLE_ROWS + 1:
        raise TableRefused(f"The table has more than {MAX_TABLE_ROWS:,} rows; split it.")
    if rows * columns > MAX_TABLE_CELLS:
        raise _too_many_cells(f"{rows:,} rows of {columns:,} columns, {rows * columns:,} cells")


def _too_many_cells(found: str) -> TableRefused:
    return TableRefused(
        f"The workbook has {found}; the limit is {MAX_TABLE_CELLS:,} cells ({MAX_TABLE_ROWS:,} rows "
        f"of the {len(COLUMNS)} columns). Remove the extra columns or split the table."
    )


def _rows(dataset: tablib.Dataset) -> list[TableRow]:
    headers = [_text(header).strip().lower() for header in (dataset.headers or [])]
    _check_headers(headers)
    if dataset.height > MAX_TABLE_ROWS:
        raise TableRefused(f"The table has {dataset.height:,} rows; the limit is {MAX_TABLE_ROWS:,}.")
    rows = []
    for index, values in enumerate(dataset, start=2):
        cells = {header: _cell(value, index, header) for header, value in zip(headers, values, strict=False)}
        if any(cells.values()):  # blank lines are no rows
            rows.append(TableRow(index, cells))
    if not rows:
        raise TableRefused("The table has a header but no rows.")
    return rows


def _check_headers(headers: list[str]) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    if missing:
        raise TableRefused(
            f"Missing column(s): {', '.join(missing)}. Start from an export: its first row names the columns."
        )
    unknown = [name for name in headers if name not in COLUMNS]
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise TableRefused(f"Unknown column(s): {shown}. The columns are: {', '.join(COLUMNS)}.")
    repeated = sorted({name for name in headers if headers.count(name) > 1})
    if repeated:
        raise TableRefused(f"Column(s) named twice: {', '.join(repeated)}.")


def _cell(value: object, line: int, column: str) -> str:
    text = _text(value).strip()
    if len(text) > MAX_CELL_CHARS:
        raise TableRefused(
            f"Row {line}, column {column}: a cell of {len(text):,} characters (the limit is "
            f"{MAX_CELL_CHARS})."
        )
    if "\x00" in text:
        raise TableRefused(f"Row {line}, column {column}: a NUL character.")
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def _text(value: object) -> str:
    """A cell as text; spreadsheet numbers keep the digits they show (``repr`` of a float is the
    shortest text that reads back as the same number: 0.4 stays "0.4")."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_rates(cells: dict[str, str]) -> tuple[Rates | None, list[Problem]]:
    """The rates of one row, or every problem with it, each named by its column."""
    problems: list[Problem] = []
    values = {name: _amount(cells.get(name, ""), name, problems) for name in RATE_FIELDS}
    tiers = tuple(tier for slot in range(1, TIER_SLOTS + 1) if (tier := _tier(cells, slot, problems)))
    if problems:
        return None, problems
    for name in ("input_usd_per_mtok", "output_usd_per_mtok"):
        if values[name] is None:
            problems.append(Problem(name, "is required"))
    if problems:
        return None, problems
    rates = Rates(**values, tiers=tiers)  # type: ignore[arg-type]
    problems = [Problem(_column(p.field), p.message) for p in price_problems(rates)]
    return (None, problems) if problems else (rates, [])


def _tier(cells: dict[str, str], slot: int, problems: list[Problem]) -> TierRates | None:
    prefix = f"tier{slot}_"
    if not any(cells.get(prefix + name) for name in ("threshold_tokens", *TIER_RATE_FIELDS)):
        return None
    threshold = cells.get(prefix + "threshold_tokens", "")
    if not threshold.isdigit() or int(threshold) <= 0 or len(threshold) > 10:
        problems.append(Problem(prefix + "threshold_tokens", "must be a positive whole number of tokens"))
    values = {
        name: _amount(cells.get(prefix + name, ""), prefix + name, problems) for name in TIER_RATE_FIELDS
    }
    for name in ("input_usd_per_mtok", "output_usd_per_mtok"):
        if values[name] is None:
            problems.append(Problem(prefix + name, "is required when this tier is used"))
    if problems:
        return None
    return TierRates(threshold_tokens=int(threshold), **values)  # type: ignore[arg-type]


def _amount(text: str, column: str, problems: list[Problem]) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(Problem(column, f"must be a decimal amount like 0.40, got {text[:40]!r}"))
        return None
    if not value.is_finite():
        problems.append(Problem(column, f"must be a finite amount, got {text[:40]!r}"))
        return None
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        problems.append(Problem(column, f"has more than {MAX_DECIMAL_PLACES} decimal places"))
        return None
    if value.adjusted() >= MAX_DIGITS - MAX_DECIMAL_PLACES:
        problems.append(Problem(column, f"{text[:40]} is too large"))
        return None
    return value


def _column(problem_field: str) -> str:
    """A validation field (``tiers[0].input_usd_per_mtok``) as a table column (``tier1_input...``)."""
    if problem_field.startswith("tiers["):
        index, name = problem_field[len("tiers[") :].split("].", 1)
        return f"tier{int(index) + 1}_{name}"
    return problem_field


def rate_cells(rates: Rates) -> dict[str, str]:
    """The rate and tier columns of one model's row, money as exact decimal strings."""
    cells = {name: money(getattr(rates, name)) or "" for name in RATE_FIELDS}
    for slot, tier in enumerate(rates.tiers[:TIER_SLOTS], start=1):
        cells[f"tier{slot}_threshold_tokens"] = str(tier.threshold_tokens)
        cells.update({f"tier{slot}_{name}": money(getattr(tier, name)) or "" for name in TIER_RATE_FIELDS})
    return cells


def write_table(rows: Iterable[dict[str, str]], *, file_format: str) -> bytes:
    """An export in ``csv`` (UTF-8 with a byte-order mark, so spreadsheets read it as UTF-8) or
    ``xlsx``; text that a spreadsheet would run as a formula is written as plain text."""
    dataset = tablib.Dataset(headers=list(COLUMNS), title="prices")
    for row in rows:
        dataset.append([_escape(row.get(column, "")) for column in COLUMNS])
    if file_format == "xlsx":
        workbook: bytes = dataset.export("xlsx")
        return workbook
    text: str = dataset.export("csv")
    return ("\ufeff" + text).encode("utf-8")


def _escape(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
