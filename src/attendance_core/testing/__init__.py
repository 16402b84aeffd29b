"""Public helpers for other tools and plugin authors: Hypothesis strategies and a conformance kit.

Install with ``pip install 'attendance_core[testing]'`` (it needs Hypothesis). Nothing in the
core imports this package, so the library itself never depends on Hypothesis. See
``docs/testing.md``.
"""

from attendance_core.testing.conformance import ConformanceError, check_plugin, plugin_problems
from attendance_core.testing.strategies import (
    DEFAULT_END,
    DEFAULT_START,
    calendars,
    code_sets,
    codes,
    enrolments,
    mark_sequences,
    marks,
    policies,
    registers,
    sessions,
    summaries,
)

__all__ = [
    "DEFAULT_END",
    "DEFAULT_START",
    "ConformanceError",
    "calendars",
    "check_plugin",
    "code_sets",
    "codes",
    "enrolments",
    "mark_sequences",
    "marks",
    "plugin_problems",
    "policies",
    "registers",
    "sessions",
    "summaries",
]
