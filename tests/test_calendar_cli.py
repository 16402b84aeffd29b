"""``attendance-core calendar``: the year at a glance, and every problem of a bad file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from attendance_core import RegisterBuilder, School, Session, hookimpl, make_plugin_manager
from attendance_core.calendars import (
    CalendarAdjustment,
    Closure,
    SchoolCalendar,
)
from attendance_core.cli import main
from attendance_core.cli.calendar import format_register_checks

ROLL = str(Path(__file__).parent.parent / "docs" / "examples" / "enrolments.csv")
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "calendars"


def test_year_at_a_glance(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["calendar", str(EXAMPLES / "kent-example-academy.toml"), "--year", "2024"])
    out, err = capsys.readouterr()
    assert status == 0
    assert err == ""
    assert "2025/26" not in out
    for line in [
        "Example Academy (Kent)",
        "    Autumn: Mon 2 Sep 2024 to Fri 20 Dec 2024 (71 days, 142 sessions)",
        # A half-term starts on its first weekday: the Monday after the break, not the Saturday.
        "    Spring 1: Mon 6 Jan 2025 to Fri 14 Feb 2025 (58 sessions)",
        "    Spring 2: Mon 24 Feb 2025 to Fri 4 Apr 2025 (60 sessions)",
        "    Mon 28 Oct 2024 to Fri 1 Nov 2024 (October half-term)",
        "    Mon 6 Jan 2025",
        "    Mon 5 May 2025 May Day",
        "  sessions: 380 (minimum 380)",
    ]:
        assert line in out.splitlines()
    # The spring bank holiday falls in the Whitsun half-term, not in teaching time.
    assert "Spring Bank Holiday" not in out


def test_short_year_is_a_warning_not_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "glance.txt"
    status = main(
        ["calendar", str(EXAMPLES / "kent-example-primary.toml"), "--output", str(output)]
    )
    out, err = capsys.readouterr()
    assert (status, out) == (0, "")
    text = output.read_text(encoding="utf-8")
    assert "  sessions: 378 (minimum 380)" in text.splitlines()
    # Kent's six terms have no half-term holidays: no second list repeating the terms.
    assert "half-terms:" not in text
    assert "    Term 5: Tue 22 Apr 2025 to Fri 23 May 2025 (22 days, 44 sessions)" in text
    assert (
        "    Thu 1 May 2025 AM/PM #: Polling station for the Kent County Council elections (example)"
        in text
    )
    assert err.count("warning:") == 2
    assert (
        main(
            [
                "calendar",
                str(EXAMPLES / "kent-example-primary.toml"),
                "--minimum",
                "378",
                "--year",
                "2024",
            ]
        )
        == 0
    )
    assert "warning" not in capsys.readouterr().err


def test_invalid_calendar_lists_every_problem_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "Bad"\nnation = "englnd"\n\n[[years]]\nacademic_year = 2025\n'
        'inset_days = [2025-09-06]\n\n[[years.terms]]\nname = "Autumn"\n'
        "start = 2025-09-01\nend = 2025-12-19\n",
        encoding="utf-8",
    )
    assert main(["calendar", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "attendance-core calendar: 2 problems",
        f"{path}: $.nation: unknown nation 'englnd'; did you mean 'england'?",
        f"{path}: $.years[0].inset_days[0]: INSET day 2025-09-06 is a Saturday",
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("englnd", "england"), encoding="utf-8")
    assert main(["calendar", str(path)]) == 2
    assert (
        f"{path}: $.years[0].inset_days[0]: INSET day 2025-09-06 is a Saturday"
        in capsys.readouterr().err
    )


def test_year_not_covered_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", str(EXAMPLES / "kent-example-academy.toml"), "--year", "2030"]) == 2
    assert capsys.readouterr().err.endswith("(it covers 2024/25 to 2025/26)\n")


def _marks(tmp_path: Path) -> Path:
    path = tmp_path / "marks.csv"
    path.write_text(
        "pupil_id,date,session,code\n"
        "P1,2026-01-19,AM,/\n"
        "P1,2026-01-20,PM,Y4\n"
        "P1,2026-01-21,AM,/\n"
        "P1,2026-01-24,AM,/\n"
        "P2,2026-01-19,AM,/\n"
        "P2,2026-01-19,PM,/\n",
        encoding="utf-8",
    )
    return path


def test_summary_with_calendar_reports_missing_marks_and_non_school_days(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    calendar = str(EXAMPLES / "kent-example-primary.toml")
    assert main(["summary", str(_marks(tmp_path)), "--calendar", calendar]) == 0
    out = capsys.readouterr().out
    assert out.split("\n\nchecked against")[1].splitlines() == [
        " the calendar of Example Primary School (Kent), up to 2026-01-24:",
        "missing marks: 7 sessions for 1 pupil",
        "  P1: 2026-01-19 PM, 2026-01-20 AM, 2026-01-21 PM, 2026-01-22 AM, 2026-01-22 PM, "
        "2026-01-23 AM, 2026-01-23 PM",
        "marks on non-school days: 1",
        "  P1: 2026-01-24 AM '/' (weekend)",
    ]


def test_summary_with_enrolments_expects_admission_to_leaving(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    enrolments = tmp_path / "enrolments.csv"
    enrolments.write_text(
        "pupil_id,admission_date,leaving_date\nP1,2026-01-19,2026-01-19\nP2,2026-01-19,\n",
        encoding="utf-8",
    )
    calendar = str(EXAMPLES / "kent-example-primary.toml")
    args = ["summary", str(_marks(tmp_path)), "--calendar", calendar, "--format", "json"]
    assert main([*args, "--enrolments", str(enrolments)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith('{"pupils": [')
    assert err.splitlines()[2:] == [
        "missing marks: 8 sessions for 2 pupils",
        "  P1: 2026-01-19 PM",
        "  P2: 2026-01-20 AM, 2026-01-21 AM, 2026-01-21 PM, 2026-01-22 AM, 2026-01-22 PM, "
        "2026-01-23 AM, 2026-01-23 PM",
        "marks on non-school days: 1",
        "  P1: 2026-01-24 AM '/' (weekend)",
        "marks outside enrolment: 3 (still counted in the summary: correct the register or the "
        "enrolment)",
        "  P1: 2026-01-20 PM 'Y4' (after leaving)",
        "  P1: 2026-01-21 AM '/' (after leaving)",
        "  P1: 2026-01-24 AM '/' (after leaving)",
    ]
    # Listed, not dropped: P1's two / after leaving still count as possible sessions.
    pupils = {p["pupil_id"]: p for p in json.loads(out)["pupils"]}
    assert pupils["P1"]["possible_sessions"] == 3


def test_summary_reports_marks_before_admission_in_the_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    enrolments = tmp_path / "enrolments.csv"
    # P1 admitted on Tuesday 20 January: the mark of Monday 19th is before admission; P2 is on
    # roll from the 19th, so its marks that day are not; P3 is in no file.
    enrolments.write_text(
        "pupil_id,admission_date,leaving_date\nP1,2026-01-20,\nP2,2026-01-19,2026-01-19\n",
        encoding="utf-8",
    )
    calendar = str(EXAMPLES / "kent-example-primary.toml")
    marks = str(_marks(tmp_path))
    assert main(["summary", marks, "--calendar", calendar, "--enrolments", str(enrolments)]) == 0
    lines = capsys.readouterr().out.split("\n\nchecked against")[1].splitlines()
    assert lines[-2:] == [
        "marks outside enrolment: 1 (still counted in the summary: correct the register or the "
        "enrolment)",
        "  P1: 2026-01-19 AM '/' (before admission)",
    ]
    everyone = tmp_path / "everyone.csv"
    everyone.write_text("pupil_id,admission_date\nP1,2026-01-19\nP2,2026-01-19\n", "utf-8")
    assert main(["summary", marks, "--calendar", calendar, "--enrolments", str(everyone)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "marks outside enrolment: 0"
    assert main(["summary", marks, "--calendar", calendar]) == 0
    assert "marks outside enrolment" not in capsys.readouterr().out


def test_summary_enrolments_without_calendar_and_bad_calendar_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    marks = str(_marks(tmp_path))
    assert main(["summary", marks, "--enrolments", "x.csv"]) == 2
    assert "--enrolments needs --calendar" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n', encoding="utf-8")
    output = tmp_path / "out.txt"
    assert main(["summary", marks, "--calendar", str(bad), "--output", str(output)]) == 2
    assert "$.nation: missing" in capsys.readouterr().err
    assert not output.exists()


def test_register_checks_show_codes_as_the_register_does() -> None:
    builder = RegisterBuilder()
    builder.add("P1", Session(dt.date(2026, 1, 24), "AM"), "\\")  # a Saturday
    calendar = SchoolCalendar.from_toml(EXAMPLES / "kent-example-primary.toml")
    text = format_register_checks(School.assemble(builder.build()), calendar)
    assert "  P1: 2026-01-24 AM '\\' (weekend)" in text.splitlines()


def test_the_policy_sets_the_minimum_for_years_without_their_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[calendar]\nminimum_sessions = 379\n", encoding="utf-8")
    primary = str(EXAMPLES / "kent-example-primary.toml")
    assert main(["calendar", primary, "--policy", str(policy)]) == 0
    out, err = capsys.readouterr()
    assert "  sessions: 378 (minimum 379)" in out.splitlines()
    assert "  sessions: 379 (minimum 379)" in out.splitlines()
    assert err.splitlines() == [
        "attendance-core calendar: warning: 2024/25 has 378 sessions, fewer than the minimum of "
        "379 (Education (School Day and School Year) (England) Regulations 1999 reg 3)"
    ]
    # A year's own minimum_sessions is more specific than the policy's.
    own = tmp_path / "own.toml"
    own.write_text(
        Path(primary)
        .read_text(encoding="utf-8")
        .replace("academic_year = 2024\n", "academic_year = 2024\nminimum_sessions = 378\n"),
        encoding="utf-8",
    )
    assert main(["calendar", str(own), "--policy", str(policy), "--year", "2024"]) == 0
    out, err = capsys.readouterr()
    assert ("  sessions: 378 (minimum 378)" in out.splitlines(), err) == (True, "")
    bad = tmp_path / "bad-policy.toml"
    bad.write_text("[calendar]\nminimum_sessions = 'many'\n", encoding="utf-8")
    assert main(["calendar", primary, "--policy", str(bad)]) == 2
    assert "minimum_sessions" in capsys.readouterr().err


class _Closed21January:
    """A school plugin: closed all day on Wednesday 21 January 2026 (P1 is marked / that AM)."""

    @hookimpl
    def attendance_core_adjust_calendar(self, calendar: SchoolCalendar) -> CalendarAdjustment:
        day = dt.date(2026, 1, 21)
        return CalendarAdjustment(closures=(Closure(day, day, "#", "Polling station"),))


def test_summary_checks_use_the_calendar_as_plugins_adjust_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[_Closed21January()])
    monkeypatch.setattr("attendance_core.school.make_plugin_manager", lambda names=(): manager)
    calendar = str(EXAMPLES / "kent-example-primary.toml")
    assert main(["summary", str(_marks(tmp_path)), "--calendar", calendar]) == 0
    lines = capsys.readouterr().out.split("\n\nchecked against")[1].splitlines()
    assert lines[1:] == [
        "missing marks: 6 sessions for 1 pupil",
        "  P1: 2026-01-19 PM, 2026-01-20 AM, 2026-01-22 AM, 2026-01-22 PM, 2026-01-23 AM, "
        "2026-01-23 PM",
        "marks on non-school days: 2",
        "  P1: 2026-01-21 AM '/' (closure)",
        "  P1: 2026-01-24 AM '/' (weekend)",
    ]


def _policy(tmp_path: Path, calendar: str) -> str:
    path = tmp_path / "policy.toml"
    path.write_text(f"[calendar]\n{calendar}\n", encoding="utf-8")
    return str(path)


def test_summary_falls_back_to_the_policys_calendar_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As check and report do: no --calendar, so the policy's [calendar] file (relative to it)."""
    marks = str(_marks(tmp_path))
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "primary.toml").write_bytes(
        (EXAMPLES / "kent-example-primary.toml").read_bytes()
    )
    policy = _policy(tmp_path, 'file = "calendars/primary.toml"')
    assert main(["summary", marks, "--calendar", str(EXAMPLES / "kent-example-primary.toml")]) == 0
    given = capsys.readouterr().out
    assert main(["summary", marks, "--policy", policy]) == 0
    fallen_back = capsys.readouterr().out
    assert "missing marks: 7 sessions for 1 pupil" in fallen_back
    assert fallen_back.split("\n\nchecked against")[1] == given.split("\n\nchecked against")[1]


