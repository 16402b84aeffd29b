"""Consecutive absence: streaks counted in sessions, across weekends and holidays."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import check, code_runs, context, from_evidence, marks, record, register, without
from attendance_core.policy import Policy
from attendance_core.policy._model import ConsecutiveAbsencePolicy
from attendance_core.rules.consecutive_absence import consecutive_absence
from attendance_core.rules.findings import Severity


@pytest.mark.parametrize(
    ("start", "codes", "expected"),
    [
        pytest.param(
            "2025-03-03", "N N N N N N", [(6, "2025-03-03 AM", "2025-03-05 PM")], id="6-sessions"
        ),
        pytest.param("2025-03-03", "N N N N N", [], id="5-sessions"),
        pytest.param(
            "2025-03-06",
            "/ N N N N N N",
            [(6, "2025-03-06 PM", "2025-03-11 AM")],
            id="crosses-weekend",
        ),
        pytest.param(
            "2025-02-13",
            "N N N N N N",
            [(6, "2025-02-13 AM", "2025-02-24 PM")],
            id="crosses-half-term",
        ),
        pytest.param(
            "2025-03-03",
            "I C N G M I /",
            [(6, "2025-03-03 AM", "2025-03-05 PM")],
            id="any-absence-code",
        ),
        pytest.param("2025-03-03", "N N N \\ N N N", [], id="broken-by-one-present-mark"),
        pytest.param("2025-03-03", "N N N L N N N", [], id="broken-by-late-before-close"),
        pytest.param("2025-03-03", "N N N . N N N", [], id="broken-by-missing-mark"),
        pytest.param("2025-03-03", "N N N D N N N", [], id="broken-by-dual-registration"),
        pytest.param(
            "2025-03-03",
            "N N N N N N N N / I I I I I I",
            [(8, "2025-03-03 AM", "2025-03-06 PM"), (6, "2025-03-07 PM", "2025-03-12 AM")],
            id="two-streaks",
        ),
    ],
)
def test_consecutive_absence(start: str, codes: str, expected: list[tuple[int, str, str]]) -> None:
    found = check(consecutive_absence, register({"P": marks(start, codes)}), context("2025-03-31"))
    got = [(f.figure, f.details["first_session"], f.details["last_session"]) for f in found]
    assert got == expected
    assert all(f.severity is Severity.WATCH and f.threshold == 6 for f in found)


def test_consecutive_absence_reads_the_policy() -> None:
    policy = Policy(consecutive_absence=ConsecutiveAbsencePolicy(sessions=3, codes=("N", "U")))
    reg = register({"P": marks("2025-03-03", "N U N I N N /")})
    (finding,) = check(consecutive_absence, reg, context("2025-03-31", policy))
    assert (finding.figure, finding.threshold, finding.details["codes"]) == (3, 3, ("N", "U"))
    assert finding.explanation == (
        "Absent for 3 sessions in a row, from the AM session of 3 March 2025 to the AM "
        "session of 4 March 2025."
    )


def test_streak_after_as_of_is_not_seen() -> None:
    reg = register({"P": marks("2025-03-03", "N N N N N N")})
    assert check(consecutive_absence, reg, context("2025-03-04")) == []


@settings(max_examples=60, deadline=None)
@given(code_runs(["N", "I", "G", "/", "L", "."], longest=12))
def test_evidence_alone_retriggers_and_counts_fit(codes: str) -> None:
    ctx = context("2025-07-22")
    reg = register({"P": marks("2025-02-03", codes)})
    marked = sum(1 for c in codes.split() if c != ".")
    for finding in consecutive_absence(record(reg, "P"), ctx):
        assert finding in consecutive_absence(
            record(from_evidence("P", finding.evidence), "P"), ctx
        )
        assert finding.figure == len(finding.evidence) <= marked


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["N", "I", "C", "U"]), min_size=6, max_size=6), st.integers(0, 5))
def test_removing_evidence_from_minimal_trigger_clears(codes: list[str], drop: int) -> None:
    ctx = context("2025-07-22")
    pupil = marks("2025-02-13", " ".join(codes))
    (finding,) = consecutive_absence(record(register({"P": pupil}), "P"), ctx)
    lesser = without(pupil, finding.evidence[drop].session)
    assert consecutive_absence(record(register({"P": lesser}), "P"), ctx) == []
