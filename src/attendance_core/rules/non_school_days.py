"""Marks on non-school days: register entries for sessions the school did not meet.

Source: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208)
reg 10(1): codes are entered at the morning and afternoon sessions the school meets; a mark on a
weekend, bank holiday, holiday or closure is no possible session (DfE "Pupil absence in
schools in England" methodology counts sessions the school was open), so it is a register
error to correct, never a mark to count. The comparison with the calendar is
:func:`attendance_core.calendars.marks_on_non_school_days`.
"""

from __future__ import annotations

from attendance_core.model import Part, Session
from attendance_core.register import Register
from attendance_core.rules._timeline import long_date
from attendance_core.rules.findings import Evidence, Finding, Rule, RuleContext, Severity
from attendance_core.rules.register_checks import marks_on_non_school_days as find_marks

__all__ = ["MARKS_ON_NON_SCHOOL_DAYS", "marks_on_non_school_days"]

SOURCE = (
    "SI 2024/208 reg 10(1) (marks are entered at the sessions the school meets); DfE 'Pupil "
    "absence in schools in England' methodology (possible sessions are sessions the school met)"
)


def marks_on_non_school_days(register: Register, context: RuleContext) -> list[Finding]:
    """One finding per session, up to the as-of date and session, that the calendar says the
    school did not meet and that still carries marks, with the pupils and their codes.

    Source: SI 2024/208 reg 10(1), and its code ``#`` (planned whole-school closure, used for
    holidays and INSET). ``#`` on a weekday holiday, half-term, INSET day, bank holiday or
    planned closure, and ``Y4`` on an unexpected closure, are consistent and not reported; any
    other mark on those days, on a weekend or outside the calendar is, with the calendar's
    reason (``details["reason"]``).
    """
    last = (context.as_of, (context.as_of_session or Part.PM).value)
    by_session: dict[Session, dict[str, str]] = {}
    reasons: dict[Session, str] = {}
    for mark in find_marks(register, context.calendar):
        if (mark.session.date, mark.session.part.value) <= last:  # plain values: fast
            by_session.setdefault(mark.session, {})[mark.pupil_id] = mark.code
            reasons[mark.session] = mark.reason
    findings = []
    for session, codes in sorted(by_session.items()):
        pupils = tuple(sorted(codes))
        count = "1 pupil has a mark" if len(pupils) == 1 else f"{len(pupils)} pupils have marks"
        findings.append(
            Finding(
                rule="marks-on-non-school-days",
                pupil_id=None,
                as_of=context.as_of,
                severity=Severity.ACTION,
                figure=len(pupils),
                threshold=1,
                evidence=tuple(Evidence(session, code) for code in sorted(set(codes.values()))),
                source=SOURCE,
                explanation=(
                    f"{count} for the {session.part} session of {long_date(session.date)}, "
                    f"when the school did not meet ({reasons[session]}): correct the register "
                    f"or the calendar."
                ),
                details={
                    "reason": reasons[session],
                    "pupils": pupils,
                    "codes": {pupil: codes[pupil] for pupil in pupils},
                },
            )
        )
    return findings


MARKS_ON_NON_SCHOOL_DAYS = Rule(
    "marks-on-non-school-days",
    "register",
    marks_on_non_school_days,
    SOURCE,
    "Marks for sessions the school did not meet (weekends, holidays, closures): register errors.",
)
