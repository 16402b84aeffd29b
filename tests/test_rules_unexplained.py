"""Unexplained absence: N not replaced within 5 school days; the first-day contact list."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core as ac
from _rule_tables import CALENDAR, check, context, from_evidence, marks, record, register, without
from attendance_core.calendars import RegisterTimes, SessionTimes
from attendance_core.model import Enrolment, Part
from attendance_core.policy import Policy
from attendance_core.policy._model import UnexplainedAbsencePolicy
from attendance_core.rules.findings import Severity
from attendance_core.rules.unexplained_absence import (
    first_day_contact,
    unexplained_absence_outstanding,
)


@pytest.mark.parametrize(
    ("start", "codes", "as_of", "expected"),
    [
        pytest.param("2025-03-03", "N /", "2025-03-10", None, id="replace-by-day-5"),
        pytest.param(
            "2025-03-03",
            "N /",
            "2025-03-11",
            (6, 1, "2025-03-03", "2025-03-10"),
            id="outstanding-on-day-6",
        ),
        pytest.param(
            "2025-03-03",
            "N N / / / / / / / / / / / / N",
            "2025-03-11",
            (6, 2, "2025-03-03", "2025-03-10"),
            id="only-overdue-sessions",
        ),
        pytest.param("2025-02-14", "N", "2025-02-28", None, id="half-term-not-counted-day-5"),
        pytest.param(
            "2025-02-14",
            "N",
            "2025-03-03",
            (6, 1, "2025-02-14", "2025-02-28"),
            id="half-term-not-counted-day-6",
        ),
        pytest.param("2025-03-03", "I /", "2025-03-31", None, id="replaced-by-another-code"),
        pytest.param(
            "2025-03-03",
            "N /",
            "2025-03-15",
            (9, 1, "2025-03-03", "2025-03-10"),
            id="weekend-as-of",
        ),
    ],
)
def test_outstanding(
    start: str, codes: str, as_of: str, expected: tuple[int, int, str, str] | None
) -> None:
    found = check(
        unexplained_absence_outstanding, register({"P": marks(start, codes)}), context(as_of)
    )
    if expected is None:
        assert found == []
        return
    (finding,) = found
    got = (
        finding.figure,
        len(finding.evidence),
        finding.details["oldest"],
        finding.details["replace_by"],
    )
    assert got == expected
    assert (finding.threshold, finding.severity) == (5, Severity.ACTION)
    assert {e.code for e in finding.evidence} == {"N"}


def test_outstanding_explains_itself() -> None:
    (finding,) = check(
        unexplained_absence_outstanding,
        register({"P": marks("2025-03-03", "N")}),
        context("2025-03-11"),
    )
    assert finding.explanation == (
        "1 session is still coded as absence with no reason established, the oldest on "
        "3 March 2025, 6 school days ago: the reason should be established and the code "
        "replaced within 5 school days."
    )


@pytest.mark.parametrize(("as_of", "flagged"), [("2025-03-03", False), ("2025-03-04", True)])
def test_outstanding_with_zero_days_allowed(as_of: str, flagged: bool) -> None:
    policy = Policy(unexplained_absence=UnexplainedAbsencePolicy(replace_within_school_days=0))
    found = check(
        unexplained_absence_outstanding,
        register({"P": marks("2025-03-03", "N")}),
        context(as_of, policy),
    )
    assert bool(found) is flagged


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["N", "/", "I", "."]), max_size=30), st.integers(0, 40))
def test_outstanding_evidence_alone_retriggers_and_minimal_clears(
    codes: list[str], later: int
) -> None:
    ctx = context(CALENDAR.add_school_days(dt.date(2025, 3, 3), later))
    pupil = marks("2025-03-03", " ".join(codes)) if codes else []
    for finding in unexplained_absence_outstanding(record(register({"P": pupil}), "P"), ctx):
        assert len(finding.evidence) <= codes.count("N")
        assert finding in unexplained_absence_outstanding(
            record(from_evidence("P", finding.evidence), "P"), ctx
        )
        if len(finding.evidence) == 1:
            lesser = without(pupil, finding.evidence[0].session)
            assert unexplained_absence_outstanding(record(register({"P": lesser}), "P"), ctx) == []


# -- first-day contact ----------------------------------------------------------------------

DAY = "2025-03-04"
PUPILS = {
    "A": "N N",
    "B": "/ /",
    "C": ". .",
    "D": "L .",
    "E": "U N",
    "F": "I /",
}


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        pytest.param("AM", {"A": ("N",), "C": (None,)}, id="morning-list"),
        pytest.param(
            "PM", {"A": ("N",), "C": (None,), "D": (None,), "E": ("N",)}, id="afternoon-list"
        ),
        pytest.param(
            None, {"A": ("N", "N"), "C": (None, None), "D": (None,), "E": ("N",)}, id="whole-day"
        ),
    ],
)
def test_first_day_contact(
    session: str | None, expected: dict[str, tuple[str | None, ...]]
) -> None:
    reg = register({pupil: marks(DAY, codes) for pupil, codes in PUPILS.items()})
    found = check(first_day_contact, reg, context(DAY, as_of_session=session))
    assert {f.pupil_id: tuple(e.code for e in f.evidence) for f in found} == expected
    assert all(f.severity is Severity.ACTION and f.figure == len(f.evidence) for f in found)


def test_first_day_contact_explains_itself() -> None:
    reg = register({pupil: marks(DAY, codes) for pupil, codes in PUPILS.items()})
    found = {f.pupil_id: f for f in check(first_day_contact, reg, context(DAY, as_of_session="AM"))}
    assert (
        found["A"].explanation
        == "Absent with no reason given for the AM session of 4 March 2025: contact the family today."
    )
    assert (
        found["C"].explanation
        == "No mark for the AM session of 4 March 2025: contact the family today."
    )
    assert found["C"].details["register_closes"] == {}


def test_first_day_contact_gives_register_close_time() -> None:
    times = RegisterTimes(
        SessionTimes(dt.time(8, 40), dt.time(9, 10)), SessionTimes(dt.time(13, 0), dt.time(13, 30))
    )
    calendar = attrs.evolve(CALENDAR, register_times=times)
    reg = register({"C": marks(DAY, ". /")})
    (finding,) = check(first_day_contact, reg, context(DAY, calendar=calendar))
    assert finding.details["register_closes"] == {"AM": "09:10"}


def test_first_day_contact_skips_non_school_days_and_pupils_off_roll() -> None:
    reg = register({"C": marks(DAY, ". /")})
    assert check(first_day_contact, reg, context("2025-03-08")) == []
    assert check(first_day_contact, reg, context("2025-02-18")) == []
    joined = {"C": Enrolment("C", "S", dt.date(2025, 3, 5))}
    assert check(first_day_contact, reg, context(DAY), joined) == []
    assert (
        check(first_day_contact, reg, context("2025-03-05", as_of_session=Part.AM), joined)[
            0
        ].pupil_id
        == "C"
    )


def test_check_passes_the_as_of_session_and_enrolments() -> None:
    reg = register({pupil: marks(DAY, codes) for pupil, codes in PUPILS.items()})
    morning = ac.check(reg, CALENDAR, as_of=DAY, as_of_session="AM", rules=["first-day-contact"])
    assert [f.pupil_id for f in morning] == ["A", "C"]
    roll = {
        p: Enrolment(p, "S", dt.date(2025, 3, 5) if p == "C" else dt.date(2025, 3, 4))
        for p in PUPILS
    }
    whole_day = ac.check(reg, CALENDAR, as_of=DAY, enrolments=roll, rules=["first-day-contact"])
    assert [f.pupil_id for f in whole_day] == ["A", "D", "E"]
