"""The penalty-notice threshold: 10 sessions in 10 school weeks, and the notice limit per parent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _docs import DOCS
from _rule_tables import CALENDAR, context, from_evidence, record, register
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.exceptions import InputError
from attendance_core.model import Mark, Part, Session
from attendance_core.policy import Policy
from attendance_core.rules.findings import Finding, Severity
from attendance_core.rules.penalty_notice import (
    NoticeStatus,
    PenaltyNotice,
    penalty_notice_threshold,
)

KENT = SchoolCalendar.from_toml(DOCS / "examples" / "calendars" / "kent-example-primary.toml")
AM, PM = Part.AM, Part.PM


def s(day: str, part: Part) -> Session:
    return Session(dt.date.fromisoformat(day), part)


def pupil(
    codes: Mapping[Session, str],
    start: str,
    end: str,
    calendar: SchoolCalendar = KENT,
) -> list[Mark]:
    """Present every calendar session from ``start`` to ``end`` except where ``codes`` say."""
    sessions = calendar.sessions(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    default = {AM: "/", PM: "\\"}
    return [Mark(x, codes.get(x, default[x.part])) for x in sessions]


def run(
    pupil_marks: Sequence[Mark],
    as_of: str,
    *,
    notices: Sequence[PenaltyNotice] = (),
    calendar: SchoolCalendar = KENT,
    policy: Policy | None = None,
) -> list[Finding]:
    rec = record(register({"P": pupil_marks}), "P")
    return penalty_notice_threshold(rec, context(as_of, policy, calendar), notices)


# Worked example 4: 2 U in the last summer week, then 8 G in autumn weeks 1-3 (2025/26).
EX4_U = {s("2025-07-21", AM): "U", s("2025-07-22", PM): "U"}
EX4_G = {
    s("2025-09-01", AM): "G",
    s("2025-09-01", PM): "G",
    s("2025-09-02", AM): "G",
    s("2025-09-08", AM): "G",
    s("2025-09-08", PM): "G",
    s("2025-09-09", AM): "G",
    s("2025-09-15", AM): "G",
    s("2025-09-15", PM): "G",
}
EX4_AS_OF = "2025-09-19"


def ex4(**changes: str) -> list[Mark]:
    """Worked example 4's register, with ``changes`` ("2025-09-01 AM"="C") applied."""
    codes = {**EX4_U, **EX4_G}
    for key, code in changes.items():
        day, part = key.split("_")
        codes[s(day.replace("x", "-"), Part(part))] = code
    return pupil(codes, "2025-06-02", EX4_AS_OF)


def test_worked_example_4_window_spans_the_summer_holiday() -> None:
    (finding,) = run(ex4(), EX4_AS_OF)
    assert finding.rule == "penalty-notice-threshold"
    assert finding.severity is Severity.ACTION
    assert (finding.figure, finding.threshold) == (10, 10)
    assert finding.details["window_start"] == "2025-06-09"
    assert finding.details["window_end"] == "2025-09-19"
    assert finding.details["school_weeks"] == 10
    assert [(str(e.session), e.code) for e in finding.evidence] == [
        ("2025-07-21 AM", "U"),
        ("2025-07-22 PM", "U"),
        ("2025-09-01 AM", "G"),
        ("2025-09-01 PM", "G"),
        ("2025-09-02 AM", "G"),
        ("2025-09-08 AM", "G"),
        ("2025-09-08 PM", "G"),
        ("2025-09-09 AM", "G"),
        ("2025-09-15 AM", "G"),
        ("2025-09-15 PM", "G"),
    ]
    assert finding.explanation == (
        "10 sessions of unauthorised absence in the 10 school weeks from 9 June 2025 to "
        "19 September 2025 (threshold 10): consider a penalty notice; a first notice is £80 if "
        "paid within 21 days, £160 within 28 days."
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, 10, id="ex4-10-sessions-met"),
        pytest.param({"2025x09x01_AM": "C", "2025x09x01_PM": "C"}, None, id="ex4-two-G-as-C-8"),
        pytest.param({"2025x09x01_AM": "L", "2025x09x01_PM": "L"}, None, id="ex4-L-never-counts"),
        pytest.param({"2025x09x01_AM": "C", "2025x09x16_AM": "N"}, 10, id="ex4-N-counts"),
        pytest.param({"2025x09x01_AM": "C", "2025x09x16_AM": "O"}, 10, id="ex4-O-counts"),
        pytest.param({"2025x09x16_AM": "G"}, 11, id="ex4-11-sessions"),
    ],
)
def test_worked_example_4_variants(changes: dict[str, str], expected: int | None) -> None:
    found = run(ex4(**changes), EX4_AS_OF)
    assert [f.figure for f in found] == ([] if expected is None else [expected])


