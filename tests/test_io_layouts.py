"""Marks exports in every layout read into the same register as our own long CSV."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from attendance_core import AttendanceError, InputError, read_school
from attendance_core.cli import main
from attendance_core.io.dates import decide_date_format
from attendance_core.io.layouts import LAYOUTS, parse_column_map, read_marks
from attendance_core.io.marks_csv import write_marks_csv
from attendance_core.register import NO_MARK, Register
from attendance_core.rules.statistics import register_summaries
from attendance_core.testing import registers

EXPORTS = Path(__file__).resolve().parents[1] / "docs/examples/exports"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _cells(register: Register) -> dict[tuple[str, dt.date, str], str]:
    """Each mark's code as written, by pupil, date and session ("" for no mark)."""
    found = {}
    for pupil, row in zip(register.pupil_ids, register.rows, strict=True):
        for session, value in zip(register.sessions, row, strict=True):
            code = register.written_code(value) if value != NO_MARK else ""
            found[pupil, session.date, session.part.value] = code
    return found


def _minutes(register: Register) -> dict[tuple[str, dt.date, str], int]:
    return {
        (register.pupil_ids[row], register.sessions[col].date, register.sessions[col].part.value): m
        for (row, col), m in register.minutes_late.items()
    }


def long_uk(register: Register) -> list[list[str]]:
    rows = [["Adno", "Date", "AM/PM", "Mark", "Mins Late"]]
    for index, (pupil, row) in enumerate(zip(register.pupil_ids, register.rows, strict=True)):
        for col, value in enumerate(row):
            if value != NO_MARK:
                session = register.sessions[col]
                late = register.minutes_late.get((index, col))
                code = register.written_code(value)
                rows.append([pupil, _uk(session.date), session.part.value, code, str(late or "")])
    return rows


def daily(register: Register) -> list[list[str]]:
    cells = _cells(register)
    days = sorted({s.date for s in register.sessions})
    rows = [["UPN", "Date", "AM", "PM"]]
    for pupil in register.pupil_ids:
        for day in days:
            rows.append(
                [
                    pupil,
                    _uk(day),
                    cells.get((pupil, day, "AM"), ""),
                    cells.get((pupil, day, "PM"), ""),
                ]
            )
    return rows


def weekly(register: Register) -> list[list[str]]:
    cells = _cells(register)
    mondays = sorted({s.date - dt.timedelta(days=s.date.weekday()) for s in register.sessions})
    header = ["StudentId", "Week Beginning", *(f"{d}{p}" for d in WEEKDAYS for p in ("AM", "PM"))]
    rows = [header]
    for pupil in register.pupil_ids:
        for monday in mondays:
            marks = [
                cells.get((pupil, monday + dt.timedelta(days=offset), part), "")
                for offset in range(7)
                for part in ("AM", "PM")
            ]
            rows.append([pupil, _uk(monday), *marks])
    return rows


def grid(register: Register) -> list[list[str]]:
    cells = _cells(register)
    header = ["Adno"] + [
        f"{s.date.strftime('%a')} {_uk(s.date)} {s.part.value}" for s in register.sessions
    ]
    rows = [header]
    for pupil in register.pupil_ids:
        rows.append(
            [pupil] + [cells.get((pupil, s.date, s.part.value), "") for s in register.sessions]
        )
    return rows


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


WRITERS: dict[str, Callable[[Register], list[list[str]]]] = {
    "long": long_uk,
    "daily": daily,
    "weekly": weekly,
    "grid": grid,
}


def _plain_ids(register: Register) -> bool:
    """Pupil ids an export can hold as they are: no surrounding spaces, none a formula."""
    return all(
        p == p.strip() and p and not p.startswith(("=", "+", "-", "@")) for p in register.pupil_ids
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    register=registers(pupils=4, sessions=12, minutes_late=True),
    layout=st.sampled_from(sorted(WRITERS)),
)
def test_every_layout_reads_the_same_register_as_the_long_csv(
    register: Register, layout: str, tmp_path: Path
) -> None:
    assume(register.pupil_ids and _plain_ids(register))
    if layout != "long":
        register = Register(
            register.sessions,
            register.pupil_ids,
            register.alphabet,
            register.rows,
            {},
            register.written,
        )
    canonical = tmp_path / "canonical.csv"
    write_marks_csv(register, canonical)
    export = read_marks(_write_csv(tmp_path / f"{layout}.csv", WRITERS[layout](register)))
    assert export.layout == layout
    assert register_summaries(export.register) == register_summaries(read_marks(canonical).register)
    read = {k: v for k, v in _cells(export.register).items() if v}
    assert read == {k: v for k, v in _cells(register).items() if v}
    assert _minutes(export.register) == _minutes(register)


