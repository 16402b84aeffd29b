"""Unexplained absence: N not replaced within 5 school days; the first-day contact list."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core as ac
from _rule_tables import CALENDAR, check, context, from_evidence, marks, record, register, without
from attendance_core.calendars import (
    RegisterTimes,
    SessionTimes,
)
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


@pytest.mark.parametrize(
    ("codes", "session", "explanation"),
    [
        pytest.param("N /", "AM", "Absent with no reason given for the AM session", id="N-AM"),
        pytest.param(". /", "AM", "No mark for the AM session", id="no-mark-AM"),
        pytest.param("/ .", None, "No mark for the PM session", id="no-mark-PM"),
        pytest.param("N N", None, "Absent with no reason given for the AM and PM sessions", id="N"),
        pytest.param(". .", None, "No mark for the AM and PM sessions", id="no-marks"),
        pytest.param(
            "N .", None, "No mark or no reason given for the AM and PM sessions", id="mix"
        ),
    ],
)
def test_first_day_contact_explains_itself(
    codes: str, session: str | None, explanation: str
) -> None:
    reg = register({"P": marks(DAY, codes)})
    (finding,) = check(first_day_contact, reg, context(DAY, as_of_session=session))
    assert finding.explanation == f"{explanation} of 4 March 2025: contact the family today."
    assert finding.details["missing_marks"] == codes.count(".")
    assert finding.details["register_closes"] == {}


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


# -- first-day contact at a time of day ---------------------------------------------------------

TIMES = RegisterTimes(
    SessionTimes(dt.time(8, 40), dt.time(9, 10)), SessionTimes(dt.time(13, 0), dt.time(13, 30))
)
TIMED = attrs.evolve(CALENDAR, register_times=TIMES)


@pytest.mark.parametrize(
    ("calendar", "session", "time", "expected"),
    [
        pytest.param(TIMED, "AM", None, {"A": ("N",), "C": (None,)}, id="no-time-register-closed"),
        pytest.param(TIMED, "AM", dt.time(8, 0), {"A": ("N",)}, id="before-open-n-still-counts"),
        pytest.param(TIMED, "AM", dt.time(9, 9), {"A": ("N",)}, id="am-one-minute-before-close"),
        pytest.param(
            TIMED, "AM", dt.time(9, 10), {"A": ("N",), "C": (None,)}, id="am-at-close-time"
        ),
        pytest.param(
            TIMED, "PM", dt.time(13, 29), {"A": ("N",), "E": ("N",)}, id="pm-one-minute-before"
        ),
        pytest.param(
            TIMED,
            "PM",
            dt.time(13, 30),
            {"A": ("N",), "C": (None,), "D": (None,), "E": ("N",)},
            id="pm-at-close-time",
        ),
        pytest.param(
            TIMED,
            None,
            dt.time(12, 0),
            {"A": ("N", "N"), "C": (None,), "E": ("N",)},
            id="whole-day-at-noon-am-closed-pm-open",
        ),
        pytest.param(
            CALENDAR,
            "AM",
            dt.time(8, 0),
            {"A": ("N",), "C": (None,)},
            id="calendar-without-register-times-closed",
        ),
    ],
)
def test_first_day_contact_at_a_time(
    calendar: ac.SchoolCalendar,
    session: str | None,
    time: dt.time | None,
    expected: dict[str, tuple[str | None, ...]],
) -> None:
    reg = register({pupil: marks(DAY, codes) for pupil, codes in PUPILS.items()})
    ctx = context(DAY, calendar=calendar, as_of_session=session, as_of_time=time)
    found = check(first_day_contact, reg, ctx)
    assert {f.pupil_id: tuple(e.code for e in f.evidence) for f in found} == expected
    shown = None if time is None else time.strftime("%H:%M")
    assert all(f.details["as_of_time"] == shown for f in found)


@settings(max_examples=60, deadline=None)
@given(
    st.times(),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=6)),
    st.sampled_from(["AM", "PM", None]),
)
def test_missing_marks_join_the_list_as_time_passes_and_n_never_waits(
    early: dt.time, wait: dt.timedelta, session: str | None
) -> None:
    later = (dt.datetime.combine(dt.date(2025, 1, 1), early) + wait).time()
    later = max(later, early)  # wrapping past midnight stays on the same day
    reg = register({pupil: marks(DAY, codes) for pupil, codes in PUPILS.items()})

    def listed(time: dt.time | None) -> set[tuple[str | None, str, str | None]]:
        ctx = context(DAY, calendar=TIMED, as_of_session=session, as_of_time=time)
        return {
            (f.pupil_id, str(e.session), e.code)
            for f in check(first_day_contact, reg, ctx)
            for e in f.evidence
        }

    at_early, at_later, closed = listed(early), listed(later), listed(None)
    assert at_early <= at_later <= closed
    assert {x for x in at_early if x[2] is not None} == {x for x in closed if x[2] is not None}


def test_check_reads_the_time_and_refuses_a_bad_one() -> None:
    reg = register({pupil: marks(DAY, codes) for pupil, codes in PUPILS.items()})
    run = {"as_of": DAY, "as_of_session": "AM", "rules": ["first-day-contact"]}
    early = ac.check(reg, TIMED, as_of_time="09:09", **run)  # type: ignore[arg-type]
    on_time = ac.check(reg, TIMED, as_of_time=dt.time(9, 10), **run)  # type: ignore[arg-type]
    assert [f.pupil_id for f in early] == ["A"]
    assert [f.pupil_id for f in on_time] == ["A", "C"]
    for bad in ("9:10", "09:60", "0910", "noon"):
        with pytest.raises(ac.InputError, match="not a time of day"):
            ac.check(reg, TIMED, as_of_time=bad, **run)  # type: ignore[arg-type]
