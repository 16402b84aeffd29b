"""The Welsh persistent-absence measure as a rule :func:`attendance_core.check` runs.

Source: Welsh Government, "Absenteeism from primary schools" and "Absenteeism from secondary
schools: September 2022 to August 2023" (persistent absence is 10% or more of possible
sessions since 2023, 20% before; secondary statistics stop at the late May bank holiday).
The year-dependent threshold and the secondary cut-off are the two
Welsh conventions the core's own ``persistent-absence`` rule (DfE's) cannot express, since
``attendance_core_adjust_policy`` sees the rule but not the date it is run for; a rule sees
``context.as_of``. Settings are ``[plugin_settings.wales]`` keys: ``secondary`` and
``first_year_at_10_percent`` (UNCONFIRMED, default 2022, meaning 2022/23). The rule reads only
registers read with the Welsh code set, so installing the plugin beside English schools (a trust
on both sides of the border) changes nothing for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from attendance_core.calendars import academic_year_name
from attendance_core.policy import PolicyKey
from attendance_core.rules.kit import (
    Finding,
    PupilRecord,
    Rule,
    RuleContext,
    Severity,
    academic_year_start,
    on_roll,
    span,
    tally,
)
from attendance_core_wales.codes import WALES_2010
from attendance_core_wales.statistics import (
    FIRST_YEAR_AT_10_PERCENT,
    persistent_absence_percent,
    secondary_statistics_end,
)

__all__ = ["KEYS", "TABLE", "WALES_PERSISTENT_ABSENCE", "wales_persistent_absence"]

TABLE = "wales"
"""The policy table of the plugin's keys: ``[plugin_settings.wales]``."""

SOURCE = (
    "Welsh Government, Absenteeism from primary and secondary schools, September 2022 to "
    "August 2023 (persistent absence 10% since 2023, 20% before; secondary to the late May "
    "bank holiday)"
)

_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {"secondary": False, "first_year_at_10_percent": FIRST_YEAR_AT_10_PERCENT}
)

KEYS = (
    PolicyKey(
        TABLE,
        "secondary",
        _DEFAULTS["secondary"],
        "Whether the school is a secondary school: its Welsh statistics stop at the late May "
        "(spring) bank holiday, so wales-persistent-absence counts no session from that day on.",
        "Welsh Government, Absenteeism from secondary schools (coverage)",
    ),
    PolicyKey(
        TABLE,
        "first_year_at_10_percent",
        _DEFAULTS["first_year_at_10_percent"],
        "First academic year (2022 means 2022/23) whose Welsh persistent-absence line is 10%; "
        "earlier years use 20%. UNCONFIRMED: the change is reported for 2023.",
        "Welsh Government, Absenteeism from primary schools, September 2022 to August 2023",
    ),
)
"""Every key the plugin declares (hook ``attendance_core_policy_keys``)."""


def wales_persistent_absence(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Absence this school year at or above the Welsh line for that year (10%, or 20% before).

    Source: Welsh Government absenteeism statistics (see the module). Registers whose codes
    are not from the Welsh code set give no finding. The year runs from 1
    August (or admission) to the as-of date (or leaving), and for a secondary school to the day
    before the spring bank holiday. Decided on integers: ``absent * 100 >= possible * percent``.
    """
    if not any(code.code_set == WALES_2010.id for code in record.alphabet):
        return []
    values = {**_DEFAULTS, **context.policy.plugin_settings.get(TABLE, {})}
    year = context.calendar.academic_year_of(context.as_of)
    last = context.as_of
    if values["secondary"]:
        last = min(last, secondary_statistics_end(year) - dt.timedelta(days=1))
    first, last = on_roll(record, academic_year_start(context.calendar, context.as_of), last)
    counted = tally(record, span(record.sessions, first, last))
    possible, absent = counted.possible, counted.absent
    line = persistent_absence_percent(year, first_year_at_10=values["first_year_at_10_percent"])
    if not possible or absent * 100 < possible * line:
        return []
    rate = Fraction(absent, possible)
    columns = counted.absence_columns()
    return [
        Finding(
            rule=WALES_PERSISTENT_ABSENCE.name,
            pupil_id=record.pupil_id,
            as_of=context.as_of,
            severity=Severity.ACTION,
            figure=rate,
            threshold=Fraction(line, 100),
            evidence=record.evidence(columns),
            source=SOURCE,
            explanation=(
                f"Missed {absent} of {possible} possible sessions from {first.isoformat()} to "
                f"{last.isoformat()}; in Wales persistent absence in {academic_year_name(year)} "
                f"is {line}% or more."
            ),
            details={
                "absent_sessions": absent,
                "possible_sessions": possible,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "secondary": values["secondary"],
            },
        )
    ]


WALES_PERSISTENT_ABSENCE = Rule(
    "wales-persistent-absence",
    "pupil",
    wales_persistent_absence,
    SOURCE,
    "Persistent absence as the Welsh Government measures it: 10% since 2022/23 (20% before), "
    "secondary schools only up to the late May bank holiday.",
)
