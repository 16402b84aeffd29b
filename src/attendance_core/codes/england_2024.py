"""England's register codes from 19 August 2024.

Legal source: The School Attendance (Pupil Registration) (England) Regulations 2024
(SI 2024/208), reg 10 and its tables; DfE statutory guidance "Working together to improve
school attendance" (August 2024), paragraphs 283-407. Statistical categories as DfE publishes
them in "Pupil attendance in schools" (attendance data dashboard reason columns).
"""

from __future__ import annotations

import datetime as dt

from attendance_core.codes._model import AgeRule, AttendanceCode, Category, CodeSet, Lateness

__all__ = ["ENGLAND_2024"]

_P = Category.PRESENT
_AEA = Category.APPROVED_EDUCATIONAL_ACTIVITY
_AUTH = Category.AUTHORISED_ABSENCE
_UNAUTH = Category.UNAUTHORISED_ABSENCE
_NOT = Category.NOT_COUNTED

_ATTENDING = "Attending the school"
_ELSEWHERE = "Attending a place other than the school"
_LEAVE = "Leave of absence"
_OTHER_AUTH = "Other authorised reasons"
_UNAVOIDABLE = "Unavoidable cause"
_UNAUTHORISED = "Unauthorised absence"
_ADMIN = "Administrative"

ENGLAND_2024 = CodeSet(
    id="england-2024",
    name="England, from 19 August 2024",
    source="SI 2024/208 reg 10; DfE 'Working together to improve school attendance' (Aug 2024)",
    valid_from=dt.date(2024, 8, 19),
    valid_to=None,
    withdrawn=(
        ("H", ("C",)),
        ("F", ("C",)),
        ("J", ("J1",)),
        ("Y", ("Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7")),
    ),
    codes=(
        AttendanceCode("/", "Present (AM)", _P, _ATTENDING),
        AttendanceCode("\\", "Present (PM)", _P, _ATTENDING),
        AttendanceCode(
            "L",
            "Late: arrived before the register closed",
            _P,
            _ATTENDING,
            lateness=Lateness.BEFORE_REGISTER_CLOSED,
        ),
        AttendanceCode(
            "K", "Attending education provision arranged by the local authority", _AEA, _ELSEWHERE
        ),
        AttendanceCode("V", "Attending an educational visit or trip", _AEA, _ELSEWHERE),
        AttendanceCode("P", "Participating in a supervised sporting activity", _AEA, _ELSEWHERE),
        AttendanceCode("W", "Attending work experience", _AEA, _ELSEWHERE),
        AttendanceCode("B", "Attending any other approved educational activity", _AEA, _ELSEWHERE),
        AttendanceCode("D", "Dual registered: attending the other school", _NOT, _ELSEWHERE),
        AttendanceCode(
            "C1", "Leave for a regulated performance or regulated employment abroad", _AUTH, _LEAVE
        ),
        AttendanceCode("M", "Leave for a medical or dental appointment", _AUTH, _LEAVE),
        AttendanceCode(
            "J1", "Leave for an interview for employment or admission elsewhere", _AUTH, _LEAVE
        ),
        AttendanceCode("S", "Study leave", _AUTH, _LEAVE),
        AttendanceCode(
            "X",
            "Not required to be in school (non-compulsory school age)",
            _NOT,
            _LEAVE,
            age_rule=AgeRule.NOT_COMPULSORY_SCHOOL_AGE,
        ),
        AttendanceCode(
            "C2",
            "Leave for a compulsory-school-age pupil on a part-time timetable",
            _AUTH,
            _LEAVE,
            age_rule=AgeRule.COMPULSORY_SCHOOL_AGE,
        ),
        AttendanceCode("C", "Leave of absence for exceptional circumstances", _AUTH, _LEAVE),
        AttendanceCode(
            "T", "Parent travelling for occupational purposes (mobile child)", _AUTH, _OTHER_AUTH
        ),
        AttendanceCode("R", "Religious observance", _AUTH, _OTHER_AUTH),
        AttendanceCode("I", "Illness (not medical or dental appointment)", _AUTH, _OTHER_AUTH),
        AttendanceCode(
            "E", "Suspended or excluded, no alternative provision made", _AUTH, _OTHER_AUTH
        ),
        AttendanceCode(
            "Q",
            "Unable to attend: local authority access arrangements not made",
            _NOT,
            _UNAVOIDABLE,
        ),
        AttendanceCode(
            "Y1", "Unable to attend: transport normally provided not available", _NOT, _UNAVOIDABLE
        ),
        AttendanceCode(
            "Y2", "Unable to attend: widespread disruption to travel", _NOT, _UNAVOIDABLE
        ),
        AttendanceCode(
            "Y3", "Unable to attend: part of the school premises closed", _NOT, _UNAVOIDABLE
        ),
        AttendanceCode(
            "Y4", "Unable to attend: whole school site unexpectedly closed", _NOT, _UNAVOIDABLE
        ),
        AttendanceCode("Y5", "Unable to attend: in criminal justice detention", _NOT, _UNAVOIDABLE),
        AttendanceCode("Y6", "Unable to attend: public health guidance or law", _NOT, _UNAVOIDABLE),
        AttendanceCode("Y7", "Unable to attend: any other unavoidable cause", _NOT, _UNAVOIDABLE),
        AttendanceCode("G", "Holiday not granted by the school", _UNAUTH, _UNAUTHORISED),
        AttendanceCode("N", "Reason for absence not yet established", _UNAUTH, _UNAUTHORISED),
        AttendanceCode("O", "Absent in other or unknown circumstances", _UNAUTH, _UNAUTHORISED),
        AttendanceCode(
            "U",
            "Arrived in school after the register closed",
            _UNAUTH,
            _UNAUTHORISED,
            lateness=Lateness.AFTER_REGISTER_CLOSED,
        ),
        AttendanceCode("Z", "Prospective pupil not on admission register", _NOT, _ADMIN),
        AttendanceCode("#", "Planned whole-school closure", _NOT, _ADMIN),
    ),
)
