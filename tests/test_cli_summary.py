"""``attendance-core summary``: DfE's figures per pupil and pooled, in three formats."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from attendance_core import summarise
from attendance_core.cli import main
from attendance_core.cli.summary import format_percent
from attendance_core.codes import AttendanceCode, CodeSet
from attendance_core.hookspecs import hookimpl
from attendance_core.plugins import make_plugin_manager
from attendance_core.rules.statistics import (
    SESSION_TOTALS,
    AttendanceSummary,
    MarkLike,
)

MARKS: dict[str, list[MarkLike]] = {
    "A1": [
        ("2025-09-08", "AM", "/"),
        ("2025-09-08", "PM", "\\"),
        ("2025-09-09", "AM", "L", 7),
        ("2025-09-09", "PM", "I"),
        ("2025-09-10", "AM", "V"),
        ("2025-09-10", "PM", "#"),
    ],
    "B2": [
        ("2025-09-08", "AM", "O"),
        ("2025-09-08", "PM", "N"),
        ("2025-09-09", "AM", "U", 35),
        ("2025-09-09", "PM", "/"),
    ],
    "C3": [("2025-09-08", "AM", "X"), ("2025-09-08", "PM", "X")],
}
"""Three enrolments: one attending, one severely absent, one with no possible sessions."""

PUPIL_KEYS = [
    "pupil_id",
    *SESSION_TOTALS,
    "sessions_by_code",
    "attendance_rate",
    "overall_absence_rate",
    "authorised_absence_rate",
    "unauthorised_absence_rate",
    "persistent_absence",
    "severe_absence",
]
TOTAL_KEYS = [
    *SESSION_TOTALS,
    "sessions_by_code",
    "attendance_rate",
    "overall_absence_rate",
    "authorised_absence_rate",
    "unauthorised_absence_rate",
    "enrolments",
    "enrolments_without_possible",
    "persistent_absentees",
    "severe_absentees",
    "persistent_absence_rate",
    "severe_absence_rate",
]


@pytest.fixture
def marks_csv(tmp_path: Path) -> Path:
    lines = ["pupil_id,date,session,code,minutes_late"]
    for pupil, marks in MARKS.items():
        for mark in marks:
            assert isinstance(mark, tuple)
            minutes = mark[3] if len(mark) == 4 else ""
            lines.append(f"{pupil},{mark[0]},{mark[1]},{mark[2]},{minutes}")
    path = tmp_path / "marks.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected(pupil: str) -> AttendanceSummary:
    return summarise(MARKS[pupil])


def as_float(rate: Fraction | None) -> float | None:
    return None if rate is None else float(rate)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["summary", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_has_exactly_the_documented_keys_and_summarise_values(
    marks_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, str(marks_csv), "--format", "json")
    assert (status, err) == (0, "")
    document: dict[str, Any] = json.loads(out)
    assert list(document) == ["pupils", "total"]
    assert [p["pupil_id"] for p in document["pupils"]] == list(MARKS)
    for record in document["pupils"]:
        assert list(record) == PUPIL_KEYS
        summary = expected(record["pupil_id"])
        for name in SESSION_TOTALS:
            assert record[name] == getattr(summary, name), name
        assert record["sessions_by_code"] == summary.sessions_by_code
        assert record["attendance_rate"] == as_float(summary.attendance_rate)
        assert record["overall_absence_rate"] == as_float(summary.overall_absence_rate)
        assert record["authorised_absence_rate"] == as_float(summary.authorised_absence_rate)
        assert record["unauthorised_absence_rate"] == as_float(summary.unauthorised_absence_rate)
        assert record["persistent_absence"] is summary.persistent_absence
        assert record["severe_absence"] is summary.severe_absence


def test_json_total_pools_sessions_and_leaves_out_enrolments_without_possible(
    marks_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    total = json.loads(run(capsys, str(marks_csv), "--format", "json")[1])["total"]
    assert list(total) == TOTAL_KEYS
    pooled = sum((expected(p) for p in MARKS), AttendanceSummary())
    # A1: 5 possible, 1 absent; B2: 4 possible, 3 absent; C3: none possible.
    assert (total["possible_sessions"], total["overall_absence"]) == (9, 4)
    assert total["overall_absence_rate"] == 4 / 9 == as_float(pooled.overall_absence_rate)
    assert (total["enrolments"], total["enrolments_without_possible"]) == (2, 1)
    assert (total["persistent_absentees"], total["severe_absentees"]) == (2, 1)
    assert total["persistent_absence_rate"] == 1.0
    assert total["severe_absence_rate"] == 0.5
    assert total["sessions_by_code"] == pooled.sessions_by_code


def test_enrolment_without_possible_sessions_has_null_rates(
    marks_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pupils = json.loads(run(capsys, str(marks_csv), "--format", "json")[1])["pupils"]
    c3 = pupils[2]
    assert c3["possible_sessions"] == 0
    assert c3["attendance_rate"] is None
    assert c3["overall_absence_rate"] is None
    assert (c3["persistent_absence"], c3["severe_absence"]) == (False, False)
    assert c3["sessions_by_code"] == {"X": 2}


def test_csv_has_a_row_per_pupil_and_a_total_row(
    marks_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, str(marks_csv), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert [(r["row"], r["pupil_id"]) for r in rows] == [
        ("pupil", "A1"),
        ("pupil", "B2"),
        ("pupil", "C3"),
        ("total", ""),
    ]
    b2 = rows[1]
    assert int(b2["overall_absence"]) == 3
    assert float(b2["overall_absence_rate"]) == 0.75
    assert (b2["persistent_absence"], b2["severe_absence"]) == ("true", "true")
    assert (b2["code_O"], b2["code_/"], b2["code_X"]) == ("1", "1", "0")
    assert rows[2]["attendance_rate"] == ""
    assert (rows[3]["enrolments"], rows[3]["severe_absence_rate"]) == ("2", "0.5")
    assert rows[3]["persistent_absence"] == ""


def test_table_is_aligned_with_percentages_to_one_decimal_place(
    marks_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, str(marks_csv))
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split()[:3] == ["pupil", "possible", "present"]
    a1 = next(line for line in lines if line.startswith("A1"))
    assert a1.split()[-3:] == ["80.0%", "20.0%", "yes"]
    b2 = next(line for line in lines if line.startswith("B2"))
    assert b2.split()[-4:] == ["25.0%", "75.0%", "yes", "yes"]
    total = next(line for line in lines if line.startswith("total"))
    assert total.split()[-2:] == ["55.6%", "44.4%"]
    attendance_ends = lines[0].index("attendance") + len("attendance") - 1
    assert {line.index("%") for line in (a1, b2, total)} == {attendance_ends}
    assert "persistent absentees (10% or more of possible sessions missed): 2 (100.0%)" in out
    assert "severe absentees (50% or more): 1 (50.0%)" in out
    assert "1 without, left out" in out


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [
        pytest.param(1, 3, "33.3%", id="one-third"),
        pytest.param(2, 3, "66.7%", id="two-thirds"),
        pytest.param(1, 8, "12.5%", id="exact"),
        pytest.param(1, 16, "6.3%", id="half-rounds-up"),
        pytest.param(1, 2000, "0.1%", id="half-of-a-tenth-rounds-up"),
        pytest.param(0, 7, "0.0%", id="zero"),
        pytest.param(7, 7, "100.0%", id="all"),
        pytest.param(3, 0, "-", id="no-denominator"),
    ],
)
def test_format_percent_rounds_exactly_to_one_decimal_place(
    numerator: int, denominator: int, shown: str
) -> None:
    assert format_percent(numerator, denominator) == shown


def test_output_file_holds_what_standard_output_would(
    marks_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "summary.json"
    status, out, _ = run(capsys, str(marks_csv), "--format", "json", "--output", str(target))
    assert (status, out) == (0, "")
    assert target.read_text(encoding="utf-8") == run(capsys, str(marks_csv), "--format", "json")[1]


BAD_FILES = {
    "unknown-code": b"pupil_id,date,session,code\nA,2025-09-08,AM,i\n",
    "bad-date": b"pupil_id,date,session,code\nA,31/09/2025,AM,/\n",
    "bad-session": b"pupil_id,date,session,code\nA,2025-09-08,am,/\n",
    "two-marks": b"pupil_id,date,session,code\nA,2025-09-08,AM,/\nA,2025-09-08,AM,I\n",
    "missing-column": b"pupil_id,date,code\nA,2025-09-08,/\n",
    "unexpected-column": b"pupil_id,date,session,code,surname\n",
    "minutes-on-absence": b"pupil_id,date,session,code,minutes_late\nA,2025-09-08,AM,I,5\n",
    "bad-minutes": b"pupil_id,date,session,code,minutes_late\nA,2025-09-08,AM,L,late\n",
    "wrong-field-count": b"pupil_id,date,session,code\nA,2025-09-08,AM\n",
    "undecodable": b"pupil_id,date,session,code\nA,2025-09-08,AM,\xa3\n",
    "empty": b"",
    "header-only": b"pupil_id,date,session,code\n",
}


@pytest.mark.parametrize("output_format", ["table", "json", "csv"])
@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_input_exits_2_with_one_line_and_no_output(
    name: str, output_format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / f"{name}.csv"
    source.write_bytes(BAD_FILES[name])
    target = tmp_path / "out" / "summary.txt"
    target.parent.mkdir()
    status, out, err = run(capsys, str(source), "--format", output_format, "--output", str(target))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"attendance-core summary: error: {source}:")
    assert list(target.parent.iterdir()) == []


def test_bad_input_leaves_an_existing_output_file_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(BAD_FILES["two-marks"])
    target = tmp_path / "summary.json"
    target.write_text("earlier run\n", encoding="utf-8")
    assert run(capsys, str(source), "--format", "json", "--output", str(target))[0] == 2
    assert target.read_text(encoding="utf-8") == "earlier run\n"


def test_missing_input_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(tmp_path / "nowhere.csv"))
    assert (status, out) == (2, "")
    assert "cannot read file" in err


def test_summary_run_does_not_import_holidays_or_hypothesis(marks_csv: Path) -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from attendance_core.cli import main\n"
        f"main(['summary', {str(marks_csv)!r}, '--format', 'json'])\n"
        "heavy = [m for m in ('holidays', 'hypothesis')"
        " if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr == "[]"


class _SubCodes:
    """A vendor plugin: the MIS records illness as I01."""

    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return code_set["I"] if code == "I01" else None


def test_non_statutory_codes_are_offered_to_plugins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "sub-codes.csv"
    source.write_text(
        "pupil_id,date,session,code\nA,2025-09-08,AM,I01\nA,2025-09-08,PM,/\n", encoding="utf-8"
    )
    status, _, err = run(capsys, str(source), "--format", "json")
    assert status == 2
    assert "unknown attendance code" in err

    manager = make_plugin_manager(load_entrypoints=False, plugins=[_SubCodes()])
    monkeypatch.setattr("attendance_core.school.make_plugin_manager", lambda names=(): manager)
    status, out, _ = run(capsys, str(source), "--format", "json")
    assert status == 0
    assert json.loads(out)["pupils"][0]["sessions_by_code"] == {"/": 1, "I": 1}


def test_readme_shows_the_summary_the_command_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's sample table is the command's real output, not a hand-typed copy."""
    import re

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    shown = re.search(
        r"`attendance-core summary docs/examples/marks\.csv` prints:\n\n```text\n(.*?)```",
        readme,
        flags=re.DOTALL,
    )
    assert shown is not None
    monkeypatch.chdir(root)
    status, out, _ = run(capsys, "docs/examples/marks.csv")
    assert (status, out) == (0, shown[1])


