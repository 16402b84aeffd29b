"""Marks CSV: what is read is written back unchanged, and every bad input is located."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path
from random import Random
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import summarise
from attendance_core.codes import ENGLAND_2006, ENGLAND_2024, AttendanceCode, CodeSet
from attendance_core.exceptions import InputError
from attendance_core.io.marks_csv import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    _Fallback,
    _Reader,
    format_marks_csv,
    read_marks_csv,
    write_marks_csv,
)
from attendance_core.model import Mark, Session
from attendance_core.register import Register
from attendance_core.rules.statistics import register_summaries

CANONICAL = "".join(
    line + "\n"
    for line in (
        "pupil_id,date,session,code,minutes_late",
        "P1,2024-07-18,AM,/,",
        "P1,2024-07-18,PM,J,",
        "P1,2025-09-08,AM,L,12",
        "P1,2025-09-08,PM,C1,",
        "P1,2025-09-09,AM,I01,",
        '"P 2, ""B""",2025-09-08,AM,U,40',
        '"P 2, ""B""",2025-09-09,PM,X,',
    )
)
"""Canonical form: pupils in first-seen order, sessions in order, a 2006 and 2024 code each."""


def vendor(code: str, code_set: CodeSet) -> AttendanceCode:
    """A vendor's sub-codes: ``I01`` and ``I02`` are illness."""
    return code_set["I"] if code in ("I01", "I02") else code_set[code]


def write(tmp_path: Path, text: str | bytes, name: str = "marks.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_bytes(text.encode("utf-8"))
    else:
        path.write_bytes(text)
    return path


def test_canonical_file_round_trips_byte_for_byte(tmp_path: Path) -> None:
    register = read_marks_csv(write(tmp_path, CANONICAL), resolve=vendor)
    assert format_marks_csv(register) == CANONICAL
    assert register.pupil_ids == ("P1", 'P 2, "B"')


def test_codes_are_kept_as_written_and_counted_as_statutory(tmp_path: Path) -> None:
    register = read_marks_csv(write(tmp_path, CANONICAL), resolve=vendor)
    marks = list(register.marks("P1"))
    assert [m.code for m in marks] == ["/", "J", "L", "C1", "I01"]
    assert marks[2].minutes_late == 12
    summary = register_summaries(register)["P1"]
    assert summary.sessions_by_code == {"/": 1, "C1": 1, "I": 1, "J": 1, "L": 1}
    assert summary == summarise(
        [m for m in marks if m.code != "I01"] + [Mark(marks[4].session, "I")]
    )


def test_code_set_follows_each_marks_date_unless_forced(tmp_path: Path) -> None:
    register = read_marks_csv(write(tmp_path, CANONICAL), resolve=vendor)
    by_date = {s.date: code for s, code in zip(register.sessions, register.rows[0], strict=False)}
    assert register.alphabet[by_date[dt.date(2024, 7, 18)] - 1].code_set == ENGLAND_2006.id
    forced = read_marks_csv(
        write(tmp_path, "pupil_id,date,session,code\nP1,2024-07-18,AM,C1\n"),
        code_set="england-2024",
    )
    assert forced.alphabet[0] == ENGLAND_2024["C1"]
    with pytest.raises(InputError) as error:
        read_marks_csv(write(tmp_path, CANONICAL), code_set="england-2024", resolve=vendor)
    assert (error.value.line, error.value.field, error.value.value) == (3, "code", "J")


def test_any_layout_reads_to_the_same_register(tmp_path: Path) -> None:
    canonical = read_marks_csv(write(tmp_path, CANONICAL), resolve=vendor)
    header, *lines = CANONICAL.splitlines()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "minutes_late", "date", "session", "pupil_id"])
    for pupil, date, part, code, minutes in csv.reader(lines):
        writer.writerow([code, minutes, date, part, pupil])
    reordered_columns = buffer.getvalue()
    variants = {
        "bom-crlf": "\ufeff" + CANONICAL.replace("\n", "\r\n"),
        "sessions-reversed": "\n".join([header, *lines[4::-1], *lines[:4:-1]]) + "\n",
        "blank-lines-and-spaces": CANONICAL.replace(",/,", ", / ,").replace(
            "\nP1,2025", "\n\nP1,2025"
        ),
        "columns-reordered": reordered_columns,
        "no-final-newline": CANONICAL.rstrip("\n"),
    }
    for name, text in variants.items():
        register = read_marks_csv(write(tmp_path, text, f"{name}.csv"), resolve=vendor)
        assert register == canonical, name
        assert format_marks_csv(register) == CANONICAL, name


