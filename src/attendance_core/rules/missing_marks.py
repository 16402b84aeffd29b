"""Missing marks: sessions the school met for which pupils on roll have no mark.

Source: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208)
reg 10(1): a code is entered at the start of every morning session and once during every
afternoon session for every pupil on the admission register.
"""

from __future__ import annotations

from attendance_core.model import Session
from attendance_core.register import NO_MARK, Register
from attendance_core.rules._timeline import long_date
from attendance_core.rules.findings import Evidence, Finding, Rule, RuleContext, Severity
from attendance_core.rules.register_checks import missing_marks as find_missing_marks

__all__ = ["MISSING_MARKS", "missing_marks"]

SOURCE = "SI 2024/208 reg 10(1) (a mark for every pupil at every morning and afternoon session)"


def missing_marks(register: Register, context: RuleContext) -> list[Finding]:
    """One finding per school session, up to the as-of date and session, at which pupils
    expected to be marked have no mark; "register not taken" when no pupil has one.

    Source: SI 2024/208 reg 10(1). Expected sessions come from the calendar and the
    enrolments (:func:`attendance_core.calendars.missing_marks`): admission to leaving date, or
    a pupil's first to last marked session when their enrolment is not known.
    """
    part = context.as_of_session
    last = Session(context.as_of, part) if part is not None else None
    by_session: dict[Session, list[str]] = {}
    for gap in find_missing_marks(
        register, context.calendar, enrolments=context.enrolments, as_of=context.as_of
    ):
        for session in gap.sessions:
            if last is not None and session > last:
                continue
            by_session.setdefault(session, []).append(gap.pupil_id)
    columns = {session: col for col, session in enumerate(register.sessions)}
    findings = []
    for session in sorted(by_session):
        pupils = by_session[session]
        col = columns.get(session)
        taken = col is not None and any(row[col] != NO_MARK for row in register.rows)
        when = f"the {session.part} session of {long_date(session.date)}"
        if taken:
            count = "1 pupil has" if len(pupils) == 1 else f"{len(pupils)} pupils have"
            explanation = f"{count} no mark for {when}."
        else:
            explanation = f"No register taken for {when} ({len(pupils)} pupils without a mark)."
        findings.append(
            Finding(
                rule="missing-marks",
                pupil_id=None,
                as_of=context.as_of,
                severity=Severity.ACTION,
                figure=len(pupils),
                threshold=1,
                evidence=(Evidence(session, None),),
                source=SOURCE,
                explanation=explanation,
                details={"register_taken": taken, "pupils": tuple(sorted(pupils))},
            )
        )
    return findings


MISSING_MARKS = Rule(
    "missing-marks",
    "register",
    missing_marks,
    SOURCE,
    "School sessions with pupils on roll but no mark: registers not taken or incomplete.",
)
