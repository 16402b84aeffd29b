"""Rules: pure functions over marks, counts and calendars, each citing its source."""

from attendance_core.rules.statistics import (
    AbsenceThresholds,
    AttendanceSummary,
    MarkLike,
    is_persistent_absence,
    is_severe_absence,
    summarise_marks,
)

__all__ = [
    "AbsenceThresholds",
    "AttendanceSummary",
    "MarkLike",
    "is_persistent_absence",
    "is_severe_absence",
    "summarise_marks",
]
