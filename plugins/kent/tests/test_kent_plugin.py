"""The LA plugin: Kent's term dates as a calendar, and its any-absence rule beside the national one."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import attrs
import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core_kent as kent
from attendance_core import (
    Enrolment,
    Finding,
    Mark,
    PluginError,
    Register,
    SchoolCalendar,
    check,
    hookimpl,
    list_plugins,
    make_plugin_manager,
)
from attendance_core.calendars import (
    CalendarAdjustment,
)
from attendance_core.cli import main
from attendance_core.exceptions import PolicyError
from attendance_core.plugins import AUTOLOAD_ENV, resolve_calendar
from attendance_core.policy import Policy
from attendance_core.rules.findings import PupilRecord, RuleContext
from attendance_core.rules.la_notifications import (
    la_notification_continuous_absence,
    la_notification_sickness,
)
from attendance_core.school import load_policy
from attendance_core.testing import check_plugin
from attendance_core_kent import CALENDAR_NAME, term_dates

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

NAME = "kent"
"""The plugin's name, by entry point and as :func:`_manager` registers it."""
RULE = "kent-notification-any-absence"
EXAMPLE_SCHOOL = (
    Path(__file__).resolve().parents[3] / "docs/examples/calendars/kent-example-primary.toml"
)


@pytest.fixture(autouse=True)
def _no_entrypoint_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the discovery test loads installed plugins; it deletes this variable itself."""
    monkeypatch.setenv(AUTOLOAD_ENV, "1")


def _manager(*plugins: object) -> pluggy.PluginManager:
    """Registered in code under the names the entry points give them, as a policy names them."""
    return make_plugin_manager(
        load_entrypoints=False,
        plugins={"kent" if p is kent else type(p).__name__: p for p in plugins},
    )


def _named() -> pluggy.PluginManager:
    """A manager holding the plugin under its entry-point name, as a policy naming it needs."""
    return make_plugin_manager(load_entrypoints=False, plugins={"kent": kent})


def test_discovered_through_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV)
    manager = make_plugin_manager(["kent"])
    info = {i.name: i for i in list_plugins(manager)}["kent"]
    assert info.version == "0.1.0"
    assert info.hooks == (
        "attendance_core_calendars",
        "attendance_core_policy_keys",
        "attendance_core_rules",
    )
    assert resolve_calendar(manager, CALENDAR_NAME) == term_dates()


def test_the_calendar_is_found_by_name_only_with_the_plugin() -> None:
    policy = load_policy({"calendar": {"name": CALENDAR_NAME}}, plugin_manager=_manager())
    assert policy.calendar.name is not None
    with pytest.raises(PluginError, match="no plugin provides a calendar named 'Kent County"):
        resolve_calendar(_manager(), policy.calendar.name)
    calendar = resolve_calendar(_manager(kent), policy.calendar.name)
    assert calendar.authority == "Kent County Council"


@pytest.mark.parametrize(
    ("day", "school_day"),
    [
        (dt.date(2024, 9, 2), True),  # term 1 starts
        (dt.date(2024, 10, 18), True),  # term 1 ends
        (dt.date(2024, 10, 21), False),  # two-week October break
        (dt.date(2024, 11, 4), True),  # term 2 starts
        (dt.date(2025, 4, 21), False),  # Easter Monday, before term 5
        (dt.date(2025, 5, 5), False),  # early May bank holiday inside term 5
        (dt.date(2025, 7, 22), True),  # last day of 2024/25
        (dt.date(2025, 10, 31), False),  # October break 2025
        (dt.date(2025, 11, 3), True),  # term 2 2025/26 starts
        (dt.date(2026, 5, 25), False),  # spring bank holiday
    ],
    ids=lambda value: value.isoformat() if isinstance(value, dt.date) else str(value),
)
def test_kent_term_dates(day: dt.date, school_day: bool) -> None:
    assert term_dates().is_school_day(day) is school_day


@pytest.mark.parametrize("academic_year", [2024, 2025], ids=["2024-25", "2025-26"])
def test_190_pupil_days_a_year(academic_year: int) -> None:
    assert term_dates().year_sessions(academic_year).sessions == 380


def test_the_example_school_is_the_councils_dates_plus_its_own_choices() -> None:
    """docs' example school keeps Kent's dates; it differs only by its own INSET and closures."""
    school = SchoolCalendar.from_toml(EXAMPLE_SCHOOL)
    start, end = dt.date(2024, 8, 1), dt.date(2026, 7, 31)
    council_days = set(term_dates().school_days(start, end))
    school_days = set(school.school_days(start, end))
    assert school_days <= council_days
    assert council_days - school_days == {dt.date(2025, 5, 1)}  # the school's polling day


class _SchoolInset:
    """A school's plugin: its five INSET days, added to whichever Kent calendar is in use."""

    DAYS = tuple(dt.date(2025, 9, d) for d in (1, 2)) + tuple(
        dt.date(2026, 1, d) for d in (5, 6, 7)
    )

    @hookimpl
    def attendance_core_adjust_calendar(
        self, calendar: SchoolCalendar
    ) -> CalendarAdjustment | None:
        if calendar.authority != "Kent County Council":
            return None
        return CalendarAdjustment(inset_days=self.DAYS)


