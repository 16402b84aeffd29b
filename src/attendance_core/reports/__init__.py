"""Reports built from sections: the attendance officer's report, plus sections plugins add."""

from attendance_core.reports._sections import ReportSection

__all__ = ["ReportSection"]
