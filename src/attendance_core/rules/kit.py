"""The public kit for rule authors: everything a rule plugin needs, typed and documented.

A rule is a pure function ``(PupilRecord, RuleContext) -> list[Finding]`` (scope ``"pupil"``)
or ``(Register, RuleContext) -> list[Finding]`` (scope ``"register"``), contributed through the
``attendance_core_rules`` hook. The core's own rules are written with the same pieces:

- :class:`PupilRecord` (one enrolment's row of marks, one byte per session, never an object per
  mark), :class:`RuleContext` (calendar, policy, as-of date), :class:`Finding`,
  :class:`Evidence`, :class:`Rule` and :class:`Severity`;
- the counted year: :func:`year_span` and :func:`year_to_date` (1 August of the academic year
  holding the as-of date to the as-of date, within admission and leaving, DfE's Year 11 rule as
  the policy sets it), :func:`on_roll` to clip any span to the enrolment, :func:`span` for a
  span's register columns, :func:`academic_year_bounds` and :func:`academic_year_start`;
- tallies by category: :func:`tally` gives attended, absent and possible sessions over a span
  and the columns of the absences (one ``bytes.translate`` and two ``bytes.count``);
- the school-session timeline: :func:`year_window` and :func:`streak_window` give a
  :class:`Timeline` (school sessions against register columns, so a missing mark is visible);
- wording: :func:`long_date` (``3 March 2025``), :func:`format_days` (``27½``) and
  :func:`display_percent` (``92.1%``, as DfE rounds: the one percent formatter of the library).

Example plugins in ``plugins/kent`` and ``plugins/wales`` use nothing else of the core's rules.
"""

from __future__ import annotations

import datetime as dt

from attendance_core.calendars import academic_year_bounds
from attendance_core.model import Severity
from attendance_core.rules._counting import Tally, span, tally, year_span, year_to_date
from attendance_core.rules._timeline import (
    Timeline,
    academic_year_start,
    format_days,
    long_date,
    streak_window,
    year_window,
)
from attendance_core.rules.findings import Evidence, Finding, PupilRecord, Rule, RuleContext
from attendance_core.rules.statistics import display_percent

__all__ = [
    "Evidence",
    "Finding",
    "PupilRecord",
    "Rule",
    "RuleContext",
    "Severity",
    "Tally",
    "Timeline",
    "academic_year_bounds",
    "academic_year_start",
    "display_percent",
    "format_days",
    "long_date",
    "on_roll",
    "span",
    "streak_window",
    "tally",
    "year_span",
    "year_to_date",
    "year_window",
]


def on_roll(record: PupilRecord, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """``first`` to ``last`` clipped to the pupil's admission and leaving dates (unchanged
    without an enrolment): no rule may count a session while the pupil was not on roll
    (SI 2024/208 reg 10(1): the register covers pupils on the admission register)."""
    enrolment = record.enrolment
    if enrolment is not None:
        first = max(first, enrolment.admission_date)
        if enrolment.leaving_date is not None:
            last = min(last, enrolment.leaving_date)
    return first, last