def test_N_can_be_left_out_by_policy() -> None:
    """Whether N counts is unconfirmed, so it is the policy's ``penalty_notice.codes``."""
    policy = Policy()
    policy = attrs.evolve(
        policy, penalty_notice=attrs.evolve(policy.penalty_notice, codes=("G", "O", "U"))
    )
    marks = ex4(**{"2025x09x01_AM": "C", "2025x09x16_AM": "N"})
    assert run(marks, EX4_AS_OF, policy=policy) == []


@pytest.mark.parametrize(
    ("first_week", "expected"),
    [
        pytest.param("2024-09-02", False, id="first-session-11-school-weeks-back"),
        pytest.param("2024-09-09", True, id="first-session-10-school-weeks-back"),
    ],
)
def test_window_is_ten_school_weeks_with_half_term_skipped(first_week: str, expected: bool) -> None:
    """One G in an early week and 9 in the week of 18 November 2024; the October half-term
    (28 Oct-1 Nov) is no school week, so 9 September is 10 school weeks back, 2 September 11."""
    codes = {s(first_week, AM): "G"}
    for day in ("2024-11-18", "2024-11-19", "2024-11-20", "2024-11-21"):
        codes[s(day, AM)] = codes[s(day, PM)] = "G"
    codes[s("2024-11-22", AM)] = "G"
    marks = pupil(codes, "2024-09-02", "2024-11-22", CALENDAR)
    assert bool(run(marks, "2024-11-22", calendar=CALENDAR)) is expected


@pytest.mark.parametrize(("count", "expected"), [(9, False), (10, True)])
def test_nine_versus_ten_sessions(count: int, expected: bool) -> None:
    sessions = CALENDAR.sessions(dt.date(2024, 9, 2), dt.date(2024, 9, 30))[:count]
    marks = pupil(dict.fromkeys(sessions, "G"), "2024-09-02", "2024-10-04", CALENDAR)
    assert bool(run(marks, "2024-10-04", calendar=CALENDAR)) is expected


def test_as_of_before_the_tenth_session_is_not_met() -> None:
    assert run(ex4(), "2025-09-12") == []


def test_each_trigger_uses_its_own_sessions() -> None:
    """20 G in one term give two findings; the second never counts the first's sessions."""
    sessions = CALENDAR.sessions(dt.date(2024, 9, 2), dt.date(2024, 9, 13))[:20]
    marks = pupil(dict.fromkeys(sessions, "G"), "2024-09-02", "2024-09-20", CALENDAR)
    first, second = run(marks, "2024-09-20", calendar=CALENDAR)
    assert (first.figure, second.figure) == (10, 10)
    assert not set(first.evidence) & set(second.evidence)


