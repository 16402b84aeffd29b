"""``attendance-core report``, run in-process on a small marks file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from _docs import DOCS
from attendance_core import hookimpl, make_plugin_manager
from attendance_core.calendars import (
    CalendarAdjustment,
    Closure,
    SchoolCalendar,
)
from attendance_core.cli import main

SCHOOL = DOCS / "examples" / "policies" / "school.toml"
DAYS = [dt.date(2025, 9, 8) + dt.timedelta(days=d) for d in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]
SESSIONS = [(day.isoformat(), part) for day in DAYS for part in ("AM", "PM")]
MARKS = {
    "A1": ["/"] * 20,
    "A2": ["/"] * 16 + ["I01", "I01", "O", "O"],  # 20% absence, I01 read as I by the policy
}


@pytest.fixture
def marks(tmp_path: Path) -> Path:
    lines = ["pupil_id,date,session,code"]
    for pupil, codes in MARKS.items():
        lines += [f"{pupil},{d},{p},{c}" for (d, p), c in zip(SESSIONS, codes, strict=True)]
    path = tmp_path / "marks.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_report_in_markdown_with_policy_and_its_calendar(
    marks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(marks), "--policy", str(SCHOOL)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Attendance report\n")
    assert "| Overall absence rate | 10.0% |" in out
    assert "| A2 | persistent | 4 | 20 | 20.0% |" in out
    assert f"| I01 | I | england-2024 | policy {SCHOOL} |" in out
    assert "| bands.watch_list_below | 92.5 | 90 | policy" in out


def test_report_as_text_as_of_a_date_to_a_file(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "report.txt"
    args = ["report", str(marks), "--policy", str(SCHOOL), "--as-of", "2025-09-12"]
    args += ["--format", "text", "-o", str(output)]
    assert main(args) == 0
    assert capsys.readouterr().out == ""
    text = output.read_text(encoding="utf-8")
    assert text.startswith("Attendance report as of 2025-09-12\n")
    assert "Possible sessions                     20\n" in text


def test_unknown_local_code_without_a_policy_is_exit_2(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "report.md"
    assert main(["report", str(marks), "-o", str(output)]) == 2
    assert "unknown attendance code in code set 'england-2024' (got 'I01')" in (
        capsys.readouterr().err
    )
    assert not output.exists()


def test_a_marks_file_with_no_marks_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks, output = tmp_path / "marks.csv", tmp_path / "report.md"
    marks.write_text("pupil_id,date,session,code\n", encoding="utf-8")
    assert main(["report", str(marks), "--policy", str(SCHOOL), "-o", str(output)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"attendance-core report: error: {marks}:2: no marks; expected at least one mark\n"
    )
    assert not output.exists()


class _KentTermDates:
    """An LA plugin: the example academy's calendar, found by name."""

    @hookimpl
    def attendance_core_calendars(self) -> Sequence[SchoolCalendar]:
        return (SchoolCalendar.from_toml(DOCS / "examples/calendars/kent-example-academy.toml"),)


class _PollingDay:
    """A school plugin: closed on Wednesday 10 September 2025, a day A1 and A2 have marks."""

    @hookimpl
    def attendance_core_adjust_calendar(self, calendar: SchoolCalendar) -> CalendarAdjustment:
        day = dt.date(2025, 9, 10)
        return CalendarAdjustment(closures=(Closure(day, day, "#", "Polling station"),))


def test_a_plugin_calendar_named_by_the_policy_runs_the_rules_with_the_school_days(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[codes]\nlocal_codes = { I01 = "I" }\n\n[calendar]\nname = "Example Academy (Kent)"\n',
        encoding="utf-8",
    )
    manager = make_plugin_manager(load_entrypoints=False, plugins=[_KentTermDates(), _PollingDay()])
    monkeypatch.setattr("attendance_core.school.make_plugin_manager", lambda names=(): manager)
    assert main(["report", str(marks), "--policy", str(policy)]) == 0
    out = capsys.readouterr().out
    # The LA's calendar ran the rules, and the school's own closure reached them.
    section = out.split("## Findings: marks-on-non-school-days\n", 1)[1].split("\n## ", 1)[0]
    assert "10 September 2025" in section


def test_enrolments_give_the_rules_roll_dates_and_without_them_a_warning(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roll = tmp_path / "roll.csv"
    roll.write_text("pupil_id,admission_date\nA1,2025-09-08\nA2,2025-09-10\n", encoding="utf-8")
    args = ["report", str(marks), "--policy", str(SCHOOL)]
    assert main(args) == 0
    without = capsys.readouterr()
    assert without.err.startswith("attendance-core report: warning: no --enrolments")
    assert "marks-outside-enrolment" not in without.out
    assert main([*args, "--enrolments", str(roll)]) == 0
    given = capsys.readouterr()
    assert given.err == ""
    assert "marks-outside-enrolment" in given.out
