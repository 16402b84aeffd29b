"""Invariants of the statistics, checked with Hypothesis over generated marks and counts.

The rules (DfE "Pupil absence in schools in England" methodology): possible sessions are
present + approved educational activity + authorised + unauthorised absence; rates are sessions
over possible sessions; group figures pool sessions and count enrolments; persistent absence is
10% or more and severe absence 50% or more of an enrolment's possible sessions, exactly.
The strategies here are local; the public ones live in ``attendance_core.testing``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from random import Random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from attendance_core import (
    ENGLAND_2006,
    ENGLAND_2024,
    AttendanceSummary,
    Category,
    Mark,
    Register,
    Session,
    UnknownCodeError,
    summarise,
)
from attendance_core.rules.statistics import register_summaries, register_summary

FAST = settings(max_examples=60, deadline=None)

START = dt.date(2025, 9, 1)
CODES = tuple(c.code for c in ENGLAND_2024)
NOT_COUNTED = tuple(c.code for c in ENGLAND_2024 if c.category is Category.NOT_COUNTED)
ABSENCES = tuple(c.code for c in ENGLAND_2024 if c.is_absence)
ATTENDED = tuple(c.code for c in ENGLAND_2024 if c.is_attended)
BOUNDARY = dt.date(2024, 8, 19)
"""SI 2024/208 in force: the 2024 code set applies from this day, the 2006 set before it."""
NEW_SESSION = Session(dt.date(2026, 7, 31), "PM")
"""A session after every generated one, for adding a mark."""


@st.composite
def mark_lists(draw: st.DrawFn, max_size: int = 40, start: dt.date = START) -> list[Mark]:
    """One enrolment's marks: distinct sessions within 300 days of ``start``, each with a code
    of the set in force on its date (the 2024 set from the default start, 1 September 2025)."""
    slots = draw(st.lists(st.integers(0, 2 * 300 - 1), unique=True, max_size=max_size))
    marks = []
    for slot in slots:
        session = Session(start + dt.timedelta(days=slot // 2), "AM" if slot % 2 == 0 else "PM")
        in_force = ENGLAND_2024 if session.date >= BOUNDARY else ENGLAND_2006
        code = draw(st.sampled_from([c.code for c in in_force]))
        minutes = draw(st.integers(1, 60)) if code in ("L", "U") and draw(st.booleans()) else None
        marks.append(Mark(session, code, minutes))
    return marks


code_counts = st.dictionaries(st.sampled_from(CODES), st.integers(0, 400), max_size=12)
summaries = code_counts.map(AttendanceSummary.from_counts)


def session_fields(s: AttendanceSummary) -> tuple[object, ...]:
    return (
        s.present_sessions,
        s.approved_educational_activity,
        s.authorised_absence,
        s.unauthorised_absence,
        s.not_counted_sessions,
        s.late_sessions,
        s.minutes_late,
        s.code_counts,
    )


@FAST
@given(mark_lists())
def test_categories_partition_possible_sessions(marks: list[Mark]) -> None:
    s = summarise(marks)
    assert (
        s.present_sessions
        + s.approved_educational_activity
        + s.authorised_absence
        + s.unauthorised_absence
        == s.possible_sessions
    )
    assert s.possible_sessions + s.not_counted_sessions == len(marks)
    assert s.possible_sessions == sum(1 for m in marks if m.code not in NOT_COUNTED)
    assert s.late_sessions == sum(1 for m in marks if m.code in ("L", "U"))
    assert s.minutes_late == sum(m.minutes_late or 0 for m in marks)
    assert sum(n for _, n in s.code_counts) == len(marks)


@FAST
@given(code_counts)
def test_counts_and_marks_give_the_same_summary(counts: dict[str, int]) -> None:
    """``from_counts`` (DfE's published form) agrees with ``summarise`` of the same marks."""
    codes = [code for code, n in counts.items() for _ in range(n)]
    marks = [
        Mark(Session(START + dt.timedelta(days=i // 2), "AM" if i % 2 == 0 else "PM"), code)
        for i, code in enumerate(codes)
    ]
    assert summarise(marks) == AttendanceSummary.from_counts(counts)


@FAST
@given(summaries)
def test_rates_lie_in_unit_interval_and_attendance_plus_absence_is_one(
    s: AttendanceSummary,
) -> None:
    if s.possible_sessions == 0:
        assert s.attendance_rate is None
        assert s.overall_absence_rate is None
        return
    rates = (
        s.attendance_rate,
        s.overall_absence_rate,
        s.authorised_absence_rate,
        s.unauthorised_absence_rate,
    )
    assert all(r is not None and 0 <= r <= 1 for r in rates)
    assert s.attendance_rate is not None
    assert s.overall_absence_rate is not None
    assert s.attendance_rate + s.overall_absence_rate == 1
    assert s.authorised_absence_rate is not None
    assert s.unauthorised_absence_rate is not None
    assert s.authorised_absence_rate + s.unauthorised_absence_rate == s.overall_absence_rate


@FAST
@given(mark_lists(), st.randoms(use_true_random=False))
def test_order_of_marks_never_matters(marks: list[Mark], random: Random) -> None:
    shuffled = list(marks)
    random.shuffle(shuffled)
    assert summarise(shuffled) == summarise(marks)
    assert summarise(reversed(marks)) == summarise(marks)


@FAST
@given(summaries, summaries, summaries)
def test_pooling_is_associative_and_commutative(
    a: AttendanceSummary, b: AttendanceSummary, c: AttendanceSummary
) -> None:
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert AttendanceSummary.pool([a, b, c]) == a + b + c
    assert sum([a, b, c]) == a + b + c
    assert a + AttendanceSummary() == a


@FAST
@given(st.lists(mark_lists(max_size=20), min_size=1, max_size=5))
def test_pooled_enrolments_equal_the_concatenated_sessions(enrolments: list[list[Mark]]) -> None:
    """Pooling adds every session count; the enrolment tallies add, one per enrolment."""
    pooled = AttendanceSummary.pool(summarise(marks) for marks in enrolments)
    # All enrolments' marks as one run of sessions: each enrolment moved to its own year.
    concatenated = [
        Mark(
            Session(m.session.date.replace(year=m.session.date.year + 2 * i), m.session.part),
            m.code,
            m.minutes_late,
        )
        for i, marks in enumerate(enrolments)
        for m in marks
    ]
    as_one = summarise(concatenated)
    assert session_fields(pooled) == session_fields(as_one)
    assert pooled.possible_sessions == as_one.possible_sessions
    assert pooled.attendance_rate == as_one.attendance_rate
    with_possible = [summarise(m) for m in enrolments if summarise(m).possible_sessions]
    assert pooled.enrolments == len(with_possible)
    assert pooled.enrolments + pooled.enrolments_without_possible == len(enrolments)
    assert pooled.persistent_absentees == sum(s.persistent_absence for s in with_possible)
    assert pooled.severe_absentees == sum(s.severe_absence for s in with_possible)


@FAST
@given(mark_lists(), st.sampled_from(NOT_COUNTED))
def test_a_not_counted_mark_changes_no_rate(marks: list[Mark], code: str) -> None:
    before = summarise(marks)
    after = summarise([*marks, Mark(NEW_SESSION, code)])
    assert after.possible_sessions == before.possible_sessions
    assert after.attendance_rate == before.attendance_rate
    assert after.overall_absence_rate == before.overall_absence_rate
    assert after.reason_rate("I") == before.reason_rate("I")
    assert (after.persistent_absence, after.severe_absence) == (
        before.persistent_absence,
        before.severe_absence,
    )
    assert after.not_counted_sessions == before.not_counted_sessions + 1


@FAST
@given(mark_lists(), st.sampled_from(ABSENCES), st.sampled_from(ATTENDED))
def test_an_absence_never_raises_attendance(marks: list[Mark], absent: str, present: str) -> None:
    before = summarise(marks).attendance_rate
    after_absence = summarise([*marks, Mark(NEW_SESSION, absent)]).attendance_rate
    after_present = summarise([*marks, Mark(NEW_SESSION, present)]).attendance_rate
    assert after_absence is not None
    assert after_present is not None
    assert after_absence <= (before if before is not None else 1)
    assert after_absence < after_present
    assert after_present >= (before if before is not None else 0)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 5000), st.integers(0, 5000))
def test_persistent_and_severe_flags_are_the_exact_inequalities(absent: int, present: int) -> None:
    s = AttendanceSummary.from_counts({"O": absent, "/": present})
    possible = absent + present
    share = Fraction(absent, possible) if possible else None
    assert s.persistent_absence is (share is not None and share >= Fraction(1, 10))
    assert s.severe_absence is (share is not None and share >= Fraction(1, 2))
    assert s.persistent_absentees == int(s.persistent_absence)
    assert s.severe_absentees == int(s.severe_absence)


@FAST
@given(
    st.sampled_from([START, dt.date(2024, 3, 4)]).flatmap(
        lambda start: st.dictionaries(
            st.sampled_from(["p1", "p2", "p3", "p4"]), mark_lists(max_size=25, start=start)
        )
    )
)
def test_register_summaries_equal_summarise_per_pupil(pupils: dict[str, list[Mark]]) -> None:
    """Also across 19 August 2024, where the register reads each mark with its own set."""
    register = Register.from_marks((pupil, m) for pupil, marks in pupils.items() for m in marks)
    with_marks = {pupil: marks for pupil, marks in pupils.items() if marks}
    assert register_summaries(register) == {pupil: summarise(m) for pupil, m in with_marks.items()}
    assert register_summary(register) == AttendanceSummary.pool(
        summarise(m) for m in with_marks.values()
    )
    for pupil, marks in with_marks.items():
        assert list(register.marks(pupil)) == sorted(marks, key=lambda m: m.session)


BOTH_SETS = tuple(sorted({c.code for c in ENGLAND_2024} | {c.code for c in ENGLAND_2006}))


@FAST
@given(
    st.dates(dt.date(2024, 7, 1), dt.date(2024, 10, 31)),
    st.sampled_from(["AM", "PM"]),
    st.sampled_from(BOTH_SETS),
)
# Random dates seldom land on the switch itself: the last 2006 day and the first 2024 day.
@example(BOUNDARY - dt.timedelta(days=1), "PM", "H")
@example(BOUNDARY - dt.timedelta(days=1), "PM", "C1")
@example(BOUNDARY, "AM", "C1")
@example(BOUNDARY, "AM", "H")
def test_code_set_chosen_by_date_across_19_august_2024(day: dt.date, part: str, code: str) -> None:
    in_force = ENGLAND_2024 if day >= BOUNDARY else ENGLAND_2006
    if code not in in_force:
        with pytest.raises(UnknownCodeError) as caught:
            summarise([(day, part, code)])
        assert caught.value.code_set == in_force.id
        return
    s = summarise([(day, part, code)])
    expected = Counter({in_force[code].category: 1})
    got = Counter(
        {
            Category.PRESENT: s.present_sessions,
            Category.APPROVED_EDUCATIONAL_ACTIVITY: s.approved_educational_activity,
            Category.AUTHORISED_ABSENCE: s.authorised_absence,
            Category.UNAUTHORISED_ABSENCE: s.unauthorised_absence,
            Category.NOT_COUNTED: s.not_counted_sessions,
        }
    )
    assert +got == expected
