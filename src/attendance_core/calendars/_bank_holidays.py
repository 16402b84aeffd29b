"""Bank holidays of the UK nations, from the ``holidays`` package.

Sources: the Banking and Financial Dealings Act 1971 (schedule 1) and the royal proclamations
for substitute and one-off days, as python-holidays encodes them
(``holidays/countries/united_kingdom.py``, subdivisions ENG, WLS, SCT and NIR). The old
country-wide ``holidays.UK()`` mixes Scottish and Northern Irish days into one set, so the
subdivision is always given; the language is fixed to ``en_GB`` so that names never depend on
the machine's locale. One-off days (the 2022 platinum jubilee and state funeral, the 2023
coronation) are included exactly as the installed ``holidays`` release knows them; a day
declared after that release is added to a calendar as an extra bank holiday.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable

import attrs

__all__ = ["BankHoliday", "Nation", "bank_holidays", "holiday_names"]

LANGUAGE = "en_GB"


class Nation(str, enum.Enum):
    """The UK nation whose bank holidays a school keeps."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    def __str__(self) -> str:
        return self.value

    @property
    def subdivision(self) -> str:
        """The ISO 3166-2 code python-holidays uses for this nation."""
        return _SUBDIVISIONS[self]


_SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@attrs.frozen(order=True)
class BankHoliday:
    """One bank holiday: its date and its name (as ``holidays`` gives it, or as declared)."""

    date: dt.date
    name: str


@functools.lru_cache(maxsize=256)
def _year(subdivision: str, year: int) -> tuple[BankHoliday, ...]:
    import holidays  # slow to import: loaded only when a calendar first needs bank holidays

    found = holidays.country_holidays("GB", subdiv=subdivision, years=year, language=LANGUAGE)
    return tuple(sorted(BankHoliday(day, name) for day, name in found.items()))


def bank_holidays(nation: Nation, years: range | tuple[int, ...]) -> tuple[BankHoliday, ...]:
    """The bank holidays of ``nation`` in the given calendar years, in date order.

    A holiday falling at a weekend appears on its own date and again, as "(observed)", on the
    substitute weekday; only weekdays matter to a school.
    """
    return tuple(holiday for year in years for holiday in _year(nation.subdivision, year))


def holiday_names(
    nation: Nation, academic_years: Iterable[int], extra: Iterable[BankHoliday] = ()
) -> dict[dt.date, str]:
    """Bank holiday names by date in every calendar year the academic years touch, plus ``extra``.

    An academic year runs into the next calendar year, so 2024 needs 2024's and 2025's days.
    """
    years = tuple(sorted({y for year in academic_years for y in (year, year + 1)}))
    names = {holiday.date: holiday.name for holiday in bank_holidays(nation, years)}
    names.update((holiday.date, holiday.name) for holiday in extra)
    return names
