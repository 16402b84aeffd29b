"""Look-ahead: the best attendance still reachable, and when persistent absence becomes certain."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import CALENDAR, context, marks, record, register
from attendance_core.model import Enrolment, Mark
from attendance_core.policy import Policy
from attendance_core.rules.bands import attendance_band
from attendance_core.rules.findings import Finding, Severity
from attendance_core.rules.look_ahead import look_ahead

# CALENDAR's year ends on Tuesday 22 July 2025: after Tuesday 15 July, 5 school days remain.
AS_OF = "2025-07-15"


def run(attended: int, absent: int, enrolment: Enrolment | None = None) -> Finding:
    codes = " ".join(["/"] * attended + ["N"] * absent)
    reg = register({"P": marks("2024-09-02", codes)})
    (finding,) = look_ahead(record(reg, "P", enrolment), context(AS_OF))
    return finding


@pytest.mark.parametrize(
    ("attended", "absent", "best", "to_leave", "certain_from", "severity"),
    [
        pytest.param(90, 10, Fraction(100, 110), 1, "2025-07-16", Severity.WATCH, id="PA-leaves-1"),
        pytest.param(89, 11, Fraction(99, 110), 11, None, Severity.ACTION, id="PA-certain"),
        pytest.param(91, 9, Fraction(101, 110), 0, "2025-07-16", Severity.INFO, id="not-PA-yet"),
        pytest.param(100, 0, Fraction(110, 110), 0, None, Severity.INFO, id="PA-impossible"),
        pytest.param(97, 3, Fraction(107, 110), 0, "2025-07-21", Severity.INFO, id="8-missed"),
        pytest.param(98, 2, Fraction(108, 110), 0, "2025-07-22", Severity.INFO, id="9-missed"),
    ],
)
def test_look_ahead_table(
    attended: int,
    absent: int,
    best: Fraction,
    to_leave: int,
    certain_from: str | None,
    severity: Severity,
) -> None:
    finding = run(attended, absent)
    assert finding.figure == best
    assert finding.threshold == Fraction(9, 10)
    assert finding.details["remaining_sessions"] == 10
    assert finding.severity is severity
    if severity is Severity.ACTION:
        assert finding.details["sessions_to_leave"] is None
        assert finding.details["certain_from"] == "2025-07-15"
        assert finding.details["can_leave_this_year"] is False
    else:
        assert finding.details["sessions_to_leave"] == to_leave
        assert finding.details["certain_from"] == certain_from


@pytest.mark.parametrize(
    ("attended", "absent", "verdict"),
    [
        pytest.param(
            90,
            10,
            "at best 90.9%; persistently absent now; 1 session of full attendance would bring "
            "absence below 10%.",
            id="PA-leaves-1",
        ),
        pytest.param(
            88,
            10,
            "at best 90.7%; persistently absent now; 3 sessions of full attendance would bring "
            "absence below 10%.",
            id="PA-leaves-3",
        ),
        pytest.param(
            89, 11, "at best 90.0%; persistent absence for the year is now certain.", id="certain"
        ),
        pytest.param(
            91,
            9,
            "at best 91.8%; missing every session to 16 July 2025 would make persistent "
            "absence certain.",
            id="not-PA-yet",
        ),
        pytest.param(
            100, 0, "at best 100.0%; persistent absence this year is no longer possible.", id="safe"
        ),
    ],
)
def test_look_ahead_explanations(attended: int, absent: int, verdict: str) -> None:
    assert run(attended, absent).explanation == (
        f"Attending all 10 sessions left this year gives {verdict}"
    )


def test_remaining_sessions_stop_at_the_leaving_date() -> None:
    leaver = Enrolment("P", "S", dt.date(2024, 9, 2), dt.date(2025, 7, 17))
    finding = run(90, 10, leaver)
    assert finding.details["remaining_sessions"] == 4
    assert finding.figure == Fraction(94, 104)


def test_nothing_left_after_the_year_ends() -> None:
    codes = " ".join(["/"] * 9 + ["N"])
    reg = register({"P": marks("2024-09-02", codes)})
    (finding,) = look_ahead(record(reg, "P"), context("2025-07-31"))
    assert finding.details["remaining_sessions"] == 0
    assert finding.figure == Fraction(9, 10)


REST = CALENDAR.sessions(dt.date(2025, 7, 16), dt.date(2025, 7, 22))


@settings(max_examples=60, deadline=None)
@given(
    attended=st.integers(0, 60),
    absent=st.integers(0, 60),
    missed=st.sets(st.integers(0, len(REST) - 1), max_size=len(REST)),
)
def test_best_rate_is_reached_exactly_when_every_remaining_session_is_attended(
    attended: int, absent: int, missed: set[int]
) -> None:
    codes = " ".join(["/"] * attended + ["N"] * absent)
    so_far = marks("2024-09-02", codes)
    finding = look_ahead(record(register({"P": so_far}), "P"), context(AS_OF))
    if not finding:
        return
    rest = [Mark(x, "N" if i in missed else "/") for i, x in enumerate(REST)]
    (band,) = attendance_band(record(register({"P": so_far + rest}), "P"), context("2025-07-22"))
    assert (band.figure == finding[0].figure) is (not missed)
    assert isinstance(band.figure, Fraction)
    assert band.figure <= finding[0].figure  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(attended=st.integers(0, 60), absent=st.integers(0, 60))
def test_certain_from_is_where_missing_everything_locks_in_persistent_absence(
    attended: int, absent: int
) -> None:
    """Missing every session to the end of ``certain_from`` makes the year PA; to the school
    day before it does not."""
    so_far = marks("2024-09-02", " ".join(["/"] * attended + ["N"] * absent))
    found = look_ahead(record(register({"P": so_far}), "P"), context(AS_OF))
    if not found:
        return
    certain = found[0].details["certain_from"]
    total = attended + absent + len(REST)
    days = sorted({x.date for x in REST})
    for end in [dt.date.fromisoformat(AS_OF), *days]:
        missed = sum(x.date <= end for x in REST)
        locked_in = (absent + missed) * 10 >= total
        assert locked_in is (certain is not None and certain <= end.isoformat())


def test_year_11_look_ahead_stops_before_summer_2_when_excluded() -> None:
    """With the Year 11 cut, nothing remains after the spring bank holiday week begins."""
    policy = Policy()
    policy = attrs.evolve(
        policy, method=attrs.evolve(policy.method, year11_last_half_term="exclude")
    )
    year_11 = Enrolment("P", "S", dt.date(2024, 9, 2), date_of_birth=dt.date(2009, 3, 1))
    reg = register({"P": marks("2024-09-02", " ".join(["/"] * 9 + ["N"]))})
    (cut,) = look_ahead(record(reg, "P", year_11), context("2025-05-16", policy))
    (full,) = look_ahead(record(reg, "P"), context("2025-05-16", policy))
    assert cut.details["remaining_sessions"] == 10  # 19-23 May; 26 May starts summer 2
    assert full.details["remaining_sessions"] == 10 + len(
        CALENDAR.sessions(dt.date(2025, 5, 26), dt.date(2025, 7, 31))
    )
