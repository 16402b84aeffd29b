"""``attendance-core check``: formats, options, and bad input (exit 2, nothing written)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest

from _docs import DOCS
from attendance_core import check, hookimpl
from attendance_core.calendars import (
    CalendarAdjustment,
    Closure,
    SchoolCalendar,
)
from attendance_core.cli import main
from attendance_core.codes import ENGLAND_2024, Category, CodeSet
from attendance_core.io.enrolments_csv import read_enrolments_csv
from attendance_core.io.findings import CSV_COLUMNS, findings_from_json, findings_to_json
from attendance_core.io.marks_csv import read_marks_csv, write_marks_csv
from attendance_core.plugins import make_plugin_manager
from attendance_core.register import RegisterBuilder

CALENDAR_FILE = DOCS / "examples" / "calendars" / "kent-example-primary.toml"
CALENDAR = SchoolCalendar.from_toml(CALENDAR_FILE)
# The fields issue #4 asks every finding to carry.
ISSUE_FIELDS = {
    *("rule", "pupil_id", "as_of", "severity", "figure", "threshold"),
    *("evidence", "source", "explanation"),
}
# P1: G on 1-3 and 8-9 September 2025 (10 sessions), present otherwise; P2 always present.
G_DAYS = {1, 2, 3, 8, 9}


@pytest.fixture
def marks(tmp_path: Path) -> Path:
    builder = RegisterBuilder()
    for session in CALENDAR.sessions(dt.date(2025, 9, 1), dt.date(2025, 9, 26)):
        present = "/" if session.part.value == "AM" else "\\"
        builder.add("P1", session, "G" if session.date.day in G_DAYS else present)
        builder.add("P2", session, present)
    path = tmp_path / "marks.csv"
    write_marks_csv(builder.build(), path)
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main(["check", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_table_lists_each_finding(marks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, marks, "--calendar", CALENDAR_FILE, "--rule", "watch-list")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "RULE",
        "PUPIL",
        "SEVERITY",
        "FIGURE",
        "THRESHOLD",
        "STEP",
        "EXPLANATION",
    ]
    assert lines[1].split()[:6] == ["watch-list", "P1", "watch", "75.0%", "90.0%", "-"]
    assert lines[-1] == "1 finding"


def test_json_is_the_library_answer_and_reads_back(
    marks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = cli(capsys, marks, "--calendar", CALENDAR_FILE, "--format", "json")
    assert status == 0
    data = json.loads(out)
    pa = next(d for d in data if d["rule"] == "persistent-absence")
    assert (pa["pupil_id"], pa["as_of"], pa["severity"]) == ("P1", "2025-09-26", "action")
    assert (pa["figure"], pa["figure_exact"]) == (0.25, "1/4")
    assert (pa["threshold"], pa["threshold_exact"]) == (0.1, "1/10")
    assert pa["evidence"][0] == {"date": "2025-09-01", "session": "AM", "code": "G"}
    assert set(pa) >= ISSUE_FIELDS
    assert tuple(pa) == CSV_COLUMNS  # JSON and CSV carry the same fields in the same order
    penalty = next(d for d in data if d["rule"] == "penalty-notice-threshold")
    assert (penalty["figure"], penalty["figure_exact"], penalty["threshold"]) == (10, None, 10)
    expected = check(
        read_marks_csv(marks), CALENDAR, plugin_manager=make_plugin_manager(load_entrypoints=False)
    )
    assert findings_from_json(out) == expected
    assert findings_to_json(findings_from_json(out)) == out


def test_csv_has_a_header_and_one_line_per_finding(
    marks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = cli(
        capsys,
        marks,
        "--calendar",
        CALENDAR_FILE,
        "--format",
        "csv",
        "--rule",
        "persistent-absence",
    )
    assert status == 0
    header, row = out.splitlines()
    assert header.startswith("rule,pupil_id,as_of,severity,figure,figure_exact,threshold,")
    assert row.startswith("persistent-absence,P1,2025-09-26,action,0.25,1/4,0.1,1/10,")


def test_as_of_and_output_file(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    status, out, _ = cli(
        capsys,
        marks,
        "--calendar",
        CALENDAR_FILE,
        "--as-of",
        "2025-09-05",
        "--rule",
        "penalty-notice-threshold",
        "--format",
        "json",
        "--output",
        target,
    )
    assert (status, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8")) == []


def test_notices_and_enrolments(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notices = tmp_path / "notices.csv"
    notices.write_text(
        "parent_id,pupil_id,issued,status,sessions\n"
        "M1,P1,2024-03-01,paid,\n"
        "M1,P1,2025-01-10,prosecuted,2025-01-06 AM; 2025-01-06 PM\n",
        encoding="utf-8",
    )
    enrolments = tmp_path / "enrolments.csv"
    enrolments.write_text(
        "pupil_id,school_id,admission_date,leaving_date\nP1,S,2025-09-01,\nP2,S,2025-09-01,2025-09-19\n",
        encoding="utf-8",
    )
    status, out, _ = cli(
        capsys,
        marks,
        "--calendar",
        CALENDAR_FILE,
        "--notices",
        notices,
        "--enrolments",
        enrolments,
        "--format",
        "json",
        "--rule",
        "penalty-notice-threshold",
        "--rule",
        "look-ahead",
    )
    assert status == 0
    data = {(d["rule"], d["pupil_id"]): d for d in json.loads(out)}
    penalty = data[("penalty-notice-threshold", "P1")]
    assert penalty["details"]["notices"] == {"M1": {"in_period": 2, "next": "none"}}
    assert "no notice possible" in penalty["explanation"]
    assert data[("look-ahead", "P2")]["details"]["remaining_sessions"] == 0


def test_policy_file_sets_thresholds(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[bands]\nwatch_list_below = 100\n\n[escalation]\nladder = ["letter 1"]\nby_severity = { watch = "letter 1" }\n',
        encoding="utf-8",
    )
    status, out, _ = cli(
        capsys,
        marks,
        "--calendar",
        CALENDAR_FILE,
        "--policy",
        policy,
        "--rule",
        "watch-list",
        "--format",
        "json",
    )
    assert status == 0
    found = json.loads(out)
    assert [(d["pupil_id"], d["threshold_exact"]) for d in found] == [("P1", "1/1")]
    assert found[0]["details"]["escalation"]["step"] == "letter 1"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(["--rule", "persistant-absence"], "unknown rule", id="unknown-rule"),
        pytest.param(["--as-of", "2025-09-31"], "not a date", id="bad-as-of"),
        pytest.param(["--as-of", "2027-03-01"], "no school days", id="as-of-outside-calendar"),
        pytest.param(["--notices", "BAD"], "notices.csv:2", id="bad-notice-status"),
        pytest.param(["--enrolments", "BAD"], "enrolments.csv:2", id="bad-enrolment-date"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    (tmp_path / "notices.csv").write_text(
        "parent_id,pupil_id,issued,status\nM1,P1,2025-01-10,cancelled\n", encoding="utf-8"
    )
    (tmp_path / "enrolments.csv").write_text(
        "pupil_id,school_id,admission_date\nP1,S,01/09/2025\n", encoding="utf-8"
    )
    extra = [
        str(tmp_path / ("notices.csv" if "--notices" in extra else "enrolments.csv"))
        if x == "BAD"
        else x
        for x in extra
    ]
    target = tmp_path / "out.json"
    status, out, err = cli(capsys, marks, "--calendar", CALENDAR_FILE, "--output", target, *extra)
    assert status == 2
    assert out == ""
    assert message in err
    assert len(err.splitlines()) == 1
    assert not target.exists()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param([], ["P1", "P2"], id="whole-day-registers-closed"),
        pytest.param(["--as-of-session", "AM"], ["P1", "P2"], id="morning"),
        pytest.param(["--as-of-session", "PM"], ["P2"], id="afternoon"),
        pytest.param(["--as-of-session", "AM", "--as-of-time", "09:09"], ["P1"], id="before-close"),
        pytest.param(
            ["--as-of-session", "AM", "--as-of-time", "09:10"], ["P1", "P2"], id="at-close"
        ),
    ],
)
def test_first_day_contact_as_of_session_and_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: list[str]
) -> None:
    # 26 September 2025; the calendar's morning register closes at 09:10. P1: N in the morning,
    # present in the afternoon; P2: no morning mark, N in the afternoon; P3: present all day.
    builder = RegisterBuilder()
    am, pm = CALENDAR.sessions(dt.date(2025, 9, 26), dt.date(2025, 9, 26))
    builder.add("P1", am, "N")
    builder.add("P1", pm, "\\")
    builder.add("P2", pm, "N")
    builder.add("P3", am, "/")
    builder.add("P3", pm, "\\")
    path = tmp_path / "marks.csv"
    write_marks_csv(builder.build(), path)
    roll = tmp_path / "enrolments.csv"
    roll.write_text("pupil_id,admission_date\nP1,2025-09-01\nP2,2025-09-01\nP3,2025-09-01\n")
    args: list[str | Path] = ["--calendar", CALENDAR_FILE, "--rule", "first-day-contact"]
    args += ["--format", "json", "--enrolments", roll]
    status, out, err = cli(capsys, path, *args, *extra)
    assert (status, err) == (0, "")
    assert [f["pupil_id"] for f in json.loads(out)] == expected


WITHOUT_ROLL = (
    "attendance-core check: warning: no --enrolments, so every pupil in the marks file is taken "
    "to be on roll ({}): give --enrolments FILE.csv\n"
)
FIRST_DAY = "first-day-contact lists leavers and later joiners as 'No mark'"
MISSING = "missing-marks looks only between each pupil's first and last marks"
LOOK_AHEAD = "look-ahead counts every session to 31 July"
OUTSIDE = "marks-outside-enrolment finds nothing"


@pytest.mark.parametrize(
    ("rules", "warning"),
    [
        pytest.param(
            [], WITHOUT_ROLL.format(f"{FIRST_DAY}; {MISSING}; {LOOK_AHEAD}; {OUTSIDE}"), id="all"
        ),
        pytest.param(["first-day-contact"], WITHOUT_ROLL.format(FIRST_DAY), id="first-day"),
        pytest.param(["missing-marks"], WITHOUT_ROLL.format(MISSING), id="missing-marks"),
        pytest.param(
            ["look-ahead", "watch-list"], WITHOUT_ROLL.format(LOOK_AHEAD), id="look-ahead"
        ),
        pytest.param(
            ["marks-outside-enrolment"], WITHOUT_ROLL.format(OUTSIDE), id="outside-enrolment"
        ),
        pytest.param(["watch-list", "persistent-absence"], "", id="rules-without-roll-dates"),
    ],
)
def test_rules_needing_roll_dates_warn_once_without_enrolments(
    marks: Path, capsys: pytest.CaptureFixture[str], rules: list[str], warning: str
) -> None:
    chosen = [arg for rule in rules for arg in ("--rule", rule)]
    status, out, err = cli(capsys, marks, "--calendar", CALENDAR_FILE, *chosen)
    assert (status, err) == (0, warning)
    assert out.endswith("findings\n") or out.endswith("finding\n")


def test_with_enrolments_there_is_no_warning(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roll = tmp_path / "enrolments.csv"
    roll.write_text("pupil_id,admission_date\nP1,2025-09-01\nP2,2025-09-01\n")
    status, _, err = cli(capsys, marks, "--calendar", CALENDAR_FILE, "--enrolments", roll)
    assert (status, err) == (0, "")


def test_the_demo_schools_enrolments_keep_leavers_and_joiners_off_the_phone_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo writes its roll dates; with them first-day-contact lists pupils on roll only."""
    marks, roll = tmp_path / "school.csv", tmp_path / "enrolments.csv"
    assert (
        main(
            [
                "demo",
                "--pupils",
                "300",
                "--seed",
                "4",
                "--write-csv",
                str(marks),
                "--write-enrolments",
                str(roll),
            ]
        )
        == 0
    )
    capsys.readouterr()
    day = "2025-12-03"
    first_day: list[str | Path] = ["--calendar", CALENDAR_FILE, "--rule", "first-day-contact"]
    first_day += ["--as-of", day]
    _, without, err = cli(capsys, marks, *first_day, "--format", "json")
    assert err == WITHOUT_ROLL.format(FIRST_DAY)
    status, with_roll, err = cli(
        capsys, marks, *first_day, "--format", "json", "--enrolments", roll
    )
    assert (status, err) == (0, "")
    enrolments = read_enrolments_csv(roll)
    listed = {f["pupil_id"] for f in json.loads(with_roll)}
    off_roll = {p for p in {f["pupil_id"] for f in json.loads(without)} if p not in listed}
    assert listed
    assert off_roll
    assert all(enrolments[p].on_roll(dt.date(2025, 12, 3)) for p in listed)
    assert not any(enrolments[p].on_roll(dt.date(2025, 12, 3)) for p in off_roll)


