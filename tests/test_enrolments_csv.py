"""Enrolments CSV: admission and leaving dates (and dates of birth) for expected sessions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from attendance_core import Enrolment
from attendance_core.exceptions import InputError
from attendance_core.io.enrolments_csv import (
    format_enrolments_csv,
    read_enrolments_csv,
    write_enrolments_csv,
)

D = dt.date


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "enrolments.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_any_column_order_and_empty_optional_dates(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "admission_date,pupil_id,leaving_date,date_of_birth\n"
        "2025-09-03,A,,2010-03-14\n"
        "2025-09-03, B ,2026-01-16,\n",
    )
    found = read_enrolments_csv(path, school_id="S1")
    assert found == {
        "A": Enrolment("A", "S1", D(2025, 9, 3), None, D(2010, 3, 14)),
        " B ": Enrolment(" B ", "S1", D(2025, 9, 3), D(2026, 1, 16), None),
    }


def test_read_school_id_column(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "pupil_id,school_id,admission_date,leaving_date\n"
        "P1,S,2025-09-01,\nP2,S,2025-09-01,2026-02-13\n",
    )
    assert read_enrolments_csv(path, school_id="ignored") == {
        "P1": Enrolment("P1", "S", D(2025, 9, 1)),
        "P2": Enrolment("P2", "S", D(2025, 9, 1), D(2026, 2, 13)),
    }


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "pupil_id,admission_date,leaving_date\nA,2025-09-03,\nB,2025-09-03,2026-01-16\n",
            id="minimal",
        ),
        pytest.param(
            "pupil_id,school_id,admission_date,leaving_date,date_of_birth\n"
            "A,S1,2025-09-03,,2010-03-14\n",
            id="every-column",
        ),
        pytest.param('pupil_id,admission_date,leaving_date\n"A,1",2025-09-03,\n', id="quoted-id"),
    ],
)
def test_canonical_files_are_written_back_unchanged(tmp_path: Path, text: str) -> None:
    found = read_enrolments_csv(_file(tmp_path, text))
    assert format_enrolments_csv(found) == text
    out = tmp_path / "out.csv"
    write_enrolments_csv(found.values(), out)
    assert out.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        pytest.param("", 1, None, "empty file", id="empty"),
        pytest.param("pupil_id\nA\n", 1, "admission_date", "missing column", id="missing-column"),
        pytest.param(
            "school_id,admission_date\n", 1, "pupil_id", "missing column", id="missing-pupil-id"
        ),
        pytest.param("pupil_id,admission_date,dob\n", 1, "dob", "unknown column", id="unknown"),
        pytest.param(
            "pupil_id,admission_date,pupil_id\n", 1, "pupil_id", "repeated column", id="repeated"
        ),
        pytest.param("pupil_id,admission_date\nA\n", 2, None, "wrong number", id="fields"),
        pytest.param(
            'pupil_id,admission_date\n"A,2025-09-03\n', 2, None, "not valid CSV", id="open-quote"
        ),
        pytest.param(
            "pupil_id,admission_date\n ,2025-09-03\n", 2, "pupil_id", "empty pupil", id="id"
        ),
        pytest.param(
            "pupil_id,admission_date\nA,2025-09-03\nA,2025-09-04\n",
            3,
            "pupil_id",
            "pupil listed twice",
            id="twice",
        ),
        pytest.param(
            "pupil_id,admission_date\nA,03/09/2025\n", 2, "admission_date", "not a date", id="date"
        ),
        pytest.param(
            "pupil_id,admission_date\nA,\n",
            2,
            "admission_date",
            "missing admission",
            id="no-admission",
        ),
        pytest.param(
            "pupil_id,admission_date,leaving_date\nA,2025-09-03,2025-09-01\n",
            2,
            "leaving_date",
            "leaving date is before admission date",
            id="leaves-before-joining",
        ),
    ],
)
def test_bad_input_names_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, message: str
) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(InputError, match=message) as caught:
        read_enrolments_csv(path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), line, field)


def test_a_bad_date_of_birth_is_never_quoted(tmp_path: Path) -> None:
    path = _file(tmp_path, "pupil_id,admission_date,date_of_birth\nA,2025-09-03,14/03/2010\n")
    with pytest.raises(InputError) as caught:
        read_enrolments_csv(path)
    assert caught.value.field == "date_of_birth"
    assert "14/03/2010" not in str(caught.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        read_enrolments_csv(tmp_path / "missing.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"pupil_id,admission_date\n\xe9,2025-09-03\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_enrolments_csv(bad)
