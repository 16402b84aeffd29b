"""attendance_core plugin for a local authority: Kent County Council's term dates and a local
notification rule.

Installed, it is found through the ``attendance_core`` entry-point group under the name
``"kent"``. It provides the calendar ``"Kent County Council"`` (a policy names it with
``[calendar] name = "Kent County Council"``), contributes the rule
``kent-notification-any-absence`` (15 school days of any absence, beside the national 10
continuous days of unauthorised absence) and declares its setting, ``[plugin_settings.kent]``.
"""

from __future__ import annotations

from collections.abc import Sequence

from attendance_core import Rule, SchoolCalendar, hookimpl
from attendance_core.policy import PolicyKey
from attendance_core_kent.notification import KENT_ANY_ABSENCE, KEYS, any_absence
from attendance_core_kent.term_dates import CALENDAR_NAME, term_dates

__all__ = [
    "CALENDAR_NAME",
    "KENT_ANY_ABSENCE",
    "any_absence",
    "attendance_core_calendars",
    "attendance_core_policy_keys",
    "attendance_core_rules",
    "term_dates",
]


@hookimpl
def attendance_core_calendars() -> Sequence[SchoolCalendar]:
    """Provide the council's term dates as the calendar ``"Kent County Council"``."""
    return (term_dates(),)


@hookimpl
def attendance_core_rules() -> Sequence[Rule]:
    """Contribute ``kent-notification-any-absence``."""
    return (KENT_ANY_ABSENCE,)


@hookimpl
def attendance_core_policy_keys() -> Sequence[PolicyKey]:
    """Declare ``[plugin_settings.kent] any_absence_days``."""
    return KEYS
