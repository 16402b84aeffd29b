"""Counting one pupil's marks over a span of register columns, shared by the year-to-date rules.

A span is a half-open range of register columns, found by bisecting the register's sorted
sessions; counting attendance and absence over it is one C-level ``bytes.translate`` and two
``bytes.count`` calls, with no Python object per mark.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from attendance_core.calendars import academic_year_bounds
from attendance_core.codes import AttendanceCode
from attendance_core.model import Enrolment, Session

if TYPE_CHECKING:
    from attendance_core.rules.findings import PupilRecord, RuleContext

__all__ = [
    "Tally",
    "academic_year_bounds",
    "span",
    "tally",
    "year_span",
    "year_to_date",
]

_ATTENDED = 1
_ABSENT = 2
_ABSENT_FLAG = bytes(1 if value == _ABSENT else 0 for value in range(256))


_MEMO: dict[tuple[str, int], tuple[object, Any]] = {}
_MEMO_SIZE = 64


def _memo(kind: str, value: Any, build: Callable[[Any], Any]) -> Any:
    """``build(value)``, remembered by the identity of ``value``.

    Every record of a register shares one sessions tuple and one alphabet, so a whole school
    builds each derived table once; the entry holds ``value`` itself, so its id stays unique.
    """
    key = (kind, id(value))
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is value:
        return hit[1]
    built = build(value)
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = (value, built)
    return built


def _dates(sessions: Sequence[Session]) -> tuple[dt.date, ...]:
    return tuple(session.date for session in sessions)


def span(sessions: Sequence[Session], start: dt.date, end: dt.date) -> range:
    """The columns of ``sessions`` (sorted) dated from ``start`` to ``end`` inclusive."""
    dates: tuple[dt.date, ...] = _memo("dates", sessions, _dates)
    lo = bisect.bisect_left(dates, start)
    hi = bisect.bisect_right(dates, end)
    return range(lo, max(lo, hi))


def _aged_15_on_31_august(enrolment: Enrolment | None, academic_year: int) -> bool:
    born = enrolment.date_of_birth if enrolment is not None else None
    if born is None:
        return False
    return academic_year - born.year - ((born.month, born.day) > (8, 31)) == 15


def year_span(record: PupilRecord, context: RuleContext) -> tuple[dt.date, dt.date]:
    """The first and last day of the pupil's counted school year holding ``context.as_of``.

    1 August to 31 July, within the enrolment's admission and leaving dates. With
    ``method.year11_last_half_term = "exclude"``, a pupil aged 15 on 31 August (Year 11, by
    the date of birth in the enrolment) stops before DfE's "summer 2" census window, as DfE's
    national statistics do (methodology section 2).
    """
    academic_year = context.calendar.academic_year_of(context.as_of)
    first, last = academic_year_bounds(academic_year)
    enrolment = record.enrolment
    if enrolment is not None:
        first = max(first, enrolment.admission_date)
        if enrolment.leaving_date is not None:
            last = min(last, enrolment.leaving_date)
    if context.policy.method.year11_last_half_term == "exclude" and _aged_15_on_31_august(
        enrolment, academic_year
    ):
        windows = context.calendar.census_windows(academic_year)
        summer_2 = next(w for w in windows if w.name == "summer 2")
        last = min(last, summer_2.start - dt.timedelta(days=1))
    return first, last


def year_to_date(record: PupilRecord, context: RuleContext) -> tuple[dt.date, dt.date, range]:
    """First day, last day and columns of the pupil's school year to date.

    The counted year of :func:`year_span`, up to ``context.as_of``.
    """
    first, last = year_span(record, context)
    last = min(last, context.as_of)
    return first, last, span(record.sessions, first, last)


def _category_table(alphabet: tuple[AttendanceCode, ...]) -> bytes:
    table = bytearray(256)
    for value, code in enumerate(alphabet, start=1):
        if code.is_attended:
            table[value] = _ATTENDED
        elif code.is_absence:
            table[value] = _ABSENT
    return bytes(table)


@attrs.frozen
class Tally:
    """Attended and absent sessions over a span, and the columns of the absences."""

    attended: int
    absent: int
    _categories: bytes = attrs.field(repr=False)
    _offset: int = attrs.field(repr=False)

    @property
    def possible(self) -> int:
        """Attended plus absent sessions (DfE's possible sessions)."""
        return self.attended + self.absent

    def absence_columns(self) -> list[int]:
        """Register columns of the absence sessions, in order."""
        start = self._offset
        flags = self._categories.translate(_ABSENT_FLAG)
        return list(itertools.compress(range(start, start + len(flags)), flags))


def tally(record: PupilRecord, columns: range) -> Tally:
    """Attended and absent sessions of ``record`` over ``columns`` (a contiguous span)."""
    categories = record.row[columns.start : columns.stop].translate(
        _memo("categories", record.alphabet, _category_table)
    )
    return Tally(categories.count(_ATTENDED), categories.count(_ABSENT), categories, columns.start)
