"""Comparing a register with its calendar and roll: missing marks, marks on non-school days,
marks outside enrolment.

Sources: SI 2024/208 reg 10(1) (a code is entered at the start of every morning session and
once during every afternoon session, for every pupil on the admission register); DfE's
"Monitor your school attendance" user guide (a pupil's sessions run from the admission date to
the latest session, a leaver's up to and including the leaving date). Both kinds of mismatch are
returned as data, never dropped and never counted silently: a mark on a day the school did not
meet is not a possible session, a session with no mark is not an absence, and a mark dated
before a pupil's admission or after their leaving is for a session they were not on roll.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping

import attrs

from attendance_core.calendars import SchoolCalendar
from attendance_core.model import Enrolment, Session
from attendance_core.register import NO_MARK, Register

__all__ = [
    "AFTER_LEAVING",
    "BEFORE_ADMISSION",
    "MarkOutsideEnrolment",
    "MissingMarks",
    "NonSchoolDayMark",
    "marks_on_non_school_days",
    "marks_outside_enrolment",
    "missing_marks",
]

# Weekday non-school days a register may code "#" (planned whole-school closure): the reasons of
# SchoolCalendar.why_not_school_session that are not "weekend", "closure" (a closure has its own
# code) or "outside the calendar".
_HASH_DAYS = frozenset({"bank holiday", "INSET day", "half-term holiday", "holiday"})


@attrs.frozen
class MissingMarks:
    """The sessions one enrolment was expected to have a mark for and has none, in order."""

    pupil_id: str
    sessions: tuple[Session, ...]
    expected: int
    """How many sessions the enrolment was expected to have a mark for."""


@attrs.frozen
class NonSchoolDayMark:
    """A mark for a session the school did not meet, with why it did not meet."""

    pupil_id: str
    session: Session
    code: str
    reason: str
    """From :meth:`SchoolCalendar.why_not_school_session`, e.g. ``"weekend"``."""


BEFORE_ADMISSION = "before admission"
AFTER_LEAVING = "after leaving"


@attrs.frozen
class MarkOutsideEnrolment:
    """A mark for a session before the pupil's admission date or after their leaving date."""

    pupil_id: str
    session: Session
    code: str
    """As written in the register."""
    reason: str
    """:data:`BEFORE_ADMISSION` or :data:`AFTER_LEAVING`."""


def missing_marks(
    register: Register,
    calendar: SchoolCalendar,
    *,
    enrolments: Mapping[str, Enrolment] | None = None,
    as_of: dt.date | None = None,
) -> list[MissingMarks]:
    """Every enrolment's expected sessions up to ``as_of`` that carry no mark, in register order.

    A pupil's expected sessions are the calendar's sessions from the admission date to the
    leaving date (inclusive), cut at ``as_of``. A pupil with no enrolment record is expected
    from their first marked session to their last (so only gaps are found); pupils with an
    enrolment but no row in the register are reported too, after the register's pupils.
    Pupils with nothing missing are left out.
    """
    enrolments = enrolments or {}
    columns = {session: col for col, session in enumerate(register.sessions)}
    # Every calendar session any pupil could be expected for, with its register column (-1:
    # no column), computed once; each pupil then reads a contiguous slice of it.
    firsts = [e.admission_date for e in enrolments.values()]
    if register.sessions:
        firsts.append(register.sessions[0].date)
    span: list[Session] = []
    if firsts and calendar.last_day is not None:
        last = calendar.last_day if as_of is None else min(as_of, calendar.last_day)
        span = calendar.sessions(min(firsts), last)
    span_dates = [s.date for s in span]
    span_cols = [columns.get(s, -1) for s in span]
    found: list[MissingMarks] = []
    for index, pupil_id in enumerate(register.pupil_ids):
        row = register.rows[index]
        enrolment = enrolments.get(pupil_id)
        if enrolment is not None:
            # The span already stops at as_of, so only the leaving date can cut it shorter.
            leaving = enrolment.leaving_date
            lo = bisect.bisect_left(span_dates, enrolment.admission_date)
            hi = len(span) if leaving is None else bisect.bisect_right(span_dates, leaving)
        else:
            blank = bytes([NO_MARK])
            first_col = len(row) - len(row.lstrip(blank))
            if first_col == len(row):
                continue
            last_col = len(row.rstrip(blank)) - 1
            lo = bisect.bisect_left(span, register.sessions[first_col])
            hi = bisect.bisect_right(span, register.sessions[last_col])
        gaps = tuple(
            span[k] for k in range(lo, hi) if (col := span_cols[k]) < 0 or row[col] == NO_MARK
        )
        if gaps:
            found.append(MissingMarks(pupil_id, gaps, hi - lo))
    listed = set(register.pupil_ids)
    for pupil_id, enrolment in enrolments.items():
        if pupil_id not in listed:
            expected = calendar.expected_sessions(enrolment, until=as_of)
            if expected:
                found.append(MissingMarks(pupil_id, tuple(expected), len(expected)))
    return found


