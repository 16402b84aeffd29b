"""attendance_core: English school attendance rules as an open, typed library.

Quick start::

    >>> import datetime as dt
    >>> import attendance_core as ac
    >>> s = ac.summarise([(dt.date(2025, 9, 8), "AM", "/"), (dt.date(2025, 9, 8), "PM", "I")])
    >>> s.possible_sessions, s.attendance_rate
    (2, Fraction(1, 2))

Modules that are slow to import (calendars pull in ``holidays``; the engine, rules and plugins
pull in pluggy) are loaded on first use through :data:`_LAZY`, so a command line run that only
reads marks and sums them starts fast. Add a heavy re-export there, with its import under
``TYPE_CHECKING`` for type checkers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from attendance_core.exceptions import (
    AttendanceError,
    CalendarError,
    InputError,
    PluginError,
    PolicyError,
    UnknownCodeError,
)
from attendance_core.model import Enrolment, Mark, Part, Session
from attendance_core.register import Register, RegisterBuilder
from attendance_core.rules.statistics import AbsenceThresholds, AttendanceSummary

if TYPE_CHECKING:
    from attendance_core.calendars import CensusWindow, SchoolCalendar, SchoolWeek
    from attendance_core.hookspecs import hookimpl
    from attendance_core.io.school_files import read_school
    from attendance_core.model import Severity
    from attendance_core.plugins import list_plugins, make_plugin_manager
    from attendance_core.policy import Policy, PolicyKey
    from attendance_core.reports import officer_report
    from attendance_core.rules.escalation import Escalation
    from attendance_core.rules.findings import Evidence, Finding, Rule
    from attendance_core.rules.penalty_notice import PenaltyNotice
    from attendance_core.school import School, check, load_policy, summarise

_LAZY = {
    "CensusWindow": "attendance_core.calendars",
    "Escalation": "attendance_core.rules.escalation",
    "Evidence": "attendance_core.rules.findings",
    "Finding": "attendance_core.rules.findings",
    "PenaltyNotice": "attendance_core.rules.penalty_notice",
    "Policy": "attendance_core.policy",
    "PolicyKey": "attendance_core.policy",
    "Rule": "attendance_core.rules.findings",
    "SchoolCalendar": "attendance_core.calendars",
    "SchoolWeek": "attendance_core.calendars",
    "Severity": "attendance_core.model",
    "School": "attendance_core.school",
    "check": "attendance_core.school",
    "load_policy": "attendance_core.school",
    "read_school": "attendance_core.io.school_files",
    "summarise": "attendance_core.school",
    "hookimpl": "attendance_core.hookspecs",
    "list_plugins": "attendance_core.plugins",
    "make_plugin_manager": "attendance_core.plugins",
    "officer_report": "attendance_core.reports",
}
"""Re-exports imported on first access (PEP 562), by name."""


if not TYPE_CHECKING:  # hidden from type checkers, or every misspelt attribute would be Any

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'attendance_core' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "CODE_SETS",
    "ENGLAND_2006",
    "ENGLAND_2024",
    "AbsenceThresholds",
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
    "Policy",
    "PolicyError",
    "PolicyKey",
    "Register",
    "RegisterBuilder",
    "Rule",
    "School",
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
    "load_policy",
    "make_plugin_manager",
    "officer_report",
    "read_school",
    "summarise",
]
