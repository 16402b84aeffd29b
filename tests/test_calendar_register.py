"""Missing marks, marks on non-school days and marks outside enrolment: a register compared
with its calendar and its roll."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import Enrolment, Register, RegisterBuilder, Session
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.rules.register_checks import (
    MarkOutsideEnrolment,
    MissingMarks,
    NonSchoolDayMark,
    marks_on_non_school_days,
    marks_outside_enrolment,
    missing_marks,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "calendars"
D = dt.date


@pytest.fixture(scope="module")
def primary() -> SchoolCalendar:
    return SchoolCalendar.from_toml(EXAMPLES / "kent-example-primary.toml")


def _register(marks: list[tuple[str, dt.date, str, str]]) -> Register:
    builder = RegisterBuilder()
    for pupil, day, part, code in marks:
        builder.add(pupil, Session(day, part), code)
    return builder.build()


def _full_days(
    pupil: str, days: list[dt.date], code: str = "/"
) -> list[tuple[str, dt.date, str, str]]:
    return [(pupil, d, p, code) for d in days for p in ("AM", "PM")]


def test_no_gaps_no_findings(primary: SchoolCalendar) -> None:
    days = primary.school_days(D(2026, 1, 12), D(2026, 1, 16))
    register = _register(_full_days("A", days))
    assert missing_marks(register, primary) == []
    enrolments = {"A": Enrolment("A", "S", D(2026, 1, 12), D(2026, 1, 16))}
    assert missing_marks(register, primary, enrolments=enrolments) == []


def test_gap_found_between_first_and_last_mark_without_enrolments(primary: SchoolCalendar) -> None:
    marks = [*_full_days("A", [D(2026, 1, 12), D(2026, 1, 14)]), ("A", D(2026, 1, 13), "AM", "/")]
    found = missing_marks(_register(marks), primary)
    assert found == [MissingMarks("A", (Session(D(2026, 1, 13), "PM"),), 6)]


def test_enrolment_expects_every_session_from_admission_to_leaving(primary: SchoolCalendar) -> None:
    register = _register(_full_days("A", [D(2026, 1, 14)]))
    enrolments = {
        "A": Enrolment("A", "S", D(2026, 1, 13), D(2026, 1, 15)),
        "B": Enrolment("B", "S", D(2026, 1, 19), None),
    }
    found = missing_marks(register, primary, enrolments=enrolments, as_of=D(2026, 1, 20))
    assert found == [
        MissingMarks(
            "A",
            (
                Session(D(2026, 1, 13), "AM"),
                Session(D(2026, 1, 13), "PM"),
                Session(D(2026, 1, 15), "AM"),
                Session(D(2026, 1, 15), "PM"),
            ),
            6,
        ),
        # B has no row at all; 20 January afternoon was a Y4 closure, so 3 sessions are expected.
        MissingMarks(
            "B",
            (
                Session(D(2026, 1, 19), "AM"),
                Session(D(2026, 1, 19), "PM"),
                Session(D(2026, 1, 20), "AM"),
            ),
            3,
        ),
    ]


def test_y3_partial_closure_sessions_still_need_a_mark(primary: SchoolCalendar) -> None:
    register = _register([("A", D(2026, 3, 9), "AM", "/"), ("A", D(2026, 3, 11), "AM", "Y3")])
    found = missing_marks(register, primary)
    assert [str(s) for s in found[0].sessions] == [
        "2026-03-09 PM",
        "2026-03-10 AM",
        "2026-03-10 PM",
    ]
    assert found[0].expected == 5


@pytest.mark.parametrize(
    ("day", "part", "code", "reason"),
    [
        pytest.param(D(2026, 1, 17), "AM", "/", "weekend", id="saturday"),
        pytest.param(D(2025, 5, 5), "AM", "/", "bank holiday", id="bank-holiday"),
        pytest.param(D(2025, 5, 5), "PM", "C", "bank holiday", id="C-on-bank-holiday"),
        pytest.param(D(2024, 12, 27), "AM", "N", "holiday", id="christmas-holiday"),
        pytest.param(D(2024, 12, 27), "AM", "Y4", "holiday", id="Y4-in-a-holiday"),
        pytest.param(D(2024, 10, 21), "PM", "Y4", "INSET day", id="Y4-on-inset"),
        pytest.param(D(2026, 1, 17), "AM", "#", "weekend", id="hash-on-saturday"),
        pytest.param(D(2024, 12, 29), "PM", "#", "weekend", id="hash-on-sunday-in-a-holiday"),
        pytest.param(D(2023, 9, 4), "AM", "#", "outside the calendar", id="hash-outside-calendar"),
        pytest.param(D(2024, 10, 21), "AM", "/", "INSET day", id="present-on-inset"),
        pytest.param(D(2026, 1, 20), "PM", "/", "closure", id="present-in-Y4-closure"),
        pytest.param(D(2026, 1, 20), "PM", "#", "closure", id="hash-in-Y4-closure"),
        pytest.param(D(2023, 9, 4), "AM", "/", "outside the calendar", id="outside-calendar"),
    ],
)
def test_marks_on_non_school_days_reported(
    primary: SchoolCalendar, day: dt.date, part: str, code: str, reason: str
) -> None:
    register = _register([("A", D(2026, 1, 12), "AM", "/"), ("A", day, part, code)])
    assert marks_on_non_school_days(register, primary) == [
        NonSchoolDayMark("A", Session(day, part), code, reason)
    ]


@pytest.mark.parametrize(
    ("day", "part", "code"),
    [
        pytest.param(D(2024, 10, 21), "AM", "#", id="hash-on-inset"),
        # SI 2024/208 code #: planned whole-school closure, which schools use for holidays too.
        pytest.param(D(2025, 5, 5), "PM", "#", id="hash-on-bank-holiday"),
        pytest.param(D(2024, 12, 27), "AM", "#", id="hash-in-christmas-holiday"),
        pytest.param(D(2024, 10, 28), "PM", "#", id="hash-in-october-holiday"),
        pytest.param(D(2025, 5, 1), "PM", "#", id="hash-on-planned-closure"),
        pytest.param(D(2026, 1, 20), "PM", "Y4", id="Y4-on-unexpected-closure"),
        pytest.param(D(2026, 3, 11), "AM", "Y3", id="Y3-is-a-school-session"),
    ],
)
def test_closure_codes_on_their_closure_are_consistent(
    primary: SchoolCalendar, day: dt.date, part: str, code: str
) -> None:
    register = _register([("A", day, part, code)])
    assert marks_on_non_school_days(register, primary) == []


@settings(max_examples=50, deadline=None)
@given(
    st.sets(st.integers(0, 110), max_size=60),
    st.integers(0, 60),
    st.integers(0, 140),
    st.integers(0, 140),
)
def test_missing_marks_are_exactly_the_expected_sessions_without_a_mark(
    marked: set[int], admit: int, leave_after: int, as_of_index: int
) -> None:
    calendar = SchoolCalendar.from_toml(EXAMPLES / "kent-example-primary.toml")
    sessions = calendar.sessions(D(2026, 1, 5), D(2026, 4, 2))
    register = _register([("A", sessions[i].date, sessions[i].part.value, "/") for i in marked])
    admission = sessions[admit].date
    leaving = sessions[min(admit + leave_after, len(sessions) - 1)].date
    as_of = sessions[min(as_of_index, len(sessions) - 1)].date
    enrolment = Enrolment("A", "S", admission, leaving)
    found = missing_marks(register, calendar, enrolments={"A": enrolment}, as_of=as_of)
    expected = calendar.expected_sessions(enrolment, until=as_of)
    gaps = [s for s in expected if s not in {sessions[i] for i in marked}]
    assert [g for m in found for g in m.sessions] == gaps
    assert all(m.expected == len(expected) for m in found)


@settings(max_examples=50, deadline=None)
@given(st.sets(st.integers(0, 110), min_size=1, max_size=60), st.sets(st.integers(0, 110)))
def test_without_an_enrolment_missing_marks_are_the_gaps_between_first_and_last_mark(
    marked: set[int], others: set[int]
) -> None:
    calendar = SchoolCalendar.from_toml(EXAMPLES / "kent-example-primary.toml")
    sessions = calendar.sessions(D(2026, 1, 5), D(2026, 4, 2))
    # Another pupil's marks give the register columns where A has none, before and after A's.
    register = _register(
        [("A", sessions[i].date, sessions[i].part.value, "/") for i in marked]
        + [("B", sessions[i].date, sessions[i].part.value, "/") for i in others]
    )
    first, last = sessions[min(marked)], sessions[max(marked)]
    gaps = [s for s in sessions if first < s < last and sessions.index(s) not in marked]
    found = {m.pupil_id: m for m in missing_marks(register, calendar)}
    assert list(found["A"].sessions if "A" in found else ()) == gaps
    if "A" in found:
        assert found["A"].expected == max(marked) - min(marked) + 1


# Admitted Tuesday 13 January 2026, left Thursday 15 January 2026 (both days on roll).
ADMITTED_13_LEFT_15 = {"A": Enrolment("A", "S", D(2026, 1, 13), D(2026, 1, 15))}


@pytest.mark.parametrize(
    ("day", "part", "code", "enrolments", "expected"),
    [
        pytest.param(D(2026, 1, 12), "PM", "/", ADMITTED_13_LEFT_15, "before admission",
                     id="day-before-admission"),
        pytest.param(D(2026, 1, 13), "AM", "/", ADMITTED_13_LEFT_15, None,
                     id="admission-date-on-roll"),
        pytest.param(D(2026, 1, 15), "PM", "N", ADMITTED_13_LEFT_15, None,
                     id="leaving-date-on-roll"),
        pytest.param(D(2026, 1, 16), "AM", "N", ADMITTED_13_LEFT_15, "after leaving",
                     id="day-after-leaving"),
        pytest.param(D(2026, 1, 12), "AM", "\\", {"A": Enrolment("A", "S", D(2026, 1, 13))},
                     "before admission", id="no-leaving-date-before-admission"),
        pytest.param(D(2027, 7, 16), "PM", "/", {"A": Enrolment("A", "S", D(2026, 1, 13))},
                     None, id="no-leaving-date-still-on-roll"),
        pytest.param(D(2026, 1, 12), "PM", "/", {"B": ADMITTED_13_LEFT_15["A"]}, None,
                     id="no-enrolment-for-the-pupil"),
        pytest.param(D(2026, 1, 12), "PM", "/", {}, None, id="no-enrolments"),
    ],
)  # fmt: skip
def test_marks_outside_enrolment_at_each_boundary(
    day: dt.date,
    part: str,
    code: str,
    enrolments: dict[str, Enrolment],
    expected: str | None,
) -> None:
    # Another pupil, on roll throughout, gives the register columns on every day around A's mark.
    around = [D(2026, 1, d) for d in range(12, 17)]
    register = _register([("A", day, part, code), *_full_days("Z", around)])
    found = marks_outside_enrolment(register, enrolments)
    if expected is None:
        assert found == []
    else:
        assert found == [MarkOutsideEnrolment("A", Session(day, part), code, expected)]


def test_marks_outside_enrolment_in_register_then_session_order() -> None:
    marks = [
        ("B", D(2026, 1, 19), "AM", "/"),
        *_full_days("A", [D(2026, 1, 12), D(2026, 1, 14), D(2026, 1, 16)], "N"),
    ]
    enrolments = {
        "A": ADMITTED_13_LEFT_15["A"],
        "B": Enrolment("B", "S", D(2026, 1, 5), D(2026, 1, 16)),
    }
    found = marks_outside_enrolment(_register(marks), enrolments)
    assert [(m.pupil_id, str(m.session), m.code, m.reason) for m in found] == [
        ("B", "2026-01-19 AM", "/", "after leaving"),
        ("A", "2026-01-12 AM", "N", "before admission"),
        ("A", "2026-01-12 PM", "N", "before admission"),
        ("A", "2026-01-16 AM", "N", "after leaving"),
        ("A", "2026-01-16 PM", "N", "after leaving"),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.integers(0, 59), min_size=1, max_size=30),
    st.integers(0, 59),
    st.integers(0, 59),
    st.integers(1, 40),
    st.booleans(),
)
def test_only_a_mark_moved_outside_the_enrolment_is_reported(
    marked: set[int], admit: int, leave_after: int, shift: int, before: bool
) -> None:
    sessions = [Session(D(2026, 1, 5) + dt.timedelta(days=i // 2), "AM" if i % 2 == 0 else "PM")
                for i in range(200)]  # fmt: skip
    first = 60
    admission = sessions[first + admit].date
    leaving = sessions[first + min(admit + leave_after, 59)].date
    inside = [s for s in sessions[first : first + 60] if admission <= s.date <= leaving]
    kept = sorted({inside[i % len(inside)] for i in marked})
    enrolments = {"A": Enrolment("A", "S", admission, leaving)}
    marks = [("A", s.date, s.part.value, "/") for s in kept] + [
        ("Z", s.date, s.part.value, "N") for s in sessions
    ]
    assert marks_outside_enrolment(_register(marks), enrolments) == []
    moved = kept[0]
    if before:
        outside = Session(admission - dt.timedelta(days=shift), moved.part)
        reason = "before admission"
    else:
        outside = Session(leaving + dt.timedelta(days=shift), moved.part)
        reason = "after leaving"
    marks[0] = ("A", outside.date, outside.part.value, "L")
    found = marks_outside_enrolment(_register(marks), enrolments)
    assert found == [MarkOutsideEnrolment("A", outside, "L", reason)]