def test_a_schools_inset_days_are_added_to_the_councils_calendar() -> None:
    calendar = resolve_calendar(_manager(kent, _SchoolInset()), CALENDAR_NAME)
    assert calendar.year_sessions(2025).sessions == 370
    assert not any(calendar.is_school_day(day) for day in _SchoolInset.DAYS)
    assert term_dates().year_sessions(2025).sessions == 380


# Autumn 2025 from 1 September: each pupil's absences as (code, sessions), then present.
PUPILS = {
    "ILL": [("I", 16), ("M", 8), ("C", 8)],  # 16 days, none unauthorised, 8 days of sickness
    "TRU": [("O", 20)],  # 10 continuous school days of unauthorised absence
    "HALF": [("I", 29)],  # 14½ days
    "FULL": [("G", 10), ("I", 20)],  # 15 days: 5 unauthorised, then 10 of sickness
}
AS_OF = dt.date(2025, 10, 17)


def _register(calendar: SchoolCalendar) -> Register:
    sessions = calendar.sessions(dt.date(2025, 9, 1), AS_OF)
    marks = []
    for pupil, absences in PUPILS.items():
        codes = [code for code, n in absences for _ in range(n)]
        for i, session in enumerate(sessions):
            present = "/" if session.part == "AM" else "\\"
            marks.append((pupil, Mark(session, codes[i] if i < len(codes) else present)))
    return Register.from_marks(marks)


def _national(register: Register, calendar: SchoolCalendar) -> dict[str, set[str]]:
    context = RuleContext(calendar, Policy(), AS_OF)
    found: dict[str, set[str]] = {"continuous": set(), "sickness": set()}
    for index, pupil in enumerate(register.pupil_ids):
        record = PupilRecord.from_register(register, index)
        if la_notification_continuous_absence(record, context):
            found["continuous"].add(pupil)
        if la_notification_sickness(record, context):
            found["sickness"].add(pupil)
    return found


def _flagged(findings: list[Finding]) -> dict[str | None, Fraction | int | None]:
    return {f.pupil_id: f.figure for f in findings if f.rule == RULE}


def test_ten_days_unauthorised_versus_fifteen_days_of_any_absence() -> None:
    calendar = term_dates()
    register = _register(calendar)
    assert _national(register, calendar) == {"continuous": {"TRU"}, "sickness": set()}
    assert _flagged(check(register, calendar, plugin_manager=_manager())) == {}

    findings = check(register, calendar, plugin_manager=_manager(kent))
    assert _flagged(findings) == {"ILL": 16, "FULL": 15}
    for finding in findings:
        if finding.rule == RULE:
            assert finding.provenance == {"rule": NAME}
            assert finding.threshold == 15
    ill = next(f for f in findings if (f.rule, f.pupil_id) == (RULE, "ILL"))
    assert len(ill.evidence) == 32
    assert ill.explanation.startswith("Absent for 16 school days this school year (any reason)")


def test_the_number_of_days_is_a_policy_setting() -> None:
    calendar = term_dates()
    manager = _named()
    policy = load_policy(
        {"plugins": ["kent"], "plugin_settings": {"kent": {"any_absence_days": 10}}},
        plugin_manager=manager,
    )
    findings = check(_register(calendar), calendar, policy=policy, plugin_manager=manager)
    assert _flagged(findings) == {"ILL": 16, "TRU": 10, "HALF": Fraction(29, 2), "FULL": 15}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "expected at least 1 school day, got 0"),
        (-5, "expected at least 1 school day, got -5"),
        (True, "expected a whole number of school days, got True"),
        ("15", "expected a whole number of school days, got '15'"),
    ],
    ids=["zero-would-report-everyone", "negative", "boolean", "text"],
)
def test_the_number_of_days_must_be_a_positive_whole_number(value: object, message: str) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(
            {"plugins": ["kent"], "plugin_settings": {"kent": {"any_absence_days": value}}},
            plugin_manager=_named(),
        )
    assert [str(problem) for problem in raised.value.problems] == [
        f"<policy>: $.plugin_settings.kent.any_absence_days: {message} (key of plugin 'kent')"
    ]


