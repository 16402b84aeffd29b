"""Checks on a calendar's meaning: every problem found at once, each with its path in the file.

The parser (:mod:`._toml`) reports what is malformed (a bad date, an unknown key); this module
reports what is contradictory (overlapping terms, INSET on a weekend, a closure outside term).
Paths follow the file: ``$.years[0].terms[1]`` is the second term of the first year listed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from attendance_core.calendars._bank_holidays import holiday_names
from attendance_core.calendars._model import (
    MAX_REGISTER_OPEN_MINUTES,
    AcademicYear,
    Closure,
    HalfTermHoliday,
    RegisterTimes,
    Term,
    academic_year_bounds,
    academic_year_name,
)
from attendance_core.exceptions import CalendarProblem
from attendance_core.model import Part

if TYPE_CHECKING:
    from attendance_core.calendars._calendar import SchoolCalendar

__all__ = [
    "YearEntries",
    "calendar_problems",
    "register_time_problems",
    "repeated_years",
    "year_problems",
]

Found = list[tuple[str, str]]
"""``(path, message)`` pairs."""


@attrs.frozen
class YearEntries:
    """One academic year's entries as read, each with its path (unreadable entries left out)."""

    path: str
    year: int
    terms: Sequence[tuple[str, Term]]
    half_term_holidays: Sequence[tuple[str, HalfTermHoliday]]
    inset_days: Sequence[tuple[str, dt.date]]
    closures: Sequence[tuple[str, Closure]]
    minimum_sessions: tuple[str, int | None]
    terms_complete: bool = True
    """False when a term could not be read: then nothing is checked against the terms, so one
    bad date gives one problem rather than one for every INSET day and closure of the term."""

    @classmethod
    def of(cls, path: str, year: AcademicYear) -> YearEntries:
        """The entries of a built :class:`AcademicYear`, with paths by position."""
        return cls(
            path,
            year.year,
            [(f"{path}.terms[{i}]", t) for i, t in enumerate(year.terms)],
            [(f"{path}.half_term_holidays[{i}]", h) for i, h in enumerate(year.half_term_holidays)],
            [(f"{path}.inset_days[{i}]", d) for i, d in enumerate(year.inset_days)],
            [(f"{path}.closures[{i}]", c) for i, c in enumerate(year.closures)],
            (f"{path}.minimum_sessions", year.minimum_sessions),
        )


def register_time_problems(path: str, times: RegisterTimes) -> Found:
    """A register must close after it opens, and stay open at most 30 minutes (WTISA 2024)."""
    found: Found = []
    for part in (Part.AM, Part.PM):
        session = times.for_part(part)
        where = f"{path}.{part.value.lower()}"
        if session.minutes_open <= 0:
            found.append(
                (where, f"the register closes ({session.close}) before it opens ({session.open})")
            )
        elif session.minutes_open > MAX_REGISTER_OPEN_MINUTES:
            found.append(
                (
                    where,
                    f"the register is open {session.minutes_open} minutes; at most "
                    f"{MAX_REGISTER_OPEN_MINUTES} are allowed (WTISA 2024)",
                )
            )
    return found


def repeated_years(entries: Sequence[YearEntries]) -> Found:
    """A calendar lists each academic year once."""
    found: Found = []
    seen: set[int] = set()
    for entry in entries:
        if entry.year in seen:
            found.append(
                (entry.path, f"academic year {academic_year_name(entry.year)} is listed twice")
            )
        seen.add(entry.year)
    return found