# Each bad-input kind issue 2 names, with the line, field and value its message must name.
NAMED_BAD_INPUT = [
    pytest.param("unknown-code", "2: field 'code'", "(got 'i')", id="unknown-code"),
    pytest.param("bad-date", "2: field 'date'", "(got '31/09/2025')", id="bad-date"),
    pytest.param("bad-session", "2: field 'session'", "(got 'am')", id="bad-session"),
    pytest.param("two-marks", "3: field 'session'", "(got 'A 2025-09-08 AM')", id="two-marks"),
    pytest.param(
        "missing-column", "1: field 'session'", "(got 'pupil_id,date,code')", id="missing-column"
    ),
    pytest.param("empty", "1: empty file", "", id="empty-file"),
    pytest.param("header-only", "2: no marks", "; expected at least one mark", id="no-marks"),
]


@pytest.mark.parametrize(("name", "where", "value"), NAMED_BAD_INPUT)
def test_bad_input_message_names_file_line_field_and_value(
    name: str, where: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / f"{name}.csv"
    source.write_bytes(BAD_FILES[name])
    status, out, err = run(capsys, str(source), "--format", "json")
    assert (status, out) == (2, "")
    assert err.startswith(f"attendance-core summary: error: {source}:{where}")
    assert value in err
    assert "Traceback" not in err
