"""marks-outside-enrolment: one finding per pupil marked before admission or after leaving."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import CALENDAR, context, marks, register
from attendance_core.model import Enrolment, Mark, Session
from attendance_core.register import Register
from attendance_core.rules.findings import Evidence, Severity
from attendance_core.rules.outside_enrolment import marks_outside_enrolment
from attendance_core.rules.registry import BUILTIN_RULES

START = "2025-03-03"
"""Monday: A is marked every session Monday to Friday (10 sessions)."""
WEEK = marks(START, "/ / / / N N / / L /")
D = dt.date


def found(
    enrolment: Enrolment | None, as_of: str = "2025-03-07", session: str | None = None
) -> list[tuple[str, ...]]:
    roll = {} if enrolment is None else {"A": enrolment}
    ctx = context(as_of, enrolments=roll, as_of_session=session)
    return [
        tuple(f"{e.session} {e.code}" for e in f.evidence)
        for f in marks_outside_enrolment(register({"A": WEEK}), ctx)
    ]


@pytest.mark.parametrize(
    ("enrolment", "as_of", "session", "expected"),
    [
        pytest.param(Enrolment("A", "S", D(2025, 3, 3), D(2025, 3, 7)), "2025-03-07", None, [],
                     id="admitted-monday-left-friday-all-on-roll"),
        pytest.param(Enrolment("A", "S", D(2025, 3, 4)), "2025-03-07", None,
                     [("2025-03-03 AM /", "2025-03-03 PM /")], id="monday-before-admission"),
        pytest.param(Enrolment("A", "S", D(2025, 2, 28), D(2025, 3, 6)), "2025-03-07", None,
                     [("2025-03-07 AM L", "2025-03-07 PM /")], id="friday-after-leaving"),
        pytest.param(Enrolment("A", "S", D(2025, 3, 5), D(2025, 3, 5)), "2025-03-07", None,
                     [("2025-03-03 AM /", "2025-03-03 PM /", "2025-03-04 AM /", "2025-03-04 PM /",
                       "2025-03-06 AM /", "2025-03-06 PM /", "2025-03-07 AM L",
                       "2025-03-07 PM /")], id="one-day-on-roll-both-sides"),
        pytest.param(Enrolment("A", "S", D(2025, 2, 28), D(2025, 3, 6)), "2025-03-07", "AM",
                     [("2025-03-07 AM L",)], id="afternoon-not-yet-read"),
        pytest.param(Enrolment("A", "S", D(2025, 2, 28), D(2025, 3, 6)), "2025-03-06", None, [],
                     id="after-leaving-but-after-as-of"),
        pytest.param(None, "2025-03-07", None, [], id="no-enrolment-nothing-found"),
    ],
)  # fmt: skip
def test_marks_outside_enrolment(
    enrolment: Enrolment | None, as_of: str, session: str | None, expected: list[tuple[str, ...]]
) -> None:
    assert found(enrolment, as_of, session) == expected


def test_one_finding_per_pupil_explained() -> None:
    roll = {
        "A": Enrolment("A", "S", D(2025, 3, 4), D(2025, 3, 6)),
        "B": Enrolment("B", "S", D(2025, 3, 3)),
        "C": Enrolment("C", "S", D(2025, 3, 3), D(2025, 3, 5)),
    }
    reg = register({"A": WEEK, "B": WEEK, "C": WEEK, "D": WEEK})
    findings = marks_outside_enrolment(reg, context("2025-03-07", enrolments=roll))
    assert [(f.pupil_id, f.figure, f.explanation) for f in findings] == [
        (
            "A",
            4,
            "2 marks before admission on 4 March 2025 and 2 marks after leaving on 6 March 2025, "
            "when the pupil was not on roll: correct the register or the admission register dates.",
        ),
        (
            "C",
            4,
            "4 marks after leaving on 5 March 2025, when the pupil was not on roll: correct the "
            "register or the admission register dates.",
        ),
    ]
    assert findings[0].details == {
        "admission_date": "2025-03-04",
        "leaving_date": "2025-03-06",
        "before_admission": 2,
        "after_leaving": 2,
    }
    assert all(f.severity is Severity.ACTION and f.threshold == 1 for f in findings)
    assert "SI 2024/208" in findings[0].source


def test_it_is_a_builtin_register_rule() -> None:
    (rule,) = [r for r in BUILTIN_RULES if r.name == "marks-outside-enrolment"]
    assert (rule.scope, rule.func) == ("register", marks_outside_enrolment)
    assert "SI 2024/208" in rule.source
    assert "Monitor your school attendance" in rule.source


def _from_evidence(evidence: tuple[Evidence, ...]) -> Register:
    return register({"A": [Mark(e.session, e.code) for e in evidence if e.code]})


SCHOOL = CALENDAR.sessions(D(2025, 1, 7), D(2025, 3, 31))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["/", "N", "L", "."]), min_size=40, max_size=40),
    st.integers(0, 39),
    st.integers(0, 39),
)
def test_evidence_alone_retriggers_and_counts_fit(codes: list[str], admit: int, days: int) -> None:
    pupil = marks("2025-01-07", " ".join(codes))
    admission = SCHOOL[admit].date
    leaving = SCHOOL[min(admit + days, 39)].date
    roll = {"A": Enrolment("A", "S", admission, leaving)}
    ctx = context("2025-03-31", enrolments=roll)
    outside = [m for m in pupil if not admission <= m.session.date <= leaving]
    findings = marks_outside_enrolment(register({"A": pupil}), ctx)
    assert [len(f.evidence) for f in findings] == ([len(outside)] if outside else [])
    for finding in findings:
        assert [(e.session, e.code) for e in finding.evidence] == [
            (m.session, m.code) for m in outside
        ]
        assert marks_outside_enrolment(_from_evidence(finding.evidence), ctx) == [finding]
        on_roll = [m for m in pupil if m not in outside]
        assert marks_outside_enrolment(register({"A": on_roll}), ctx) == []


@settings(max_examples=50, deadline=None)
@given(st.sets(st.integers(0, 39), min_size=1, max_size=20), st.integers(0, 39))
def test_moving_one_mark_outside_reports_exactly_it(marked: set[int], shift: int) -> None:
    admission, leaving = SCHOOL[10].date, SCHOOL[29].date
    roll = {"A": Enrolment("A", "S", admission, leaving)}
    inside = sorted({SCHOOL[10 + i % 20] for i in marked})
    pupil = [Mark(s, "/") for s in inside]
    ctx = context("2025-03-31", enrolments=roll)
    assert marks_outside_enrolment(register({"A": pupil}), ctx) == []
    moved = (SCHOOL[:10] + SCHOOL[30:40])[shift % 20]  # SCHOOL[10] is a morning, [29] an afternoon
    pupil[0] = Mark(moved, "N")
    [finding] = marks_outside_enrolment(register({"A": pupil}), ctx)
    assert finding.evidence == (Evidence(moved, "N"),)
    early = moved.date < admission
    assert (finding.details["before_admission"], finding.details["after_leaving"]) == (
        int(early),
        int(not early),
    )


def test_sessions_are_the_register_sessions() -> None:
    """A mark on a date outside the calendar (a Saturday before admission) is still reported."""
    saturday = Session(D(2025, 3, 1), "AM")
    reg = register({"A": [Mark(saturday, "/"), *WEEK]})
    ctx = context("2025-03-07", enrolments={"A": Enrolment("A", "S", D(2025, 3, 3))})
    [finding] = marks_outside_enrolment(reg, ctx)
    assert finding.evidence == (Evidence(saturday, "/"),)