@pytest.mark.parametrize(
    ("admission", "leaving", "expected"),
    [
        (None, None, (35, "2025-08-01", "2025-10-17")),
        (dt.date(2025, 9, 15), None, (25, "2025-09-15", "2025-10-17")),
        (dt.date(2024, 9, 2), dt.date(2025, 9, 26), (20, "2025-08-01", "2025-09-26")),
        (dt.date(2025, 10, 6), None, None),
    ],
    ids=["year-from-1-august", "from-admission", "to-leaving", "joined-10-days-ago"],
)
def test_counts_this_school_year_on_roll_only(
    admission: dt.date | None, leaving: dt.date | None, expected: tuple[int, str, str] | None
) -> None:
    """Absent every session since 1 July 2025: last year's July and days off roll never count."""
    calendar = term_dates()
    sessions = calendar.sessions(dt.date(2025, 7, 1), AS_OF)
    register = Register.from_marks(("P", Mark(session, "I")) for session in sessions)
    enrolment = None if admission is None else Enrolment("P", "K", admission, leaving)
    record = PupilRecord.from_register(register, 0, enrolment)
    found = kent.any_absence(record, RuleContext(calendar, Policy(), AS_OF))
    assert [(f.figure, f.details["from"], f.details["to"]) for f in found] == (
        [expected] if expected else []
    )


@settings(max_examples=50, deadline=None)
@given(
    absences=st.lists(
        st.sampled_from(["/", "I", "M", "G", "O", "L", "Y1", "#"]), min_size=1, max_size=70
    ),
    days=st.integers(1, 30),
)
def test_flagged_exactly_at_twice_the_days_in_absence_sessions(
    absences: list[str], days: int
) -> None:
    calendar = term_dates()
    sessions = calendar.sessions(dt.date(2025, 9, 1), AS_OF)
    register = Register.from_marks(
        ("P", Mark(session, code)) for session, code in zip(sessions, absences, strict=False)
    )
    context = RuleContext(
        calendar,
        Policy(plugins=("kent",), plugin_settings={"kent": {"any_absence_days": days}}),
        AS_OF,
    )
    found = kent.any_absence(PupilRecord.from_register(register, 0), context)
    absent = sum(code in ("I", "M", "G", "O") for code in absences[: len(sessions)])
    assert bool(found) is (absent >= 2 * days)
    assert [f.figure for f in found] == ([Fraction(absent, 2)] if found else [])
    assert all(isinstance(f.figure, int) for f in found if absent % 2 == 0)


def test_check_command_uses_the_councils_calendar_and_rule_once_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.toml"
    settings = '[calendar]\nname = "Kent County Council"\n\n[plugin_settings.kent]\nany_absence_days = 10\n'
    policy.write_text(settings, encoding="utf-8")
    marks = tmp_path / "marks.csv"
    sessions = term_dates().sessions(dt.date(2025, 9, 1), dt.date(2025, 9, 26))
    codes = ["O"] * 20 + ["/" if s.part == "AM" else "\\" for s in sessions[20:]]
    marks.write_text(
        "pupil_id,date,session,code\n"
        + "".join(f"K1,{s.date},{s.part},{c}\n" for s, c in zip(sessions, codes, strict=True)),
        encoding="utf-8",
    )
    args = ["check", str(marks), "--policy", str(policy), "--rule", RULE, "--format", "json"]
    monkeypatch.delenv(AUTOLOAD_ENV)
    # Installed but not named by the policy: the plugin is dormant, so its keys are unknown.
    assert main(args) == 2
    assert "declares keys in [plugin_settings.kent]" in capsys.readouterr().err

    policy.write_text('plugins = ["kent"]\n\n' + settings, encoding="utf-8")
    assert main(args) == 0
    (finding,) = json.loads(capsys.readouterr().out)
    assert (finding["pupil_id"], finding["figure"], finding["threshold"]) == ("K1", 10, 10)


def test_passes_the_conformance_kit() -> None:
    check_plugin(kent)


class _SecondKent:
    """A bad plugin: provides another calendar under the council's name."""

    @hookimpl
    def attendance_core_calendars(self) -> tuple[SchoolCalendar, ...]:
        return (attrs.evolve(SchoolCalendar.from_toml(EXAMPLE_SCHOOL), name=CALENDAR_NAME),)


def test_two_plugins_providing_one_calendar_name_are_rejected() -> None:
    with pytest.raises(PluginError, match="both provide the calendar 'Kent County Council'"):
        resolve_calendar(_manager(kent, _SecondKent()), CALENDAR_NAME)


README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_shows_the_default_settings() -> None:
    text = README.read_text(encoding="utf-8")
    (block,) = re.findall(r"^ *```toml\n(.*?)^ *```", text, re.MULTILINE | re.DOTALL)
    manager = _manager(kent)
    shown = load_policy(tomllib.loads(textwrap.dedent(block)), plugin_manager=manager)
    defaults = load_policy({}, plugin_manager=manager)
    assert shown.plugin_settings["kent"] == defaults.plugin_settings["kent"]