@pytest.mark.parametrize("layout", sorted(WRITERS))
def test_a_spreadsheet_reads_as_its_csv(layout: str, tmp_path: Path) -> None:
    register = read_marks(EXPORTS / "long.csv").register
    rows = WRITERS[layout](register)
    from_csv = read_marks(_write_csv(tmp_path / "marks.csv", rows))
    from_sheet = read_marks(_write_xlsx(tmp_path / "marks.xlsx", rows))
    assert register_summaries(from_sheet.register) == register_summaries(from_csv.register)
    assert from_sheet.unmarked == from_csv.unmarked


@pytest.mark.parametrize("name", ["long.csv", "daily.csv", "weekly.csv", "grid.csv", "daily.xlsx"])
def test_the_shipped_examples_give_the_same_figures(name: str) -> None:
    figures = {
        p: (s.possible_sessions, s.authorised_absence, s.unauthorised_absence)
        for p, s in read_school(EXPORTS / name).summaries().items()
    }
    assert figures == {"1001": (9, 2, 0), "1002": (9, 1, 3)}


def test_parquet_long_marks_read_as_the_csv(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = long_uk(read_marks(EXPORTS / "long.csv").register)
    table = pa.table({name: [r[i] for r in rows[1:]] for i, name in enumerate(rows[0])})
    pq.write_table(table, tmp_path / "marks.parquet")
    read = read_marks(tmp_path / "marks.parquet")
    assert register_summaries(read.register) == register_summaries(
        read_marks(EXPORTS / "long.csv").register
    )


def test_the_canonical_csv_still_reads_fast_and_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "marks.csv"
    source.write_text(
        "pupil_id,date,session,code\nA,2025-09-08,AM,/\nA,2025-09-08,PM,\\\n", "utf-8"
    )
    export = read_marks(source)
    target = tmp_path / "back.csv"
    write_marks_csv(export.register, target)
    assert target.read_bytes() == source.read_bytes()


def _error(path: Path, text: str, **options: object) -> str:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_marks(path, **options)  # type: ignore[arg-type]
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        (
            "Name,Form\nAva,7S\n",
            {},
            "1: unrecognised marks layout (got 'Name, Form'); expected one of the layouts (long:",
        ),
        (
            "Adno,Date,AM,PM\n1,2025-09-08,/,\\\n1,09/09/2025,/,\\\n",
            {},
            "field 'Date': the file mixes ISO and day/month dates",
        ),
        (
            "Adno,Date,AM,PM\n1,13/09/2025,/,\\\n1,09/28/2025,/,\\\n",
            {},
            "neither all day-first nor all month-first",
        ),
        (
            "Adno,Week Beginning,MonAM\n1,09/09/2025,/\n",
            {},
            "2: field 'Week Beginning': the week does not start on a Monday",
        ),
        (
            "Adno,Tue 08/09/2025 AM\n1,/\n",
            {},
            "1: field 'Tue 08/09/2025 AM': the weekday does not match the date",
        ),
        (
            "Adno,Date,AM,PM\n1,08/09/2025,/,\\\n1,08/09/2025,/,\\\n",
            {},
            "3: field 'AM': two marks for the same pupil and session",
        ),
        (
            "Adno,Date,AM,PM\n1,08/09/2025,Q9,\\\n",
            {},
            "2: field 'AM': unknown attendance code in code set 'england-2024' (got 'Q9')",
        ),
        ("Adno,Date,AM,PM\n,08/09/2025,/,\\\n", {}, "2: field 'Adno': no pupil id"),
        ("Adno,Date,AM,PM\n1,08/09/2025,/\n", {}, "2: wrong number of fields (got 3)"),
        (
            "Adno,Date,Session,Mark\n1,08/09/2025,am,/\n",
            {},
            "2: field 'Session': not a session (got 'am'); expected AM or PM",
        ),
        (
            "pupil_id,date,code\nA,2025-09-08,/\n",
            {},
            "1: field 'session': missing column for the long layout",
        ),
        ("Adno,Date,Session,Mark\n", {}, "2: no marks; expected at least one mark"),
        (
            "A,B\n1,2\n",
            {"columns": {"pupil": "A"}},
            "field '--columns': unknown column role (got 'pupil')",
        ),
        (
            "A,B\n1,2\n",
            {"columns": {"pupil_id": "C"}},
            "1: field '--columns': no such column (got 'C')",
        ),
        (
            "Adno,Date,AM,PM\n1,08/09/2025,L,\\\n",
            {"layout": "long"},
            "field 'session': missing column for the long layout",
        ),
    ],
    ids=[
        "unrecognised",
        "mixed-dates",
        "both-ways",
        "week-not-monday",
        "weekday-mismatch",
        "two-marks",
        "unknown-code",
        "no-pupil",
        "short-row",
        "lower-case-session",
        "long-missing-column",
        "no-marks",
        "unknown-role",
        "no-such-column",
        "layout-forced",
    ],
)
def test_bad_exports_name_file_line_field_and_value(
    tmp_path: Path, text: str, options: dict[str, object], expected: str
) -> None:
    message = _error(tmp_path / "marks.csv", text, **options)
    assert message.startswith(str(tmp_path / "marks.csv"))
    assert expected in message


