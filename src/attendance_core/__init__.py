"""attendance_core: English school attendance rules as an open, typed library.

Quick start::

    >>> import datetime as dt
    >>> import attendance_core as ac
    >>> s = ac.summarise([(dt.date(2025, 9, 8), "AM", "/"), (dt.date(2025, 9, 8), "PM", "I")])
    >>> s.possible_sessions, s.attendance_rate
    (2, Fraction(1, 2))
"""

from attendance_core.calendars import CensusWindow, SchoolCalendar, SchoolWeek
from attendance_core.codes import (
    CODE_SETS,
    ENGLAND_2006,
    ENGLAND_2024,
    AttendanceCode,
    Category,
    CodeSet,
    code_set_for_date,
    get_code_set,
)
from attendance_core.engine import check
from attendance_core.exceptions import (
    AttendanceError,
    CalendarError,
    InputError,
    PluginError,
    UnknownCodeError,
)
from attendance_core.hookspecs import hookimpl
from attendance_core.model import Enrolment, Mark, Part, Session
from attendance_core.plugins import list_plugins, make_plugin_manager
from attendance_core.register import Register, RegisterBuilder
from attendance_core.rules.escalation import Escalation
from attendance_core.rules.findings import Evidence, Finding, Rule, Severity
from attendance_core.rules.penalty_notice import PenaltyNotice
from attendance_core.rules.statistics import AttendanceSummary, summarise

__all__ = [
    "CODE_SETS",
    "ENGLAND_2006",
    "ENGLAND_2024",
    "AttendanceCode",
    "AttendanceError",
    "AttendanceSummary",
    "CalendarError",
    "Category",
    "CensusWindow",
    "CodeSet",
    "Enrolment",
    "Escalation",
    "Evidence",
    "Finding",
    "InputError",
    "Mark",
    "Part",
    "PenaltyNotice",
    "PluginError",
    "Register",
    "RegisterBuilder",
    "Rule",
    "SchoolCalendar",
    "SchoolWeek",
    "Session",
    "Severity",
    "UnknownCodeError",
    "check",
    "code_set_for_date",
    "get_code_set",
    "hookimpl",
    "list_plugins",
    "make_plugin_manager",
    "summarise",
]