def test_a_bad_as_of_time_exits_2(marks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, marks, "--calendar", CALENDAR_FILE, "--as-of-time", "9.10")
    assert (status, out) == (2, "")
    assert "not a time of day" in err
    assert len(err.splitlines()) == 1


def test_the_policy_can_name_the_calendar(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(f"[calendar]\nfile = {json.dumps(str(CALENDAR_FILE))}\n", encoding="utf-8")
    named = cli(capsys, marks, "--policy", policy, "--format", "json")
    given = cli(capsys, marks, "--calendar", CALENDAR_FILE, "--format", "json")
    assert named == given
    assert named[0] == 0


BAD_FILES = {
    "marks.csv": "pupil_id,date,session,code\nP1,2025-09-01,AM,/\nP1,2025-09-01,PM,QQ\n",
    "header-only.csv": "pupil_id,date,session,code\n",
    "calendar.toml": 'name = "x"\n[[years]\n',
    "policy.toml": '[thresholds]\npersistent_absence = "ten"\n',
}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["bad/marks.csv"], "marks.csv:3: field 'code'", id="unknown-code-in-marks"),
        pytest.param(["bad/none.csv"], "none.csv: cannot read", id="no-marks-file"),
        pytest.param(["bad/header-only.csv"], "header-only.csv:2: no marks", id="no-marks"),
        pytest.param(["--calendar", "bad/calendar.toml"], "not valid TOML", id="bad-calendar"),
        pytest.param(["--calendar", "bad/none.toml"], "none.toml", id="no-calendar-file"),
        pytest.param(["--policy", "bad/policy.toml"], "persistent_absence", id="bad-policy"),
        pytest.param(["--policy", "bad/none.toml"], "none.toml", id="no-policy-file"),
        pytest.param(["--format", "xml"], "invalid choice: 'xml'", id="bad-format"),
    ],
)
def test_every_bad_file_or_option_exits_2_and_writes_nothing(
    marks: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    """Whichever input is bad, the run stops before any output: status 2, nothing written."""
    (tmp_path / "bad").mkdir()
    for name, text in BAD_FILES.items():
        (tmp_path / "bad" / name).write_text(text, encoding="utf-8")
    args = [str(tmp_path / a) if a.startswith("bad/") else a for a in argv]
    if not args[0].endswith(".csv"):
        args = [str(marks), *args]
    if "--calendar" not in args:
        args += ["--calendar", str(CALENDAR_FILE)]
    target = tmp_path / "out.txt"
    status: int | str | None
    try:
        status = main(["check", *args, "--output", str(target)])
    except SystemExit as stop:  # argparse refuses a bad choice itself
        status = stop.code
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert message in err
    assert not target.exists()


def test_no_calendar_at_all_exits_2(marks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, marks)
    assert (status, out) == (2, "")
    assert "no calendar" in err
    assert len(err.splitlines()) == 1


class _Closed8September:
    """A school plugin: closed on Monday 8 September 2025, a day P1 is coded G."""

    @hookimpl
    def attendance_core_adjust_calendar(self, calendar: SchoolCalendar) -> CalendarAdjustment:
        day = dt.date(2025, 9, 8)
        return CalendarAdjustment(closures=(Closure(day, day, "#", "Polling station"),))


@pytest.mark.parametrize(
    ("plugins", "expected"),
    [
        pytest.param([], [], id="calendar-as-written"),
        pytest.param(
            [_Closed8September()],
            [("2025-09-08", "AM", "P1; P2"), ("2025-09-08", "PM", "P1; P2")],
            id="plugin-closure-applied",
        ),
    ],
)
def test_plugins_adjust_the_calendar_given(
    marks: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    plugins: Sequence[object],
    expected: list[tuple[str, str, str]],
) -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=plugins)
    monkeypatch.setattr("attendance_core.school.make_plugin_manager", lambda names=(): manager)
    args: list[str | Path] = ["--calendar", CALENDAR_FILE, "--rule", "marks-on-non-school-days"]
    args += ["--format", "json"]
    status, out, _ = cli(capsys, marks, *args)
    assert status == 0
    found = json.loads(out)
    got = [
        (f["evidence"][0]["date"], f["evidence"][0]["session"], "; ".join(f["details"]["pupils"]))
        for f in found
    ]
    assert got == expected


