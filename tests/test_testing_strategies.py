"""The public strategies generate only valid input, and reach the edge cases that matter."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from attendance_core import (
    ENGLAND_2006,
    ENGLAND_2024,
    AttendanceCode,
    AttendanceSummary,
    Category,
    CodeSet,
    Enrolment,
    InputError,
    Mark,
    Part,
    Register,
    Session,
    code_set_for_date,
    make_plugin_manager,
    summarise,
)
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.policy import Policy
from attendance_core.rules.statistics import register_summaries, register_summary
from attendance_core.school import load_policy
from attendance_core.testing import (
    DEFAULT_END,
    DEFAULT_START,
    calendars,
    code_sets,
    codes,
    enrolments,
    mark_sequences,
    marks,
    policies,
    registers,
    sessions,
    summaries,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SWITCH = dt.date(2024, 8, 19)
"""SI 2024/208's code set in force from this day."""
NEW_IN_2024 = {"J1", "C1", "C2", "K", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"}


def _balances(summary: AttendanceSummary) -> bool:
    parts = (
        summary.present_sessions
        + summary.approved_educational_activity
        + summary.authorised_absence
        + summary.unauthorised_absence
    )
    return parts == summary.possible_sessions


def _check_minutes(mark: Mark) -> None:
    assert mark.minutes_late is None or code_set_for_date(mark.session.date)[mark.code].is_late


# -- codes and sessions -------------------------------------------------------------------
@FAST
@given(code_sets())
def test_code_sets_are_the_statutory_sets(code_set: CodeSet) -> None:
    assert code_set in (ENGLAND_2024, ENGLAND_2006)


@FAST
@given(code_sets(), st.sets(st.sampled_from(Category), min_size=1), st.data())
def test_codes_belong_to_their_set_and_categories(
    code_set: CodeSet, categories: set[Category], data: st.DataObject
) -> None:
    code = data.draw(codes(code_set, categories=categories))
    assert code_set[code.code] == code
    assert code.category in categories


@FAST
@given(codes())
def test_codes_without_a_set_come_from_a_statutory_set(code: AttendanceCode) -> None:
    assert code.code_set in ("england-2024", "england-2006")


@FAST
@given(sessions(dt.date(2025, 3, 1), dt.date(2025, 3, 31), school_days_only=True))
def test_school_day_sessions_are_weekdays_in_range(session: Session) -> None:
    assert dt.date(2025, 3, 1) <= session.date <= dt.date(2025, 3, 31)
    assert session.date.weekday() < 5


@FAST
@given(sessions())
def test_sessions_default_to_two_academic_years(session: Session) -> None:
    assert DEFAULT_START <= session.date <= DEFAULT_END


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(dt.date(2025, 3, 1), dt.date(2025, 3, 2), id="weekend-only"),
        pytest.param(dt.date(2025, 3, 3), dt.date(2025, 3, 3), id="one-monday"),
        pytest.param(dt.date(2025, 3, 7), dt.date(2025, 3, 10), id="friday-to-monday"),
    ],
)
def test_school_days_only_reaches_exactly_the_weekdays_of_a_range(
    start: dt.date, end: dt.date
) -> None:
    span = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    weekdays = {d for d in span if d.weekday() < 5}
    if not weekdays:
        with pytest.raises(InputError, match="no weekday"):
            sessions(start, end, school_days_only=True)
        return
    for day in weekdays:
        found = find(
            sessions(start, end, school_days_only=True),
            lambda s, day=day: s.date == day,  # type: ignore[misc]
        )
        assert found.date == day
    assert all(s.date in weekdays for s in _samples(sessions(start, end, school_days_only=True)))


def _samples(strategy: st.SearchStrategy[Session]) -> list[Session]:
    collected: list[Session] = []

    @settings(max_examples=30, deadline=None, database=None)
    @given(strategy)
    def collect(value: Session) -> None:
        collected.append(value)

    collect()
    return collected


def test_impossible_requests_fail_when_the_strategy_is_built() -> None:
    with pytest.raises(InputError, match="empty date range"):
        sessions(dt.date(2025, 3, 2), dt.date(2025, 3, 1))
    with pytest.raises(InputError, match="no code of these categories"):
        codes("england-2024", categories=())
    with pytest.raises(InputError, match="negative register size"):
        registers(pupils=-1)
    with pytest.raises(InputError, match="impossible summary size"):
        summaries(max_enrolments=0)


