"""Absence patterns: weekday and AM/PM skew, absence next to weekends and holidays."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import CALENDAR, context, from_evidence, record, register, without
from attendance_core.model import Enrolment, Mark
from attendance_core.rules.absence_pattern import absence_pattern
from attendance_core.rules.findings import Finding, Severity

FIRST, LAST = dt.date(2025, 1, 7), dt.date(2025, 3, 28)


def pupil(absent: list[str], start: dt.date = FIRST, end: dt.date = LAST) -> list[Mark]:
    """Present at every session from ``start`` to ``end`` but the ``"YYYY-MM-DD AM"`` ones."""
    wanted = set(absent)
    return [Mark(s, "N" if str(s) in wanted else "/") for s in CALENDAR.sessions(start, end)]


def both(*days: str) -> list[str]:
    return [f"{d} {p}" for d in days for p in ("AM", "PM")]


def run(
    marks: list[Mark], as_of: dt.date = LAST, enrolment: Enrolment | None = None
) -> list[Finding]:
    return absence_pattern(record(register({"P": marks}), "P", enrolment), context(as_of))


@pytest.mark.parametrize(
    ("absent", "expected"),
    [
        pytest.param(
            both("2025-01-13", "2025-01-20", "2025-01-27"),
            [("weekday", Fraction(1), "Monday"), ("adjacent", Fraction(1), None)],
            id="mondays",
        ),
        pytest.param(
            [*both("2025-01-13", "2025-01-20"), "2025-01-27 AM"], [], id="5-sessions-too-few"
        ),
        pytest.param(
            [
                f"{d} PM"
                for d in (
                    "2025-01-08",
                    "2025-01-15",
                    "2025-01-22",
                    "2025-01-29",
                    "2025-02-05",
                    "2025-02-12",
                )
            ],
            [("weekday", Fraction(1), "Wednesday"), ("part", Fraction(1), "PM")],
            id="wednesday-afternoons",
        ),
        pytest.param(
            [
                f"{d} AM"
                for d in (
                    "2025-01-14",
                    "2025-01-21",
                    "2025-01-28",
                    "2025-02-04",
                    "2025-01-15",
                    "2025-01-22",
                    "2025-01-29",
                    "2025-01-16",
                    "2025-01-23",
                    "2025-01-30",
                )
            ],
            [("weekday", Fraction(2, 5), "Tuesday"), ("part", Fraction(1), "AM")],
            id="weekday-at-40-percent",
        ),
        pytest.param(
            [
                *(f"{d} AM" for d in ("2025-01-14", "2025-01-21", "2025-01-28", "2025-02-04")),
                *(
                    f"{d} PM"
                    for d in (
                        "2025-01-15",
                        "2025-01-22",
                        "2025-01-29",
                        "2025-01-16",
                        "2025-01-23",
                        "2025-01-30",
                        "2025-02-06",
                    )
                ),
            ],
            [],
            id="weekday-at-36-part-at-64-percent",
        ),
        pytest.param(
            both("2025-02-14", "2025-02-24", "2025-01-07"),
            [("adjacent", Fraction(1), None)],
            id="half-term-and-inset",
        ),
        pytest.param(
            [
                *both("2025-02-14"),
                "2025-02-24 AM",
                "2025-02-26 PM",
                "2025-02-27 PM",
                "2025-03-04 PM",
            ],
            [("adjacent", Fraction(1, 2), None)],
            id="adjacent-at-50-percent",
        ),
        pytest.param(
            [
                *both("2025-02-14"),
                "2025-03-11 AM",
                "2025-02-26 PM",
                "2025-02-27 PM",
                "2025-03-04 PM",
            ],
            [],
            id="adjacent-at-33-percent",
        ),
    ],
)
def test_absence_pattern(
    absent: list[str], expected: list[tuple[str, Fraction, str | None]]
) -> None:
    found = run(pupil(absent))
    got = [
        (f.details["kind"], f.figure, f.details.get("weekday", f.details.get("part")))
        for f in found
    ]
    assert got == expected
    assert all(f.severity is Severity.WATCH and len(f.evidence) == len(absent) for f in found)


def test_pattern_gives_the_counts_behind_it() -> None:
    enrolment = Enrolment("P", "S", FIRST)
    found = run(
        pupil(both("2025-01-07", "2025-01-10", "2025-01-13")), dt.date(2025, 1, 17), enrolment
    )
    (adjacent,) = [f for f in found if f.details["kind"] == "adjacent"]
    assert (
        adjacent.details["adjacent_absences"],
        adjacent.details["adjacent_sessions"],
        adjacent.details["sessions"],
    ) == (6, 8, 18)
    assert adjacent.threshold == Fraction(1, 2)
    assert adjacent.explanation == (
        "6 of 6 absence sessions this school year were on a school day next to a weekend or "
        "holiday (100.0%)."
    )
    monday = run(pupil(both("2025-01-13", "2025-01-20", "2025-01-27")))[0]
    assert monday.details["absences_by_weekday"] == {
        "Monday": 6,
        "Tuesday": 0,
        "Wednesday": 0,
        "Thursday": 0,
        "Friday": 0,
    }
    assert monday.details["sessions_by_weekday"]["Monday"] == 20


SESSIONS = [str(s) for s in CALENDAR.sessions(dt.date(2025, 1, 7), dt.date(2025, 2, 14))]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SESSIONS), max_size=20, unique=True))
def test_evidence_alone_retriggers_and_counts_fit(absent: list[str]) -> None:
    found = run(pupil(absent))
    for finding in found:
        assert finding in run(list(from_evidence("P", finding.evidence).marks("P")))
        assert finding.figure <= 1  # type: ignore[operator]
        assert len(finding.evidence) == finding.details["absences"] == len(absent)
        if finding.details["kind"] == "weekday":
            assert sum(finding.details["absences_by_weekday"].values()) == len(absent)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 5))
def test_removing_evidence_from_minimal_trigger_clears(drop: int) -> None:
    marks = pupil(both("2025-01-13", "2025-01-20", "2025-01-27"))
    finding = run(marks)[0]
    assert run(without(marks, finding.evidence[drop].session)) == []
