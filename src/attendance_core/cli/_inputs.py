"""Inputs several commands read the same way, so ``summary``, ``check`` and ``report`` agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # summary reads ordinary files without pluggy or the calendar package
    import pluggy

    from attendance_core.calendars import SchoolCalendar
    from attendance_core.policy import Policy

__all__ = ["NO_CALENDAR", "school_calendar"]

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
