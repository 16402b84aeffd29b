"""Missing marks: sessions without a mark, grouped by date and session (registers not taken)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import context, marks, register
from attendance_core.model import Enrolment
from attendance_core.rules.findings import Severity
from attendance_core.rules.missing_marks import missing_marks

START = "2025-02-13"
"""Thursday before the February half-term: four sessions, the holiday, then Monday 24th."""
ROLL = {p: Enrolment(p, "S", dt.date(2025, 2, 13)) for p in "ABC"}


def found(
    pupils: dict[str, str],
    as_of: str,
    enrolments: dict[str, Enrolment] | None = ROLL,
    session: str | None = None,
) -> list[tuple[str, tuple[str, ...], bool]]:
    reg = register({p: marks(START, codes) for p, codes in pupils.items()})
    ctx = context(as_of, enrolments=enrolments or {}, as_of_session=session)
    return [
        (str(f.evidence[0].session), f.details["pupils"], f.details["register_taken"])
        for f in missing_marks(reg, ctx)
    ]


@pytest.mark.parametrize(
    ("pupils", "as_of", "enrolments", "session", "expected"),
    [
        pytest.param(
            {"A": "/ / / /", "B": "/ / / /", "C": "/ / / /"},
            "2025-02-14",
            ROLL,
            None,
            [],
            id="complete",
        ),
        pytest.param(
            {"A": "/ / / /", "B": "/ . / /", "C": "/ . . /"},
            "2025-02-14",
            ROLL,
            None,
            [("2025-02-13 PM", ("B", "C"), True), ("2025-02-14 AM", ("C",), True)],
            id="gaps-grouped-by-session",
        ),
        pytest.param(
            {"A": "/ / / .", "B": "/ / / .", "C": "/ / / ."},
            "2025-02-14",
            ROLL,
            None,
            [("2025-02-14 PM", ("A", "B", "C"), False)],
            id="register-not-taken",
        ),
        pytest.param(
            {"A": "/ / / .", "B": "/ / / .", "C": "/ / / ."},
            "2025-02-14",
            ROLL,
            "AM",
            [],
            id="afternoon-not-yet-due",
        ),
        pytest.param(
            {"A": "/ / / /", "B": "/ / / /", "C": "/ / / /"},
            "2025-02-24",
            ROLL,
            None,
            [("2025-02-24 AM", ("A", "B", "C"), False), ("2025-02-24 PM", ("A", "B", "C"), False)],
            id="holiday-not-expected",
        ),
        pytest.param(
            {"A": "/ / / /", "B": "/ . / /", "C": ". . . /"},
            "2025-02-24",
            None,
            None,
            [("2025-02-13 PM", ("B",), True)],
            id="no-enrolments-gaps-only",
        ),
        pytest.param(
            {"A": "/ / / /", "B": "/ / / /"},
            "2025-02-14",
            ROLL,
            None,
            [
                (s, ("C",), True)
                for s in ("2025-02-13 AM", "2025-02-13 PM", "2025-02-14 AM", "2025-02-14 PM")
            ],
            id="enrolled-pupil-missing-from-register",
        ),
        pytest.param(
            {"A": "/ / / /", "B": "/ / / /", "C": "/ / . ."},
            "2025-02-14",
            {**ROLL, "C": Enrolment("C", "S", dt.date(2025, 2, 13), dt.date(2025, 2, 13))},
            None,
            [],
            id="leaver-not-expected",
        ),
    ],
)
def test_missing_marks(
    pupils: dict[str, str],
    as_of: str,
    enrolments: dict[str, Enrolment] | None,
    session: str | None,
    expected: list[tuple[str, tuple[str, ...], bool]],
) -> None:
    assert found(pupils, as_of, enrolments, session) == expected


def test_missing_marks_explain_themselves() -> None:
    reg = register(
        {
            p: marks(START, codes)
            for p, codes in {"A": "/ / / .", "B": "/ . / .", "C": "/ / / ."}.items()
        }
    )
    findings = missing_marks(reg, context("2025-02-14", enrolments=ROLL))
    assert [f.explanation for f in findings] == [
        "1 pupil has no mark for the PM session of 13 February 2025.",
        "No register taken for the PM session of 14 February 2025 (3 pupils without a mark).",
    ]
    assert all(f.pupil_id is None and f.severity is Severity.ACTION for f in findings)
    assert [f.figure for f in findings] == [1, 3]


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from("ABCDE"),
        st.lists(st.sampled_from(["/", "N", "."]), min_size=8, max_size=8),
        min_size=1,
    )
)
def test_counts_never_exceed_pupils_or_sessions(rows: dict[str, list[str]]) -> None:
    reg = register({p: marks("2025-03-03", " ".join(codes)) for p, codes in rows.items()})
    roll = {p: Enrolment(p, "S", dt.date(2025, 3, 3)) for p in rows}
    findings = missing_marks(reg, context("2025-03-06", enrolments=roll))
    assert len(findings) <= 8
    assert sum(f.figure for f in findings) == sum(codes.count(".") for codes in rows.values())  # type: ignore[misc]
    for f in findings:
        assert f.figure == len(f.details["pupils"]) <= len(rows)
