"""School calendars: terms, holidays, INSET days and closures, and school-time arithmetic.

No library carries English school calendars: local authorities and academy trusts set term
dates and each school adds its own INSET days. A :class:`SchoolCalendar` holds them as checked
data; every rule counts school days and school weeks with it. The TOML format is documented in
``docs/calendars.md``.
"""

from attendance_core.calendars._adjust import CalendarAdjustment, apply_adjustment
from attendance_core.calendars._bank_holidays import (
    BankHoliday,
    Nation,
    bank_holidays,
    holiday_names,
)
from attendance_core.calendars._calendar import SchoolCalendar
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
    SchoolWeek,
    SessionTimes,
    Term,
    YearSessions,
    academic_year_bounds,
    academic_year_name,
    academic_year_of,
)
from attendance_core.calendars._validate import calendar_problems

__all__ = [
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
    "Nation",
    "RegisterTimes",
    "SchoolCalendar",
    "SchoolWeek",
    "SessionTimes",
    "Term",
    "YearSessions",
    "academic_year_bounds",
    "academic_year_name",
    "academic_year_of",
    "apply_adjustment",
    "bank_holidays",
    "calendar_problems",
    "census_windows",
    "holiday_names",
]
