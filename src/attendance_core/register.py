"""A whole register held compactly: one ``bytes`` row per enrolment, one byte per session.

Whole-school calculations must not build a Python object per mark. Each row holds, for every
session column, 0 (no mark) or the 1-based index of the mark's code in the register's
``alphabet``; counting a code across a row is then a single C-level ``bytes.count``.

Codes are kept as written: a vendor sub-code ``I01`` read as statutory ``I`` gets its own
alphabet entry (``alphabet`` holds ``I``, ``written`` holds ``I01``), so a register read from a
file can be written back unchanged while every calculation sees the statutory code.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping

import attrs

from attendance_core.codes import (
    AttendanceCode,
    CodeSet,
    CodeSetLike,
    code_set_for_date,
    get_code_set,
)
from attendance_core.exceptions import InputError
from attendance_core.model import Mark, Part, Session, check_minutes_late

__all__ = ["CodeAlphabet", "Register", "RegisterBuilder", "ResolveCode"]

ResolveCode = Callable[[str, CodeSet], AttendanceCode]
"""Maps a code as written (e.g. a vendor sub-code) to the statutory code it stands for in a set;
:class:`attendance_core.code_resolver.CodeResolver` asks the policy, then the plugins."""

NO_MARK = 0
_MAX_CODES = 255


@attrs.frozen(eq=False)
class Register:
    """Marks of many enrolments at one school over a common, sorted run of sessions."""

    sessions: tuple[Session, ...]
    pupil_ids: tuple[str, ...]
    alphabet: tuple[AttendanceCode, ...]
    """Byte value ``k`` (from 1) in a row stands for ``alphabet[k - 1]``."""
    rows: tuple[bytes, ...] = attrs.field(repr=False)
    minutes_late: Mapping[tuple[int, int], int] = attrs.field(factory=dict, repr=False)
    """Recorded minutes late by ``(row, column)``; sparse."""
    written: tuple[str, ...] = attrs.field(default=(), repr=False)
    """The code as written for each ``alphabet`` entry; empty when each is its statutory code."""

    def __attrs_post_init__(self) -> None:
        width = len(self.sessions)
        if len(self.rows) != len(self.pupil_ids) or any(len(r) != width for r in self.rows):
            raise ValueError("register rows must match pupils and sessions")
        if self.written and len(self.written) != len(self.alphabet):
            raise ValueError("register written codes must match its alphabet")

    def written_code(self, value: int) -> str:
        """The code as written for byte ``value`` (from 1)."""
        return self.written[value - 1] if self.written else self.alphabet[value - 1].code

    def _canonical(self) -> tuple[object, ...]:
        """Contents independent of alphabet order: what equality compares."""
        keys = [(self.written_code(k), code) for k, code in enumerate(self.alphabet, start=1)]
        used = set().union(*map(set, self.rows)) - {NO_MARK}  # unused entries are no content
        ranked = sorted({keys[k - 1] for k in used}, key=repr)
        order = {key: rank for rank, key in enumerate(ranked, start=1)}
        table = bytes([NO_MARK, *(order.get(key, NO_MARK) for key in keys)]).ljust(256, b"\0")
        minutes = {cell: m for cell, m in self.minutes_late.items() if m}
        rows = tuple(row.translate(table) for row in self.rows)
        return self.sessions, self.pupil_ids, sorted(order, key=order.__getitem__), rows, minutes

    def __eq__(self, other: object) -> bool:
        """Same sessions, pupils in the same order, and the same code (as written and
        statutory) and minutes late in every cell, whatever the order of the alphabets."""
        if not isinstance(other, Register):
            return NotImplemented
        return self is other or self._canonical() == other._canonical()

    def __hash__(self) -> int:
        return hash((self.sessions, self.pupil_ids))

    @classmethod
    def from_marks(
        cls,
        marks: Iterable[tuple[str, Mark]],
        *,
        code_set: CodeSetLike | None = None,
        resolve: ResolveCode | None = None,
    ) -> Register:
        """Build a register from ``(pupil_id, mark)`` pairs (local codes through ``resolve``)."""
        builder = RegisterBuilder(code_set=code_set, resolve=resolve)
        for pupil_id, mark in marks:
            builder.add(pupil_id, mark.session, mark.code, mark.minutes_late)
        return builder.build()

    def __len__(self) -> int:
        return len(self.pupil_ids)

    def up_to(self, day: dt.date, part: Part = Part.PM) -> Register:
        """The register's columns up to and including session ``part`` of ``day`` (itself when
        it has no later session)."""
        end = bisect.bisect_right(self.sessions, Session(day, part))
        if end == len(self.sessions):
            return self
        return Register(
            self.sessions[:end],
            self.pupil_ids,
            self.alphabet,
            tuple(row[:end] for row in self.rows),
            {key: m for key, m in self.minutes_late.items() if key[1] < end},
            self.written,
        )

    def marks(self, pupil_id: str) -> Iterator[Mark]:
        """The marks of one enrolment in session order (for reading back, not for sums)."""
        index = self.pupil_ids.index(pupil_id)
        for col, value in enumerate(self.rows[index]):
            if value != NO_MARK:
                yield Mark(
                    self.sessions[col],
                    self.written_code(value),
                    self.minutes_late.get((index, col)),
                )


class CodeAlphabet:
    """The codes of one register as its rows store them: each distinct pair of code as written
    and statutory code gets the next byte value from 1 (at most 255, one byte each).

    Each code is read with the set in force on its date (or the forced ``code_set``), through
    ``resolve`` when given, and kept as written less surrounding whitespace; each distinct text
    is resolved once per code set.
    """

    def __init__(
        self, *, code_set: CodeSetLike | None = None, resolve: ResolveCode | None = None
    ) -> None:
        self.forced: CodeSet | None = get_code_set(code_set) if code_set is not None else None
        self.resolve = resolve
        self.codes: list[AttendanceCode] = []
        """The statutory code of byte value ``k`` at ``codes[k - 1]``."""
        self.written: list[str] = []
        """The code as written of byte value ``k`` at ``written[k - 1]``."""
        self._values: dict[tuple[str, AttendanceCode], int] = {}
        self._by_text: dict[tuple[str, str], int] = {}
        self._code_sets: dict[dt.date, CodeSet] = {}

    def value(self, code: str, day: dt.date) -> int:
        """The byte for ``code`` on ``day``; raises UnknownCodeError, or InputError if empty."""
        code_set = self.forced or self._code_sets.get(day)
        if code_set is None:
            code_set = self._code_sets[day] = code_set_for_date(day)
        value = self._by_text.get((code, code_set.id))
        if value is None:
            value = self._by_text[code, code_set.id] = self._add(code, code_set)
        return value

    def _add(self, code: str, code_set: CodeSet) -> int:
        written = code.strip()
        if not written:
            raise InputError("no code", field="code", value=code, expected="an attendance code")
        resolved = self.resolve(written, code_set) if self.resolve else code_set[written]
        value = self._values.get((written, resolved))
        if value is None:
            if len(self.codes) >= _MAX_CODES:
                raise InputError(
                    "too many distinct codes in one register",
                    field="code",
                    value=code,
                    expected=f"at most {_MAX_CODES} distinct codes",
                )
            self.codes.append(resolved)
            self.written.append(written)
            value = self._values[written, resolved] = len(self.codes)
        return value


class RegisterBuilder:
    """Collects marks in any order and builds a :class:`Register`.

    Codes are checked as they arrive against the set in force on the mark's date (or the
    forced ``code_set``), through ``resolve`` when given (local or vendor codes); each is kept
    as written, less surrounding whitespace. A second mark for one pupil and session is an
    error.
    """

    def __init__(
        self, *, code_set: CodeSetLike | None = None, resolve: ResolveCode | None = None
    ) -> None:
        self._alphabet = CodeAlphabet(code_set=code_set, resolve=resolve)
        self._columns: dict[Session, int] = {}
        self._pupils: dict[str, int] = {}
        self._rows: list[bytearray] = []
        self._minutes: dict[tuple[int, int], int] = {}

    def column(self, session: Session) -> int:
        """The column index of ``session``, adding it on first sight."""
        col = self._columns.get(session)
        if col is None:
            col = self._columns[session] = len(self._columns)
            for row in self._rows:
                row.append(NO_MARK)
        return col

    def row(self, pupil_id: str) -> int:
        """The row index of ``pupil_id``, adding an empty row on first sight."""
        index = self._pupils.get(pupil_id)
        if index is None:
            index = self._pupils[pupil_id] = len(self._rows)
            self._rows.append(bytearray(len(self._columns)))
        return index

    def add(
        self, pupil_id: str, session: Session, code: str, minutes_late: int | None = None
    ) -> None:
        """Add one mark; a second mark for the same pupil and session is an error."""
        col = self.column(session)
        value = self._alphabet.value(code, session.date)
        row = self.row(pupil_id)
        cells = self._rows[row]
        if cells[col] != NO_MARK:
            raise InputError(
                "two marks for the same pupil and session",
                field="session",
                value=f"{pupil_id} {session}",
                expected="one mark per pupil and session",
            )
        if minutes_late:
            check_minutes_late(self._alphabet.codes[value - 1], minutes_late)
            self._minutes[row, col] = minutes_late
        cells[col] = value

    def build(self) -> Register:
        """The finished register, sessions sorted, pupils in order of first appearance."""
        sessions = tuple(sorted(self._columns))
        permutation = [self._columns[s] for s in sessions]
        if permutation == list(range(len(permutation))):
            rows = tuple(bytes(r) for r in self._rows)
            new_col = permutation
        else:
            pick = operator.itemgetter(*permutation)  # not the identity, so two items or more
            rows = tuple(bytes(pick(r)) for r in self._rows)
            new_col = [0] * len(permutation)
            for new, old in enumerate(permutation):
                new_col[old] = new
        minutes = {(row, new_col[col]): m for (row, col), m in self._minutes.items()}
        alphabet = self._alphabet
        return Register(
            sessions,
            tuple(self._pupils),
            tuple(alphabet.codes),
            rows,
            minutes,
            tuple(alphabet.written),
        )
