"""Days a school adds to a calendar (its INSET days and closures), applied and checked again."""

from __future__ import annotations

import datetime as dt

import attrs

from attendance_core.calendars._calendar import SchoolCalendar
from attendance_core.calendars._model import AcademicYear, Closure, academic_year_of
from attendance_core.calendars._validate import calendar_problems
from attendance_core.exceptions import CalendarError, CalendarProblem

__all__ = ["CalendarAdjustment", "apply_adjustment"]


@attrs.frozen
class CalendarAdjustment:
    """Days a school adds to a calendar: its own INSET days and closures."""

    inset_days: tuple[dt.date, ...] = ()
    closures: tuple[Closure, ...] = ()


def apply_adjustment(
    calendar: SchoolCalendar, adjustment: CalendarAdjustment, *, by: str = "adjustment"
) -> SchoolCalendar:
    """``calendar`` with the adjustment's INSET days and closures added, checked again.

    Raises :class:`CalendarError` when a day falls in a year the calendar does not cover or the
    result is contradictory (INSET on a weekend, a closure outside term, ...); each problem's
    file is ``by`` (the plugin's name).
    """
    years = {year.year: year for year in calendar.years}
    problems = []
    for i, day in enumerate(adjustment.inset_days):
        if academic_year_of(day) not in years:
            problems.append(
                CalendarProblem(f"$.inset_days[{i}]", f"{day} is outside the calendar", by)
            )
    for i, closure in enumerate(adjustment.closures):
        if academic_year_of(closure.start) not in years:
            problems.append(
                CalendarProblem(f"$.closures[{i}]", f"{closure.start} is outside the calendar", by)
            )
    if problems:
        raise CalendarError(problems)
    adjusted: list[AcademicYear] = []
    for year in calendar.years:
        inset = tuple(d for d in adjustment.inset_days if academic_year_of(d) == year.year)
        closures = tuple(c for c in adjustment.closures if academic_year_of(c.start) == year.year)
        adjusted.append(
            attrs.evolve(
                year,
                inset_days=(*year.inset_days, *inset),
                closures=(*year.closures, *closures),
            )
        )
    result = attrs.evolve(calendar, years=tuple(adjusted))
    found = calendar_problems(result, file=by)
    if found:
        raise CalendarError(found)
    return result
