"""Comparing a register with its calendar: missing marks and marks on non-school days.

Sources: SI 2024/208 reg 10(1) (a code is entered at the start of every morning session and
once during every afternoon session, for every pupil on the admission register); DfE's
"Monitor your school attendance" user guide (a pupil's sessions run from the admission date to
the latest session, a leaver's up to and including the leaving date). Both kinds of mismatch are
returned as data, never dropped and never counted silently: a mark on a day the school did not
meet is not a possible session, and a session with no mark is not an absence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from attendance_core.calendars._model import SchoolCalendar
from attendance_core.model import Enrolment, Session
from attendance_core.register import NO_MARK, Register

__all__ = ["MissingMarks", "NonSchoolDayMark", "marks_on_non_school_days", "missing_marks"]


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
    found: list[MissingMarks] = []
    for index, pupil_id in enumerate(register.pupil_ids):
        row = register.rows[index]
        enrolment = enrolments.get(pupil_id)
        if enrolment is not None:
            expected = calendar.expected_sessions(enrolment, until=as_of)
        else:
            marked = [col for col, value in enumerate(row) if value != NO_MARK]
            if not marked:
                continue
            first = register.sessions[marked[0]]
            last = register.sessions[marked[-1]]
            end = last.date if as_of is None else min(last.date, as_of)
            expected = [s for s in calendar.sessions(first.date, end) if first <= s <= last]
        gaps = tuple(s for s in expected if (col := columns.get(s)) is None or row[col] == NO_MARK)
        if gaps:
            found.append(MissingMarks(pupil_id, gaps, len(expected)))
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

    A mark of the closure's own code is consistent and not reported (``#`` on an INSET day or
    planned closure, ``Y4`` on an unexpected closure); any other mark on a weekend, a bank
    holiday, a holiday, a closure or a date outside the calendar is.
    """
    found: list[NonSchoolDayMark] = []
    for col, session in enumerate(register.sessions):
        if calendar.is_school_session(session):
            continue
        reason = calendar.why_not_school_session(session) or "not a school session"
        allowed = calendar.closure_code(session)
        for index, row in enumerate(register.rows):
            value = row[col]
            if value == NO_MARK:
                continue
            code = register.alphabet[value - 1].code
            if code != allowed:
                found.append(NonSchoolDayMark(register.pupil_ids[index], session, code, reason))
    return found