def test_an_unrecognised_header_lists_every_layout(tmp_path: Path) -> None:
    message = _error(tmp_path / "marks.csv", "Name\nAva\n")
    for layout, columns in LAYOUTS.items():
        assert f"{layout}: {columns}" in message


def test_a_row_is_never_echoed_whole(tmp_path: Path) -> None:
    message = _error(
        tmp_path / "marks.csv",
        "Adno,Surname,Date of Birth,Date,AM,PM\n1,Secretname,2012-01-02,08/09/2025,Z9,\\\n",
    )
    assert "Secretname" not in message
    assert "2012-01-02" not in message


def test_spreadsheet_errors_name_sheet_row_and_column(tmp_path: Path) -> None:
    path = _write_xlsx(
        tmp_path / "marks.xlsx", [["Adno", "Date", "AM", "PM"], ["1", "08/09/2025", "/", "Q9"]]
    )
    with pytest.raises(InputError) as caught:
        read_marks(path)
    assert str(caught.value).startswith(f"{path} (sheet 'Sheet'):2: field 'PM (column D)': unknown")


def test_a_formula_without_a_cached_value_is_refused(tmp_path: Path) -> None:
    path = _write_xlsx(
        tmp_path / "marks.xlsx",
        [["Adno", "Date", "AM", "PM"], ["1", "08/09/2025", "/", '=IF(1,"/","\\\\")']],
    )
    with pytest.raises(InputError, match=r":2: field 'column D': a formula with no cached value"):
        read_marks(path)


def test_unmarked_sessions_are_counted_in_no_category(tmp_path: Path) -> None:
    path = tmp_path / "marks.csv"
    path.write_text("Adno,Date,AM,PM\n1,08/09/2025,/,-\n2,08/09/2025,,\\\n", encoding="utf-8")
    export = read_marks(path)
    assert dict(export.unmarked) == {"1": 1, "2": 1}
    summaries = register_summaries(export.register)
    assert [s.possible_sessions for s in summaries.values()] == [1, 1]


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("Adno,DateAMP\n/\\-0123456789 LI")), max_size=200)
)
def test_any_text_gives_a_register_or_an_input_error(text: str) -> None:
    path = Path(tempfile.mkdtemp()) / "marks.csv"
    path.write_text("Adno,Date,AM,PM\n" + text, encoding="utf-8")
    with contextlib.suppress(AttendanceError):  # anything else fails the test
        read_marks(path)


@given(st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), min_size=1, max_size=20))
def test_uk_dates_are_always_read_day_first(days: list[dt.date]) -> None:
    assert decide_date_format([_uk(d) for d in days], file="f") == "dmy"
    assert decide_date_format([d.isoformat() for d in days], file="f") == "iso"


def test_column_maps_parse_and_refuse_what_is_not_a_pair() -> None:
    assert parse_column_map("pupil_id=Adno, date=Date") == {"pupil_id": "Adno", "date": "Date"}
    with pytest.raises(InputError, match="not a name=column pair"):
        parse_column_map("pupil_id")


def test_commands_print_one_note_for_unused_columns_and_unmarked_sessions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["summary", str(EXPORTS / "grid.csv"), "--format", "json"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "attendance-core summary: note: columns not used: Name (--attributes name=Column keeps one as a pupil attribute)",
        "attendance-core summary: note: 2 sessions not yet marked (blank or -), counted in no category",
    ]


def test_a_bad_export_on_the_command_line_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "marks.csv"
    path.write_text("Name\nAva\n", encoding="utf-8")
    assert (
        main(
            [
                "check",
                str(path),
                "--calendar",
                str(EXPORTS.parent / "calendars/kent-example-academy.toml"),
            ]
        )
        == 2
    )
    out, err = capsys.readouterr()
    assert out == ""
    assert "unrecognised marks layout" in err
    assert "Traceback" not in err


def test_the_missing_marks_rule_lists_a_session_not_yet_marked(tmp_path: Path) -> None:
    from attendance_core import check

    roll = tmp_path / "roll.csv"
    roll.write_text("pupil_id,admission_date\n1001,2025-09-08\n1002,2025-09-08\n", "utf-8")
    school = read_school(
        EXPORTS / "weekly.csv",
        calendar=EXPORTS.parent / "calendars/kent-example-academy.toml",
        enrolments=roll,
    )
    found = check(school, as_of=dt.date(2025, 9, 12), rules=["missing-marks"])
    assert [(f.evidence[0].session.date, f.evidence[0].session.part.value) for f in found] == [
        (dt.date(2025, 9, 12), "PM")
    ]
