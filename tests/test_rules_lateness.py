"""Lateness: late sessions over a limit in a rolling window of school weeks; drift from L to U."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import CALENDAR, context, from_evidence, record, register, without
from attendance_core.model import Mark
from attendance_core.policy import Policy
from attendance_core.policy._model import LatenessPolicy
from attendance_core.rules.findings import Finding, Severity
from attendance_core.rules.lateness import lateness

WEEKS = CALENDAR.school_weeks(dt.date(2025, 1, 13), dt.date(2025, 4, 4))
"""Spring 2025 from 13 January: 11 school weeks, half-term week 17 February skipped."""


def weekly(codes: list[str], first: int = 0) -> list[Mark]:
    """One week's codes per entry (space-separated, on its sessions in order), from week ``first``."""
    found: list[Mark] = []
    for week, text in zip(WEEKS[first:], codes, strict=False):
        sessions = CALENDAR.sessions(week.days[0], week.days[-1])
        found.extend(
            Mark(s, c, 5 if c == "L" else None)
            for s, c in zip(sessions, text.split(), strict=False)
            if c != "."
        )
    return found


def run(
    pupil: list[Mark], as_of: str = "2025-04-04", policy: Policy | None = None
) -> list[Finding]:
    return lateness(record(register({"P": pupil}), "P"), context(as_of, policy))


def kinds(found: list[Finding]) -> list[tuple[str, object, str | None]]:
    return [(f.details["kind"], f.figure, f.details.get("window_first_week")) for f in found]


def test_calendar_weeks() -> None:
    assert [w.start.isoformat() for w in WEEKS][4:7] == ["2025-02-10", "2025-02-24", "2025-03-03"]
    assert len(WEEKS) == 11


@pytest.mark.parametrize(
    ("codes", "as_of", "expected"),
    [
        pytest.param(
            ["L"] * 10,
            "2025-04-04",
            [("over-limit", 10, "2025-01-13")],
            id="10-in-10-weeks-across-half-term",
        ),
        pytest.param(["L"] * 9, "2025-04-04", [], id="9-in-10-weeks"),
        pytest.param(["L"] * 9 + ["", "L"], "2025-04-04", [], id="10-in-11-weeks"),
        pytest.param(
            ["L"] * 11,
            "2025-04-04",
            [("over-limit", 10, "2025-01-13")],
            id="earliest-of-equal-windows",
        ),
        pytest.param(
            ["L", "U U", "L"] + [""] * 6 + ["L L L L L", "L L"],
            "2025-04-04",
            [("over-limit", 10, "2025-01-20")],
            id="busiest-window",
        ),
        pytest.param(
            ["L L L L L U U U U U"],
            "2025-01-17",
            [("over-limit", 10, "2024-10-21")],
            id="one-week-window-reaches-into-autumn",
        ),
        pytest.param(["L L L L L U U U U ."], "2025-01-17", [], id="one-week-9"),
        pytest.param(["L"] * 10, "2025-03-21", [], id="10th-late-after-as-of"),
    ],
)
def test_over_limit(
    codes: list[str], as_of: str, expected: list[tuple[str, object, str | None]]
) -> None:
    assert kinds(run(weekly(codes), as_of)) == expected


def test_over_limit_counts_l_u_and_minutes() -> None:
    (finding,) = run(weekly(["L U"] * 5))
    assert finding.details["L"] == 5
    assert finding.details["U"] == 5
    assert finding.details["minutes_late"] == 25
    assert (finding.threshold, finding.severity) == (10, Severity.WATCH)
    assert finding.explanation == (
        "Late 10 times from 13 January 2025 to 10 February 2025 (5 before the register closed, "
        "5 after, 25 minutes in all); the limit is 10 in any 10 school weeks."
    )


DRIFT = Policy(lateness=LatenessPolicy(limit=50))


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        pytest.param(["L L L", "", "", "", "", "U U U"], Fraction(1), id="all-l-then-all-u"),
        pytest.param(["L L", "", "", "", "", "U U U"], None, id="too-few-in-first-half"),
        pytest.param(
            ["L L L L", "", "", "", "", "L L L U"], Fraction(1, 4), id="rise-of-25-points"
        ),
        pytest.param(["L L L L", "", "", "", "", "L L L L U"], None, id="rise-of-20-points"),
        pytest.param(["U U U", "", "", "", "", "U U U"], None, id="no-rise"),
    ],
)
def test_drift(codes: list[str], expected: Fraction | None) -> None:
    found = run(weekly(codes, first=1), "2025-03-28", DRIFT)
    assert [f.figure for f in found if f.details["kind"] == "drift"] == (
        [] if expected is None else [expected]
    )


def test_drift_explains_itself() -> None:
    (finding,) = run(weekly(["L L L", "", "", "", "", "U U U"], first=1), "2025-03-28", DRIFT)
    assert finding.details["first_half"] == {"from_week": "2025-01-13", "L": 3, "U": 0}
    assert finding.details["second_half"] == {"from_week": "2025-02-24", "L": 0, "U": 3}
    assert finding.explanation == (
        "Lateness is turning into unauthorised absence: 100.0% of late arrivals came after the "
        "register closed in the last 5 school weeks, against 0.0% in the 5 weeks before."
    )


week_codes = st.lists(
    st.lists(st.sampled_from(["L", "U", "/", "N", "."]), max_size=5).map(" ".join), max_size=11
)


@settings(max_examples=60, deadline=None)
@given(week_codes)
def test_evidence_alone_retriggers_and_counts_fit(codes: list[str]) -> None:
    pupil = weekly(codes)
    policy = Policy(lateness=LatenessPolicy(limit=4, window_school_weeks=3, drift_minimum_late=1))
    late = sum(1 for m in pupil if m.code in ("L", "U"))
    for finding in run(pupil, policy=policy):
        assert finding in run(
            [Mark(e.session, e.code or "", e.minutes_late) for e in finding.evidence], policy=policy
        )
        assert len(finding.evidence) <= late
        if finding.details["kind"] == "over-limit":
            assert (
                finding.figure
                == len(finding.evidence)
                == finding.details["L"] + finding.details["U"]
            )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["L", "U"]), min_size=10, max_size=10), st.integers(0, 9))
def test_removing_evidence_from_minimal_trigger_clears(codes: list[str], drop: int) -> None:
    pupil = weekly(codes)
    (finding,) = [f for f in run(pupil) if f.details["kind"] == "over-limit"]
    lesser = without(pupil, finding.evidence[drop].session)
    assert [f for f in run(lesser) if f.details["kind"] == "over-limit"] == []
    assert from_evidence("P", finding.evidence).pupil_ids == ("P",)
