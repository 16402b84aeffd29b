"""The built-in rules: every rule :func:`attendance_core.check` runs unless told otherwise.

Each entry is a :class:`~attendance_core.rules.findings.Rule` defined beside its pure function
in its own module; plugins add more through the ``attendance_core_rules`` hook. Names are unique
across the built-in rules and every plugin's.
"""

from __future__ import annotations

from attendance_core.rules import (
    absence_pattern,
    absence_thresholds,
    bands,
    consecutive_absence,
    deletion,
    la_notifications,
    lateness,
    look_ahead,
    missing_marks,
    non_school_days,
    outside_enrolment,
    penalty_notice,
    school_age,
    unexplained_absence,
)
from attendance_core.rules.findings import Rule

__all__ = ["BUILTIN_RULES"]

BUILTIN_RULES: tuple[Rule, ...] = (
    absence_thresholds.PERSISTENT_ABSENCE,
    absence_thresholds.SEVERE_ABSENCE,
    bands.ATTENDANCE_BAND,
    bands.WATCH_LIST,
    penalty_notice.PENALTY_NOTICE_THRESHOLD,
    look_ahead.LOOK_AHEAD,
    la_notifications.LA_NOTIFICATION_CONTINUOUS_ABSENCE,
    la_notifications.LA_NOTIFICATION_SICKNESS,
    deletion.DELETION_20_DAY,
    unexplained_absence.UNEXPLAINED_ABSENCE_OUTSTANDING,
    unexplained_absence.FIRST_DAY_CONTACT,
    missing_marks.MISSING_MARKS,
    non_school_days.MARKS_ON_NON_SCHOOL_DAYS,
    outside_enrolment.MARKS_OUTSIDE_ENROLMENT,
    school_age.CODE_FOR_AGE,
    lateness.LATENESS,
    consecutive_absence.CONSECUTIVE_ABSENCE,
    absence_pattern.ABSENCE_PATTERN,
)
"""The built-in rules in the order they run (findings are sorted afterwards anyway)."""
