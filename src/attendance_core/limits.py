"""Limits on every input, and the guards that enforce them before anything is built.

Each reader (CSV, TOML, and those still to come: spreadsheets, XML) reads through these guards,
so a hostile or broken file gets one clear :class:`~attendance_core.exceptions.InputError`
instead of a hang, a ``MemoryError`` or a traceback. ``docs/security.md`` lists the limits and
what each input is checked for; change them here and there together.

- :func:`read_limited` reads a file in chunks and stops at :data:`MAX_LINE_BYTES` without a
  line break or past the file's size limit (so ``/dev/zero`` ends after one chunk).
- :func:`read_toml` parses TOML within :data:`MAX_TOML_BYTES`, :data:`MAX_DEPTH` levels of
  nesting and numbers of at most :data:`MAX_NUMBER_CHARS` characters and
  :data:`MAX_DECIMAL_EXPONENT` decimal places either way.
- :func:`check_date` and :func:`check_academic_year` keep dates between
  :data:`EARLIEST_DATE` and :data:`LATEST_DATE`, so no date arithmetic leaves Python's range.
- :func:`shorten` cuts any value quoted in a message to :data:`MAX_VALUE_CHARS` characters.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from attendance_core.exceptions import MAX_VALUE_CHARS, InputError, _shorten

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "DATE_RANGE",
    "EARLIEST_DATE",
    "LATEST_DATE",
    "MAX_CSV_BYTES",
    "MAX_DECIMAL_EXPONENT",
    "MAX_DEPTH",
    "MAX_INTEGER",
    "MAX_LINE_BYTES",
    "MAX_NUMBER_CHARS",
    "MAX_REGISTER_CELLS",
    "MAX_SESSIONS_IN_YEAR",
    "MAX_TOML_BYTES",
    "MAX_VALUE_CHARS",
    "check_academic_year",
    "check_date",
    "check_minimum_sessions",
    "check_nesting",
    "check_whole_number",
    "read_limited",
    "read_toml",
    "shorten",
    "toml_problem",
]

MAX_CSV_BYTES = 1 << 30
"""1 GiB: a CSV file (marks, enrolments, notices) larger than this is refused. A school's
year of marks is about 15 MB; a whole local authority's about 1 GB."""
MAX_TOML_BYTES = 1 << 20
"""1 MiB: a policy or calendar file larger than this is refused (real ones are a few KB)."""
MAX_LINE_BYTES = 1 << 16
"""64 KiB: a line (between line breaks, ``\\n`` or ``\\r``) longer than this is refused."""
MAX_DEPTH = 16
"""Levels of nested tables and arrays a TOML file may have (the formats need at most 4)."""
MAX_NUMBER_CHARS = 64
"""Characters a number in TOML may have, so no number costs more to build than to read."""
MAX_DECIMAL_EXPONENT = 64
"""A TOML decimal's exponent must lie within this either way (``1e999999999`` is refused)."""
MAX_INTEGER = 2**63 - 1
"""No integer in a TOML file may be larger than this in size (each key has its own range too)."""
MAX_REGISTER_CELLS = 50_000_000
"""Pupils times sessions a register read from a file may hold (one byte each): a local
authority's 100,000 pupils over a year are 38 million."""
EARLIEST_DATE = dt.date(1900, 8, 1)
"""The first date any input may hold: the start of academic year 1900/01."""
LATEST_DATE = dt.date(2199, 7, 31)
"""The last date any input may hold: the end of academic year 2198/99. Whole academic years
fit between the two, so every computation on them (a year's end, a look-ahead to 31 July)
stays within Python's dates."""

_CHUNK = MAX_LINE_BYTES
"""Read this much at a time: no line can then hide inside a chunk (see :func:`read_limited`)."""
DATE_RANGE = f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
"""The accepted dates, as messages show them."""


