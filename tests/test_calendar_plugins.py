"""Calendar hooks: an LA plugin provides term dates by name, a school plugin adds its own days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from attendance_core import Mark, Register, School, Session, check, hookimpl, make_plugin_manager
from attendance_core.calendars import (
    CalendarAdjustment,
    Closure,
    SchoolCalendar,
)
from attendance_core.exceptions import CalendarError, PluginError
from attendance_core.plugins import adjust_calendar, plugin_calendars, resolve_calendar
from attendance_core.policy import Policy
from attendance_core.policy._model import CalendarPolicy

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "calendars"
D = dt.date
ACADEMY = SchoolCalendar.from_toml(EXAMPLES / "kent-example-academy.toml")


class KentPlugin:
    @hookimpl
    def attendance_core_calendars(self) -> Sequence[SchoolCalendar]:
        return (ACADEMY,)


class SchoolDays:
    def __init__(self, adjustment: CalendarAdjustment) -> None:
        self.adjustment = adjustment

    @hookimpl
    def attendance_core_adjust_calendar(
        self, calendar: SchoolCalendar
    ) -> CalendarAdjustment | None:
        return self.adjustment if calendar.authority.startswith("Kent") else None


def test_builtin_provides_no_calendar_and_no_adjustment() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    assert plugin_calendars(manager) == {}
    assert adjust_calendar(manager, ACADEMY) is ACADEMY
    with pytest.raises(
        PluginError, match="no plugin provides a calendar named 'Kent' \\(provided: none\\)"
    ):
        resolve_calendar(manager, "Kent")


def test_resolve_by_name_applies_the_schools_own_days() -> None:
    adjustment = CalendarAdjustment(
        inset_days=(D(2026, 6, 29),),
        closures=(Closure(D(2026, 5, 7), D(2026, 5, 7), "#", "Polling station"),),
    )
    manager = make_plugin_manager(
        load_entrypoints=False, plugins=[KentPlugin(), SchoolDays(adjustment)]
    )
    calendar = resolve_calendar(manager, "Example Academy (Kent)")
    assert ACADEMY.year_sessions(2025).sessions == 380
    assert calendar.year_sessions(2025).sessions == 376
    assert not calendar.is_school_day(D(2026, 6, 29))
    assert not calendar.is_school_day(D(2026, 5, 7))
    assert calendar.years[1].inset_days[-1] == D(2026, 6, 29)


def test_provided_and_adjusted_calendars_name_their_plugins_in_every_finding() -> None:
    kent, school = KentPlugin(), SchoolDays(CalendarAdjustment(inset_days=(D(2026, 6, 29),)))
    manager = make_plugin_manager(load_entrypoints=False, plugins=[kent, school])
    calendar = resolve_calendar(manager, "Example Academy (Kent)")
    expected = {"calendar": manager.get_name(kent), "calendar adjustment": manager.get_name(school)}
    assert dict(calendar.provenance) == expected
    assert ACADEMY.provenance == {}
    marks = [(D(2025, 9, 8), part, "O") for part in ("AM", "PM")]
    register = Register.from_marks((("P1", Mark(Session(d, p), c)) for d, p, c in marks))
    findings = check(register, calendar, rules=["persistent-absence"], plugin_manager=manager)
    assert [f.provenance for f in findings] == [expected]
    assert [f.provenance for f in check(register, ACADEMY, rules=["persistent-absence"])] == [{}]


def test_an_adjustment_is_checked_and_names_the_plugin() -> None:
    bad = CalendarAdjustment(inset_days=(D(2026, 6, 27), D(2030, 1, 7)))
    manager = make_plugin_manager(load_entrypoints=False, plugins=[SchoolDays(bad)])
    with pytest.raises(CalendarError) as caught:
        adjust_calendar(manager, ACADEMY)
    problems = caught.value.problems
    assert [(p.path, p.message) for p in problems] == [
        ("$.inset_days[1]", "2030-01-07 is outside the calendar")
    ]
    assert problems[0].file is not None
    assert problems[0].file.startswith("plugin ")

    weekend = CalendarAdjustment(inset_days=(D(2026, 6, 27),))
    manager = make_plugin_manager(load_entrypoints=False, plugins=[SchoolDays(weekend)])
    with pytest.raises(
        CalendarError, match=r"\$\.years\[1\]\.inset_days\[5\]: INSET day 2026-06-27 is a Saturday"
    ):
        adjust_calendar(manager, ACADEMY)


def test_two_plugins_providing_one_name_is_an_error() -> None:
    class Other(KentPlugin):
        pass

    manager = make_plugin_manager(load_entrypoints=False, plugins=[KentPlugin(), Other()])
    with pytest.raises(PluginError, match="both provide the calendar 'Example Academy \\(Kent\\)'"):
        plugin_calendars(manager)


class MappingNotCalendar:
    @hookimpl
    def attendance_core_calendars(self) -> Sequence[object]:
        return ({"name": "Kent", "nation": "england", "years": []},)


def test_a_mapping_where_a_calendar_belongs_is_a_plugin_error_naming_the_plugin() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(MappingNotCalendar(), name="raw-toml")
    with pytest.raises(
        PluginError,
        match=r"plugin 'raw-toml' returned \{'name': 'Kent'.* from attendance_core_calendars, "
        "not a SchoolCalendar",
    ):
        resolve_calendar(manager, "Kent")


class DaysNotAdjustment:
    @hookimpl
    def attendance_core_adjust_calendar(self, calendar: SchoolCalendar) -> object:
        return (D(2026, 6, 29),)


def test_an_adjustment_of_the_wrong_type_is_a_plugin_error_naming_the_plugin() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(DaysNotAdjustment(), name="bare-days")
    with pytest.raises(PluginError, match=r"plugin 'bare-days' returned \(datetime.date"):
        adjust_calendar(manager, ACADEMY)


def test_school_calendar_from_policy_by_file_or_by_name(tmp_path: Path) -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[KentPlugin()])
    by_name = Policy(calendar=CalendarPolicy(name="Example Academy (Kent)"))
    empty = Register((), (), (), ())
    assert School.assemble(empty, policy=by_name, plugin_manager=manager).calendar == ACADEMY
    policy_file = tmp_path / "policy.toml"
    (tmp_path / "term-dates.toml").write_text(ACADEMY.to_toml(), encoding="utf-8")
    by_file = Policy(calendar=CalendarPolicy(file="term-dates.toml"), source=str(policy_file))
    assert School.assemble(empty, policy=by_file, plugin_manager=manager).calendar == ACADEMY
    assert School.assemble(empty, plugin_manager=manager).calendar is None
