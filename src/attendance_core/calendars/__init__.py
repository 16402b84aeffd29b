"""School calendars: terms, holidays, INSET days and closures, and school-time arithmetic.

No library carries English school calendars: local authorities and academy trusts set term
dates and each school adds its own INSET days. A :class:`SchoolCalendar` holds them as checked
data; every rule counts school days and school weeks with it. The TOML format is documented in
``docs/calendars.md``.
"""

from attendance_core.calendars._bank_holidays import BankHoliday, Nation, bank_holidays
from attendance_core.calendars._census import CENSUS_WINDOW_NAMES, CensusWindow, census_windows
from attendance_core.calendars._model import (
    CLOSURE_CODES,
    DEFAULT_MINIMUM_SESSIONS,
    MAX_REGISTER_OPEN_MINUTES,
    AcademicYear,
    Closure,
    HalfTerm,
    HalfTermHoliday,
    RegisterTimes,
    SchoolCalendar,
    SchoolWeek,
    SessionTimes,
    Term,
    YearSessions,
    academic_year_bounds,
    academic_year_name,
    academic_year_of,
)
from attendance_core.calendars._plugins import (
    CalendarAdjustment,
    adjust_calendar,
    apply_adjustment,
    calendar_for_policy,
    plugin_calendars,
    resolve_calendar,
)
from attendance_core.calendars._register_checks import (
    AFTER_LEAVING,
    BEFORE_ADMISSION,
    MarkOutsideEnrolment,
    MissingMarks,
    NonSchoolDayMark,
    marks_on_non_school_days,
    marks_outside_enrolment,
    missing_marks,
)

__all__ = [
    "AFTER_LEAVING",
    "BEFORE_ADMISSION",
    "CENSUS_WINDOW_NAMES",
    "CLOSURE_CODES",
    "DEFAULT_MINIMUM_SESSIONS",
    "MAX_REGISTER_OPEN_MINUTES",
    "AcademicYear",
    "BankHoliday",
    "CalendarAdjustment",
    "CensusWindow",
    "Closure",
    "HalfTerm",
    "HalfTermHoliday",
    "MarkOutsideEnrolment",
    "MissingMarks",
    "Nation",
    "NonSchoolDayMark",
    "RegisterTimes",
    "SchoolCalendar",
    "SchoolWeek",
    "SessionTimes",
    "Term",
    "YearSessions",
    "academic_year_bounds",
    "academic_year_name",
    "academic_year_of",
    "adjust_calendar",
    "apply_adjustment",
    "bank_holidays",
    "calendar_for_policy",
    "census_windows",
    "marks_on_non_school_days",
    "marks_outside_enrolment",
    "missing_marks",
    "plugin_calendars",
    "resolve_calendar",
]
