"""What a leave request would do: the rules run with and without the sessions asked for."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import InputError, School
from attendance_core.calendars import SchoolCalendar
from attendance_core.cli import main
from attendance_core.model import Mark
from attendance_core.reports.whatif import what_if

ROOT = Path(__file__).resolve().parents[1]
CALENDAR_FILE = ROOT / "docs/examples/calendars/kent-example-academy.toml"
CALENDAR = SchoolCalendar.from_toml(CALENDAR_FILE)
START, AS_OF = dt.date(2025, 9, 1), dt.date(2025, 10, 17)
SESSIONS = CALENDAR.sessions(START, AS_OF)


def _school(absent: int = 0) -> School:
    """One pupil, present every session but ``absent`` unauthorised (O) ones at the start."""
    marks = [
        ("P", Mark(s, "O" if i < absent else ("/" if s.part.value == "AM" else "\\")))
        for i, s in enumerate(SESSIONS)
    ]
    return School.assemble(marks, calendar=CALENDAR)


def test_a_weeks_holiday_in_term_time() -> None:
    answer = what_if(_school(), "P", dt.date(2025, 10, 6), dt.date(2025, 10, 10), as_of=AS_OF)
    possible = len(SESSIONS)
    assert answer.sessions == 10
    assert answer.now.attendance_rate == 1
    assert answer.with_absence.attendance_rate == Fraction(possible - 10, possible)
    assert (answer.now.penalty_notice_threshold, answer.with_absence.penalty_notice_threshold) == (
        False,
        True,
    )
    assert answer.with_absence.persistent_absence  # 10 of 66 sessions is 15.2%: 10% or more
    assert answer.with_absence.absent_sessions == 10


def test_persistent_absence_follows_the_threshold_exactly() -> None:
    possible = len(SESSIONS)
    needed = -(-possible * 10 // 100)  # the least whole number of sessions at 10%
    school = _school(absent=needed - 2)
    answer = what_if(school, "P", dt.date(2025, 10, 16), dt.date(2025, 10, 16), as_of=AS_OF)
    assert not answer.now.persistent_absence
    assert answer.with_absence.persistent_absence  # two more sessions reach 10%


@settings(max_examples=25, deadline=None)
@given(st.integers(0, len(SESSIONS) - 1), st.integers(1, 10), st.sampled_from(["G", "O", "I"]))
def test_an_absence_never_raises_attendance_nor_the_best_reachable(
    start: int, length: int, code: str
) -> None:
    first = SESSIONS[start].date
    last = SESSIONS[min(start + length, len(SESSIONS) - 1)].date
    answer = what_if(_school(), "P", first, last, code=code, as_of=AS_OF)
    assert answer.with_absence.attendance_rate is not None
    assert answer.now.attendance_rate is not None
    assert answer.with_absence.attendance_rate <= answer.now.attendance_rate
    assert answer.with_absence.best_reachable is not None
    assert answer.now.best_reachable is not None
    assert answer.with_absence.best_reachable <= answer.now.best_reachable
    assert answer.with_absence.absent_sessions == answer.sessions


@pytest.mark.parametrize(
    ("pupil", "first", "last", "message"),
    [
        ("Q", "2025-10-06", "2025-10-10", "no such pupil in the marks (got 'Q')"),
        ("P", "2025-10-10", "2025-10-06", "the absence ends before it starts"),
        ("P", "2025-10-11", "2025-10-12", "no school session in the absence"),
    ],
)
def test_bad_requests_are_refused(pupil: str, first: str, last: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        what_if(_school(), pupil, dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_the_command_prints_both_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = tmp_path / "marks.csv"
    rows = "".join(
        f"P,{s.date.isoformat()},{s.part.value},{'/' if s.part.value == 'AM' else chr(92)}\n"
        for s in SESSIONS
    )
    marks.write_text("pupil_id,date,session,code\n" + rows, encoding="utf-8")
    args = ["whatif", str(marks), "--calendar", str(CALENDAR_FILE), "--pupil", "P"]
    args += ["--absent", "2025-10-06..2025-10-10", "--as-of", "2025-10-17"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["now"]["penalty_notice_threshold"] is False
    assert data["with_absence"]["penalty_notice_threshold"] is True
    assert main(args) == 0
    assert "penalty-notice threshold  not reached" in capsys.readouterr().out
    assert main([*args[:-2], "--absent", "2025-10-06"]) == 2
    assert "not a span" in capsys.readouterr().err
