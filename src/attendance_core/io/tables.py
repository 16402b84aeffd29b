"""A school's export as a table of text cells: a CSV file or the sheet of a spreadsheet.

Every MIS exports to CSV or to Excel, in layouts of its own; the layout readers
(:mod:`attendance_core.io.layouts`, :mod:`attendance_core.io.pupils`) work on a :class:`Table`
whatever the file was, and name a bad cell by line (CSV) or by sheet and cell (``.xlsx``).

Spreadsheets are read with ``openpyxl`` (the optional extra ``attendance_core[xlsx]``), values
only: a formula cell gives the value Excel cached when the file was saved, and a formula with no
cached value is an error rather than a guess. Dates typed as dates come out as ISO text, so the
readers see one kind of cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Sequence

import attrs

from attendance_core.exceptions import InputError
from attendance_core.io.output import spreadsheet_value
from attendance_core.limits import MAX_CSV_BYTES, MAX_LINE_BYTES, read_limited

__all__ = ["SPREADSHEET_SUFFIXES", "Table", "column_letter", "read_table"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
"""File names ending so are read as spreadsheets; anything else as CSV."""
MAX_CELL = 1_000
"""The longest cell text read (a register cell is a code, a date or a name)."""


@attrs.frozen
class Table:
    """A header and rows of text cells, each row with the line (or sheet row) it came from."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sheet: str | None = None
    """The sheet the table was read from, for a spreadsheet."""

    @property
    def where(self) -> str:
        """The file (and sheet) as messages name it."""
        return self.file if self.sheet is None else f"{self.file} (sheet {self.sheet!r})"

    def field(self, column: int) -> str:
        """A column as messages name it: its header, and for a spreadsheet its letter."""
        name = self.header[column] if column < len(self.header) else f"column {column + 1}"
        return name if self.sheet is None else f"{name} (column {column_letter(column)})"

    def error(
        self, reason: str, line: int | None, column: int | None, value: object, expected: str
    ) -> InputError:
        """An :class:`InputError` at a cell (``column=None``: the whole line)."""
        field = None if column is None else self.field(column)
        return InputError(
            reason, file=self.where, line=line, field=field, value=value, expected=expected
        )


def column_letter(column: int) -> str:
    """A spreadsheet column's letters: 0 -> ``A``, 25 -> ``Z``, 26 -> ``AA``."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    """The table in a CSV file, or in a spreadsheet's first sheet (or the sheet named).

    Blank rows are skipped; cells are text with surrounding whitespace kept (the readers decide
    what to strip). Raises :class:`InputError` for an unreadable or empty file, text that is not
    UTF-8, malformed CSV, a sheet that is not there, a formula with no cached value, and a cell
    longer than :data:`MAX_CELL` characters.
    """
    file = os.fspath(path)
    if file.lower().endswith(SPREADSHEET_SUFFIXES):
        return _read_sheet(file, sheet)
    if sheet is not None:
        raise InputError(
            "a sheet was named for a file that is not a spreadsheet",
            file=file,
            field="--sheet",
            value=sheet,
            expected="a .xlsx file",
        )
    return _read_csv(file)


def _read_bytes(file: str, *, text: bool) -> bytes:
    """The file's bytes within the size limit, and for text its line length limit (a
    spreadsheet's bytes have no lines)."""
    return read_limited(
        file, max_bytes=MAX_CSV_BYTES, max_line=MAX_LINE_BYTES if text else MAX_CSV_BYTES
    )


def _read_csv(file: str) -> Table:
    try:
        text = _read_bytes(file, text=True).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=file, expected="UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, tuple[str, ...]]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, tuple(spreadsheet_value(c) for c in row)))
    except csv.Error as error:
        raise InputError(
            "not valid CSV",
            file=file,
            line=reader.line_num,
            value=str(error),
            expected="comma-separated fields, quoted with double quotes",
        ) from None
    return _table(file, None, rows)


def _table(file: str, sheet: str | None, rows: Sequence[tuple[int, tuple[str, ...]]]) -> Table:
    if not rows:
        where = file if sheet is None else f"{file} (sheet {sheet!r})"
        raise InputError("empty file", file=where, line=1, expected="a header line")
    (_, header), *body = rows
    table = Table(file, tuple(cell.strip() for cell in header), tuple(body), sheet)
    for line, row in rows:
        for column, cell in enumerate(row):
            if len(cell) > MAX_CELL:
                raise table.error(
                    "cell too long",
                    line,
                    column,
                    f"{len(cell)} characters",
                    f"at most {MAX_CELL} characters",
                )
    return table


def _read_sheet(file: str, sheet: str | None) -> Table:
    try:
        import openpyxl
    except ImportError:
        raise InputError(
            "reading a spreadsheet needs openpyxl",
            file=file,
            expected="pip install 'attendance_core[xlsx]', or the sheet saved as CSV",
        ) from None
    data = _read_bytes(file, text=False)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise InputError(
            "not a readable .xlsx spreadsheet",
            file=file,
            value=type(error).__name__,
            expected="an Excel workbook (.xlsx)",
        ) from None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise InputError(
                "no such sheet",
                file=file,
                field="--sheet",
                value=sheet,
                expected="one of " + ", ".join(map(repr, names)),
            )
        name = sheet if sheet is not None else names[0]
        formulas = _formula_cells(data, name)
        rows: list[tuple[int, tuple[str, ...]]] = []
        for number, values in enumerate(book[name].iter_rows(values_only=True), start=1):
            for column, value in enumerate(values):
                if value is None and (number, column) in formulas:
                    raise InputError(
                        "a formula with no cached value",
                        file=f"{file} (sheet {name!r})",
                        line=number,
                        field=f"column {column_letter(column)}",
                        expected="the workbook saved by Excel (which stores each formula's "
                        "value), or values instead of formulas",
                    )
            cells = tuple(_cell_text(v) for v in values)
            if not any(c.strip() for c in cells):
                continue
            rows.append((number, cells))
    finally:
        book.close()
    return _table(file, name, rows)


def _formula_cells(data: bytes, sheet: str) -> set[tuple[int, int]]:
    """The (row, column) of each formula cell of ``sheet``: a second, formula-keeping read, only
    for telling a formula without a cached value from an empty cell."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return {
            (number, column)
            for number, values in enumerate(book[sheet].iter_rows(values_only=True), start=1)
            for column, value in enumerate(values)
            if isinstance(value, str) and value.startswith("=")
        }
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A spreadsheet value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
