"""Columnar reading of long marks (CSV and Parquet): never a Python object per mark.

The optional extra ``attendance_core[fast]`` (pyarrow and numpy) lets
:func:`~attendance_core.io.layouts.read_marks` read a long marks export as columns. pyarrow's
CSV reader parses the file on every core, 128 MiB at a time: pupil ids as runs of equal values
(an export grouped by pupil has one run each), dates as dates (ISO only), and sessions, codes
and minutes late dictionary-encoded, so each distinct text is decoded and checked once, with the
same functions as the pure-Python reader (a Parquet file is dictionary-encoded column by
column). numpy then puts every mark in its pupil's row and session's column.

The result is the register the pure-Python reader gives, cell for cell, and so the same
figures. Whatever this reader cannot decide exactly as the pure-Python reader would (any bad
input, quoting, over-long cells, a lone carriage return, dates that are not ISO, a Parquet
column that is not text, whole numbers or dates) returns ``None``, and the caller reads the file
with the pure-Python reader, which reads it or names the file, line, field and value of the
first problem. Bad input therefore gets the same error whichever engine was asked for.

Two readings are reproduced, chosen as :func:`~attendance_core.io.layouts.read_marks` chooses:

- ``csv``: our canonical long CSV (:mod:`attendance_core.io.marks_csv`): pupil ids exactly as
  written, every session marked;
- ``table``: the general long-layout reader, used for Parquet and for a canonical CSV that
  holds unmarked sessions (a blank or ``-`` mark): pupil ids stripped, unmarked sessions
  counted per pupil and left without a mark.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

from attendance_core.codes import CodeSetLike, code_set_for_date
from attendance_core.exceptions import AttendanceError, InputError
from attendance_core.model import Part, Session, parse_part
from attendance_core.register import NO_MARK, CodeAlphabet, Register, ResolveCode

__all__ = ["ENGINES", "Engine", "available", "read_long_columnar", "require"]

Engine = Literal["auto", "python", "columnar"]
ENGINES: tuple[Engine, ...] = ("auto", "python", "columnar")
"""``auto``: the columnar reader when pyarrow and numpy are installed and the export is long CSV
or Parquet of at least :data:`AUTO_MIN_BYTES`; ``python``: always the pure-Python readers;
``columnar``: the columnar reader for every export it takes (an error without the libraries)."""

AUTO_MIN_BYTES = 32 << 20
"""Below this size (32 MiB, about 1.2 million marks or 3,000 pupils' year as CSV) ``auto`` reads
with pure Python: importing pyarrow and numpy costs more than it saves (measured in
``benchmarks/``: at 1,500 pupils, 13 MiB, the pure reader is the faster)."""

_COLUMNS = ("pupil_id", "date", "session", "code")
_OPTIONAL = ("minutes_late",)
_UNMARKED = frozenset({"", "-"})
_MAX_CELL = 1_000  # the general reader's longest cell (attendance_core.io.tables.MAX_CELL)
_PART_SLOTS = 64  # distinct session texts a file may spell; more is left to pure Python
_BLOCK = 4 << 20
_RANGE = 128 << 20  # bytes of CSV parsed at once


class _Ineligible(Exception):
    """Something this reader does not decide exactly as the pure-Python reader does."""


def available() -> bool:
    """Whether pyarrow and numpy can be imported (found, not imported: that costs time)."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in ("pyarrow", "numpy"))
    except (ImportError, ValueError):  # a finder that refuses them
        return False


def require() -> None:
    """Raise :class:`InputError` when the columnar engine was asked for without its libraries."""
    if not available():
        raise InputError(
            "the columnar engine needs pyarrow and numpy",
            field="--engine",
            value="columnar",
            expected="pip install 'attendance_core[fast]', or --engine python",
        )


def read_long_columnar(
    file: str | os.PathLike[str],
    *,
    mode: Literal["csv", "table"],
    code_set: CodeSetLike | None = None,
    resolve: ResolveCode | None = None,
) -> tuple[Register, Mapping[str, int]] | None:
    """The register, and the unmarked sessions by pupil, of the long marks in ``file``
    (``mode="csv"``: our canonical CSV; ``"table"``: Parquet with the canonical column names)
    as the pure-Python reader would read them, or ``None`` when that reader must decide
    (anything unusual, and every error)."""
    path = os.fspath(file)
    try:
        columns = _parquet(path) if path.lower().endswith(".parquet") else _csv(path)
        if columns is None:
            return None
        if mode == "csv":
            try:
                return _Build(columns, "csv", code_set, resolve).export()
            except _Unmarked:
                pass  # the pure reader hands such a file to the general reader: so do we
        return _Build(columns, "table", code_set, resolve).export()
    except (_Ineligible, AttendanceError):
        return None


# -- reading columns ----------------------------------------------------------------------------
class _Columns:
    """A file's marks in chunks of numpy arrays (each chunk's entries in file order), and the
    distinct texts they index: pupils (in order of first appearance), sessions, codes and
    minutes late as written; dates are day numbers (days since 1970-01-01)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        self.pupil_words: dict[bytes, int] = {}
        self.texts: dict[str, dict[bytes, int]] = {"session": {}, "code": {}, "minutes_late": {}}
        self.chunks: list[dict[str, Any]] = []
        self.first_day = self.last_day = 0

    def add(self, pupil: Any, day: Any) -> dict[str, Any]:
        """A new chunk of pupil rows and day numbers; its other columns follow."""
        low, high = int(day.min()), int(day.max())
        if not self.chunks:
            self.first_day, self.last_day = low, high
        self.first_day, self.last_day = min(self.first_day, low), max(self.last_day, high)
        chunk = {"pupil": pupil, "day": day}
        self.chunks.append(chunk)
        return chunk

    def pupil_rows(self, texts: list[bytes]) -> Any:
        """The row of each pupil id text, a new text getting the next row."""
        import numpy as np

        known = self.pupil_words
        return np.fromiter(
            (known.setdefault(t, len(known)) for t in texts), dtype=np.int32, count=len(texts)
        )

    def global_indices(self, name: str, words: list[bytes], indices: Any) -> Any:
        """A chunk's dictionary indices of column ``name`` as indices into all its texts."""
        import numpy as np

        known = self.texts[name]
        remap = np.fromiter(
            (known.setdefault(w, len(known)) for w in words), dtype=np.int32, count=len(words)
        )
        if len(known) > 256:
            raise _Ineligible  # so many distinct codes or minutes: the pure reader decides
        return remap.astype(np.uint8)[indices]

    def words(self, name: str) -> list[str]:
        """The distinct texts of a column, decoded; anything unusual is for the pure reader."""
        known = self.pupil_words if name == "pupil_id" else self.texts[name]
        try:
            words = [w.decode("utf-8") for w in known]
        except UnicodeDecodeError:
            raise _Ineligible from None
        if any(len(w) > _MAX_CELL or '"' in w or "\r" in w for w in words):
            raise _Ineligible  # over-long cells, quoting and stray carriage returns
        return words


def _numbers(array: Any, dtype: Any) -> Any:
    """A numpy copy of a primitive Arrow array without nulls (no pandas involved)."""
    import numpy as np

    if array.null_count:
        raise _Ineligible
    data = array.buffers()[1]
    return np.frombuffer(data, dtype=dtype, count=len(array) + array.offset)[array.offset :].copy()


def _pupil_runs(array: Any) -> tuple[list[bytes], Any]:
    """The runs of equal values of a binary array: each run's value and length."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if array.null_count:
        raise _Ineligible
    if len(array) > 1:
        changed = pc.not_equal(array[1:], array[:-1]).cast(pa.int8())
        starts = np.flatnonzero(_numbers(changed, np.int8)) + 1
    else:
        starts = np.zeros(0, dtype=np.int64)
    starts = np.concatenate(([0], starts)).astype(np.int64)
    lengths = np.diff(np.concatenate((starts, [len(array)])))
    # An Arrow array over numpy's buffer: converting a numpy array would import pandas.
    where = pa.Array.from_buffers(pa.int64(), len(starts), [None, pa.py_buffer(starts)])
    texts = array.take(where).to_pylist()
    return texts, lengths


def _dictionary(array: Any) -> tuple[list[bytes], Any]:
    """A dictionary array's words and its indices, as small an integer type as holds them."""
    import numpy as np

    words = array.dictionary.to_pylist()
    indices = _numbers(array.indices, np.int32)
    return words, indices.astype(np.uint8) if len(words) <= 256 else indices


def _compact(batch: Any, names: Sequence[str]) -> tuple[Any, ...]:
    """One record batch as small numpy arrays (run by the reading threads, so the batch's
    Arrow memory goes as soon as it is read)."""
    import numpy as np

    texts, lengths = _pupil_runs(batch.column("pupil_id"))
    words = tuple(
        _dictionary(batch.column(name)) if name in names else None
        for name in ("session", "code", "minutes_late")
    )
    return texts, lengths, _numbers(batch.column("date"), np.int32), words


def _add_compact(columns: _Columns, found: tuple[Any, ...]) -> None:
    import numpy as np

    texts, lengths, days, words = found
    chunk = columns.add(np.repeat(columns.pupil_rows(texts), lengths), days)
    for name, pair in zip(("session", "code", "minutes_late"), words, strict=True):
        if pair is not None:
            chunk[name] = columns.global_indices(name, *pair)


def _header(path: str) -> tuple[list[str], int]:
    """The CSV header's names, split as the pure reader splits them, and its length in bytes."""
    import csv

    try:
        with open(path, "rb") as handle:
            raw = handle.readline(4096)
        line = raw.decode("utf-8-sig").rstrip("\r\n")
        names = [name.strip() for name in next(csv.reader([line], strict=True))]
    except (OSError, UnicodeDecodeError, csv.Error, StopIteration):
        raise _Ineligible from None
    if not raw.endswith(b"\n"):
        raise _Ineligible
    if len(set(names)) != len(names) or not set(_COLUMNS) <= set(names) <= {*_COLUMNS, *_OPTIONAL}:
        raise _Ineligible
    return names, len(raw)


def _csv(path: str) -> _Columns | None:
    """Read the CSV a range of lines at a time, each range parsed on every core, and keep
    only small numpy arrays of each (so memory stays a fraction of the file's size)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names, start = _header(path)
    words = pa.dictionary(pa.int32(), pa.binary())
    types = dict.fromkeys(names, words)
    types.update(pupil_id=pa.binary(), date=pa.date32())
    options = {
        "read_options": pacsv.ReadOptions(column_names=names, block_size=_BLOCK),
        # Quotes are read as text, so any quoted field shows and goes to the pure reader.
        "parse_options": pacsv.ParseOptions(quote_char=False, newlines_in_values=False),
        "convert_options": pacsv.ConvertOptions(
            column_types=types, strings_can_be_null=False, null_values=[""]
        ),
    }
    columns = _Columns(names)
    size = os.path.getsize(path)
    try:
        with open(path, "rb") as handle:
            while start < size:
                stop = _line_end(handle, start + _RANGE, size)
                handle.seek(start)
                part = _Slice(handle, stop - start)
                table = pacsv.read_csv(pa.PythonFile(part, mode="r"), **options)
                if part.lone_returns:
                    return None
                for batch in table.to_batches():
                    if batch.num_rows:
                        _add_compact(columns, _compact(batch, names))
                del table
                start = stop
    except (pa.ArrowException, OSError):
        return None  # malformed, a ragged line, a bad date ...: the pure reader says where
    return columns if columns.chunks else None


def _line_end(handle: Any, at: int, size: int) -> int:
    """Just after the first line end from byte ``at`` (the file's end if none is near)."""
    if at >= size:
        return size
    handle.seek(at)
    cut = handle.read(1 << 16).find(b"\n")
    return size if cut < 0 else at + cut + 1


class _Slice(io.RawIOBase):
    """``length`` bytes of an open file from where it stands, as a stream; notes whether a
    carriage return stands anywhere but before a line feed (pyarrow ends a line there, the
    pure reader does not)."""

    def __init__(self, handle: Any, length: int) -> None:
        super().__init__()
        self.handle = handle
        self.left = length
        self.returns = self.line_ends = 0
        self.pending = False  # the last block read ended with a carriage return

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self.left)
        if size <= 0:
            return 0
        got = int(self.handle.readinto(memoryview(buffer)[:size]))
        self.left -= got
        part = buffer if got == len(buffer) else bytes(memoryview(buffer)[:got])
        if got and (self.pending or b"\r" in part):
            self.returns += part.count(b"\r")
            self.line_ends += part.count(b"\r\n") + (self.pending and part[:1] == b"\n")
            self.pending = part.endswith(b"\r")
        return got

    @property
    def lone_returns(self) -> bool:
        return self.returns != self.line_ends


def _parquet(path: str) -> _Columns | None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception:  # pyarrow raises several kinds for a damaged file
        return None
    names = list(table.column_names)
    if len(set(names)) != len(names) or not set(_COLUMNS) <= set(names) <= {*_COLUMNS, *_OPTIONAL}:
        return None  # other spellings are matched by the general reader
    if not table.num_rows:
        return None
    columns = _Columns(names)
    found: dict[str, Any] = {}
    for name in names:
        column = table.column(name)
        kind = column.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
            column = column.cast(kind)
        # The general reader takes str(value), a date's isoformat, and "" for a null: the same
        # texts as Arrow's casts for text, whole numbers and dates, and no others.
        if not (
            pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
            or pa.types.is_integer(kind)
            or pa.types.is_date32(kind)
        ):
            return None
        text = pc.fill_null(column.cast(pa.string()), "").cast(pa.binary())
        found[name] = _dictionary(pc.dictionary_encode(text.combine_chunks()))
    words, indices = found.pop("pupil_id")
    day_words, day_indices = found.pop("date")
    chunk = columns.add(columns.pupil_rows(words)[indices], _table_days(day_words)[day_indices])
    for name, (words, indices) in found.items():
        chunk[name] = columns.global_indices(name, words, indices)
    return columns


def _table_days(words: list[bytes]) -> Any:
    """Day numbers of date texts in the one format the general reader decides for them."""
    import numpy as np

    from attendance_core.io.dates import decide_date_format, parse_export_date

    texts = [w.decode("utf-8") for w in words]
    found = decide_date_format(texts, file="")
    epoch = dt.date(1970, 1, 1).toordinal()
    return np.array(
        [parse_export_date(t, found).toordinal() - epoch for t in texts], dtype=np.int32
    )


# -- building the register ----------------------------------------------------------------------
class _Unmarked(Exception):
    """A canonical CSV with an unmarked session: the general reader's reading applies."""


class _Build:
    """One register from a file's columns, read as the pure reader of ``mode`` reads."""

    def __init__(
        self,
        columns: _Columns,
        mode: Literal["csv", "table"],
        code_set: CodeSetLike | None,
        resolve: ResolveCode | None,
    ) -> None:
        self.columns = columns
        self.mode = mode
        self.alphabet = CodeAlphabet(code_set=code_set, resolve=resolve)

    def parts(self) -> list[Part]:
        words = self.columns.words("session")
        if len(words) > _PART_SLOTS:
            raise _Ineligible
        if self.mode == "csv":
            return [parse_part(w) for w in words]
        if any(w.strip() not in ("AM", "PM") for w in words):
            raise _Ineligible
        return [Part(w.strip()) for w in words]

    def minutes(self) -> list[int]:
        """Minutes late of each distinct text (0 for none)."""
        found = []
        for word in self.columns.words("minutes_late"):
            text = word.strip()
            if text and not (text.isascii() and text.isdigit()):
                raise _Ineligible
            if self.mode == "table" and len(text) > 4:
                raise _Ineligible
            found.append(int(text) if text else 0)
        return found

    def pupils(self) -> tuple[list[str], Any]:
        """Pupil ids in order of first appearance, and a map from text index to row (``None``:
        each text is its own row)."""
        import numpy as np

        words = self.columns.words("pupil_id")
        if self.mode == "csv":
            if not all(words):
                raise _Ineligible
            return words, None
        rows: dict[str, int] = {}
        remap = np.fromiter(
            (rows.setdefault(w.strip(), len(rows)) for w in words), np.int32, len(words)
        )
        if "" in rows:
            raise _Ineligible
        return list(rows), remap

    def export(self) -> tuple[Register, Mapping[str, int]]:
        import numpy as np

        columns, chunks = self.columns, self.columns.chunks
        pupil_ids, remap = self.pupils()
        if remap is not None:
            for chunk in chunks:
                chunk["pupil"] = remap[chunk["pupil"]]
        code_words = columns.words("code")
        unmarked_code = np.array([w.strip() in _UNMARKED for w in code_words], dtype=bool)
        any_unmarked = bool(unmarked_code.any())
        if self.mode == "csv" and any_unmarked:
            raise _Unmarked

        # Sessions: each (day, session text) key that occurs gets its session's column.
        parts = self.parts()
        first_day = columns.first_day
        used = np.zeros((columns.last_day - first_day + 1) * _PART_SLOTS, dtype=bool)
        for chunk in chunks:
            key = chunk.pop("day") - first_day
            key *= _PART_SLOTS
            key += chunk.pop("session")
            used[key] = True
            chunk["key"] = key
        epoch = dt.date(1970, 1, 1)
        by_key = {
            k: Session(
                epoch + dt.timedelta(days=first_day + k // _PART_SLOTS), parts[k % _PART_SLOTS]
            )
            for k in np.flatnonzero(used).tolist()
        }
        sessions = sorted(set(by_key.values()), key=lambda s: (s.date, s.part.value))
        column_of = {session: col for col, session in enumerate(sessions)}
        key_column = np.zeros(len(used), dtype=np.int32)
        key_set = np.zeros(len(used), dtype=np.int32)
        set_ids: dict[str, int] = {}
        set_day: list[dt.date] = []
        forced = self.alphabet.forced
        for k, session in by_key.items():
            key_column[k] = column_of[session]
            # The mark's date chooses the code set, unless the policy forces one.
            code_set_id = (forced or code_set_for_date(session.date)).id
            if code_set_id not in set_ids:
                set_ids[code_set_id] = len(set_day)
                set_day.append(session.date)
            key_set[k] = set_ids[code_set_id]

        # Codes: each (code set, code text) pair that occurs, resolved once as the pure reader
        # resolves it (the policy's local codes, then the plugins, then the law).
        ncodes = len(code_words)
        one_set = len(set_day) == 1
        seen = np.zeros(len(set_day) * ncodes, dtype=bool)
        for chunk in chunks:
            pair = chunk["code"] if one_set else key_set[chunk["key"]] * ncodes + chunk["code"]
            if any_unmarked:
                pair = pair[~unmarked_code[chunk["code"]]]
            seen[pair] = True
        table = np.zeros(len(seen), dtype=np.uint8)
        for p in np.flatnonzero(seen).tolist():
            table[p] = self.alphabet.value(code_words[p % ncodes], set_day[p // ncodes])

        # The grid: each mark in its pupil's row and session's column, one mark a cell.
        width = len(sessions)
        cells = len(pupil_ids) * width
        grid = np.zeros(cells, dtype=np.uint8)
        taken = np.zeros(cells, dtype=bool) if any_unmarked else None
        index = np.int64 if cells >= 1 << 31 else np.int32
        marks = marked_marks = 0
        is_late = np.zeros(256, dtype=bool)
        for v, c in enumerate(self.alphabet.codes, start=1):
            is_late[v] = c.is_late
        minute_of = (
            np.array(self.minutes(), dtype=np.int64) if "minutes_late" in columns.names else None
        )
        late_cells: list[Any] = []
        late_minutes: list[Any] = []
        for chunk in chunks:
            code = chunk.pop("code")
            pair = code if one_set else key_set[chunk["key"]] * ncodes + code
            value = table[pair]
            cell = chunk.pop("pupil").astype(index) * width
            cell += key_column[chunk.pop("key")]
            marks += len(cell)
            if taken is not None:
                value[unmarked_code[code]] = NO_MARK
                marked_marks += int(np.count_nonzero(value))
                taken[cell] = True
            grid[cell] = value
            if minute_of is not None:
                late = minute_of[chunk.pop("minutes_late")]
                late[value == NO_MARK] = 0  # the general reader ignores minutes when unmarked
                at = np.flatnonzero(late)
                if len(at):
                    if not is_late[value[at]].all():
                        raise _Ineligible  # minutes late on a code that is not late
                    late_cells.append(cell[at])
                    late_minutes.append(late[at])
        held = int(np.count_nonzero(grid))
        if (taken is not None and int(np.count_nonzero(taken)) != marks) or held != (
            marked_marks if any_unmarked else marks
        ):
            raise _Ineligible  # two marks for one pupil and session: the reader names them

        minutes: dict[tuple[int, int], int] = {}
        if late_cells:
            at = np.concatenate(late_cells)
            rows, cols = np.divmod(at, width)
            minutes = dict(
                zip(
                    zip(rows.tolist(), cols.tolist(), strict=True),
                    np.concatenate(late_minutes).tolist(),
                    strict=True,
                )
            )
        unmarked: dict[str, int] = {}
        if taken is not None:
            blank = taken.reshape(len(pupil_ids), width) & (
                grid.reshape(len(pupil_ids), width) == 0
            )
            counts = blank.sum(axis=1)
            unmarked = {pupil_ids[r]: int(counts[r]) for r in np.flatnonzero(counts).tolist()}

        data = grid.tobytes()
        del grid, taken
        register = Register(
            tuple(sessions),
            tuple(pupil_ids),
            tuple(self.alphabet.codes),
            tuple(data[start : start + width] for start in range(0, cells, width)),
            minutes,
            tuple(self.alphabet.written),
        )
        return register, MappingProxyType(unmarked)