def test_summary_calendar_option_wins_over_the_policys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = _policy(tmp_path, f'file = "{EXAMPLES / "kent-example-primary.toml"}"')
    academy = str(EXAMPLES / "kent-example-academy.toml")
    assert main(["summary", str(_marks(tmp_path)), "--policy", policy, "--calendar", academy]) == 0
    out = capsys.readouterr().out
    assert "checked against the calendar of Example Academy (Kent)" in out


def test_summary_with_a_policy_naming_no_calendar_has_no_checks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[thresholds]\npersistent_absence = 15\n", encoding="utf-8")
    assert main(["summary", str(_marks(tmp_path)), "--policy", str(policy)]) == 0
    assert "checked against" not in capsys.readouterr().out
    assert (
        main(["summary", str(_marks(tmp_path)), "--policy", str(policy), "--enrolments", ROLL]) == 2
    )
    assert "--enrolments needs --calendar" in capsys.readouterr().err


class _Academy:
    """An LA plugin: the example academy's calendar, found by name."""

    @hookimpl
    def attendance_core_calendars(self) -> tuple[SchoolCalendar, ...]:
        return (SchoolCalendar.from_toml(EXAMPLES / "kent-example-academy.toml"),)


def test_summary_check_and_report_agree_on_a_plugin_calendar_the_policy_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[_Academy(), _Closed21January()])
    # The commands first: importing one while attendance_core.plugins is patched would bind the
    # stand-in, and monkeypatch would then "restore" the stand-in for the tests that follow.
    monkeypatch.setattr("attendance_core.school.make_plugin_manager", lambda names=(): manager)
    marks = str(_marks(tmp_path))
    policy = _policy(tmp_path, 'name = "Example Academy (Kent)"')
    assert main(["summary", marks, "--policy", policy]) == 0
    summary = capsys.readouterr().out.split("\n\nchecked against")[1].splitlines()
    assert summary[0] == " the calendar of Example Academy (Kent), up to 2026-01-24:"
    assert summary[-3:] == [
        "marks on non-school days: 2",
        "  P1: 2026-01-21 AM '/' (closure)",
        "  P1: 2026-01-24 AM '/' (weekend)",
    ]
    check = ["check", marks, "--policy", policy, "--rule", "marks-on-non-school-days"]
    assert main([*check, "--format", "csv"]) == 0
    found = [line.split(",")[8] for line in capsys.readouterr().out.splitlines()[1:]]
    assert found == ["2026-01-21 AM /", "2026-01-24 AM /"]
    assert main(["report", marks, "--policy", policy]) == 0
    report = capsys.readouterr().out
    assert "21 January 2026, when the school did not meet (closure)" in report
