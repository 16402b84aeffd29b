"""Welsh Government statistics conventions that differ from DfE's, as small pure functions.

Sources:
- Persistent absence: the Welsh statistical definition moved from 20% to 10% of possible
  sessions in 2023 (Welsh Government, "Absenteeism from primary schools: September 2022 to
  August 2023"). That 2022/23 is the first academic year published at 10% is UNCONFIRMED, so
  the first year is a parameter with that default.
- Coverage: secondary schools' annual statistics run only up to the late May (spring) bank
  holiday, because of examinations (Welsh Government, "Absenteeism from secondary schools:
  September 2022 to August 2023", and the school attendance quality report). The spring bank
  holiday is taken from ``holidays`` for Wales, so moved years (2 June 2022) are right.
"""

from __future__ import annotations

import datetime as dt

import holidays

__all__ = [
    "FIRST_YEAR_AT_10_PERCENT",
    "persistent_absence_percent",
    "secondary_statistics_end",
]

FIRST_YEAR_AT_10_PERCENT = 2022
"""First academic year (2022 means 2022/23) believed to be published at 10%; UNCONFIRMED."""


def persistent_absence_percent(
    academic_year: int, *, first_year_at_10: int = FIRST_YEAR_AT_10_PERCENT
) -> int:
    """The Welsh persistent-absence threshold, in percent, for ``academic_year``: 10, or 20 before."""
    return 10 if academic_year >= first_year_at_10 else 20


def secondary_statistics_end(academic_year: int) -> dt.date:
    """The spring bank holiday of ``academic_year``: Welsh secondary statistics stop before it.

    ``academic_year`` is the calendar year the school year starts in (2024 means 2024/25), so
    the holiday is in May (or, as in 2022, early June) of the following calendar year.
    """
    calendar = holidays.country_holidays("GB", subdiv="WLS", years=academic_year + 1)
    (day,) = calendar.get_named("Spring Bank Holiday", lookup="exact")
    return day