def test_grouped_and_line_by_line_reading_agree_when_pupils_are_interleaved(
    tmp_path: Path,
) -> None:
    grouped = (
        "pupil_id,date,session,code\nA,2025-09-08,AM,/\nA,2025-09-08,PM,I\nB,2025-09-08,AM,N\n"
    )
    interleaved = (
        "pupil_id,date,session,code\nA,2025-09-08,AM,/\nB,2025-09-08,AM,N\nA,2025-09-08,PM,I\n"
    )
    assert read_marks_csv(write(tmp_path, grouped, "g.csv")) == read_marks_csv(
        write(tmp_path, interleaved, "i.csv")
    )


def test_one_mark_is_enough(tmp_path: Path) -> None:
    """The smallest file read: a header and one mark (a header alone is an error, in BAD)."""
    register = read_marks_csv(write(tmp_path, "pupil_id,date,session,code\nA,2025-09-08,AM,/\n"))
    assert (len(register), [str(s) for s in register.sessions]) == (1, ["2025-09-08 AM"])


def test_write_to_path_and_stream(tmp_path: Path) -> None:
    register = read_marks_csv(write(tmp_path, CANONICAL), resolve=vendor)
    stream = io.StringIO()
    write_marks_csv(register, stream)
    write_marks_csv(register, tmp_path / "out.csv")
    assert stream.getvalue() == CANONICAL
    assert (tmp_path / "out.csv").read_bytes() == CANONICAL.encode()


def test_equality_compares_content_not_alphabet_order() -> None:
    day = dt.date(2025, 9, 8)
    first = Register.from_marks(
        [("A", Mark(Session(day, "AM"), "I")), ("A", Mark(Session(day, "PM"), "/"))]
    )
    second = Register.from_marks(
        [("A", Mark(Session(day, "PM"), "/")), ("A", Mark(Session(day, "AM"), "I"))]
    )
    other = Register.from_marks(
        [("A", Mark(Session(day, "PM"), "I")), ("A", Mark(Session(day, "AM"), "/"))]
    )
    assert first.alphabet != second.alphabet
    assert first == second
    assert hash(first) == hash(second)
    assert first != other


# -- every register written and read back is equal ----------------------------------------
_DAYS = [dt.date(2024, 8, 16), dt.date(2024, 8, 19), dt.date(2025, 9, 8), dt.date(2025, 9, 9)]


def _cells(pupils: list[str], most: int) -> st.SearchStrategy[list[tuple[str, dt.date, str]]]:
    """Distinct (pupil, day, AM or PM) cells, in any order; days straddle the 2024 code change.

    At least one: a file with no marks is an error (``BAD``'s header-only cases)."""
    cell = st.tuples(st.sampled_from(pupils), st.sampled_from(_DAYS), st.sampled_from(["AM", "PM"]))
    return st.lists(cell, min_size=1, max_size=most, unique=True)


def _code_set_on(day: dt.date) -> CodeSet:
    return ENGLAND_2024 if ENGLAND_2024.in_force_on(day) else ENGLAND_2006