# -- marks --------------------------------------------------------------------------------
@FAST
@given(marks(minutes_late=True))
def test_marks_use_the_set_in_force_and_late_minutes_only_on_l_and_u(mark: Mark) -> None:
    assert mark.code in code_set_for_date(mark.session.date)
    _check_minutes(mark)
    if mark.code in ("/", "\\"):
        assert mark.code == ("/" if mark.session.part is Part.AM else "\\")


@FAST
@given(marks(code_set="england-2006", start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 1)))
def test_a_forced_code_set_applies_whatever_the_date(mark: Mark) -> None:
    assert mark.code in ENGLAND_2006
    summarise([mark], code_set="england-2006")


@FAST
@given(mark_sequences(minutes_late=True))
def test_mark_sequences_are_one_valid_enrolment(sequence: list[Mark]) -> None:
    assert [m.session for m in sequence] == sorted({m.session for m in sequence})
    for mark in sequence:
        _check_minutes(mark)
    summary = summarise(sequence)
    assert _balances(summary)
    assert summary.possible_sessions + summary.not_counted_sessions == len(sequence)
    assert summary.minutes_late == sum(m.minutes_late or 0 for m in sequence)


@FAST
@given(mark_sequences(categories={Category.NOT_COUNTED}, min_size=1))
def test_only_not_counted_codes_give_zero_possible_sessions(sequence: list[Mark]) -> None:
    summary = summarise(sequence)
    assert summary.possible_sessions == 0
    assert summary.attendance_rate is None
    assert summary.enrolments_without_possible == 1


def test_mark_sequences_reach_marked_rows_without_possible_sessions() -> None:
    found = find(mark_sequences(), lambda s: bool(s) and summarise(s).possible_sessions == 0)
    assert len(found) == 1
    assert not code_set_for_date(found[0].session.date)[found[0].code].is_possible


def test_mark_sequences_cross_19_august_2024_with_both_code_sets() -> None:
    strategy = mark_sequences(start=dt.date(2024, 8, 12), end=dt.date(2024, 8, 23))
    both = find(
        strategy,
        lambda s: {code_set_for_date(m.session.date) for m in s} == {ENGLAND_2006, ENGLAND_2024},
    )
    assert [code_set_for_date(m.session.date) for m in both] == [ENGLAND_2006, ENGLAND_2024]
    summarise(both)


@FAST
@given(mark_sequences(start=dt.date(2024, 8, 12), end=dt.date(2024, 8, 23), max_size=20))
def test_codes_withdrawn_in_2024_appear_only_before_the_switch(sequence: list[Mark]) -> None:
    for mark in sequence:
        if mark.code in ("H", "F", "J", "Y"):
            assert mark.session.date < SWITCH
        if mark.code in NEW_IN_2024:
            assert mark.session.date >= SWITCH
    summarise(sequence)


# -- enrolments ---------------------------------------------------------------------------
@FAST
@given(enrolments(date_of_birth=True))
def test_enrolments_leave_on_or_after_admission(enrolment: Enrolment) -> None:
    assert DEFAULT_START <= enrolment.admission_date <= DEFAULT_END
    if enrolment.leaving_date is not None:
        assert enrolment.admission_date <= enrolment.leaving_date <= DEFAULT_END
    assert enrolment.date_of_birth is not None
    age_days = (enrolment.admission_date - enrolment.date_of_birth).days
    assert 4 * 365 < age_days <= 18 * 365 + 4
    assert enrolment.on_roll(enrolment.admission_date)


@FAST
@given(enrolments(pupil_id="P1", leaving_date=False))
def test_enrolments_honour_fixed_choices(enrolment: Enrolment) -> None:
    assert enrolment.pupil_id == "P1"
    assert enrolment.leaving_date is None
    assert enrolment.date_of_birth is None


# -- registers ----------------------------------------------------------------------------
@FAST
@given(registers(pupils=4, sessions=8, minutes_late=True))
def test_register_summaries_balance_and_match_summarise(register: Register) -> None:
    assert len(register) <= 4
    assert len(register.sessions) <= 8
    assert list(register.sessions) == sorted(set(register.sessions))
    for pupil_id, summary in register_summaries(register).items():
        assert _balances(summary)
        assert summary == summarise(register.marks(pupil_id))
    assert _balances(register_summary(register))


@FAST
@given(registers(code_set="england-2006", start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 1)))
def test_registers_with_a_forced_set_read_every_code_with_it(register: Register) -> None:
    assert all(code.code_set == "england-2006" for code in register.alphabet)
    for pupil_id, summary in register_summaries(register).items():
        assert summary == summarise(register.marks(pupil_id), code_set="england-2006")


def test_registers_reach_the_empty_register() -> None:
    empty = find(registers(), lambda r: len(r) == 0)
    assert empty.sessions == ()
    assert register_summary(empty).possible_sessions == 0


