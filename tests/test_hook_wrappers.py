"""Every hook is called through pluggy: a hook wrapper around each one is honoured, and pluggy's
call monitoring (what ``pm.trace`` and ``enable_tracing`` are built on) sees each call.

Each case registers one wrapper (``@hookimpl(wrapper=True)``) that changes the hook's result in
a way the one public function calling that hook must show, so a function that bypassed pluggy
(calling implementations directly, as ``hook_answers`` once did) fails here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import attrs
import pluggy
import pytest

from attendance_core import (
    ENGLAND_2024,
    AttendanceError,
    Finding,
    Register,
    Severity,
    hookimpl,
    make_plugin_manager,
)
from attendance_core.calendars import CalendarAdjustment, Closure, SchoolCalendar
from attendance_core.codes import CodeSet
from attendance_core.plugins import (
    adjust_calendar,
    adjusted_policy,
    available_rules,
    code_sets,
    decide_code,
    declared_keys,
    escalation,
    plugin_calendars,
    report_sections,
)
from attendance_core.policy import Policy, PolicyKey, ThresholdsPolicy
from attendance_core.reports import ReportSection
from attendance_core.rules.escalation import Escalation
from attendance_core.rules.findings import Rule
from attendance_core.rules.registry import BUILTIN_RULES

CALENDAR = SchoolCalendar.from_toml(
    Path(__file__).resolve().parents[1] / "docs/examples/calendars/kent-example-academy.toml"
)
POLLING_DAY = dt.date(2026, 5, 7)
FINDING = Finding("watch-list", "P1", dt.date(2025, 10, 10), Severity.WATCH, 0, None, (), "", "")
WRAPPER = "Wrapper"
"""The wrapper plugin's name (its class name, as :func:`make_plugin_manager` registers it)."""


class Wrapper:
    """Wraps every hook; each wrapper changes the result and counts its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    @hookimpl(wrapper=True)
    def attendance_core_code_sets(self) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_code_sets")
        answers = yield
        return [tuple(s for s in answer if s.id != "england-2006") for answer in answers]

    @hookimpl(wrapper=True)
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_map_code")
        answer = yield
        return code_set["O"] if code == "N" else answer

    @hookimpl(wrapper=True)
    def attendance_core_policy_keys(self) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_policy_keys")
        answers = yield
        return [*answers, (PolicyKey("wrapped", "limit", 3, "A wrapper's own key."),)]

    @hookimpl(wrapper=True)
    def attendance_core_report_sections(self) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_report_sections")
        answers = yield
        return [*answers, (ReportSection("From the wrapper"),)]

    @hookimpl(wrapper=True)
    def attendance_core_rules(self) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_rules")
        answers = yield
        return [tuple(r for r in answer if r.name != "lateness") for answer in answers]

    @hookimpl(wrapper=True)
    def attendance_core_adjust_policy(self) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_adjust_policy")
        answer = yield
        return attrs.evolve(answer, thresholds=ThresholdsPolicy(persistent_absence=15))

    @hookimpl(wrapper=True)
    def attendance_core_escalation(self) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_escalation")
        answer = yield
        return answer or Escalation("wrapped step", "a wrapper's decision")

    @hookimpl(wrapper=True)
    def attendance_core_calendars(self) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_calendars")
        answers = yield
        return [*answers, (attrs.evolve(CALENDAR, name="Wrapped calendar"),)]

    @hookimpl(wrapper=True)
    def attendance_core_adjust_calendar(self) -> Generator[None, Any, Any]:
        self.calls.append("attendance_core_adjust_calendar")
        answers = yield
        closure = Closure(POLLING_DAY, POLLING_DAY, "#", "Polling station")
        return [*answers, CalendarAdjustment(closures=(closure,))]


def _rule() -> Rule:
    return next(r for r in BUILTIN_RULES if r.name == "watch-list")


def _sections(manager: pluggy.PluginManager) -> list[tuple[str, ReportSection]]:
    register = Register.from_marks([])
    return report_sections(
        manager,
        ReportSection,
        register=register,
        policy=Policy(),
        summaries={},
        findings=[],
        as_of=None,
    )


# Each hook: the call through its one public function, and what shows the wrapper was honoured.
CASES: dict[str, tuple[Callable[[pluggy.PluginManager], Any], Callable[[Any], bool]]] = {
    "attendance_core_code_sets": (
        code_sets,
        lambda sets: "england-2024" in sets and "england-2006" not in sets,
    ),
    "attendance_core_map_code": (
        lambda m: decide_code(m, "N", ENGLAND_2024),
        lambda found: found == (ENGLAND_2024["O"], WRAPPER),
    ),
    "attendance_core_policy_keys": (
        declared_keys,
        lambda keys: keys["plugin_settings.wrapped.limit"].plugin == WRAPPER,
    ),
    "attendance_core_report_sections": (
        _sections,
        lambda sections: [(p, s.title) for p, s in sections] == [(WRAPPER, "From the wrapper")],
    ),
    "attendance_core_rules": (
        available_rules,
        lambda rules: "watch-list" in rules and "lateness" not in rules,
    ),
    "attendance_core_adjust_policy": (
        lambda m: adjusted_policy(m, Policy(), _rule()),
        lambda found: found[0].thresholds.persistent_absence == 15 and found[1] == WRAPPER,
    ),
    "attendance_core_escalation": (
        lambda m: escalation(m, FINDING, Policy()),
        lambda found: found == (Escalation("wrapped step", "a wrapper's decision"), WRAPPER),
    ),
    "attendance_core_calendars": (
        plugin_calendars,
        lambda calendars: calendars["Wrapped calendar"][1] == WRAPPER,
    ),
    "attendance_core_adjust_calendar": (
        lambda m: adjust_calendar(m, CALENDAR),
        lambda calendar: (
            CALENDAR.is_school_day(POLLING_DAY) and not calendar.is_school_day(POLLING_DAY)
        ),
    ),
}


def _shows(
    call: Callable[[pluggy.PluginManager], Any],
    honoured: Callable[[Any], bool],
    manager: pluggy.PluginManager,
) -> bool:
    """Whether the call shows the wrapper's change (a plain call may also fail outright)."""
    try:
        return honoured(call(manager))
    except (KeyError, AttendanceError):
        return False


