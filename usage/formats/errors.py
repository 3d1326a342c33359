"""The one refusal of a usage file. Pure: no Django."""

from __future__ import annotations


class UsageFileError(ValueError):
    """A file that cannot be imported, with the row (as a spreadsheet numbers it: the header is
    row 1) and the column at fault when there is one."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        where = ""
        if row is not None:
            where = f"Row {row}" + (f", column {column}" if column else "") + ": "
        super().__init__(where + message)
        self.message = where + message
        self.row = row
        self.column = column
