"""What a leave request would do: a pupil's figures if the sessions asked for were missed.

A head teacher grants leave in term time only in exceptional circumstances, and an unauthorised
holiday (code ``G``) counts toward the penalty-notice threshold (DfE, "Working together to improve
school attendance", 2024; the national framework for penalty notices: 10 sessions of
unauthorised absence in a rolling period of 10 school weeks). Before deciding, an officer asks
what the absence would do to the pupil's attendance this year, to persistent absence (10% or
more of possible sessions missed), to the penalty-notice position, and to the best attendance
still reachable by the end of the year. :func:`what_if` answers from the school's own rules, run
on the pupil's register with and without the absence.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs

from attendance_core.exceptions import InputError
from attendance_core.model import Mark
from attendance_core.register import Register
from attendance_core.rules.findings import Finding
from attendance_core.school import School

__all__ = ["Position", "WhatIf", "what_if"]

RULES = ("persistent-absence", "penalty-notice-threshold", "look-ahead")


@attrs.frozen
class Position:
    """The pupil's figures as of a date, from the year-to-date rules."""

    possible_sessions: int
    absent_sessions: int
    attendance_rate: Fraction | None
    persistent_absence: bool
    penalty_notice_threshold: bool
    """Whether the penalty-notice threshold is reached in some window up to the date."""
    penalty_window: tuple[str, str] | None
    """The first and last dates of the first window in which the threshold is reached."""
    best_reachable: Fraction | None
    """The best attendance still reachable by the end of the year (look-ahead)."""


@attrs.frozen
class WhatIf:
    """A pupil's position without and with the absence asked about."""

    pupil_id: str
    code: str
    first: dt.date
    last: dt.date
    sessions: int
    """School sessions the absence would cover."""
    as_of: dt.date
    now: Position
    with_absence: Position


def _position(findings: list[Finding], pupil_id: str) -> Position:
    mine = [f for f in findings if f.pupil_id == pupil_id]
    ahead = next((f for f in mine if f.rule == "look-ahead"), None)
    notices = [f for f in mine if f.rule == "penalty-notice-threshold"]
    details = ahead.details if ahead is not None else {}
    possible = int(details.get("possible_sessions", 0))
    absent = int(details.get("absent_sessions", 0))
    attended = int(details.get("attended_sessions", 0))
    return Position(
        possible,
        absent,
        Fraction(attended, possible) if possible else None,
        any(f.rule == "persistent-absence" for f in mine),
        bool(notices),
        (str(notices[0].details.get("window_start")), str(notices[0].details.get("window_end")))
        if notices
        else None,
        Fraction(ahead.figure) if ahead is not None and ahead.figure is not None else None,
    )


def what_if(
    school: School,
    pupil_id: str,
    first: dt.date,
    last: dt.date,
    *,
    code: str = "G",
    as_of: dt.date | None = None,
) -> WhatIf:
    """The pupil's position now and if every school session from ``first`` to ``last`` were
    marked ``code``, both as of ``as_of`` (default: the later of ``last`` and the register's
    last marked date). Sessions already marked in that span are replaced.

    :raises InputError: with no calendar, an unknown pupil, an empty or reversed span, or a span
        with no school session.
    """
    calendar = school.calendar
    if calendar is None:
        raise InputError("a what-if needs the school calendar", field="--calendar")
    if pupil_id not in school.register.pupil_ids:
        raise InputError("no such pupil in the marks", field="--pupil", value=pupil_id[:40])
    if last < first:
        raise InputError(
            "the absence ends before it starts",
            field="--absent",
            value=f"{first.isoformat()}..{last.isoformat()}",
            expected="FROM..TO with FROM on or before TO",
        )
    sessions = calendar.sessions(first, last)
    if not sessions:
        raise InputError(
            "no school session in the absence",
            field="--absent",
            value=f"{first.isoformat()}..{last.isoformat()}",
            expected="dates the school meets",
        )
    marked = school.register.sessions
    day = as_of or max(last, marked[-1].date if marked else last)
    kept = [m for m in school.register.marks(pupil_id) if not first <= m.session.date <= last]
    added = [Mark(session, code) for session in sessions]
    now = _run(school, pupil_id, list(school.register.marks(pupil_id)), day)
    then = _run(school, pupil_id, kept + added, day)
    return WhatIf(pupil_id, code, first, last, len(sessions), day, now, then)


def _run(school: School, pupil_id: str, marks: list[Mark], as_of: dt.date) -> Position:
    register = Register.from_marks(
        ((pupil_id, mark) for mark in marks), code_set=school.code_set, resolve=school.resolve
    )
    enrolments = school.enrolments or {}
    one = attrs.evolve(
        school,
        register=register,
        enrolments={pupil_id: enrolments[pupil_id]} if pupil_id in enrolments else None,
    )
    return _position(one.check(as_of=as_of, rules=RULES), pupil_id)
