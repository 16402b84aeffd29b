"""Unexplained absence: N codes left too long, and the first-day phone list.

Source: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208)
reg 10, code N ("reason for absence not yet established"), which WTISA 2024 says must be
replaced within 5 school days; WTISA 2024 expects schools to follow up unexplained absence on
the first day (the paragraph is UNCONFIRMED).
"""

from __future__ import annotations

import bisect
import datetime as dt

from attendance_core.model import Part, Session
from attendance_core.register import NO_MARK
from attendance_core.rules._timeline import long_date, timeline
from attendance_core.rules.findings import (
    Evidence,
    Finding,
    PupilRecord,
    Rule,
    RuleContext,
    Severity,
)

__all__ = [
    "FIRST_DAY_CONTACT",
    "UNEXPLAINED_ABSENCE_OUTSTANDING",
    "first_day_contact",
    "register_closed",
    "unexplained_absence_outstanding",
]

OUTSTANDING_SOURCE = "SI 2024/208 reg 10 (code N); WTISA 2024 (replace N within 5 school days)"
FIRST_DAY_SOURCE = (
    "WTISA 2024 (follow up unexplained absence on the first day; paragraph UNCONFIRMED); "
    "SI 2024/208 reg 10 (code N)"
)


def _counts(session: Session, context: RuleContext) -> bool:
    """Whether ``session`` falls on or before the as-of date and session."""
    if session.date != context.as_of:
        return session.date < context.as_of
    return context.as_of_session is None or session.part <= context.as_of_session


def unexplained_absence_outstanding(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Sessions still coded N (``unexplained_absence.codes``) more than
    ``replace_within_school_days`` school days after the session, as of the date.

    Source: SI 2024/208 reg 10 (code N); WTISA 2024 (N must be replaced within 5 school days).
    An N on Monday may stand until the fifth school day after it (the next Monday, in a week
    without holidays; the calendar's ``add_school_days``) and is outstanding from the sixth.
    The register is a snapshot: a replaced N no longer reads N, so every N still there counts.
    """
    policy = context.policy.unexplained_absence
    if not any(record.row.count(value) for value in record.values_for(policy.codes)):
        return []
    limit = policy.replace_within_school_days
    calendar = context.calendar
    one_day = dt.timedelta(days=1)
    columns = [
        col for col in record.columns_with(policy.codes) if _counts(record.sessions[col], context)
    ]

    def elapsed(column: int) -> int:
        return calendar.count_school_days(record.sessions[column].date + one_day, context.as_of)

    # School days elapsed never grow with a later session, so the overdue sessions are a
    # prefix of the columns: found by bisection, not by counting for every N.
    overdue = columns[: bisect.bisect_left(columns, True, key=lambda col: elapsed(col) <= limit)]
    if not overdue:
        return []
    oldest_column, oldest_elapsed = overdue[0], elapsed(overdue[0])
    oldest = record.sessions[oldest_column].date
    count = len(overdue)
    sessions = "session is" if count == 1 else "sessions are"
    return [
        Finding(
            rule="unexplained-absence-outstanding",
            pupil_id=record.pupil_id,
            as_of=context.as_of,
            severity=Severity.ACTION,
            figure=oldest_elapsed,
            threshold=limit,
            evidence=record.evidence(overdue),
            source=OUTSTANDING_SOURCE,
            explanation=(
                f"{count} {sessions} still coded as absence with no reason established, the "
                f"oldest on {long_date(oldest)}, {oldest_elapsed} school days ago: the reason "
                f"should be established and the code replaced within {limit} school days."
            ),
            details={
                "sessions": count,
                "oldest": oldest.isoformat(),
                "replace_by": calendar.add_school_days(oldest, limit).isoformat(),
            },
        )
    ]


def register_closed(part: Part, context: RuleContext) -> bool:
    """Whether the register of session ``part`` of the as-of date has closed by the as-of time.

    Closed when no time is given (``RuleContext.as_of_time``), when the calendar records no
    register times, or when the time is at or after the calendar's close time for the session
    (a register that closes at 09:30 is closed at 09:30).
    """
    times = context.calendar.register_times
    if context.as_of_time is None or times is None:
        return True
    return context.as_of_time >= times.for_part(part).close


def first_day_contact(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """The morning phone list: the pupil's unexplained absence at the as-of session.

    Source: WTISA 2024 (first-day follow-up of unexplained absence; paragraph UNCONFIRMED). A
    session is listed when it is coded N (``unexplained_absence.codes``), always, or has no
    mark at all once its register has closed (:func:`register_closed`: at or after the
    calendar's close time when both an as-of time and register times are known; otherwise the
    register is treated as closed once the session is asked for). ``RuleContext.as_of_session``
    picks that session only; ``None`` every session of the as-of date. Pupils not on roll that
    day and days the school does not meet give nothing.
    """
    day = context.as_of
    if record.enrolment is not None and not record.enrolment.on_roll(day):
        return []
    line = timeline(context.calendar, record.sessions, day, day)
    values = line.codes(record)
    unexplained = set(record.values_for(context.policy.unexplained_absence.codes))
    evidence = []
    for index, session in enumerate(line.sessions):
        if context.as_of_session is not None and session.part != context.as_of_session:
            continue
        value = values[index]
        if value == NO_MARK:
            if register_closed(session.part, context):
                evidence.append(Evidence(session, None))
        elif value in unexplained:
            code = record.alphabet[value - 1].code
            evidence.append(Evidence(session, code, record.minutes_late.get(line.columns[index])))
    if not evidence:
        return []
    times = context.calendar.register_times
    parts = [e.session.part for e in evidence]
    closes = {} if times is None else {p.value: f"{times.for_part(p).close:%H:%M}" for p in parts}
    missing = sum(e.code is None for e in evidence)
    if missing == len(evidence):
        what = "No mark"
    elif missing:
        what = "No mark or no reason given"
    else:
        what = "Absent with no reason given"
    sessions = "session" if len(parts) == 1 else "sessions"
    when = f"{' and '.join(p.value for p in parts)} {sessions} of {long_date(day)}"
    as_of_time = context.as_of_time
    return [
        Finding(
            rule="first-day-contact",
            pupil_id=record.pupil_id,
            as_of=day,
            severity=Severity.ACTION,
            figure=len(evidence),
            threshold=1,
            evidence=tuple(evidence),
            source=FIRST_DAY_SOURCE,
            explanation=f"{what} for the {when}: contact the family today.",
            details={
                "missing_marks": missing,
                "register_closes": closes,
                "as_of_time": None if as_of_time is None else as_of_time.strftime("%H:%M"),
            },
        )
    ]


UNEXPLAINED_ABSENCE_OUTSTANDING = Rule(
    "unexplained-absence-outstanding",
    "pupil",
    unexplained_absence_outstanding,
    OUTSTANDING_SOURCE,
    "Code N not replaced within 5 school days of the session.",
)
FIRST_DAY_CONTACT = Rule(
    "first-day-contact",
    "pupil",
    first_day_contact,
    FIRST_DAY_SOURCE,
    "Unexplained absence (N, or no mark) at the as-of session: the first-day phone list.",
)