def notice(issued: str, status: str = "paid", parent: str = "M1", **kw: object) -> PenaltyNotice:
    return PenaltyNotice(parent, "P", dt.date.fromisoformat(issued), status, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("history", "in_period", "kind", "phrase"),
    [
        pytest.param([], None, None, "a first notice is £80", id="no-history-first"),
        pytest.param(
            [notice("2025-03-01")], 1, "later", "notice 2 within 3 years is £160", id="second"
        ),
        pytest.param(
            [notice("2024-01-15"), notice("2025-03-01", "prosecuted")],
            2,
            "none",
            "no notice possible",
            id="ex4-third-notice-impossible",
        ),
        pytest.param(
            [notice("2024-01-15", "withdrawn"), notice("2025-03-01")],
            1,
            "later",
            "notice 2",
            id="withdrawn-does-not-count",
        ),
        pytest.param(
            [notice("2022-09-19"), notice("2025-03-01")],
            1,
            "later",
            "notice 2",
            id="issued-exactly-3-years-before-is-outside",
        ),
        pytest.param(
            [notice("2022-09-20"), notice("2025-03-01", "issued")],
            2,
            "none",
            "consider other legal action (s444 Education Act 1996)",
            id="issued-3-years-less-a-day-before-is-inside",
        ),
        pytest.param(
            [notice("2024-01-15"), notice("2025-03-01", parent="F1")],
            1,
            "later",
            "parent F1: notice 2",
            id="limit-is-per-parent",
        ),
    ],
)
def test_notice_limit_per_parent_per_child(
    history: list[PenaltyNotice], in_period: int | None, kind: str | None, phrase: str
) -> None:
    (finding,) = run(ex4(), EX4_AS_OF, notices=history)
    assert phrase in finding.explanation
    notices = finding.details["notices"]
    if in_period is not None:
        assert notices["M1"] == {"in_period": in_period, "next": kind}
    assert finding.details["notice_possible"] is (kind != "none")


def test_sessions_covered_by_a_notice_do_not_count_again() -> None:
    covered = (s("2025-07-21", AM), s("2025-07-22", PM))
    assert run(ex4(), EX4_AS_OF, notices=[notice("2025-07-23", "issued", sessions=covered)]) == []
    withdrawn = notice("2025-07-23", "withdrawn", sessions=covered)
    assert [f.figure for f in run(ex4(), EX4_AS_OF, notices=[withdrawn])] == [10]


def test_other_pupils_notices_are_ignored() -> None:
    other = PenaltyNotice("M1", "Q", dt.date(2025, 3, 1), "paid")
    (finding,) = run(ex4(), EX4_AS_OF, notices=[other, other])
    assert finding.details["notices"] == {}


def test_bad_notice_status_is_an_input_error() -> None:
    with pytest.raises(InputError, match="status"):
        notice("2025-03-01", "cancelled")
    assert notice("2025-03-01", " paid ").status is NoticeStatus.PAID


sessions_autumn = CALENDAR.sessions(dt.date(2024, 9, 2), dt.date(2024, 12, 20))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(["/", "/", "/", "G", "N", "U", "I", "L"]), min_size=40, max_size=150)
)
def test_evidence_alone_retriggers_and_counts_stay_within_the_total(codes: list[str]) -> None:
    marks = [Mark(x, c) for x, c in zip(sessions_autumn, codes, strict=False)]
    as_of = "2024-12-20"
    found = run(marks, as_of, calendar=CALENDAR)
    total = sum(c in ("G", "N", "O", "U") for c in codes)
    assert sum(f.figure for f in found) <= total  # type: ignore[misc]
    for finding in found:
        assert isinstance(finding.figure, int)
        assert finding.figure >= 10
        assert finding.figure == len(finding.evidence)
        (again,) = run(from_evidence("P", finding.evidence).marks("P"), as_of, calendar=CALENDAR)  # type: ignore[arg-type]
        assert again.evidence == finding.evidence


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_removing_any_evidence_session_from_a_minimal_trigger_clears_it(
    data: st.DataObject,
) -> None:
    """Exactly 10 counted sessions within 10 school weeks; attend any one instead: not met."""
    weeks = CALENDAR.school_weeks(dt.date(2024, 9, 2), dt.date(2024, 12, 20))
    first = data.draw(st.integers(0, len(weeks) - 10))
    window = CALENDAR.sessions(weeks[first].days[0], weeks[first + 9].days[-1])
    chosen = data.draw(st.lists(st.sampled_from(window), min_size=10, max_size=10, unique=True))
    codes = {x: data.draw(st.sampled_from(["G", "N", "O", "U"])) for x in chosen}
    marks = pupil(codes, "2024-09-02", "2024-12-20", CALENDAR)
    (finding,) = run(marks, "2024-12-20", calendar=CALENDAR)
    assert {e.session for e in finding.evidence} == set(chosen)
    gone = data.draw(st.sampled_from(chosen))
    attended = [Mark(m.session, "/") if m.session == gone else m for m in marks]
    assert run(attended, "2024-12-20", calendar=CALENDAR) == []
