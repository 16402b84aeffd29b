"""marks-on-non-school-days: register entries for sessions the calendar says the school did not meet."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core as ac
from _rule_tables import CALENDAR, context
from attendance_core.model import Mark, Session
from attendance_core.plugins import make_plugin_manager
from attendance_core.register import Register
from attendance_core.rules.findings import Severity
from attendance_core.rules.non_school_days import marks_on_non_school_days

# The test calendar (2024/25): half-term 17-21 February 2025, INSET on Monday 6 January 2025,
# early May bank holiday Monday 5 May 2025.


def found(
    entries: list[tuple[str, str, str, str]], as_of: str, session: str | None = None
) -> list[tuple[str, str, tuple[str, ...], dict[str, str]]]:
    reg = Register.from_marks((p, Mark(Session(day, part), code)) for p, day, part, code in entries)
    ctx = context(as_of, as_of_session=session)
    return [
        (str(f.evidence[0].session), f.details["reason"], f.details["pupils"], f.details["codes"])
        for f in marks_on_non_school_days(reg, ctx)
    ]


@pytest.mark.parametrize(
    ("entries", "as_of", "session", "expected"),
    [
        pytest.param(
            [("A", "2025-02-14", "PM", "/")], "2025-02-28", None, [], id="friday-is-a-school-day"
        ),
        pytest.param(
            [("A", "2025-02-15", "AM", "/")],
            "2025-02-28",
            None,
            [("2025-02-15 AM", "weekend", ("A",), {"A": "/"})],
            id="saturday-is-not",
        ),
        pytest.param(
            [("A", "2025-02-17", "AM", "N"), ("B", "2025-02-17", "AM", "/")],
            "2025-02-28",
            None,
            [("2025-02-17 AM", "half-term holiday", ("A", "B"), {"A": "N", "B": "/"})],
            id="half-term-one-finding-per-session",
        ),
        pytest.param(
            [("A", "2025-02-17", "AM", "#"), ("B", "2025-02-18", "PM", "#")],
            "2025-02-28",
            None,
            [],
            id="half-term-coded-hash",
        ),
        pytest.param(
            [("A", "2025-02-17", "AM", "#"), ("B", "2025-02-17", "AM", "Y4")],
            "2025-02-28",
            None,
            [("2025-02-17 AM", "half-term holiday", ("B",), {"B": "Y4"})],
            id="half-term-other-code-beside-hash",
        ),
        pytest.param(
            [("A", "2025-02-22", "AM", "#")],
            "2025-02-28",
            None,
            [("2025-02-22 AM", "weekend", ("A",), {"A": "#"})],
            id="hash-on-saturday-of-half-term",
        ),
        pytest.param(
            [("A", "2025-05-05", "AM", "#")], "2025-05-09", None, [], id="bank-holiday-coded-hash"
        ),
        pytest.param(
            [("A", "2025-02-24", "AM", "/")], "2025-02-28", None, [], id="back-after-half-term"
        ),
        pytest.param(
            [("A", "2025-01-06", "AM", "#")], "2025-02-28", None, [], id="inset-coded-hash"
        ),
        pytest.param(
            [("A", "2025-01-06", "AM", "/")],
            "2025-02-28",
            None,
            [("2025-01-06 AM", "INSET day", ("A",), {"A": "/"})],
            id="inset-coded-present",
        ),
        pytest.param(
            [("A", "2025-05-05", "PM", "I")],
            "2025-05-09",
            None,
            [("2025-05-05 PM", "bank holiday", ("A",), {"A": "I"})],
            id="bank-holiday",
        ),
        pytest.param(
            [("A", "2025-02-15", "AM", "/"), ("A", "2025-02-15", "PM", "/")],
            "2025-02-15",
            "AM",
            [("2025-02-15 AM", "weekend", ("A",), {"A": "/"})],
            id="as-of-morning-leaves-out-the-afternoon",
        ),
        pytest.param(
            [("A", "2025-02-15", "AM", "/")], "2025-02-14", None, [], id="after-as-of-not-read"
        ),
    ],
)
def test_marks_on_non_school_days(
    entries: list[tuple[str, str, str, str]],
    as_of: str,
    session: str | None,
    expected: list[tuple[str, str, tuple[str, ...], dict[str, str]]],
) -> None:
    assert found(entries, as_of, session) == expected


def test_finding_explains_and_check_runs_the_rule() -> None:
    reg = Register.from_marks(
        [
            ("A", Mark(Session("2025-02-14", "AM"), "/")),
            ("A", Mark(Session("2025-02-15", "AM"), "/")),
            ("B", Mark(Session("2025-02-14", "AM"), "/")),
            ("B", Mark(Session("2025-02-15", "AM"), "L")),
        ]
    )
    manager = make_plugin_manager(load_entrypoints=False)
    [finding] = ac.check(reg, CALENDAR, rules="marks-on-non-school-days", plugin_manager=manager)
    assert finding.pupil_id is None
    assert finding.severity is Severity.ACTION
    assert (finding.figure, finding.threshold) == (2, 1)
    assert [(e.code, str(e.session)) for e in finding.evidence] == [
        ("/", "2025-02-15 AM"),
        ("L", "2025-02-15 AM"),
    ]
    assert finding.explanation == (
        "2 pupils have marks for the AM session of 15 February 2025, when the school did not "
        "meet (weekend): correct the register or the calendar."
    )


DAYS = [dt.date(2025, 2, 10) + dt.timedelta(days=n) for n in range(21)]


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from("ABC"), st.sampled_from(DAYS), st.sampled_from(["AM", "PM"])),
        st.sampled_from(["/", "N", "#"]),
        max_size=20,
    )
)
def test_every_reported_mark_is_on_a_session_the_school_did_not_meet(
    entries: dict[tuple[str, dt.date, str], str],
) -> None:
    reg = Register.from_marks(
        (pupil, Mark(Session(day, part), code)) for (pupil, day, part), code in entries.items()
    )
    findings = marks_on_non_school_days(reg, context(DAYS[-1]))
    reported = {
        (pupil, e.session)
        for f in findings
        for e in f.evidence
        for pupil in f.details["pupils"]
        if f.details["codes"][pupil] == e.code
    }
    expected = {
        (pupil, Session(day, part))
        for (pupil, day, part), code in entries.items()
        if not CALENDAR.is_school_session(Session(day, part))
        # "#" codes a weekday holiday, half-term or INSET day consistently; DAYS has no closures.
        and not (code == "#" and day.weekday() < 5)
    }
    assert reported == expected
    assert all(f.figure == len(f.details["pupils"]) for f in findings)
    sessions = [f.evidence[0].session for f in findings]
    assert sessions == sorted(set(sessions))