@st.composite
def registers(draw: st.DrawFn) -> Register:
    pupils = draw(
        st.lists(
            st.text(alphabet='AZ09 ,"-', min_size=1, max_size=4),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    marks = []
    for pupil, day, part in draw(_cells(pupils, 24)):
        code_set = _code_set_on(day)
        code = draw(st.sampled_from([c.code for c in code_set]))
        late = code_set[code].is_late and draw(st.booleans())
        minutes = draw(st.integers(1, 90)) if late else None
        marks.append((pupil, Mark(Session(day, part), code, minutes)))
    return Register.from_marks(marks)


def _pupil_id_last(text: str) -> str:
    """The same marks with the pupil id as the last column (read line by line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for fields in csv.reader(io.StringIO(text)):
        writer.writerow([*fields[1:], fields[0]])
    return buffer.getvalue()


@settings(max_examples=80, deadline=None)
@given(registers())
def test_any_register_written_and_read_back_is_equal(register: Register) -> None:
    text = format_marks_csv(register)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_bytes(text.encode())
        again = read_marks_csv(path)
        path.write_bytes(_pupil_id_last(text).encode())
        line_by_line = read_marks_csv(path)
    assert again == register
    assert line_by_line == register
    summaries = register_summaries(again)
    assert summaries == register_summaries(register)
    for pupil_id in again.pupil_ids:
        assert summaries[pupil_id] == summarise(again.marks(pupil_id))
    assert format_marks_csv(again) == text


# -- bad input: file, line, field, value and what was expected --------------------------------
HEADER = "pupil_id,date,session,code,minutes_late\n"
GOOD = "P1,2025-09-08,AM,/,\nP1,2025-09-08,PM,L,5\n"

BAD: list[tuple[str, bytes, int, str | None, object, str, str]] = [
    # id, file bytes, line, field, value, words in the reason, words in what was expected
    ("unknown-code", f"{HEADER}{GOOD}P1,2025-09-09,AM,i,\n".encode(), 4, "code", "i",
     "unknown attendance code in code set 'england-2024'", "'I'"),
    ("bad-date", f"{HEADER}{GOOD}P1,2025-09-31,AM,/,\n".encode(), 4, "date", "2025-09-31",
     "not a date", "YYYY-MM-DD"),
    ("bad-session", f"{HEADER}{GOOD}P1,2025-09-09,Am,/,\n".encode(), 4, "session", "Am",
     "not a session", "AM or PM"),
    ("bad-minutes", f"{HEADER}{GOOD}P1,2025-09-09,AM,L,five\n".encode(), 4, "minutes_late", "five",
     "not a number of minutes", "whole number"),
    ("negative-minutes", f"{HEADER}{GOOD}P1,2025-09-09,AM,L,-3\n".encode(), 4, "minutes_late", "-3",
     "not a number of minutes", "whole number"),
    ("minutes-on-present", f"{HEADER}{GOOD}P1,2025-09-09,AM,/,7\n".encode(), 4, "minutes_late", 7,
     "minutes late recorded on a '/' mark", "only on L or U"),
    ("two-marks", f"{HEADER}{GOOD}P1,2025-09-08,AM,I,\n".encode(), 4, "session",
     "P1 2025-09-08 AM", "two marks for the same pupil and session", "the first is on line 2"),
    ("two-marks-interleaved", f"{HEADER}P1,2025-09-08,AM,/,\nP2,2025-09-08,AM,/,\nP1,2025-09-08,AM,/,\n".encode(),
     4, "session", "P1 2025-09-08 AM", "two marks", "line 2"),
    ("missing-column", b"pupil_id,date,code\nP1,2025-09-08,/\n", 1, "session", "pupil_id,date,code",
     "missing column", "pupil_id,date,session,code"),
    ("unexpected-column", b"pupil_id,date,session,code,name\n", 1, "name", "name",
     "unexpected column", "pupil_id, date, session, code, minutes_late"),
    ("column-twice", b"pupil_id,date,session,code,code\n", 1, "code", "pupil_id,date,session,code,code",
     "column appears twice", "each column once"),
    ("empty-file", b"", 1, None, None, "empty file", "header line"),
    ("bom-and-spaces-only", b"\xef\xbb\xbf \n\n", 1, None, None, "empty file", "header line"),
    ("header-only", HEADER.encode(), 2, None, None, "no marks", "at least one mark"),
    ("header-and-blank-lines", f"{HEADER}\n\n".encode(), 2, None, None, "no marks",
     "at least one mark"),
    ("undecodable", HEADER.encode() + GOOD.encode() + b"P1,2025-09-09,AM,\xff,\n", 4, None, b"\xff",
     "not UTF-8 text", "UTF-8"),
    ("too-few-fields", f"{HEADER}{GOOD}P1,2025-09-09,AM\n".encode(), 4, None, 3,
     "wrong number of fields", "5 fields"),
    ("no-pupil-id", f"{HEADER}{GOOD},2025-09-09,AM,/,\n".encode(), 4, "pupil_id", "",
     "no pupil id", "a pupil id"),
    ("no-code", f"{HEADER}{GOOD}P1,2025-09-09,AM, ,\n".encode(), 4, "code", " ",
     "no code", "an attendance code"),
    ("withdrawn-code", f"{HEADER}{GOOD}P1,2025-09-09,AM,H,\n".encode(), 4, "code", "H",
     "unknown attendance code", "'C'"),
    ("unclosed-quote", f'{HEADER}{GOOD}"P1,2025-09-09,AM,/,\n'.encode(), 4, None, None,
     "malformed CSV", "RFC 4180"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "line", "field", "value", "reason", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD],
)
def test_bad_input_names_file_line_field_value_and_expectation(
    tmp_path: Path,
    data: bytes,
    line: int,
    field: str | None,
    value: object,
    reason: str,
    expected: str,
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(InputError) as caught:
        read_marks_csv(path)
    error = caught.value
    assert (error.file, error.line, error.field) == (str(path), line, field)
    if value is not None:
        assert error.value == value
    assert reason in error.reason
    assert error.expected is not None
    assert expected in error.expected
    assert str(error).startswith(f"{path}:{line}: ")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file") as caught:
        read_marks_csv(tmp_path / "absent.csv")
    assert caught.value.file == str(tmp_path / "absent.csv")


# -- the fast path is taken for files grouped by pupil, and agrees with line-by-line reading --
@settings(max_examples=60, deadline=None)
@given(registers(), st.randoms(use_true_random=False))
def test_grouped_files_are_read_by_the_fast_path_to_the_same_register(
    register: Register, random: Random
) -> None:
    header, *lines = format_marks_csv(register).splitlines()
    if any('"' in line for line in lines):
        return  # quoted pupil ids are read line by line; covered above
    groups: dict[str, list[str]] = {}
    for line in lines:
        groups.setdefault(line.split(",")[0], []).append(line)
    for group in groups.values():
        random.shuffle(group)  # each pupil's sessions in any order
    text = "\n".join([header, *(line for group in groups.values() for line in group)]) + "\n"
    reader = _Reader("grouped.csv", None, None)
    fields = reader.header(header)
    grouped = reader.read_grouped(text, len(header), fields)
    assert grouped == _Reader("grouped.csv", None, None).read_lines(text, fields)
    assert grouped == register


# -- the two paths cannot disagree: on any text, the same register or the same error ----------
_BAD_VALUES = {
    "pupil_id": [""],
    "date": ["2025-09-31", "2025-W37-1"],
    "session": ["am", ""],
    "code": ["H", " "],
    "minutes_late": ["-3", "7"],
}

_MISTAKES = ["none", "field", "field", "field", "duplicate", "extra", "short", "blank"]
"""What one line may do: a bad field (most often), repeat, gain or lose a field; blank is fine."""


@st.composite
def marks_files(draw: st.DrawFn) -> bytes:
    """Marks CSV bytes in any layout a spreadsheet or MIS may write, sometimes with one error."""
    names = list(COLUMNS + OPTIONAL_COLUMNS if draw(st.booleans()) else COLUMNS)
    columns = draw(st.permutations(names))
    if draw(st.integers(0, 3)):  # pupil id first, as the fast path wants, most of the time
        columns.remove("pupil_id")
        columns.insert(0, "pupil_id")
    letters = draw(st.sampled_from(["AB1", 'AB1 ,"']))  # ids that need quoting in half the files
    pupil_ids = draw(
        st.lists(st.text(letters, min_size=1, max_size=3), min_size=1, max_size=3, unique=True)
    )
    cells = draw(_cells(pupil_ids, 10))
    if draw(st.integers(0, 3)):  # grouped by pupil, as MIS exports are, most of the time
        cells.sort(key=lambda cell: pupil_ids.index(cell[0]))
    pad = st.sampled_from(["", " "])
    records: list[dict[str, str]] = []
    for pupil_id, day, part in cells:
        code_set = _code_set_on(day)
        code = draw(st.sampled_from(["/", "L", "U", "I", "N", "B", "C"]))
        late = code_set[code].is_late
        minutes = draw(st.sampled_from(["", "0", "12", " 5 "] if late else ["", "0", " "]))
        records.append(
            {
                "pupil_id": pupil_id,
                "date": draw(pad) + day.isoformat(),
                "session": part + draw(pad),
                "code": draw(pad) + code,
                "minutes_late": minutes,
            }
        )
    rows = [[record[name] for name in columns] for record in records]
    if rows:
        at = draw(st.integers(0, len(rows) - 1))
        mistake = draw(st.sampled_from(_MISTAKES))
        if mistake == "field":
            name = draw(st.sampled_from(columns))
            rows[at][columns.index(name)] = draw(st.sampled_from(_BAD_VALUES[name]))
        elif mistake == "duplicate":
            rows.insert(at + draw(st.integers(0, 1)), list(rows[at]))  # beside the first
        elif mistake == "extra":
            rows[at].append("")
        elif mistake == "short":
            rows[at].pop()
        elif mistake == "blank":
            rows.insert(at, [])
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        lineterminator=draw(st.sampled_from(["\n", "\r\n"])),
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
    )
    writer.writerow(columns)
    writer.writerows(rows)
    text = buffer.getvalue()
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode()


def _outcome(path: Path) -> object:
    """The register as read (every part of it, the alphabet's order too), or the error."""
    try:
        register = read_marks_csv(path)
    except InputError as error:
        return str(error)
    return (
        register,
        register.alphabet,
        register.written,
        dict(register.minutes_late),
        format_marks_csv(register),
    )


@settings(max_examples=100, deadline=None)
@given(marks_files())
def test_grouped_and_line_by_line_reading_give_the_same_register_or_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "marks.csv"
        path.write_bytes(data)
        either = _outcome(path)
        with mock.patch.object(_Reader, "read_grouped", side_effect=_Fallback):
            line_by_line = _outcome(path)
    assert either == line_by_line
