"""Inputs several commands read the same way, so ``summary``, ``check`` and ``report`` agree."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # summary reads ordinary files without pluggy or the calendar package
    import pluggy

    from attendance_core.calendars import SchoolCalendar
    from attendance_core.policy import Policy

__all__ = ["NO_CALENDAR", "ROLL_RULES", "school_calendar", "warn_without_enrolments"]

NO_CALENDAR = "--calendar CAL.toml, or a policy whose [calendar] names a file or a name"
"""What a command that needs a calendar expects when it has none."""


def school_calendar(
    path: str | None, policy: Policy | None, manager: pluggy.PluginManager
) -> SchoolCalendar | None:
    """The calendar a command runs with: the ``--calendar`` file, else the one ``policy``'s
    ``[calendar]`` names (a file, or a plugin's calendar by name), else ``None``.

    Either way every plugin's adjustments (a school's own INSET days and closures) apply.
    """
    from attendance_core.calendars import SchoolCalendar, adjust_calendar, calendar_for_policy

    if path:
        return adjust_calendar(manager, SchoolCalendar.from_toml(path))
    if policy is not None and (policy.calendar.file or policy.calendar.name):
        return calendar_for_policy(policy, manager)
    return None


ROLL_RULES = {
    "first-day-contact": "first-day-contact lists leavers and later joiners as 'No mark'",
    "missing-marks": "missing-marks looks only between each pupil's first and last marks",
    "look-ahead": "look-ahead counts every session to 31 July",
    "marks-outside-enrolment": "marks-outside-enrolment finds nothing",
}
"""Rules whose answers depend on who is on roll when, and what each assumes without enrolments:
every pupil in the marks file is taken to be on roll (see docs/rules.md)."""


def warn_without_enrolments(command: str, rules: Sequence[str] | None) -> None:
    """One line on standard error when rules that need roll dates ran without enrolments."""
    running = [text for name, text in ROLL_RULES.items() if rules is None or name in rules]
    if running:
        print(
            f"attendance-core {command}: warning: no --enrolments, so every pupil in the marks "
            f"file is taken to be on roll ({'; '.join(running)}): give --enrolments FILE.csv",
            file=sys.stderr,
        )
