"""LA notifications: 10 continuous school days of unauthorised absence; 15 days of sickness."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import (
    CALENDAR,
    check,
    code_runs,
    context,
    from_evidence,
    marks,
    record,
    register,
    without,
)
from attendance_core.model import Enrolment
from attendance_core.policy import Policy
from attendance_core.policy._model import LANotificationPolicy
from attendance_core.rules.findings import Severity
from attendance_core.rules.la_notifications import (
    la_notification_continuous_absence,
    la_notification_sickness,
)

N10 = " ".join(["N"] * 20)


def days(code: str, n: int) -> str:
    """``n`` school days (two sessions each) of ``code``."""
    return " ".join([code] * (2 * n))


@pytest.mark.parametrize(
    ("start", "codes", "as_of", "expected"),
    [
        pytest.param(
            "2025-03-03",
            days("N", 10),
            "2025-03-14",
            [(10, "2025-03-03", "2025-03-14")],
            id="10-days-notify",
        ),
        pytest.param("2025-03-03", days("N", 9), "2025-03-14", [], id="9-days-no"),
        pytest.param("2025-03-03", days("N", 10), "2025-03-13", [], id="10th-day-after-as-of"),
        pytest.param(
            "2025-03-03",
            "G O U N " * 5,
            "2025-03-14",
            [(10, "2025-03-03", "2025-03-14")],
            id="any-unauthorised-code",
        ),
        pytest.param(
            "2025-03-03",
            days("N", 5) + " / " + days("N", 5)[2:],
            "2025-03-14",
            [],
            id="broken-by-one-present-mark",
        ),
        pytest.param(
            "2025-03-03",
            days("N", 5) + " I " + days("N", 5)[2:],
            "2025-03-14",
            [],
            id="broken-by-authorised-absence",
        ),
        pytest.param(
            "2025-03-03",
            days("N", 5) + " . " + days("N", 5)[2:],
            "2025-03-14",
            [],
            id="broken-by-missing-mark",
        ),
        pytest.param(
            "2025-02-10",
            days("U", 10),
            "2025-03-01",
            [(10, "2025-02-10", "2025-02-28")],
            id="crosses-half-term",
        ),
        pytest.param(
            "2024-12-16", days("G", 9), "2025-01-10", [], id="inset-day-is-not-a-school-day-9"
        ),
        pytest.param(
            "2024-12-16",
            days("G", 10),
            "2025-01-13",
            [(10, "2024-12-16", "2025-01-13")],
            id="inset-day-is-not-a-school-day-10",
        ),
        pytest.param(
            "2025-03-03",
            days("N", 10) + " / / " + days("O", 12),
            "2025-04-01",
            [(10, "2025-03-03", "2025-03-14"), (11, "2025-03-18", "2025-04-01")],
            id="two-periods",
        ),
    ],
)
def test_continuous_absence(
    start: str, codes: str, as_of: str, expected: list[tuple[int, str, str]]
) -> None:
    found = check(
        la_notification_continuous_absence, register({"P": marks(start, codes)}), context(as_of)
    )
    got = [(f.figure, f.details["first_day"], f.details["last_day"]) for f in found]
    assert got == expected
    for finding in found:
        assert finding.severity is Severity.STATUTORY
        assert finding.threshold == 10
        assert len(finding.evidence) == 2 * finding.figure  # type: ignore[operator]
        assert finding.rule == "la-notification-continuous-absence"


def test_continuous_absence_explains_itself() -> None:
    (finding,) = check(
        la_notification_continuous_absence,
        register({"P": marks("2025-03-03", N10)}),
        context("2025-03-17"),
    )
    assert finding.explanation == (
        "Absent without authorisation on every school day from 3 March 2025 to 14 March 2025 "
        "(10 school days): the school must tell the local authority."
    )
    assert finding.details["ongoing"] is False
    assert {e.code for e in finding.evidence} == {"N"}
    assert finding.evidence[0].session.date == dt.date(2025, 3, 3)


def test_continuous_absence_reads_the_policy() -> None:
    policy = Policy(
        la_notification=LANotificationPolicy(
            continuous_absence_days=3, continuous_absence_codes=("O",)
        )
    )
    reg = register({"P": marks("2025-03-03", days("O", 3) + " " + days("N", 3))})
    found = check(la_notification_continuous_absence, reg, context("2025-03-14", policy))
    assert [(f.figure, f.threshold) for f in found] == [(3, 3)]


def test_continuous_absence_counts_only_days_on_roll() -> None:
    reg = register({"P": marks("2025-03-03", days("N", 10))})
    joined = Enrolment("P", "S", dt.date(2025, 3, 4))
    assert (
        check(la_notification_continuous_absence, reg, context("2025-03-14"), {"P": joined}) == []
    )


def test_closure_day_neither_counts_nor_breaks() -> None:
    closed = attrs.evolve(
        CALENDAR,
        years=(
            attrs.evolve(CALENDAR.years[0], inset_days=(dt.date(2025, 1, 6), dt.date(2025, 3, 7))),
        ),
    )
    reg = register({"P": marks("2025-03-03", days("N", 10), closed)})
    (finding,) = check(
        la_notification_continuous_absence, reg, context("2025-03-31", calendar=closed)
    )
    assert (finding.figure, finding.details["last_day"]) == (10, "2025-03-17")


@pytest.mark.parametrize(
    ("codes", "counting", "expected"),
    [
        pytest.param(
            days("I", 15), "by_session", [(15, "2025-03-03", "2025-03-21")], id="15-days-notify"
        ),
        pytest.param(days("I", 14), "by_session", [], id="14-days-no"),
        pytest.param(days("I", 15)[2:], "by_session", [], id="14.5-days-no"),
        pytest.param(
            days("I", 15)[2:],
            "any_session",
            [(15, "2025-03-03", "2025-03-21")],
            id="14.5-days-any-session-counts-15",
        ),
        pytest.param(" ".join(["I /"] * 15), "by_session", [], id="15-half-days-are-7.5"),
        pytest.param(
            " ".join(["I /"] * 15),
            "any_session",
            [(15, "2025-03-03", "2025-03-21")],
            id="15-half-days-any-session",
        ),
        pytest.param(
            days("I", 5) + " / / " + days("I", 5) + " / / " + days("I", 5),
            "by_session",
            [(15, "2025-03-19", "2025-03-25")],
            id="cumulative-third-period",
        ),
        pytest.param(
            days("I", 5) + " / / " + days("I", 10) + " / / " + days("I", 2),
            "by_session",
            [(15, "2025-03-11", "2025-03-24"), (17, "2025-03-26", "2025-03-27")],
            id="one-return-per-period",
        ),
    ],
)
def test_sickness(codes: str, counting: str, expected: list[tuple[int, str, str]]) -> None:
    policy = Policy(la_notification=LANotificationPolicy(sickness_day_counting=counting))  # type: ignore[arg-type]
    found = check(
        la_notification_sickness,
        register({"P": marks("2025-03-03", codes)}),
        context("2025-04-04", policy),
    )
    got = [(f.figure, f.details["period_first_day"], f.details["period_last_day"]) for f in found]
    assert got == expected
    assert all(f.severity is Severity.STATUTORY and f.threshold == 15 for f in found)


def test_sickness_half_days_are_fractions() -> None:
    reg = register({"P": marks("2025-03-03", days("I", 15) + " I")})
    (finding,) = check(la_notification_sickness, reg, context("2025-04-04"))
    assert finding.figure == pytest.approx(15.5)
    assert "15.5 school days" in finding.explanation


def test_sickness_counts_only_this_school_year() -> None:
    calendar = attrs.evolve(
        CALENDAR,
        years=(
            *CALENDAR.years,
            attrs.evolve(
                CALENDAR.years[0],
                year=2025,
                terms=(
                    attrs.evolve(
                        CALENDAR.years[0].terms[0],
                        start=dt.date(2025, 9, 1),
                        end=dt.date(2025, 12, 19),
                    ),
                ),
                half_term_holidays=(),
                inset_days=(),
            ),
        ),
    )
    reg = register({"P": marks("2025-07-14", days("I", 7) + " " + days("I", 8), calendar)})
    assert check(la_notification_sickness, reg, context("2025-09-30", calendar=calendar)) == []
    (finding,) = check(
        la_notification_continuous_absence,
        register({"P": marks("2025-07-14", days("N", 10), calendar)}),
        context("2025-09-30", calendar=calendar),
    )
    assert (finding.details["first_day"], finding.details["last_day"]) == (
        "2025-07-14",
        "2025-09-03",
    )


# -- properties ----------------------------------------------------------------------------

rows = code_runs(["N", "G", "O", "U", "I", "/", "L", "."])


sick_rows = code_runs(["I", "I", "/", "N", "."])


@settings(max_examples=60, deadline=None)
@given(rows, sick_rows)
def test_evidence_alone_retriggers(codes: str, sick_codes: str) -> None:
    ctx = context("2025-07-22")
    for rule, row in (
        (la_notification_continuous_absence, codes),
        (la_notification_sickness, sick_codes),
    ):
        reg = register({"P": marks("2025-02-03", row)})
        for finding in rule(record(reg, "P"), ctx):
            assert finding in rule(record(from_evidence("P", finding.evidence), "P"), ctx)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["N", "G", "O", "U"]), min_size=20, max_size=20), st.integers(0, 19)
)
def test_removing_evidence_from_minimal_trigger_clears(codes: list[str], drop: int) -> None:
    ctx = context("2025-04-04")
    pupil = marks("2025-02-10", " ".join(codes))
    (finding,) = la_notification_continuous_absence(record(register({"P": pupil}), "P"), ctx)
    lesser = without(pupil, finding.evidence[drop].session)
    assert la_notification_continuous_absence(record(register({"P": lesser}), "P"), ctx) == []


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 29))
def test_removing_a_sickness_session_from_minimal_trigger_clears(drop: int) -> None:
    ctx = context("2025-04-04")
    pupil = marks("2025-02-10", days("I", 15))
    (finding,) = la_notification_sickness(record(register({"P": pupil}), "P"), ctx)
    lesser = without(pupil, finding.evidence[drop].session)
    assert la_notification_sickness(record(register({"P": lesser}), "P"), ctx) == []


@settings(max_examples=60, deadline=None)
@given(rows, sick_rows)
def test_figures_never_exceed_the_sessions(codes: str, sick_codes: str) -> None:
    ctx = context("2025-07-22")
    reg = register({"P": marks("2025-02-03", codes)})
    sessions = len([c for c in codes.split() if c != "."])
    for finding in la_notification_continuous_absence(record(reg, "P"), ctx):
        assert 2 * finding.figure == len(finding.evidence) <= sessions  # type: ignore[operator]
    # Sickness on its own rows: on the mixed ones, one example in fifty reaches 15 days.
    reg = register({"P": marks("2025-02-03", sick_codes)})
    sessions = len([c for c in sick_codes.split() if c != "."])
    for finding in la_notification_sickness(record(reg, "P"), ctx):
        assert 2 * finding.figure <= len(finding.evidence) <= sessions  # type: ignore[operator]