def marks_on_non_school_days(
    register: Register, calendar: SchoolCalendar
) -> list[NonSchoolDayMark]:
    """Every mark for a session the school did not meet, in session then register order.

    A mark that codes the non-school day consistently is not reported: ``#`` (SI 2024/208's
    planned whole-school closure, which schools use for holidays and INSET) on a weekday that
    is a holiday, half-term holiday, INSET day, bank holiday or planned closure, and ``Y4`` on
    an unexpected closure. Any mark on a weekend or outside the calendar, and any other code on
    those days, is reported.
    """
    found: list[NonSchoolDayMark] = []
    for col, session in enumerate(register.sessions):
        if calendar.is_school_session(session):
            continue
        reason = calendar.why_not_school_session(session) or "not a school session"
        allowed = calendar.closure_code(session)
        if allowed is None and reason in _HASH_DAYS:
            allowed = "#"
        for index, row in enumerate(register.rows):
            value = row[col]
            if value == NO_MARK:
                continue
            code = register.alphabet[value - 1].code
            if code != allowed:
                found.append(NonSchoolDayMark(register.pupil_ids[index], session, code, reason))
    return found


def marks_outside_enrolment(
    register: Register, enrolments: Mapping[str, Enrolment]
) -> list[MarkOutsideEnrolment]:
    """Every mark dated before its pupil's admission date or after their leaving date, in
    register then session order.

    SI 2024/208 reg 10(1) puts on the attendance register the pupils on the admission
    register, and DfE's "Monitor your school attendance" counts a pupil's sessions from the
    admission date to the leaving date, both inclusive: a mark outside them is for a session
    the pupil was not on roll. Pupils without an enrolment are never reported (nothing says
    when they were on roll). Only the marks found become objects: each enrolment's inside
    columns are found by bisecting the register's sessions, and the columns either side are
    counted in C before any is read.
    """
    dates = [s.date for s in register.sessions]
    width = len(dates)
    found: list[MarkOutsideEnrolment] = []
    for index, pupil_id in enumerate(register.pupil_ids):
        enrolment = enrolments.get(pupil_id)
        if enrolment is None:
            continue
        row = register.rows[index]
        lo = bisect.bisect_left(dates, enrolment.admission_date)
        leaving = enrolment.leaving_date
        hi = width if leaving is None else bisect.bisect_right(dates, leaving)
        for start, stop, reason in ((0, lo, BEFORE_ADMISSION), (hi, width, AFTER_LEAVING)):
            if row.count(NO_MARK, start, stop) == stop - start:
                continue
            found.extend(
                MarkOutsideEnrolment(
                    pupil_id,
                    register.sessions[col],
                    register.alphabet[row[col] - 1].code,
                    reason,
                )
                for col in range(start, stop)
                if row[col] != NO_MARK
            )
    return found
