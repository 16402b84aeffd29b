"""Calendars from plugins: an LA's term dates by name, and a school's own days added to them.

A local authority's or trust's plugin contributes whole calendars
(``attendance_core_calendars``); a school's plugin contributes a
:class:`CalendarAdjustment` (its INSET days and closures) to whatever calendar is in use
(``attendance_core_adjust_calendar``). Every adjusted calendar is checked again, and a problem
names the plugin that caused it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs
import pluggy

from attendance_core.calendars._model import AcademicYear, Closure, SchoolCalendar, academic_year_of
from attendance_core.calendars._validate import calendar_problems
from attendance_core.exceptions import CalendarError, CalendarProblem, InputError, PluginError
from attendance_core.plugins import contributions, hook_answers

if TYPE_CHECKING:
    from attendance_core.policy import Policy

__all__ = [
    "CalendarAdjustment",
    "adjust_calendar",
    "apply_adjustment",
    "calendar_for_policy",
    "plugin_calendars",
    "resolve_calendar",
]


@attrs.frozen
class CalendarAdjustment:
    """Days a school adds to a calendar: its own INSET days and closures."""

    inset_days: tuple[dt.date, ...] = ()
    closures: tuple[Closure, ...] = ()


def plugin_calendars(manager: pluggy.PluginManager) -> dict[str, SchoolCalendar]:
    """Every calendar the plugins provide, by name; a name given twice is a :class:`PluginError`."""
    return _plugin_calendars(manager)[0]


def _plugin_calendars(
    manager: pluggy.PluginManager,
) -> tuple[dict[str, SchoolCalendar], dict[str, str]]:
    found: dict[str, SchoolCalendar] = {}
    owners: dict[str, str] = {}
    for plugin, calendar in contributions(manager, "attendance_core_calendars", SchoolCalendar):
        if calendar.name in found:
            raise PluginError(
                f"plugins {owners[calendar.name]!r} and {plugin!r} both provide the "
                f"calendar {calendar.name!r}"
            )
        found[calendar.name] = calendar
        owners[calendar.name] = plugin
    return found, owners


def resolve_calendar(manager: pluggy.PluginManager, name: str) -> SchoolCalendar:
    """The calendar a plugin provides under ``name``, with every plugin's adjustments applied."""
    calendars, owners = _plugin_calendars(manager)
    if name not in calendars:
        known = ", ".join(repr(n) for n in sorted(calendars)) or "none"
        raise PluginError(f"no plugin provides a calendar named {name!r} (provided: {known})")
    provided = calendars[name]
    owner = {**provided.provenance, "calendar": owners[name]}
    return adjust_calendar(manager, attrs.evolve(provided, provenance=owner))


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


def adjust_calendar(manager: pluggy.PluginManager, calendar: SchoolCalendar) -> SchoolCalendar:
    """``calendar`` with every plugin's :class:`CalendarAdjustment` applied, in call order."""
    for plugin, adjustment in hook_answers(
        manager, "attendance_core_adjust_calendar", calendar=calendar
    ):
        if adjustment is None:
            continue
        if not isinstance(adjustment, CalendarAdjustment):
            raise PluginError(
                f"plugin {plugin!r} returned {adjustment!r} from attendance_core_adjust_calendar, "
                "not a CalendarAdjustment or None"
            )
        calendar = apply_adjustment(calendar, adjustment, by=f"plugin {plugin!r}")
        adjusters = calendar.provenance.get("calendar adjustment")
        calendar = attrs.evolve(
            calendar,
            provenance={
                **calendar.provenance,
                "calendar adjustment": f"{adjusters}, {plugin}" if adjusters else plugin,
            },
        )
    return calendar


def calendar_for_policy(policy: Policy, manager: pluggy.PluginManager) -> SchoolCalendar:
    """The calendar a policy names: ``[calendar] file`` (relative to the policy file), else
    ``[calendar] name`` (a plugin's calendar); every plugin's adjustments are applied.

    Raises :class:`InputError` when the policy names neither.
    """
    path = policy.calendar_path
    if path is not None:
        return adjust_calendar(manager, SchoolCalendar.from_toml(path))
    if policy.calendar.name is not None:
        return resolve_calendar(manager, policy.calendar.name)
    raise InputError(
        "the policy names no calendar",
        file=policy.source,
        field="calendar",
        expected="[calendar] file or [calendar] name",
    )
