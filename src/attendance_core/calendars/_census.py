"""DfE school census attendance windows.

Source: DfE "Pupil absence in schools in England" methodology, section 4.1 and Table 6
(explore-education-statistics.service.gov.uk/methodology/pupil-absence-in-schools-in-england).
Absence is collected one term in arrears over fixed windows that are not the school's own term
dates: autumn is 1 August to 31 December; spring is 1 January to Easter Sunday; summer
half-term 1 is Easter Monday to the Sunday before the spring bank holiday; summer half-term 2
is the spring bank holiday to 31 July.

Easter Sunday is two days after Good Friday, and the spring bank holiday is the date
python-holidays gives England's "Spring Bank Holiday" (usually the last Monday of May; moved
to Thursday 2 June in 2022 for the platinum jubilee). In a year when it is not a Monday the
boundary falls on the Monday of its week, so the two summer windows still meet without a gap
or overlap; this reading of DfE's words is ours.
"""

from __future__ import annotations

import datetime as dt

import attrs

from attendance_core.calendars._bank_holidays import Nation, bank_holidays
from attendance_core.exceptions import InputError

__all__ = ["CENSUS_WINDOW_NAMES", "CensusWindow", "census_windows"]

CENSUS_WINDOW_NAMES = ("autumn", "spring", "summer 1", "summer 2")


@attrs.frozen
class CensusWindow:
    """One DfE census window of an academic year: ``start`` to ``end`` inclusive."""

    academic_year: int
    name: str
    """``"autumn"``, ``"spring"``, ``"summer 1"`` or ``"summer 2"``."""
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def _named(year: int, name: str) -> dt.date:
    for holiday in bank_holidays(Nation.ENGLAND, (year,)):
        if holiday.name == name:
            return holiday.date
    raise InputError(
        f"no {name} in {year} to bound the census windows",
        field="academic_year",
        value=year - 1,
        expected="an academic year from 1970, when England's spring bank holiday began",
    )


def census_windows(academic_year: int) -> list[CensusWindow]:
    """The four census windows of ``academic_year`` (2025 means 2025/26), in order."""
    spring_year = academic_year + 1
    easter_sunday = _named(spring_year, "Good Friday") + dt.timedelta(days=2)
    spring_bank = _named(spring_year, "Spring Bank Holiday")
    summer_2_start = spring_bank - dt.timedelta(days=spring_bank.weekday())
    return [
        CensusWindow(
            academic_year, "autumn", dt.date(academic_year, 8, 1), dt.date(academic_year, 12, 31)
        ),
        CensusWindow(academic_year, "spring", dt.date(spring_year, 1, 1), easter_sunday),
        CensusWindow(
            academic_year,
            "summer 1",
            easter_sunday + dt.timedelta(days=1),
            summer_2_start - dt.timedelta(days=1),
        ),
        CensusWindow(academic_year, "summer 2", summer_2_start, dt.date(spring_year, 7, 31)),
    ]
