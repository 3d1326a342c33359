"""Usage files read into the bill's usage, one record a row. Pure: no Django.

``read_generic_csv`` reads the generic CSV; every format yields ``UsageRecord`` and refuses a
bad file with ``UsageFileError`` naming the row and the column.
"""

from usage.formats.errors import UsageFileError
from usage.formats.generic import COLUMNS, read_generic_csv, read_json_rows
from usage.formats.record import UsageRecord

__all__ = ["COLUMNS", "UsageFileError", "UsageRecord", "read_generic_csv", "read_json_rows"]
