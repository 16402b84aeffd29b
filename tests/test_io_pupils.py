"""The pupils file: attributes checked and written one way, mismatches with the marks named."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from attendance_core import InputError, read_school
from attendance_core.io.pupils import read_pupils, upn_check_letter

EXPORTS = Path(__file__).resolve().parents[1] / "docs/examples/exports"
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _pupils(tmp_path: Path, text: str) -> dict[str, dict[str, str]]:
    path = tmp_path / "pupils.csv"
    path.write_text(text, encoding="utf-8")
    return {p: dict(a) for p, a in read_pupils(path).items()}


def _refused(tmp_path: Path, text: str) -> str:
    path = tmp_path / "pupils.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_pupils(path)
    return str(caught.value)


upns = (
    st.tuples(
        st.text(alphabet="0123456789", min_size=11, max_size=11),
        st.sampled_from(list("0123456789" + UPN_LETTERS)),
    )
    .map(lambda parts: "?" + parts[0] + parts[1])
    .map(lambda u: upn_check_letter(u) + u[1:])
)


@given(upns)
def test_a_upn_with_its_check_letter_is_accepted(upn: str) -> None:
    assert upn_check_letter(upn) == upn[0]


@given(upns, st.integers(1, 11), st.integers(1, 9))
def test_changing_any_one_digit_changes_the_check_letter(upn: str, place: int, step: int) -> None:
    changed = upn[:place] + str((int(upn[place]) + step) % 10) + upn[place + 1 :]
    assert upn_check_letter(changed) != upn[0]


def test_the_dfe_check_letter_of_a_known_upn() -> None:
    # Weights 2..13 on characters 2..13, modulo 23, as DfE's UPN guidance sets out.
    total = sum(position * int(d) for position, d in enumerate("123456789012", start=2))
    assert UPN_LETTERS[total % 23] == "A" == upn_check_letter("?123456789012")


def test_values_are_checked_and_written_one_way(tmp_path: Path) -> None:
    read = _pupils(
        tmp_path,
        "Adno,Year,Gender,SEN,FSM,EAL,DOB,Tutor\n"
        "1,Year 7,Female,k,Y,0,03/04/2013,Mr A\n"
        "2,R,m,E,true,no,28/02/2014,\n",
    )
    assert read == {
        "1": {
            "year_group": "7",
            "sex": "F",
            "sen": "K",
            "fsm": "yes",
            "eal": "no",
            "date_of_birth": "2013-04-03",
            "tutor": "Mr A",
        },
        "2": {
            "year_group": "R",
            "sex": "M",
            "sen": "E",
            "fsm": "yes",
            "eal": "no",
            "date_of_birth": "2014-02-28",
        },
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pupil_id,year_group\n1,15\n", "2: field 'year_group': not a valid year_group (got '15')"),
        ("pupil_id,sen\n1,S\n", "field 'sen': not a valid sen (got 'S'); expected N, K"),
        (
            "pupil_id,fsm\n1,maybe\n",
            "field 'fsm': not a valid fsm (got 'maybe'); expected yes or no",
        ),
        ("pupil_id,upn\n1,A12345678901\n", "field 'upn': not a valid upn"),
        ("pupil_id,dob\n1,2031-01-01\n", "field 'dob': date of birth out of range"),
        ("pupil_id,form\n1,7S\n1,7T\n", "3: field 'pupil_id': pupil appears twice (got '1')"),
        ("form,house\n7S,Red\n", "1: no pupil id column"),
        ("pupil_id,form,Form\n1,7S,7S\n", "1: field 'Form': column appears twice"),
        ("pupil_id,form\n,7S\n", "2: field 'pupil_id': no pupil id"),
    ],
    ids=[
        "year",
        "sen",
        "flag",
        "upn-length",
        "dob-future",
        "twice",
        "no-id",
        "repeated",
        "empty-id",
    ],
)
def test_bad_values_are_refused_with_file_line_field_and_value(
    tmp_path: Path, text: str, expected: str
) -> None:
    message = _refused(tmp_path, text)
    assert message.startswith(str(tmp_path / "pupils.csv"))
    assert expected in message


def test_a_name_never_appears_in_an_error_about_another_field(tmp_path: Path) -> None:
    message = _refused(tmp_path, "pupil_id,forename,surname,sen\n1,Secretfirst,Secretlast,Q\n")
    assert "Secretfirst" not in message
    assert "Secretlast" not in message


def test_a_file_of_upns_alone_is_keyed_by_upn(tmp_path: Path) -> None:
    assert _pupils(tmp_path, "UPN,Form\nA123456789012,7S\n") == {"A123456789012": {"form": "7S"}}


def test_a_spreadsheet_of_pupils_reads_as_its_csv(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["pupil_id", "Year Group", "FSM"], [1001, 7, "yes"], [1002, 8, "no"]]:
        sheet.append(row)
    book.save(tmp_path / "pupils.xlsx")
    read = read_pupils(tmp_path / "pupils.xlsx")
    assert {p: dict(a) for p, a in read.items()} == {
        "1001": {"year_group": "7", "fsm": "yes"},
        "1002": {"year_group": "8", "fsm": "no"},
    }


def test_pupils_in_one_file_and_not_the_other_are_named(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_text("pupil_id,form\n1001,7S\n9999,9X\n", encoding="utf-8")
    school = read_school(EXPORTS / "weekly.csv", pupils=path)
    assert "1 pupils with marks have no pupils row: 1002" in school.notes
    assert "1 pupils in the pupils file have no marks: 9999" in school.notes
    assert school.pupils["1001"]["form"] == "7S"


def test_a_pupils_file_replaces_what_the_export_gave(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_text("pupil_id,year_group\n1001,8\n", encoding="utf-8")
    school = read_school(EXPORTS / "long.csv", attributes={"year_group": "Year"}, pupils=path)
    assert school.pupils["1001"]["year_group"] == "8"
    assert school.pupils["1002"]["year_group"] == "8"
