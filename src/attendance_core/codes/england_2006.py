"""England's register codes until 18 August 2024, for historic data.

Legal source: The Education (Pupil Registration) (England) Regulations 2006 (SI 2006/1751),
with DfE's "School attendance: guidance for schools" code list. Statistical categories as DfE
still publishes the legacy codes (H and F authorised, J approved educational activity, Y not
counted). F was withdrawn in September 2013 but is kept so that older registers still read.
"""

from __future__ import annotations

import datetime as dt

from attendance_core.codes._model import AttendanceCode, Category, CodeSet, Lateness

__all__ = ["ENGLAND_2006"]

_P = Category.PRESENT
_AEA = Category.APPROVED_EDUCATIONAL_ACTIVITY
_AUTH = Category.AUTHORISED_ABSENCE
_UNAUTH = Category.UNAUTHORISED_ABSENCE
_NOT = Category.NOT_COUNTED

_PRESENT = "Present"
_AEA_GROUP = "Approved educational activity"
_AUTHORISED = "Authorised absence"
_UNAUTHORISED = "Unauthorised absence"
_NOT_REQUIRED = "Attendance not required"

ENGLAND_2006 = CodeSet(
    id="england-2006",
    name="England, 2006 regulations (until 18 August 2024)",
    source="SI 2006/1751 reg 6; DfE school attendance codes guidance",
    valid_from=None,
    valid_to=dt.date(2024, 8, 18),
    codes=(
        AttendanceCode("/", "Present (AM)", _P, _PRESENT),
        AttendanceCode("\\", "Present (PM)", _P, _PRESENT),
        AttendanceCode(
            "L",
            "Late before registers closed",
            _P,
            _PRESENT,
            lateness=Lateness.BEFORE_REGISTER_CLOSED,
        ),
        AttendanceCode("B", "Educated off site (not dual registration)", _AEA, _AEA_GROUP),
        AttendanceCode(
            "J",
            "At an interview with a prospective employer or educational establishment",
            _AEA,
            _AEA_GROUP,
        ),
        AttendanceCode("P", "Participating in an approved sporting activity", _AEA, _AEA_GROUP),
        AttendanceCode("V", "Educational visit or trip", _AEA, _AEA_GROUP),
        AttendanceCode("W", "Work experience", _AEA, _AEA_GROUP),
        AttendanceCode("C", "Other authorised circumstances", _AUTH, _AUTHORISED),
        AttendanceCode("E", "Excluded, no alternative provision made", _AUTH, _AUTHORISED),
        AttendanceCode(
            "F", "Agreed extended family holiday (withdrawn September 2013)", _AUTH, _AUTHORISED
        ),
        AttendanceCode("H", "Agreed family holiday", _AUTH, _AUTHORISED),
        AttendanceCode("I", "Illness (not medical or dental appointment)", _AUTH, _AUTHORISED),
        AttendanceCode("M", "Medical or dental appointment", _AUTH, _AUTHORISED),
        AttendanceCode("R", "Religious observance", _AUTH, _AUTHORISED),
        AttendanceCode("S", "Study leave", _AUTH, _AUTHORISED),
        AttendanceCode("T", "Traveller absence", _AUTH, _AUTHORISED),
        AttendanceCode("G", "Family holiday not agreed, or days in excess", _UNAUTH, _UNAUTHORISED),
        AttendanceCode("N", "No reason yet provided for absence", _UNAUTH, _UNAUTHORISED),
        AttendanceCode(
            "O", "Unauthorised absence not covered by any other code", _UNAUTH, _UNAUTHORISED
        ),
        AttendanceCode(
            "U",
            "Arrived after registers closed",
            _UNAUTH,
            _UNAUTHORISED,
            lateness=Lateness.AFTER_REGISTER_CLOSED,
        ),
        AttendanceCode("D", "Dual registered: at another establishment", _NOT, _NOT_REQUIRED),
        AttendanceCode("X", "Non-compulsory school age absence", _NOT, _NOT_REQUIRED),
        AttendanceCode(
            "Y", "Unable to attend due to exceptional circumstances", _NOT, _NOT_REQUIRED
        ),
        AttendanceCode("Z", "Pupil not on admission register", _NOT, _NOT_REQUIRED),
        AttendanceCode("#", "Planned whole or partial school closure", _NOT, _NOT_REQUIRED),
    ),
)
