"""Statistics over calendar periods, and the Year 11 rule (worked example 7)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import Enrolment, Register, RegisterBuilder, Session
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.policy import Policy
from attendance_core.policy._model import MethodPolicy
from attendance_core.rules.periods import (
    age_on_31_august,
    by_census_window,
    by_half_term,
    by_school_week,
    by_term,
    slice_register,
    summarise_period,
    year_to_date,
)
from attendance_core.rules.statistics import AttendanceSummary

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "calendars"
D = dt.date
ACADEMY = SchoolCalendar.from_toml(EXAMPLES / "kent-example-academy.toml")
EXCLUDE = Policy(method=MethodPolicy(year11_last_half_term="exclude"))


def _register(codes: dict[str, list[tuple[Session, str]]]) -> Register:
    builder = RegisterBuilder()
    for pupil, marks in codes.items():
        for session, code in marks:
            builder.add(pupil, session, code)
    return builder.build()


def _weekdays(start: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _example_7() -> Register:
    """§8 example 7: 320 possible sessions in half-terms 1-5 with 20 absent, 60 in half-term 6
    of which 50 are study leave (S). The pupil, Y11, is aged 15 at 31 August 2025. The year is
    every weekday from 1 September (160 days to 10 April), then 30 from 1 June."""
    first = [Session(d, p) for d in _weekdays(D(2025, 9, 1), 160) for p in ("AM", "PM")]
    last = [Session(d, p) for d in _weekdays(D(2026, 6, 1), 30) for p in ("AM", "PM")]
    marks = [(s, "I" if i < 20 else "/") for i, s in enumerate(first)]
    marks += [(s, "S" if i < 50 else "/") for i, s in enumerate(last)]
    return _register({"Y11": marks})


def _academy_year() -> Register:
    """One pupil present at every session the example academy meets in 2025/26."""
    sessions = ACADEMY.sessions(D(2025, 8, 1), D(2026, 7, 31))
    return _register({"A": [(s, "/") for s in sessions]})


Y11 = {"Y11": Enrolment("Y11", "S", D(2025, 9, 1), None, date_of_birth=D(2010, 3, 14))}


@pytest.mark.parametrize(
    ("policy", "possible", "absence", "persistent"),
    [
        pytest.param(Policy(), 380, 70, True, id="example-7-school-includes-half-term-6"),
        pytest.param(EXCLUDE, 320, 20, False, id="example-7-dfe-excludes-half-term-6"),
    ],
)
def test_year11_rule_worked_example_7(
    policy: Policy, possible: int, absence: int, persistent: bool
) -> None:
    result = year_to_date(_example_7(), D(2026, 7, 31), policy=policy, enrolments=Y11)
    summary = result.pupils["Y11"]
    assert (summary.possible_sessions, summary.overall_absence) == (possible, absence)
    assert summary.persistent_absence is persistent
    assert result.year11_excluded == (("Y11",) if policy is EXCLUDE else ())


def test_example_7_rate_is_exactly_6_25_percent() -> None:
    result = year_to_date(_example_7(), D(2026, 7, 31), policy=EXCLUDE, enrolments=Y11)
    assert result.pupils["Y11"].overall_absence_rate == Fraction(1, 16)


@pytest.mark.parametrize(
    ("born", "age"),
    [
        pytest.param(D(2009, 9, 1), 15, id="born-1-september-oldest-in-year-11"),
        pytest.param(D(2010, 8, 31), 15, id="born-31-august-youngest-in-year-11"),
        pytest.param(D(2010, 9, 1), 14, id="born-1-september-year-10"),
        pytest.param(D(2009, 8, 31), 16, id="born-31-august-year-12"),
    ],
)
def test_age_on_31_august(born: dt.date, age: int) -> None:
    assert age_on_31_august(born, 2025) == age


def test_year11_rule_needs_a_date_of_birth_and_says_so() -> None:
    register = _example_7()
    no_age = {"Y11": Enrolment("Y11", "S", D(2025, 9, 1))}
    result = year_to_date(register, D(2026, 7, 31), policy=EXCLUDE, enrolments=no_age)
    assert result.unknown_age == ("Y11",)
    assert result.pupils["Y11"].possible_sessions == 380
    younger = {"Y11": Enrolment("Y11", "S", D(2025, 9, 1), None, date_of_birth=D(2011, 3, 1))}
    result = year_to_date(register, D(2026, 7, 31), policy=EXCLUDE, enrolments=younger)
    assert (result.year11_excluded, result.pupils["Y11"].possible_sessions) == ((), 380)


@pytest.mark.parametrize(
    ("policy", "summer_2"),
    [pytest.param(Policy(), 60, id="include"), pytest.param(EXCLUDE, 0, id="exclude")],
)
def test_census_windows_of_example_7(policy: Policy, summer_2: int) -> None:
    windows = by_census_window(_example_7(), 2025, policy=policy, enrolments=Y11)
    assert [(w.name, w.total.possible_sessions) for w in windows] == [
        ("autumn", 176),
        ("spring", 134),
        ("summer 1", 10),
        ("summer 2", summer_2),
    ]


def test_terms_half_terms_and_census_windows_of_a_real_year() -> None:
    register = _academy_year()
    windows = by_census_window(register, 2025)
    assert [(w.name, w.total.possible_sessions) for w in windows] == [
        ("autumn", 142),
        ("spring", 116),
        ("summer 1", 48),
        ("summer 2", 74),
    ]
    halves = by_half_term(register, ACADEMY, 2025)
    assert [h.name for h in halves] == [
        "Autumn 1",
        "Autumn 2",
        "Spring 1",
        "Spring 2",
        "Summer 1",
        "Summer 2",
    ]
    assert sum(h.total.possible_sessions for h in halves) == 380
    # Labelled from each half-term's first weekday (the February break ends Friday 20 February).
    spring_2 = halves[3]
    assert (spring_2.start, spring_2.end) == (dt.date(2026, 2, 23), dt.date(2026, 4, 2))
    terms = by_term(register, ACADEMY, 2025)
    assert [(t.name, t.total.possible_sessions) for t in terms] == [
        ("Autumn", 142),
        ("Spring", 116),
        ("Summer", 122),
    ]
    assert by_term(register, ACADEMY, 2030) == []


def test_year_to_date_cuts_at_the_date_and_weeks_are_named_by_monday() -> None:
    register = _academy_year()
    assert year_to_date(register, D(2025, 9, 5)).total.possible_sessions == 6
    weeks = by_school_week(register, ACADEMY, D(2025, 10, 22), D(2025, 11, 7))
    assert [(w.name, w.start, w.end, w.total.possible_sessions) for w in weeks] == [
        ("week of 2025-10-20", D(2025, 10, 22), D(2025, 10, 26), 4),
        ("week of 2025-11-03", D(2025, 11, 3), D(2025, 11, 7), 8),
    ]


def test_minutes_late_follow_their_columns() -> None:
    builder = RegisterBuilder()
    builder.add("A", Session(D(2025, 9, 3), "AM"), "L", 12)
    builder.add("A", Session(D(2025, 9, 4), "AM"), "U", 40)
    register = builder.build()
    part = slice_register(register, D(2025, 9, 4), D(2025, 9, 4))
    assert part.minutes_late == {(0, 0): 40}
    assert summarise_period(register, D(2025, 9, 3), D(2025, 9, 3)).total.minutes_late == 12


_CODES = st.sampled_from(["/", "\\", "L", "I", "N", "G", "U", "M", "D", "#", "Y4"])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(0, 379), _CODES),
        max_size=120,
        unique_by=lambda m: (m[0], m[1]),
    ),
    st.booleans(),
)
def test_census_windows_partition_the_year(
    marks: list[tuple[str, int, str]], exclude: bool
) -> None:
    sessions = ACADEMY.sessions(D(2025, 8, 1), D(2026, 7, 31))
    register = _register({p: [(sessions[i], c) for q, i, c in marks if q == p] for p in "ABC"})
    enrolments = {
        p: Enrolment(p, "S", D(2025, 9, 1), None, date_of_birth=D(2010, 1, 1)) for p in "AB"
    }
    policy = EXCLUDE if exclude else Policy()
    whole = year_to_date(register, D(2026, 7, 31), policy=policy, enrolments=enrolments)
    parts = by_census_window(register, 2025, policy=policy, enrolments=enrolments)
    for pupil in register.pupil_ids:
        pooled = AttendanceSummary.pool(p.pupils[pupil] for p in parts)
        assert attrs.astuple(pooled)[:8] == attrs.astuple(whole.pupils[pupil])[:8]
    weeks = by_school_week(
        register, ACADEMY, D(2025, 8, 1), D(2026, 7, 31), policy=policy, enrolments=enrolments
    )
    assert sum(w.total.possible_sessions for w in weeks) == whole.total.possible_sessions
