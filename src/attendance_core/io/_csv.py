"""Small CSV files with a header (enrolments, penalty notices): one reader, one set of messages.

Every problem is an :class:`InputError` naming the file and, where there is one, the line and
column: an unreadable or undecodable file, malformed CSV, an empty file, an unknown, repeated
or missing column, and a line with the wrong number of fields. Blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence

from attendance_core.exceptions import InputError
from attendance_core.io.output import spreadsheet_value
from attendance_core.limits import MAX_CSV_BYTES, read_limited

__all__ = ["read_records"]


def read_records(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str],
    required: Sequence[str],
    expected: str,
) -> Iterator[tuple[str, int, dict[str, str]]]:
    """Each non-blank line after the header as ``(file, line, {column: cell})``.

    ``columns`` are the only names the header may hold, each once; ``required`` must be among
    them; ``expected`` describes the header in messages (e.g. ``"a header line a,b[,c]"``).
    The line is the one the record ends on, so a quoted line break does not shift later lines.
    """
    file = os.fspath(path)
    rows = _rows(_text(file), file)
    names = _header(next(rows, (1, None))[1], file, columns, required, expected)
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            raise InputError(
                "wrong number of fields",
                file=file,
                line=line,
                value=len(row),
                expected=f"{len(names)} fields as in the header",
            )
        yield file, line, dict(zip(names, row, strict=True))


def _text(file: str) -> str:
    data = read_limited(file, max_bytes=MAX_CSV_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError("not UTF-8 text", file=file, line=line, expected="UTF-8 text") from None


def _rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it ends on; malformed CSV is an :class:`InputError`."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            # A cell a writer of ours neutralised against formula injection reads back as
            # the value it was (docs/security.md).
            yield reader.line_num, [spreadsheet_value(cell) for cell in row]
    except csv.Error as error:
        raise InputError(
            "not valid CSV",
            file=file,
            line=reader.line_num,
            value=str(error),
            expected="comma-separated fields, quoted with double quotes",
        ) from None


def _header(
    header: list[str] | None,
    file: str,
    columns: Sequence[str],
    required: Sequence[str],
    expected: str,
) -> list[str]:
    """The column names of the header line, each known, once, and the required ones present."""
    if header is None:
        raise InputError("empty file", file=file, line=1, expected=expected)
    names = [name.strip() for name in header]
    for name in names:
        if name not in columns:
            raise InputError(
                "unknown column", file=file, line=1, field=name, expected=f"columns of {expected}"
            )
        if names.count(name) > 1:
            raise InputError("repeated column", file=file, line=1, field=name, expected=expected)
    for name in required:
        if name not in names:
            raise InputError("missing column", file=file, line=1, field=name, expected=expected)
    return names