def shorten(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    """``repr(value)`` (text as is), cut to ``limit`` characters with ``…`` and the full length."""
    return _shorten(value if isinstance(value, str) else repr(value), limit)


def read_limited(
    path: str | os.PathLike[str], *, max_bytes: int, max_line: int = MAX_LINE_BYTES
) -> bytes:
    """The bytes of ``path``, refused with an :class:`InputError` past ``max_bytes`` or with a
    line longer than ``max_line``, having read at most one chunk more than the limit.

    Works on anything that can be opened: a FIFO or a device is read until it ends or a limit
    is met. Chunks are no longer than ``max_line``, so a line longer than that must cross a
    chunk boundary: only the bytes before a chunk's first line break and after its last are
    counted, two ``find`` calls per chunk.
    """
    file = os.fspath(path)
    chunks: list[bytes] = []
    size = 0
    since_break = 0  # bytes since the last line break
    line = 1
    try:
        with open(file, "rb") as handle:
            while chunk := handle.read(min(_CHUNK, max_line)):
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(
                        "file too large",
                        file=file,
                        expected=f"at most {max_bytes:,} bytes (see docs/security.md)",
                    )
                first = _first_break(chunk)
                if first < 0:
                    since_break += len(chunk)
                else:
                    since_break += first
                if since_break > max_line:
                    raise InputError(
                        "line too long",
                        file=file,
                        line=line + sum(c.count(b"\n") for c in chunks),
                        expected=f"lines of at most {max_line:,} bytes (see docs/security.md)",
                    )
                if first >= 0:
                    since_break = len(chunk) - 1 - max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
                chunks.append(chunk)
    except OSError as error:
        raise InputError(
            "cannot read file", file=file, value=error.strerror, expected="a readable file"
        ) from None
    return b"".join(chunks)


def _first_break(chunk: bytes) -> int:
    newline, carriage = chunk.find(b"\n"), chunk.find(b"\r")
    if newline < 0 or carriage < 0:
        return max(newline, carriage)
    return min(newline, carriage)


def check_date(day: dt.date, field: str = "date") -> dt.date:
    """``day``, if it lies between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InputError(
            "date out of range", field=field, value=day.isoformat(), expected=f"a date {DATE_RANGE}"
        )
    return day


def check_academic_year(year: int, field: str = "academic_year") -> int:
    """``year`` (an academic year by the year it starts), if its whole year is in range."""
    first, last = EARLIEST_DATE.year, LATEST_DATE.year - 1
    if isinstance(year, bool) or not isinstance(year, int) or not first <= year <= last:
        raise InputError(
            "academic year out of range",
            field=field,
            value=year,
            expected=f"a year from {first} to {last}",
        )
    return year


MAX_SESSIONS_IN_YEAR = 2 * 366
"""Sessions an academic year can have at most: two a day, every day of a leap year."""


def check_minimum_sessions(value: int, field: str = "minimum_sessions") -> int:
    """A year's minimum number of sessions: from 0 to :data:`MAX_SESSIONS_IN_YEAR`."""
    return check_whole_number(value, field, maximum=MAX_SESSIONS_IN_YEAR)


def check_whole_number(
    value: int, field: str, *, minimum: int = 0, maximum: int = MAX_INTEGER
) -> int:
    """``value``, if it is an ``int`` (not a bool) from ``minimum`` to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise InputError(
            "number out of range",
            field=field,
            value=shorten(value),
            expected=f"a whole number from {minimum:,} to {maximum:,}",
        )
    return value


class _NumberTooLarge(Exception):
    """A TOML decimal outside :data:`MAX_NUMBER_CHARS` or :data:`MAX_DECIMAL_EXPONENT`."""


def _decimal(text: str) -> Decimal:
    """A TOML float as an exact :class:`Decimal`, refusing one whose size would cost to build."""
    if len(text) > MAX_NUMBER_CHARS:
        raise _NumberTooLarge(text)
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - tomllib passes only valid float text
        raise _NumberTooLarge(text) from None
    if value.is_finite() and value and abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise _NumberTooLarge(text)
    return value


def read_toml(
    path: str | os.PathLike[str], *, parse_float: Callable[[str], Any] | None = None
) -> dict[str, Any]:
    """A TOML file as plain data, within the size, depth and number limits; floats become
    exact :class:`Decimal` values unless ``parse_float`` says otherwise (it sees only numbers
    already within the limits).

    :raises InputError: naming the file (and where it can, the line and the key path as
        ``field``) for an unreadable, oversized, undecodable or invalid file, nesting deeper
        than :data:`MAX_DEPTH`, or a number too long or too large.
    """
    file = os.fspath(path)
    data = read_limited(file, max_bytes=MAX_TOML_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            "not UTF-8 text",
            file=file,
            line=data.count(b"\n", 0, error.start) + 1,
            expected="UTF-8 text (TOML files are UTF-8)",
        ) from None

    def floats(text: str) -> Any:
        value = _decimal(text)
        return value if parse_float is None else parse_float(text)

    try:
        parsed = tomllib.loads(text, parse_float=floats)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", file=file) from None
    except _NumberTooLarge as error:
        raise InputError(
            "number too long or too large",
            file=file,
            value=shorten(str(error)),
            expected=f"at most {MAX_NUMBER_CHARS} characters and an exponent within "
            f"±{MAX_DECIMAL_EXPONENT}",
        ) from None
    except ValueError:  # an integer past Python's int-from-text digit limit
        raise InputError(
            "number too long",
            file=file,
            expected=f"numbers of at most {MAX_NUMBER_CHARS} characters",
        ) from None
    except RecursionError:
        raise InputError(
            "nested too deeply", file=file, expected=f"at most {MAX_DEPTH} levels of nesting"
        ) from None
    check_nesting(parsed, file=file)
    return parsed


class _Problem(Protocol):
    def __init__(self, path: str, message: str, file: str | None = None) -> None: ...


P = TypeVar("P", bound=_Problem)


def toml_problem(kind: type[P], error: InputError, file: str | None) -> P:
    """A :func:`read_toml` or :func:`check_nesting` error as one problem of a policy or a
    calendar (``kind``), at the key path it names or at ``$``."""
    path = error.field if error.field and error.field.startswith("$") else "$"
    message = error.reason if error.line is None else f"line {error.line}: {error.reason}"
    if error.value is not None:
        message += f" (got {shorten(error.value)})"
    if error.expected is not None:
        message += f"; expected {error.expected}"
    return kind(path, message, file=file)


def check_nesting(data: Mapping[str, Any], *, file: str | None = None) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and integers beyond :data:`MAX_INTEGER`,
    walking ``data`` without recursion (so a deep structure cannot exhaust the stack)."""
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, Mapping):
            children = [(v, f"{path}.{shorten(str(k), 20)}") for k, v in value.items()]
        elif isinstance(value, list):
            children = [(v, f"{path}[{i}]") for i, v in enumerate(value)]
        else:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
                raise InputError(
                    "number too large",
                    file=file,
                    field=path,
                    expected=f"a whole number of at most {MAX_INTEGER:,} in size",
                )
            continue
        if depth >= MAX_DEPTH and children:
            raise InputError(
                "nested too deeply",
                file=file,
                field=path,
                expected=f"at most {MAX_DEPTH} levels of nesting",
            )
        stack.extend((child, where, depth + 1) for child, where in children)
