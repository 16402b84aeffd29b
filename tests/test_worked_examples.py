"""The worked examples of the domain notes (``shared/domain/attendance-rules.md`` section 8).

Each example is a row of literal expected values, worked by hand from DfE's methodology
(possible sessions exclude D, Q, X, Y1-Y7, Z and #; persistent absence is 10% or more and
severe absence 50% or more of an enrolment's own possible sessions). Examples 4 and 7 need a
school calendar and the Year 11 policy and are tested with the calendar and rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import NamedTuple

import pytest

from attendance_core import AttendanceSummary, summarise
from attendance_core.policy import Policy
from attendance_core.rules.statistics import (
    display_percent,
    is_persistent_absence,
    is_severe_absence,
)

Marks = list[tuple[dt.date, str, str]]


def marks(counts: Mapping[str, int], start: dt.date = dt.date(2025, 9, 1)) -> Marks:
    """Lay ``{code: sessions}`` out over consecutive weekday sessions from ``start``."""

    def sessions() -> Iterator[tuple[dt.date, str]]:
        day = start
        while True:
            if day.weekday() < 5:
                yield day, "AM"
                yield day, "PM"
            day += dt.timedelta(days=1)

    codes = [code for code, n in counts.items() for _ in range(n)]
    return [(day, part, code) for (day, part), code in zip(sessions(), codes, strict=False)]


class Expected(NamedTuple):
    possible: int
    attendance: Fraction
    absence: Fraction
    authorised: Fraction
    unauthorised: Fraction
    persistent: bool
    severe: bool
    shown: tuple[str, str]
    """Attendance and absence as the domain notes print them (two decimal places)."""


EXAMPLES = [
    pytest.param(
        {"/": 170, "\\": 170, "L": 6, "V": 4, "I": 20, "M": 4, "G": 6, "#": 10},
        Expected(
            380,
            Fraction(350, 380),
            Fraction(30, 380),
            Fraction(24, 380),
            Fraction(6, 380),
            False,
            False,
            ("92.11", "7.89"),
        ),
        id="example-1-ordinary-full-year",
    ),
    pytest.param(
        {"/": 75, "\\": 75, "Y4": 12, "Y2": 8, "D": 10, "I": 12, "O": 5},
        Expected(
            167,
            Fraction(150, 167),
            Fraction(17, 167),
            Fraction(12, 167),
            Fraction(5, 167),
            True,
            False,
            ("89.82", "10.18"),
        ),
        id="example-2-excluded-codes-leave-the-denominator",
    ),
    pytest.param(
        {"/": 60, "I": 30, "G": 30},
        Expected(
            120,
            Fraction(1, 2),
            Fraction(1, 2),
            Fraction(1, 4),
            Fraction(1, 4),
            True,
            True,
            ("50.00", "50.00"),
        ),
        id="example-3-joiner-60-of-120-is-severe",
    ),
    pytest.param(
        {"/": 61, "I": 59},
        Expected(
            120,
            Fraction(61, 120),
            Fraction(59, 120),
            Fraction(59, 120),
            Fraction(0),
            True,
            False,
            ("50.83", "49.17"),
        ),
        id="example-3-joiner-59-of-120-is-not-severe",
    ),
    pytest.param(
        {"/": 120, "L": 10, "U": 6, "I": 4},
        Expected(
            140,
            Fraction(130, 140),
            Fraction(10, 140),
            Fraction(4, 140),
            Fraction(6, 140),
            False,
            False,
            ("92.86", "7.14"),
        ),
        id="example-5-lateness-L-present-U-absent",
    ),
    pytest.param(
        {"/": 35, "C2": 35},
        Expected(
            70,
            Fraction(1, 2),
            Fraction(1, 2),
            Fraction(1, 2),
            Fraction(0),
            True,
            True,
            ("50.00", "50.00"),
        ),
        id="example-6-part-time-timetable-C2-mornings-only",
    ),
    pytest.param(
        {"/": 42, "C2": 28},
        Expected(
            70,
            Fraction(3, 5),
            Fraction(2, 5),
            Fraction(2, 5),
            Fraction(0),
            True,
            False,
            ("60.00", "40.00"),
        ),
        id="example-6-part-time-timetable-one-afternoon-attended",
    ),
    pytest.param(
        {"/": 35, "X": 35},
        Expected(
            35, Fraction(1), Fraction(0), Fraction(0), Fraction(0), False, False, ("100.00", "0.00")
        ),
        id="example-6-under-compulsory-age-X-not-possible",
    ),
    pytest.param(
        {"/": 88, "I": 12},
        Expected(
            100,
            Fraction(88, 100),
            Fraction(12, 100),
            Fraction(12, 100),
            Fraction(0),
            True,
            False,
            ("88.00", "12.00"),
        ),
        id="example-8-school-A-enrolment",
    ),
    pytest.param(
        {"/": 266, "I": 14},
        Expected(
            280,
            Fraction(266, 280),
            Fraction(14, 280),
            Fraction(14, 280),
            Fraction(0),
            False,
            False,
            ("95.00", "5.00"),
        ),
        id="example-8-school-B-enrolment",
    ),
    pytest.param(
        {"/": 342, "O": 38},
        Expected(
            380,
            Fraction(342, 380),
            Fraction(38, 380),
            Fraction(0),
            Fraction(38, 380),
            True,
            False,
            ("90.00", "10.00"),
        ),
        id="pa-boundary-38-of-380-is-persistent",
    ),
    pytest.param(
        {"/": 343, "O": 37},
        Expected(
            380,
            Fraction(343, 380),
            Fraction(37, 380),
            Fraction(0),
            Fraction(37, 380),
            False,
            False,
            ("90.26", "9.74"),
        ),
        id="pa-boundary-37-of-380-is-not-persistent",
    ),
]


@pytest.mark.parametrize(("counts", "expected"), EXAMPLES)
def test_worked_example(counts: dict[str, int], expected: Expected) -> None:
    summary = summarise(marks(counts))
    assert summary.possible_sessions == expected.possible
    assert summary.attendance_rate == expected.attendance
    assert summary.overall_absence_rate == expected.absence
    assert summary.authorised_absence_rate == expected.authorised
    assert summary.unauthorised_absence_rate == expected.unauthorised
    assert summary.persistent_absence is expected.persistent
    assert summary.severe_absence is expected.severe
    assert (summary.persistent_absentees, summary.severe_absentees) == (
        int(expected.persistent),
        int(expected.severe),
    )
    rates = (summary.attendance_rate, summary.overall_absence_rate)
    shown = tuple(f"{float(rate * 100):.2f}" for rate in rates if rate is not None)
    assert shown == expected.shown


def test_example_5_late_sessions_are_L_plus_U() -> None:
    summary = summarise(marks({"/": 120, "L": 10, "U": 6, "I": 4}))
    assert summary.late_sessions == 16
    assert summary.present_sessions == 130
    assert summary.unauthorised_absence == 6


def test_example_2_wrong_denominator_would_hide_persistent_absence() -> None:
    """Leaving the 30 Y4, Y2 and D sessions in the denominator (197) would give 8.63%: not PA."""
    assert is_persistent_absence(17, 167)
    assert not is_persistent_absence(17, 197)
    assert f"{17 / 197 * 100:.2f}" == "8.63"


def test_example_3_rounding_trap_49_96_percent_is_not_severe() -> None:
    """49.96% shows as 50.0% to one decimal place, yet is not severe absence."""
    summary = AttendanceSummary.from_counts({"/": 1251, "O": 1249})
    assert summary.overall_absence_rate == Fraction(1249, 2500)
    assert display_percent(summary.overall_absence_rate) == "50.0%"
    assert summary.severe_absence is False
    assert summary.persistent_absence is True
    assert not is_severe_absence(1249, 2500)
    assert is_severe_absence(1250, 2500)


def test_example_8_enrolments_not_pupils() -> None:
    """One PA enrolment at A and one non-PA enrolment at B; pupil-level it would be 6.84%."""
    school_a = summarise(marks({"/": 88, "I": 12}, start=dt.date(2025, 9, 1)))
    school_b = summarise(marks({"/": 266, "I": 14}, start=dt.date(2025, 11, 10)))
    group = school_a + school_b
    assert (group.enrolments, group.persistent_absentees) == (2, 1)
    assert group.persistent_absence_rate == Fraction(1, 2)
    assert group.overall_absence_rate == Fraction(26, 380)
    assert f"{float(group.overall_absence_rate * 100):.2f}" == "6.84"
    pupil = summarise(marks({"/": 88, "I": 12}) + marks({"/": 266, "I": 14}, dt.date(2025, 11, 10)))
    assert pupil.persistent_absence is False
    assert pupil.persistent_absentees == 0


@pytest.mark.parametrize(
    ("count_by", "enrolments", "persistent"),
    [
        pytest.param("enrolment", 2, 1, id="example-8-count-by-enrolment-DfE"),
        pytest.param("pupil", 1, 0, id="example-8-count-by-pupil"),
    ],
)
def test_example_8_method_count_by(count_by: str, enrolments: int, persistent: int) -> None:
    """``[method] count_by`` decides the unit: 12% at A and 5% at B is one persistent
    absentee out of two enrolments, or none out of one pupil (26/380 = 6.84%)."""
    policy = Policy.from_mapping({"method": {"count_by": count_by}})
    school_a = summarise(marks({"/": 88, "I": 12}), policy=policy)
    school_b = summarise(marks({"/": 266, "I": 14}, dt.date(2025, 11, 10)), policy=policy)
    group = AttendanceSummary.pool_by([("P1", school_a), ("P1", school_b)], policy=policy)
    assert (group.enrolments, group.persistent_absentees) == (enrolments, persistent)
    assert group.overall_absence_rate == Fraction(26, 380)


def test_example_9_zero_possible_sessions_is_excluded() -> None:
    """Dual registered and coded D for every session: no possible sessions, no rate at all."""
    summary = summarise(marks({"D": 380}))
    assert summary.possible_sessions == 0
    assert summary.attendance_rate is None
    assert summary.overall_absence_rate is None
    assert summary.reason_rates == {}
    assert (summary.persistent_absence, summary.severe_absence) == (False, False)
    assert (summary.enrolments, summary.enrolments_without_possible) == (0, 1)
    other = summarise(marks({"/": 9, "I": 1}))
    group = summary + other
    assert group.attendance_rate == Fraction(9, 10)
    assert group.persistent_absence_rate == Fraction(1, 1)
    assert (group.enrolments, group.enrolments_without_possible) == (1, 1)