def year_problems(entries: YearEntries, holidays: Mapping[dt.date, str]) -> Found:
    """Every contradiction inside one academic year; ``holidays`` are the nation's bank holidays."""
    found: Found = []
    first, last = academic_year_bounds(entries.year)
    name = academic_year_name(entries.year)
    terms: list[tuple[str, Term]] = []
    for path, term in entries.terms:
        if term.end < term.start:
            found.append((path, f"term {term.name!r} ends before it starts"))
            continue
        if term.start < first or term.end > last:
            found.append(
                (
                    path,
                    f"term {term.name!r} ({term.start} to {term.end}) is outside its academic "
                    f"year {name} (1 August {entries.year} to 31 July {entries.year + 1})",
                )
            )
        terms.append((path, term))
    ordered = sorted(terms, key=lambda item: item[1].start)
    for (_, earlier), (path, later) in itertools.pairwise(ordered):
        if later.start <= earlier.end:
            found.append((path, f"term {later.name!r} overlaps term {earlier.name!r}"))
    seen_names: set[str] = set()
    for path, term in entries.terms:
        if term.name in seen_names:
            found.append((path, f"two terms are named {term.name!r}"))
        seen_names.add(term.name)

    path, minimum = entries.minimum_sessions
    if minimum is not None and minimum <= 0:
        found.append((path, f"minimum_sessions must be a positive number (got {minimum})"))
    if not entries.terms_complete:
        return found

    def term_holding(day: dt.date) -> Term | None:
        return next((t for _, t in terms if day in t), None)

    breaks: list[HalfTermHoliday] = []
    for path, holiday in entries.half_term_holidays:
        if holiday.end < holiday.start:
            found.append((path, "half-term holiday ends before it starts"))
            continue
        holder = term_holding(holiday.start)
        if holder is None or holiday.end not in holder:
            found.append(
                (path, f"half-term holiday {holiday.start} to {holiday.end} is inside no term")
            )
            continue
        if any(holiday.start <= b.end and b.start <= holiday.end for b in breaks):
            found.append((path, "half-term holiday overlaps another"))
        breaks.append(holiday)

    def in_break(day: dt.date) -> bool:
        return any(day in b for b in breaks)

    seen_inset: set[dt.date] = set()
    for path, day in entries.inset_days:
        if day in seen_inset:
            found.append((path, f"INSET day {day} is listed twice"))
        seen_inset.add(day)
        if day.weekday() >= 5:
            found.append((path, f"INSET day {day} is a {day:%A}"))
        elif day in holidays:
            found.append((path, f"INSET day {day} is a bank holiday ({holidays[day]})"))
        elif term_holding(day) is None or in_break(day):
            found.append((path, f"INSET day {day} is outside term"))

    closed: dict[tuple[dt.date, Part], str] = {}
    for path, closure in entries.closures:
        if closure.end < closure.start:
            found.append((path, "closure ends before it starts"))
            continue
        days = list(closure.days())
        if not days:
            found.append((path, f"closure {closure.start} to {closure.end} falls on a weekend"))
            continue
        outside = [d for d in days if term_holding(d) is None or in_break(d) or d in holidays]
        if outside:
            found.append(
                (path, f"closure {closure.start} to {closure.end} is outside term on {outside[0]}")
            )
            continue
        for day in days:
            if day in seen_inset:
                found.append((path, f"closure on {day} clashes with an INSET day"))
                break
            clash = next((p for p in closure.parts if (day, p) in closed), None)
            if clash is not None:
                found.append((path, f"closure on {day} {clash} overlaps {closed[(day, clash)]}"))
                break
        for day in days:
            for part in closure.parts:
                closed.setdefault((day, part), path)
    return found


def calendar_problems(
    calendar: SchoolCalendar, *, file: str | None = None
) -> list[CalendarProblem]:
    """Every contradiction in a built calendar (for calendars made in code or by plugins)."""
    holidays = holiday_names(
        calendar.nation, (year.year for year in calendar.years), calendar.extra_bank_holidays
    )
    entries = [YearEntries.of(f"$.years[{i}]", year) for i, year in enumerate(calendar.years)]
    found = repeated_years(entries)
    for entry in entries:
        found.extend(year_problems(entry, holidays))
    if calendar.register_times is not None:
        found.extend(register_time_problems("$.register_times", calendar.register_times))
    source = file or calendar.source
    return [CalendarProblem(path, message, source) for path, message in found]
