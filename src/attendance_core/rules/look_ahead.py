"""Look-ahead: what a pupil's attendance can still become before the school year ends.

Source: DfE, "Pupil absence in schools in England" methodology (persistent absence is 10% or
more of the enrolment's possible sessions, counted over the whole year), with the remaining
sessions from the school calendar; WTISA 2024 (act early for pupils at risk of persistent
absence).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from attendance_core.rules._counting import tally, year_span, year_to_date
from attendance_core.rules._timeline import long_date
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity
from attendance_core.rules.statistics import display_percent

__all__ = ["LOOK_AHEAD", "look_ahead", "remaining_sessions"]

SOURCE = (
    "DfE 'Pupil absence in schools in England' methodology (persistent absence over the year); "
    "DfE 'Working together to improve school attendance' (2024): act early"
)
_DAY = dt.timedelta(days=1)


def remaining_sessions(record: PupilRecord, context: RuleContext) -> list[dt.date]:
    """The date of each calendar session after ``as_of`` to the end of the pupil's counted year
    (31 July, the leaving date, or the Year 11 cut of ``method.year11_last_half_term``)."""
    first, end = year_span(record, context)
    start = max(first, context.as_of + _DAY)
    if start > end:
        return []
    return [session.date for session in context.calendar.sessions(start, end)]


def look_ahead(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """The best attendance still reachable this year, and when persistent absence becomes certain.

    Source: DfE "Pupil absence in schools in England" methodology (persistent absence:
    ``absent * 100 >= possible * thresholds.persistent_absence`` over the year). Every
    calendar session after ``as_of`` to the end of the academic year (within the enrolment) is
    taken as a possible session. The figure is the best reachable attendance rate, reached
    exactly when every remaining session is attended. For a pupil persistently absent now,
    ``sessions_to_leave`` is the fewest sessions of full attendance that bring absence below
    the line (``None`` when the remaining sessions are too few). ``certain_from`` is the date
    from which persistent absence for the year is certain however the pupil attends
    afterwards, if every session until then is missed (``as_of`` when it is certain already;
    ``None`` when missing every remaining session would still not reach the line).
    """
    first, last, columns = year_to_date(record, context)
    counts = tally(record, columns)
    dates = remaining_sessions(record, context)
    left = len(dates)
    total = counts.possible + left
    if not total:
        return []
    line = context.policy.thresholds.persistent_absence
    best = Fraction(counts.attended + left, total)
    absent_now = counts.possible > 0 and counts.absent * 100 >= counts.possible * line
    # Persistent absence is certain once absences reach the line over the whole year.
    missing = max(0, -(-total * line // 100) - counts.absent)
    certain_from = (
        context.as_of if missing == 0 else dates[missing - 1] if missing <= left else None
    )
    to_leave: int | None = 0
    if absent_now:
        to_leave = None if missing == 0 else counts.absent * 100 // line + 1 - counts.possible
    if missing == 0:
        severity = Severity.ACTION
        verdict = "persistent absence for the year is now certain"
    elif absent_now:
        severity = Severity.WATCH
        verdict = (
            f"persistently absent now; {to_leave} session{'' if to_leave == 1 else 's'} of "
            f"full attendance would bring absence below {line}%"
        )
    elif certain_from is None:
        severity = Severity.INFO
        verdict = "persistent absence this year is no longer possible"
    else:
        severity = Severity.INFO
        verdict = (
            f"missing every session to {long_date(certain_from)} would make persistent "
            "absence certain"
        )
    return [
        Finding(
            rule="look-ahead",
            pupil_id=record.pupil_id,
            as_of=context.as_of,
            severity=severity,
            figure=best,
            threshold=Fraction(100 - line, 100),
            evidence=record.evidence(counts.absence_columns()),
            source=SOURCE,
            explanation=(
                f"Attending all {left} sessions left this year gives at best {display_percent(best)}; "
                f"{verdict}."
            ),
            details={
                "attended_sessions": counts.attended,
                "absent_sessions": counts.absent,
                "possible_sessions": counts.possible,
                "remaining_sessions": left,
                "persistently_absent_now": absent_now,
                "sessions_to_leave": to_leave,
                "can_leave_this_year": to_leave is not None,
                "certain_from": certain_from.isoformat() if certain_from else None,
                "from": first.isoformat(),
                "to": last.isoformat(),
            },
        )
    ]


LOOK_AHEAD = Rule(
    "look-ahead",
    "pupil",
    look_ahead,
    SOURCE,
    "Best attendance still reachable this year, sessions needed to leave persistent absence, "
    "and the date from which persistent absence is certain.",
)
