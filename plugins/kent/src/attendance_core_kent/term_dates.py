"""Kent County Council's term dates as a :class:`SchoolCalendar`, shipped as package data.

Source: Kent County Council, school term dates
(https://www.kent.gov.uk/education-and-children/schools/school-term-dates), as reproduced by Kent
schools' pages cited in ``term_dates.toml``. The council sets term dates for its community and
voluntary controlled schools (House of Commons Library briefing SN07148, "School term
and holiday dates"); each school adds its own five INSET days,
which a school's plugin contributes through ``attendance_core_adjust_calendar``.
"""

from __future__ import annotations

import functools
from importlib import resources

from attendance_core import SchoolCalendar

__all__ = ["CALENDAR_NAME", "term_dates"]

CALENDAR_NAME = "Kent County Council"
"""The name a policy uses for this calendar: ``[calendar] name = "Kent County Council"``."""


@functools.cache
def term_dates() -> SchoolCalendar:
    """The council's calendar for 2024/25 and 2025/26, read and checked once on first use."""
    with resources.as_file(resources.files("attendance_core_kent") / "term_dates.toml") as path:
        return SchoolCalendar.from_toml(path)
