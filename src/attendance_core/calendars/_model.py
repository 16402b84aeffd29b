"""The school calendar as frozen data, and the school-time arithmetic every rule counts with.

Sources: Education (School Day and School Year) (England) Regulations 1999, regs 2-3 (a school
day is two sessions; the school year runs from the first term after July; 380 sessions a year);
SI 2024/208 reg 10 and WTISA 2024 (planned closures are coded ``#``, an unexpected whole-site
closure ``Y4``, an unavoidable partial closure ``Y3``; a register open at most 30 minutes); the
national framework for penalty notices (a school week is any week with at least one session).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

import attrs

from attendance_core.model import Part

__all__ = [
    "CLOSURE_CODES",
    "DEFAULT_MINIMUM_SESSIONS",
    "MAX_REGISTER_OPEN_MINUTES",
    "AcademicYear",
    "Closure",
    "ClosureCode",
    "HalfTerm",
    "HalfTermHoliday",
    "RegisterTimes",
    "SchoolWeek",
    "SessionTimes",
    "Term",
    "YearSessions",
    "academic_year_name",
    "academic_year_of",
]

DEFAULT_MINIMUM_SESSIONS = 380
"""Sessions a maintained school must meet in a year (1999 Regulations reg 3); 378 in 2011/12."""
MAX_REGISTER_OPEN_MINUTES = 30
"""WTISA 2024: a register should stay open no longer than 30 minutes."""
ClosureCode = Literal["#", "Y4", "Y3"]
CLOSURE_CODES: tuple[ClosureCode, ...] = ("#", "Y4", "Y3")
"""Planned closure, unexpected whole-site closure, unavoidable partial closure."""
BOTH_PARTS = (Part.AM, Part.PM)
ONE_WEEK = dt.timedelta(days=7)
ONE_DAY = dt.timedelta(days=1)


def academic_year_of(day: dt.date) -> int:
    """The academic year holding ``day``, named by the year it starts: 1 August to 31 July."""
    return day.year if day.month >= 8 else day.year - 1


def academic_year_bounds(academic_year: int) -> tuple[dt.date, dt.date]:
    """1 August and 31 July of the academic year starting in ``academic_year``."""
    return dt.date(academic_year, 8, 1), dt.date(academic_year + 1, 7, 31)


def academic_year_name(year: int) -> str:
    """How schools and DfE write academic year ``year``: 2025 is ``"2025/26"``."""
    return f"{year}/{(year + 1) % 100:02d}"


def code_closes_school(code: str | None) -> bool:
    """``#`` and ``Y4`` close the school; ``Y3`` leaves it open to pupils who can be taught."""
    return code is not None and code != "Y3"


def _parts(value: tuple[Part | str, ...] | list[Part | str]) -> tuple[Part, ...]:
    return tuple(sorted({Part(str(p).strip()) for p in value}))


@attrs.frozen
class Term:
    """A named term (e.g. "Autumn"), first to last day inclusive, half-term holiday included."""

    name: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@attrs.frozen(order=True)
class HalfTermHoliday:
    """A holiday inside a term (the half-term break), first to last day inclusive."""

    start: dt.date
    end: dt.date
    name: str = ""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@attrs.frozen
class HalfTerm:
    """A teaching half of a term: "Autumn 1" runs from the term's start to the break."""

    name: str
    term: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@attrs.frozen(order=True)
class Closure:
    """Days (or single sessions) of term on which the school does not meet, or meets in part.

    ``code`` is what the register shows: ``"#"`` for a planned closure (a polling station, a
    one-off extra holiday), ``"Y4"`` for an unexpected whole-site closure (snow, a burst pipe),
    ``"Y3"`` for part of the premises out of use. A ``Y3`` closure leaves the session a school
    session: pupils who could be accommodated are marked as usual.
    """

    start: dt.date
    end: dt.date
    code: ClosureCode
    reason: str = ""
    parts: tuple[Part, ...] = attrs.field(default=BOTH_PARTS, converter=_parts)

    @property
    def removes_sessions(self) -> bool:
        """Whether the closed sessions are no longer sessions the school meets (not ``Y3``)."""
        return code_closes_school(self.code)

    def days(self) -> Iterator[dt.date]:
        """Each weekday from ``start`` to ``end``."""
        return weekdays(self.start, self.end)


@attrs.frozen
class SessionTimes:
    """When one session's register opens and closes (local time)."""

    open: dt.time
    close: dt.time

    @property
    def minutes_open(self) -> int:
        """Minutes between opening and closing the register (negative if they are swapped)."""
        return (self.close.hour * 60 + self.close.minute) - (self.open.hour * 60 + self.open.minute)


@attrs.frozen
class RegisterTimes:
    """The school's register times, the same every day (a school's attendance policy)."""

    am: SessionTimes
    pm: SessionTimes

    def for_part(self, part: Part) -> SessionTimes:
        """The times of the morning or the afternoon register."""
        return self.am if part is Part.AM else self.pm


@attrs.frozen
class AcademicYear:
    """One academic year of a calendar: its terms, half-term holidays, INSET days, closures."""

    year: int
    """The calendar year the academic year starts in (2025 means 2025/26)."""
    terms: tuple[Term, ...]
    half_term_holidays: tuple[HalfTermHoliday, ...] = ()
    inset_days: tuple[dt.date, ...] = ()
    """The school's own non-pupil days (staff training); registers show ``#``."""
    closures: tuple[Closure, ...] = ()
    minimum_sessions: int | None = None
    """Overrides the policy's minimum for this year (378 in 2011/12); ``None`` to use it."""


@attrs.frozen
class SchoolWeek:
    """A week (Monday to Sunday) with at least one school session; ``days`` is never empty."""

    start: dt.date
    """The Monday."""
    days: tuple[dt.date, ...]

    @property
    def end(self) -> dt.date:
        """The Sunday."""
        return self.start + dt.timedelta(days=6)


@attrs.frozen
class YearSessions:
    """Sessions a school meets in an academic year, against the minimum it should meet."""

    academic_year: int
    sessions: int
    minimum: int

    @property
    def below_minimum(self) -> bool:
        """Whether the year has fewer sessions than the minimum."""
        return self.sessions < self.minimum

    @property
    def warning(self) -> str | None:
        """A one-line warning when the year is short, else ``None`` (never an exception)."""
        if not self.below_minimum:
            return None
        return (
            f"{academic_year_name(self.academic_year)} has {self.sessions} sessions, fewer than "
            f"the minimum of {self.minimum} "
            "(Education (School Day and School Year) (England) Regulations 1999 reg 3)"
        )


def weekdays(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += ONE_DAY
