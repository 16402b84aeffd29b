"""Marks outside enrolment: register entries dated before admission or after leaving.

Source: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208)
reg 10(1): the attendance register records the pupils on the admission register; DfE's "Monitor
your school attendance" user guide counts a pupil's sessions from the admission date to the
leaving date. A mark outside them is for a session the pupil was not on roll: either the
register or the enrolment dates are wrong. The comparison is
:func:`attendance_core.calendars.marks_outside_enrolment`.
"""

from __future__ import annotations

from attendance_core.model import Enrolment, Part
from attendance_core.register import Register
from attendance_core.rules._timeline import long_date
from attendance_core.rules.findings import Evidence, Finding, Rule, RuleContext, Severity
from attendance_core.rules.register_checks import BEFORE_ADMISSION
from attendance_core.rules.register_checks import marks_outside_enrolment as find_marks

__all__ = ["MARKS_OUTSIDE_ENROLMENT", "marks_outside_enrolment"]

SOURCE = (
    "SI 2024/208 reg 10(1) (the register records the pupils on the admission register); DfE "
    "'Monitor your school attendance' (a pupil's sessions run from admission to leaving)"
)


def marks_outside_enrolment(register: Register, context: RuleContext) -> list[Finding]:
    """One finding per pupil with marks, up to the as-of date and session, dated before their
    admission date or after their leaving date; the marks, with their codes, are the evidence.

    Source: SI 2024/208 reg 10(1); DfE "Monitor your school attendance". Only pupils in
    ``context.enrolments`` are checked: without enrolments (or for a pupil without one) it finds
    nothing, since nothing says when a pupil was on roll. The admission and leaving dates are
    on roll. Severity ``action``, as for the other register errors: ``summary`` still counts such
    marks while the rules, given enrolments, leave them out, so the figures disagree until the
    register or the enrolment is corrected.
    """
    last = (context.as_of, (context.as_of_session or Part.PM).value)
    by_pupil: dict[str, list[Evidence]] = {}
    before: dict[str, int] = {}
    for mark in find_marks(register, context.enrolments):
        if (mark.session.date, mark.session.part.value) <= last:  # plain values: fast
            by_pupil.setdefault(mark.pupil_id, []).append(Evidence(mark.session, mark.code))
            before[mark.pupil_id] = before.get(mark.pupil_id, 0) + (mark.reason == BEFORE_ADMISSION)
    findings = []
    for pupil_id, evidence in by_pupil.items():
        enrolment = context.enrolments[pupil_id]
        early = before[pupil_id]
        findings.append(
            Finding(
                rule="marks-outside-enrolment",
                pupil_id=pupil_id,
                as_of=context.as_of,
                severity=Severity.ACTION,
                figure=len(evidence),
                threshold=1,
                evidence=tuple(evidence),
                source=SOURCE,
                explanation=_explanation(enrolment, early, len(evidence) - early),
                details={
                    "admission_date": enrolment.admission_date.isoformat(),
                    "leaving_date": (
                        None
                        if enrolment.leaving_date is None
                        else enrolment.leaving_date.isoformat()
                    ),
                    "before_admission": early,
                    "after_leaving": len(evidence) - early,
                },
            )
        )
    return findings


def _explanation(enrolment: Enrolment, early: int, late: int) -> str:
    """``2 marks before admission on 13 January 2026: correct the register or the enrolment.``"""
    parts = []
    if early:
        parts.append(f"{_marks(early)} before admission on {long_date(enrolment.admission_date)}")
    if late and enrolment.leaving_date is not None:
        parts.append(f"{_marks(late)} after leaving on {long_date(enrolment.leaving_date)}")
    return (
        f"{' and '.join(parts)}, when the pupil was not on roll: correct the register or the "
        "admission register dates."
    )


def _marks(count: int) -> str:
    return "1 mark" if count == 1 else f"{count} marks"


MARKS_OUTSIDE_ENROLMENT = Rule(
    "marks-outside-enrolment",
    "register",
    marks_outside_enrolment,
    SOURCE,
    "Marks dated before a pupil's admission or after their leaving (needs enrolments).",
)
