"""Marks CSV: one mark per line, ``pupil_id,date,session,code`` and optional ``minutes_late``.

The format every MIS can export and every spreadsheet can open. A header line is required;
columns may come in any order. Dates are ISO (``2025-09-08``), sessions ``AM`` or ``PM``, codes
as the register shows them (statutory codes, or local and vendor codes through ``resolve``).
Surrounding whitespace is ignored in dates, sessions, codes and minutes; pupil ids are taken
exactly. Blank lines are skipped. Minutes late of 0 mean none were recorded.

Each code is read with the statutory set in force on the mark's date unless ``code_set`` forces
one, and kept as written: :func:`write_marks_csv` writes back the codes, minutes late, pupils
and sessions that were read. A file already in canonical form (pupils in order of first
appearance, each pupil's sessions in order, ``pupil_id,date,session,code`` columns plus
``minutes_late`` when any mark has minutes, ``\\n`` line ends, no byte order mark) is written
back byte for byte; any other good file is written back as an equal register. A pupil id a
spreadsheet would run as a formula is written with a leading ``'`` and read back without it
(:func:`attendance_core.io.output.spreadsheet_safe`).

Reading is built for whole schools: a file whose lines are grouped by pupil (as MIS exports
are) is read block by block with C-level string operations, parsing each distinct
``date,session,code`` text once; anything else (and every error) takes the line-by-line
path, which names the file, line, field and value of the first bad input.
"""

from __future__ import annotations

import array
import csv
import datetime as dt
import io
import operator
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Protocol, TypeAlias

from attendance_core.codes import CodeSetLike
from attendance_core.exceptions import AttendanceError, InputError, UnknownCodeError
from attendance_core.io.output import spreadsheet_safe, spreadsheet_value
from attendance_core.limits import MAX_CSV_BYTES, MAX_REGISTER_CELLS, read_limited
from attendance_core.model import Part, Session, check_minutes_late, parse_date, parse_part
from attendance_core.register import NO_MARK, CodeAlphabet, Register, ResolveCode

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "format_marks_csv", "read_marks_csv", "write_marks_csv"]

COLUMNS = ("pupil_id", "date", "session", "code")
"""Required columns, in the order :func:`write_marks_csv` writes them."""
OPTIONAL_COLUMNS = ("minutes_late",)
"""Columns a file may have; written only when some mark has minutes late."""

_BIG_ENDIAN = sys.byteorder == "big"
_STRIDE = array.array("I").itemsize
"""Bytes per ``array("I")`` item (4 on every common platform; C guarantees at least 2)."""
_PARTS = {part.value: part for part in Part}
_EXPECTED_HEADER = "a header line pupil_id,date,session,code (and optionally minutes_late)"


_Header: TypeAlias = "tuple[int, int, int, int, int | None, int]"
"""Positions of pupil_id, date, session, code and minutes_late (or None), and the field count."""


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def read_marks_csv(
    path: str | os.PathLike[str],
    *,
    code_set: CodeSetLike | None = None,
    resolve: ResolveCode | None = None,
) -> Register:
    """Read a marks CSV file into a :class:`~attendance_core.register.Register`.

    ``code_set`` forces one code set for every mark (default: the set in force on each mark's
    date). ``resolve(code, code_set)`` maps local or vendor codes to statutory ones, e.g.
    a :class:`~attendance_core.School`'s ``resolve``.

    :raises InputError: for any bad input, naming the file, line, field, value and what was
        expected: undecodable bytes, an empty file or one with no marks after its header, a
        missing, unexpected or repeated column, a wrong number of fields, an empty pupil id, a
        bad date or session, an unknown code (with the nearest valid codes), bad minutes late
        or minutes late on a code that is not late, and two marks for the same pupil and
        session.
    """
    file = os.fspath(path)
    data = read_limited(file, max_bytes=MAX_CSV_BYTES)
    register = _Reader(file, code_set, resolve).read(_decode(data, file))
    if not register.sessions:  # a header alone: nothing to summarise or check
        raise InputError("no marks", file=file, line=2, expected="at least one mark")
    return register


