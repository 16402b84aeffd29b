"""Wales's register codes, as data.

Legal source: The Education (Pupil Registration) (Wales) Regulations 2010, SI 2010/1954
(W.187), in force 1 September 2010; the Welsh Government's attendance codes guidance. The
letters have not been revised since 2010 (a consultation on new codes closed on 26 March 2026).

UNCONFIRMED: the letters are believed to match England's list before its 2013 change (so F,
agreed extended family holiday, is still a Welsh code), and each code's statistical category
is believed to match England's old set. The per-code wording and categories below are taken on
that belief, not from the Welsh regulations' own tables; check them against the regulations
before relying on a figure that depends on one code (attendance-rules.md §6).
"""

from __future__ import annotations

import datetime as dt

from attendance_core.codes import AttendanceCode, Category, CodeSet, Lateness

__all__ = ["WALES_2010"]

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

WALES_2010 = CodeSet(
    id="wales-2010",
    name="Wales, 2010 regulations (per-code detail UNCONFIRMED)",
    source="SI 2010/1954 (W.187); letters and categories believed to match England's pre-2013 set",
    valid_from=dt.date(2010, 9, 1),
    valid_to=None,
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
            "J", "At an interview with a prospective employer or college", _AEA, _AEA_GROUP
        ),
        AttendanceCode("P", "Approved sporting activity", _AEA, _AEA_GROUP),
        AttendanceCode("V", "Educational visit or trip", _AEA, _AEA_GROUP),
        AttendanceCode("W", "Work experience", _AEA, _AEA_GROUP),
        AttendanceCode("C", "Other authorised circumstances", _AUTH, _AUTHORISED),
        AttendanceCode("E", "Excluded, no alternative provision made", _AUTH, _AUTHORISED),
        AttendanceCode("F", "Agreed extended family holiday", _AUTH, _AUTHORISED),
        AttendanceCode("H", "Agreed family holiday", _AUTH, _AUTHORISED),
        AttendanceCode("I", "Illness (not medical or dental appointment)", _AUTH, _AUTHORISED),
        AttendanceCode("M", "Medical or dental appointment", _AUTH, _AUTHORISED),
        AttendanceCode("R", "Religious observance", _AUTH, _AUTHORISED),
        AttendanceCode("S", "Study leave", _AUTH, _AUTHORISED),
        AttendanceCode("T", "Traveller absence", _AUTH, _AUTHORISED),
        AttendanceCode("G", "Family holiday not agreed, or days in excess", _UNAUTH, _UNAUTHORISED),
        AttendanceCode("N", "No reason yet provided for absence", _UNAUTH, _UNAUTHORISED),
        AttendanceCode(
            "O", "Unauthorised absence not covered by another code", _UNAUTH, _UNAUTHORISED
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
"""The Welsh statutory code set; contributed to attendance_core under the id ``"wales-2010"``."""