# -- summaries ----------------------------------------------------------------------------
@FAST
@given(summaries(max_enrolments=4))
def test_summaries_balance(summary: AttendanceSummary) -> None:
    assert _balances(summary)
    assert summary.possible_sessions + summary.not_counted_sessions == sum(
        n for _code, n in summary.code_counts
    )
    assert 1 <= summary.enrolments + summary.enrolments_without_possible <= 4
    assert summary.persistent_absentees <= summary.enrolments
    assert summary.severe_absentees <= summary.persistent_absentees
    if summary.late_sessions == 0:
        assert summary.minutes_late == 0


@FAST
@given(summaries(code_set="england-2024", categories={Category.PRESENT}, max_sessions=50))
def test_summaries_honour_set_and_categories(summary: AttendanceSummary) -> None:
    assert summary.overall_absence == 0
    assert summary.possible_sessions <= 50
    assert {code for code, _n in summary.code_counts} <= {"/", "\\", "L"}


# -- calendars and policies ---------------------------------------------------------------
@FAST
@given(calendars(nation=None))
def test_calendars_validate_and_round_trip_through_toml(calendar: SchoolCalendar) -> None:
    assert SchoolCalendar.from_mapping(tomllib.loads(calendar.to_toml())) == calendar
    assert [y.year for y in calendar.years] == [2023, 2024]
    for year in calendar.years:
        first, last = dt.date(year.year, 8, 1), dt.date(year.year + 1, 7, 31)
        assert all(first <= t.start <= t.end <= last for t in year.terms)
        assert all(d.weekday() < 5 for d in year.inset_days)
        for closure in year.closures:
            assert any(closure.start in t and closure.end in t for t in year.terms)


@FAST
@given(st.data())
def test_calendar_sessions_are_sessions_the_school_meets(data: st.DataObject) -> None:
    calendar = data.draw(calendars(years=(2024,)))
    start, end = dt.date(2024, 8, 1), dt.date(2025, 7, 31)
    register = data.draw(registers(start=start, end=end, calendar=calendar, pupils=3))
    assert all(calendar.is_school_session(s) for s in register.sessions)
    session = data.draw(sessions(start, end, calendar=calendar))
    assert calendar.is_school_session(session)
    assert calendar.closure_code(session) in (None, "Y3")


def test_a_calendar_without_sessions_in_range_is_refused_at_once() -> None:
    calendar = find(calendars(years=(2024,)), lambda c: True)
    with pytest.raises(InputError, match="no session in the date range"):
        sessions(dt.date(2024, 8, 1), dt.date(2024, 8, 20), calendar=calendar)
    with pytest.raises(InputError, match="academic years must be distinct"):
        calendars(years=(2024, 2024))


@FAST
@given(policies())
def test_policies_round_trip_through_the_loader(policy: Policy) -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    again = load_policy(tomllib.loads(policy.to_toml()), plugin_manager=manager)
    assert again == policy
    assert policy.thresholds.persistent_absence <= policy.thresholds.severe_absence
    assert policy.bands.bands[-1].at_least == 0


@FAST
@given(policies(code_set="england-2006"))
def test_policies_with_a_forced_code_set_list_only_its_codes(policy: Policy) -> None:
    assert policy.codes.code_set == "england-2006"
    for listed in (
        policy.penalty_notice.codes,
        policy.deletion.codes,
        policy.consecutive_absence.codes,
        policy.la_notification.sickness_codes,
    ):
        assert all(code in ENGLAND_2006 for code in listed)


def test_policies_vary_the_thresholds() -> None:
    found = find(
        policies(),
        lambda p: p.thresholds.persistent_absence != 10 and p.penalty_notice.sessions > 10,
    )
    assert found.thresholds.persistent_absence != 10
    assert found.penalty_notice.sessions > 10


def test_the_library_imports_without_hypothesis() -> None:
    """Only ``attendance_core.testing`` needs the ``testing`` extra; the core never imports it."""
    script = (
        "import importlib, pkgutil, sys\n"
        "sys.modules['hypothesis'] = None\n"
        "import attendance_core\n"
        "for info in pkgutil.walk_packages(attendance_core.__path__, 'attendance_core.'):\n"
        "    if not info.name.startswith('attendance_core.testing')"
        " and not info.name.endswith('__main__'):\n"
        "        importlib.import_module(info.name)\n"
        "try:\n"
        "    import attendance_core.testing\n"
        "except ImportError:\n"
        "    print('testing needs hypothesis')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "testing needs hypothesis\n"
