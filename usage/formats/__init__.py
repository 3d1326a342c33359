"""Usage files read into the bill's usage, one record a row. Pure: no Django.

``read_generic_csv`` reads the generic CSV; every format yields ``UsageRecord`` and refuses a
bad file with ``UsageFileError`` naming the row and the column.
"""

from usage.formats.errors import UsageFileError
from usage.formats.generic import COLUMNS, read_generic_csv, read_json_rows
from usage.formats.record import UsageRecord
from usage.formats.vendors import VENDOR_FORMATS, Reader

GENERIC = "generic"
# Every file format an upload may name, the generic CSV first.
FORMATS: dict[str, Reader] = {GENERIC: read_generic_csv, **VENDOR_FORMATS}

__all__ = [
    "COLUMNS",
    "FORMATS",
    "GENERIC",
    "UsageFileError",
    "UsageRecord",
    "read_generic_csv",
    "read_json_rows",
]