def test_readme_check_example_gives_enrolments_and_warns_of_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("attendance-core check docs/examples/marks.csv")
    command = readme[start : readme.index("\n", readme.index("--enrolments", start))]
    argv = command.split("#")[0].replace("\\\n", " ").split()[1:]
    assert "--enrolments" in argv
    monkeypatch.chdir(DOCS.parent)
    status, out, err = cli(capsys, *argv[1:])
    assert (status, err) == (0, "")
    assert out.startswith("rule,pupil_id,as_of,")


class _GCountsPresent:
    """A plugin code set: England's 2024 codes, except G is a present mark."""

    @hookimpl
    def attendance_core_code_sets(self) -> Sequence[CodeSet]:
        codes = tuple(
            attrs.evolve(code, category=Category.PRESENT) if code.code == "G" else code
            for code in ENGLAND_2024
        )
        return (CodeSet("g-present", "Test", "test", None, None, codes),)


def test_a_plugin_code_set_the_policy_forces_reads_the_marks(
    marks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As summary and report do: check refused a plugin's code set as 'unknown code set'."""
    manager = make_plugin_manager(load_entrypoints=False, plugins=[_GCountsPresent()])
    monkeypatch.setattr("attendance_core.school.make_plugin_manager", lambda names=(): manager)
    policy = tmp_path / "policy.toml"
    policy.write_text('[codes]\ncode_set = "g-present"\n', encoding="utf-8")
    args: list[str | Path] = ["--calendar", CALENDAR_FILE, "--rule", "watch-list"]
    args += ["--format", "json"]
    status, out, err = cli(capsys, marks, *args, "--policy", policy)
    assert (status, err, json.loads(out)) == (0, "", [])  # P1's G days count as present
    status, out, _ = cli(capsys, marks, *args)
    assert [f["pupil_id"] for f in json.loads(out)] == ["P1"]  # England's G: 75% attendance