def format_marks_csv(register: Register) -> str:
    """The register as marks CSV text in canonical form (see the module docstring)."""
    columns = [f"{s.date.isoformat()},{s.part.value}" for s in register.sessions]
    codes = ["", *(_quote(register.written_code(k)) for k in range(1, len(register.alphabet) + 1))]
    minutes = register.minutes_late
    with_minutes = any(minutes.values())
    lines = [",".join(COLUMNS + OPTIONAL_COLUMNS if with_minutes else COLUMNS)]
    for index, (pupil_id, row) in enumerate(zip(register.pupil_ids, register.rows, strict=True)):
        prefix = _quote(spreadsheet_safe(pupil_id)) + ","
        if with_minutes:
            lines.extend(
                f"{prefix}{columns[col]},{codes[value]},{minutes.get((index, col)) or ''}"
                for col, value in enumerate(row)
                if value != NO_MARK
            )
        else:
            lines.extend(
                prefix + columns[col] + "," + codes[value]
                for col, value in enumerate(row)
                if value != NO_MARK
            )
    return "\n".join(lines) + "\n"


def write_marks_csv(register: Register, path_or_stream: str | os.PathLike[str] | _Writable) -> None:
    """Write the register as marks CSV (canonical form) to a path or a text stream."""
    text = format_marks_csv(register)
    if isinstance(path_or_stream, (str, os.PathLike)):
        with open(path_or_stream, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        path_or_stream.write(text)


def _quote(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            "not UTF-8 text",
            file=file,
            line=data.count(b"\n", 0, error.start) + 1,
            value=data[error.start : error.end],
            expected="UTF-8 text, with or without a byte order mark",
        ) from None


class _Fallback(Exception):
    """The fast path met something unusual: read the file line by line instead."""


class _Reader:
    """One read of one file, with caches so each distinct text is parsed once."""

    def __init__(
        self, file: str, code_set: CodeSetLike | None, resolve: ResolveCode | None
    ) -> None:
        self.file = file
        self.codes = CodeAlphabet(code_set=code_set, resolve=resolve)
        self.alphabet = self.codes.codes
        self.dates: dict[str, dt.date] = {}
        self.sessions: dict[tuple[str, str], Session] = {}

    # -- parsing one field ------------------------------------------------------------------
    def session(self, raw_date: str, raw_part: str) -> Session:
        key = (raw_date, raw_part)
        found = self.sessions.get(key)
        if found is None:
            day = self.dates.get(raw_date)
            if day is None:
                day = self.dates[raw_date] = parse_date(raw_date)
            part: Part = _PARTS.get(raw_part) or parse_part(raw_part)
            found = self.sessions[key] = Session(day, part)
        return found

    def code_value(self, raw: str, day: dt.date) -> int:
        try:
            return self.codes.value(raw, day)
        except UnknownCodeError as error:
            nearest = " or ".join(map(repr, error.suggestions))
            raise InputError(
                f"unknown attendance code in code set {error.code_set!r}",
                field="code",
                value=raw,
                expected=f"a code of {error.code_set!r}" + (f", e.g. {nearest}" if nearest else ""),
            ) from None

    def minutes(self, raw: str, value: int) -> int:
        text = raw.strip()
        if not text:
            return 0
        if not (text.isascii() and text.isdigit()):
            raise InputError(
                "not a number of minutes",
                field="minutes_late",
                value=raw,
                expected="a whole number of minutes (0 or more), or nothing",
            )
        minutes = int(text)
        if minutes:
            check_minutes_late(self.alphabet[value - 1], minutes)
        return minutes

    # -- the whole file ---------------------------------------------------------------------
    def read(self, text: str) -> Register:
        if not text or text.isspace():
            raise InputError("empty file", file=self.file, line=1, expected=_EXPECTED_HEADER)
        end_of_header = text.find("\n")
        header = self.header((text if end_of_header < 0 else text[:end_of_header]).rstrip("\r"))
        lines = text.replace("\r\n", "\n") if "\r" in text else text
        if header[0] == 0 and end_of_header >= 0 and '"' not in lines and "\r" not in lines:
            try:
                return self.read_grouped(lines, lines.find("\n"), header)
            except _Fallback:
                pass
        fresh = _Reader(self.file, self.codes.forced, self.codes.resolve)  # codes in file order
        return fresh.read_lines(text, header)

    def header(self, line: str) -> _Header:
        """Positions of pupil_id, date, session, code and minutes_late, and the field count."""
        try:
            names = [name.strip() for name in next(csv.reader([line], strict=True))]
        except (csv.Error, StopIteration):
            names = []
        known = COLUMNS + OPTIONAL_COLUMNS
        for name in names:
            if name not in known:
                raise InputError(
                    "unexpected column",
                    file=self.file,
                    line=1,
                    field=name,
                    value=name,
                    expected="only the columns " + ", ".join(known),
                )
            if names.count(name) > 1:
                raise InputError(
                    "column appears twice",
                    file=self.file,
                    line=1,
                    field=name,
                    value=line,
                    expected="each column once",
                )
        for name in COLUMNS:
            if name not in names:
                raise InputError(
                    "missing column",
                    file=self.file,
                    line=1,
                    field=name,
                    value=line,
                    expected=_EXPECTED_HEADER,
                )
        minutes = names.index("minutes_late") if "minutes_late" in names else None
        pupil, date, part, code = (names.index(name) for name in COLUMNS)
        return pupil, date, part, code, minutes, len(names)

    def register(
        self,
        sessions: Sequence[Session],
        pupil_ids: Sequence[str],
        rows: Sequence[bytes],
        minutes: dict[tuple[int, int], int],
    ) -> Register:
        return Register(
            tuple(sessions),
            tuple(map(spreadsheet_value, pupil_ids)),  # as written by format_marks_csv
            tuple(self.alphabet),
            tuple(rows),
            minutes,
            tuple(self.codes.written),
        )

    # -- fast path: lines grouped by pupil, pupil id first, no quoting ------------------------
    def read_grouped(self, text: str, start: int, header: _Header) -> Register:
        """Each pupil's lines mapped through one dict keyed by the text after the pupil id.

        The dict gives ``column << 8 | code value`` for each distinct text; an ``array`` of
        these for a pupil's lines yields, by slicing its bytes, the row (the low bytes) and
        the columns, which are compared with the expected run in C. Columns are numbered as
        sessions are first seen and put in session order at the end (a no-op for files
        already in order). ``text[start]`` is the newline ending the header. Any problem
        raises :class:`_Fallback`.
        """
        if _STRIDE < 4:  # no room for a column beside the code value
            raise _Fallback
        pupil_ids, blocks = _pupil_blocks(text, start)
        _, date, part, code, minutes_at, width = header
        late_of: dict[str, int] = {}
        seen: dict[Session, int] = {}
        parsed: dict[tuple[str, str, str], tuple[int, int]] = {}
        late_values: list[int] = []
        is_late: list[bool] = []
        # Fields after the pupil id (column 0) sit one place earlier in the rest of a line.
        date, part, code = date - 1, part - 1, code - 1
        minutes_at = None if minutes_at is None else minutes_at - 1

        def learn(rest: str) -> int:
            """Parse a line not seen before; a new session gets the next column."""
            fields = rest.split(",")
            if len(fields) != width - 1:
                raise _Fallback
            key = (fields[date], fields[part], fields[code])
            known = parsed.get(key)
            if known is None:
                session = self.session(key[0], key[1])
                column = seen.setdefault(session, len(seen))
                if column >= 1 << 16:
                    raise _Fallback
                known = parsed[key] = (column, self.code_value(key[2], session.date))
                if len(self.alphabet) != len(is_late):
                    is_late[:] = [code.is_late for code in self.alphabet]
                    late_values[:] = [v for v, late in enumerate(is_late, start=1) if late]
            column, value = known
            if minutes_at is not None and fields[minutes_at]:
                late = self.minutes(fields[minutes_at], value)
                if late:
                    late_of[rest] = late
            cell = cell_of[rest] = column << 8 | value
            return cell

        cell_of = _Lines(learn)
        low = high = b""
        rows: list[bytes] = []
        minutes: dict[tuple[int, int], int] = {}
        try:
            for index, block in enumerate(blocks):
                if index * len(seen) > MAX_REGISTER_CELLS:
                    raise _Fallback  # the line-by-line path says why
                packed = array.array("I", map(cell_of.__getitem__, block))
                if len(low) != len(seen):  # extended by the new columns only: linear in all
                    low += bytes(col & 0xFF for col in range(len(low), len(seen)))
                    high += bytes(col >> 8 for col in range(len(high), len(seen)))
                if _BIG_ENDIAN:
                    packed.byteswap()
                raw = packed.tobytes()
                first = packed[0] >> 8 if packed else 0
                last = first + len(packed)
                columns_low, columns_high = raw[1::_STRIDE], raw[2::_STRIDE]
                if columns_low == low[first:last] and columns_high == high[first:last]:
                    # A run of sessions in order, as in files sorted by pupil and session.
                    row = bytes(first) + raw[0::_STRIDE] + bytes(len(seen) - last)
                    rest_at: _RunOfLines | dict[int, str] = _RunOfLines(block, first)
                else:
                    columns = [cell >> 8 for cell in packed]
                    cells = bytearray(len(seen))
                    deque(map(cells.__setitem__, columns, raw[0::_STRIDE]), maxlen=0)
                    if len(cells) - cells.count(NO_MARK) != len(block):
                        raise _Fallback  # two marks for one pupil and session
                    row = bytes(cells)
                    rest_at = dict(zip(columns, block, strict=True))
                rows.append(row)
                if late_of:
                    _late_cells(index, row, rest_at, late_values, late_of, minutes)
        except AttendanceError:
            raise _Fallback from None
        sessions = sorted(seen, key=_session_key)
        order = [seen[session] for session in sessions]
        width = len(sessions)
        rows = [row.ljust(width, b"\0") for row in rows]
        if order != list(range(width)):  # so at least two columns: itemgetter gives tuples
            pick = operator.itemgetter(*order)
            rows = [bytes(pick(row)) for row in rows]
            new_column = {old: new for new, old in enumerate(order)}
            minutes = {(r, new_column[c]): m for (r, c), m in minutes.items()}
        return self.register(sessions, pupil_ids, rows, minutes)

    # -- general path: any layout, one line at a time, every error located --------------------
    def read_lines(self, text: str, header: _Header) -> Register:
        pupil, date, part, code, minutes_at, width = header
        pupils: dict[str, int] = {}
        cells: dict[tuple[int, Session], tuple[int, int]] = {}
        minutes: dict[tuple[int, Session], int] = {}
        for line, fields in self.records(text):
            try:
                if len(fields) != width:
                    raise InputError(  # the count, not the row: it may hold anything
                        "wrong number of fields",
                        value=len(fields),
                        expected=f"{width} fields, as in the header",
                    )
                pupil_id = fields[pupil]
                if not pupil_id:
                    raise InputError(
                        "no pupil id", field="pupil_id", value=pupil_id, expected="a pupil id"
                    )
                session = self.session(fields[date], fields[part])
                value = self.code_value(fields[code], session.date)
                late = 0 if minutes_at is None else self.minutes(fields[minutes_at], value)
                row = pupils.setdefault(pupil_id, len(pupils))
                first = cells.setdefault((row, session), (value, line))
                if first[1] != line:
                    raise InputError(
                        "two marks for the same pupil and session",
                        field="session",
                        value=f"{pupil_id} {session}",
                        expected=f"one mark per pupil and session (the first is on line {first[1]})",
                    )
                if late:
                    minutes[row, session] = late
            except InputError as error:
                raise InputError(
                    error.reason,
                    file=self.file,
                    line=line,
                    field=error.field,
                    value=error.value,
                    expected=error.expected,
                ) from None
        sessions = sorted(set(self.sessions.values()), key=_session_key)
        _check_size(self.file, len(pupils), len(sessions))
        column = {session: col for col, session in enumerate(sessions)}
        grid = [bytearray(len(sessions)) for _ in pupils]
        for (row, session), (value, _) in cells.items():
            grid[row][column[session]] = value
        return self.register(
            sessions,
            list(pupils),
            [bytes(row) for row in grid],
            {(row, column[session]): late for (row, session), late in minutes.items()},
        )

    def records(self, text: str) -> Iterator[tuple[int, list[str]]]:
        """``(line number, fields)`` for each non-blank record after the header."""
        reader = csv.reader(io.StringIO(text), strict=True)
        line = 1
        try:
            next(reader)
            line = reader.line_num + 1
            for fields in reader:
                if fields and fields != [""]:
                    yield line, fields
                line = reader.line_num + 1
        except csv.Error as error:
            raise InputError(
                "malformed CSV",
                file=self.file,
                line=line,
                value=str(error),
                expected="RFC 4180 CSV",
            ) from None


def _check_size(file: str, pupils: int, sessions: int) -> None:
    """Refuse a register of more than :data:`~attendance_core.limits.MAX_REGISTER_CELLS`
    before its grid is built: a small file of scattered dates could otherwise ask for many
    gigabytes (each pupil's row has a byte for every session in the file)."""
    if pupils * sessions > MAX_REGISTER_CELLS:
        raise InputError(
            "register too large",
            file=file,
            value=f"{pupils:,} pupils by {sessions:,} sessions",
            expected=f"at most {MAX_REGISTER_CELLS:,} pupils times sessions (see docs/security.md)",
        )


def _late_cells(
    index: int,
    row: bytes,
    rests: _RunOfLines | Mapping[int, str],
    late_values: list[int],
    late_of: dict[str, int],
    minutes: dict[tuple[int, int], int],
) -> None:
    """Record row ``index``'s minutes late: its late codes, found by ``bytes.find``, and the
    text after the pupil id of the line in each column, ``rests[column]``."""
    for value in late_values:
        col = row.find(value)
        while col >= 0:
            late = late_of.get(rests[col])
            if late:
                minutes[index, col] = late
            col = row.find(value, col + 1)


class _Lines(dict[str, int]):
    """Cells by the text of a line after its pupil id; a new text is parsed on first sight.

    ``__missing__`` is called from C by ``dict.__getitem__``, so mapping a pupil's lines costs
    one C-level lookup each and a parse only for a text never seen before.
    """

    __slots__ = ("learn",)

    def __init__(self, learn: Callable[[str], int]) -> None:
        super().__init__()
        self.learn = learn

    def __missing__(self, rest: str) -> int:
        return self.learn(rest)


class _RunOfLines:
    """A pupil's lines in session order from column ``first``: the line of a column."""

    def __init__(self, block: list[str], first: int) -> None:
        self.block = block
        self.first = first

    def __getitem__(self, column: int) -> str:
        return self.block[column - self.first]


def _session_key(session: Session) -> tuple[dt.date, str]:
    return session.date, session.part.value


def _pupil_blocks(body: str, start: int) -> tuple[list[str], list[list[str]]]:
    """Split ``body`` from ``start`` (``"\\n"`` before every line) into each pupil's lines,
    less the pupil id. The text is not copied: positions index the whole file.

    Finds where each pupil's run of lines ends with ``rfind`` over a window sized from the last
    run, then splits the run on ``"\\n<pupil id>,"``. A split never yields more pieces than the
    run has lines, so equal totals mean every line was its pupil's. Lines not all split this
    way, a pupil seen in two runs, or a line without a comma raise :class:`_Fallback`.
    """
    end_of_body = len(body) - 1 if body.endswith("\n") else len(body)
    first_line = start
    pupil_ids: list[str] = []
    blocks: list[list[str]] = []
    seen: set[str] = set()
    lines = 0
    guess = 4096
    while start < end_of_body:
        comma = body.find(",", start + 1)
        newline = body.find("\n", start + 1)
        if comma < 0 or 0 <= newline < comma:
            raise _Fallback
        pupil_id = body[start + 1 : comma]
        if not pupil_id or pupil_id in seen:
            raise _Fallback
        seen.add(pupil_id)
        marker = "\n" + pupil_id + ","
        window = max(2 * guess, 4 * len(marker))
        position = start
        while True:
            last = body.rfind(marker, position, min(end_of_body, position + window))
            if last < 0:
                raise _Fallback
            end = body.find("\n", last + 1)
            if end < 0:
                end = end_of_body
                break
            if not body.startswith(marker, end):
                break
            position = end
            window *= 2
        block = body[start:end].split(marker)
        if block[0]:
            raise _Fallback
        del block[0]
        lines += len(block)
        pupil_ids.append(pupil_id)
        blocks.append(block)
        guess = end - start
        start = end
    if lines != body.count("\n", first_line, end_of_body):
        raise _Fallback
    return pupil_ids, blocks