def test_every_hook_has_a_case() -> None:
    spec_names = {
        name for name in dir(make_plugin_manager().hook) if name.startswith("attendance_core_")
    }
    assert set(CASES) == spec_names


@pytest.mark.parametrize("hook", sorted(CASES))
def test_a_wrapper_around_the_hook_is_honoured_and_the_call_is_monitored(hook: str) -> None:
    call, honoured = CASES[hook]
    assert not _shows(call, honoured, make_plugin_manager()), "a plain call must not pass"

    wrapper = Wrapper()
    manager = make_plugin_manager(plugins=[wrapper])
    monitored: list[str] = []
    undo = manager.add_hookcall_monitoring(
        lambda name, _impls, _kwargs: monitored.append(name), lambda *_: None
    )
    try:
        assert honoured(call(manager))
    finally:
        undo()
    assert hook in wrapper.calls
    assert hook in monitored


class _Late:
    @hookimpl(trylast=True)
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> Any:
        return code_set["U"] if code == "ZZ" else None


class _Early:
    @hookimpl(tryfirst=True)
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> Any:
        return code_set["G"] if code == "ZZ" else None


@pytest.mark.parametrize(
    "order", [(_Late, _Early), (_Early, _Late)], ids=["late-first", "early-first"]
)
def test_tryfirst_answers_before_trylast_whatever_the_order_of_registration(
    order: tuple[type, type],
) -> None:
    manager = make_plugin_manager(plugins=[cls() for cls in order])
    assert decide_code(manager, "ZZ", ENGLAND_2024) == (ENGLAND_2024["G"], "_Early")


def test_tracing_writes_each_hook_call() -> None:
    manager = make_plugin_manager(plugins=[_Early()])
    lines: list[str] = []
    manager.trace.root.setwriter(lines.append)
    undo = manager.enable_tracing()
    try:
        decide_code(manager, "ZZ", ENGLAND_2024)
    finally:
        undo()
    assert any("attendance_core_map_code" in line for line in lines)
