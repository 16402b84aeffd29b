"""Reports built from sections: the attendance officer's report, plus sections plugins add.

:func:`officer_report` builds a :class:`Report` of frozen :class:`ReportSection` values, which
renders as Markdown, plain text, JSON (with every figure), CSV or HTML. Plugins add sections
through the ``attendance_core_report_sections`` hook; each is marked with the plugin that
contributed it.
"""

from attendance_core.reports._officer import officer_report, summaries_as_of
from attendance_core.reports._render import Report
from attendance_core.reports._sections import ReportSection

__all__ = ["Report", "ReportSection", "officer_report", "summaries_as_of"]
