"""The compact register: building from marks in any order, duplicates, minutes late, code sets.

A register holds one ``bytes`` row per enrolment (one byte per session), so that whole-school
sums never build a Python object per mark.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from attendance_core import (
    ENGLAND_2006,
    ENGLAND_2024,
    InputError,
    Mark,
    Register,
    RegisterBuilder,
    Session,
    UnknownCodeError,
    summarise,
)
from attendance_core.io import read_marks_csv, write_marks_csv
from attendance_core.rules.statistics import register_summaries, register_summary
from attendance_core.synthetic import synthetic_school

MON = dt.date(2025, 9, 8)
TUE = dt.date(2025, 9, 9)


def mark(day: dt.date, part: str, code: str, minutes: int | None = None) -> Mark:
    return Mark(Session(day, part), code, minutes)


def test_sessions_sorted_pupils_in_order_of_first_appearance() -> None:
    register = Register.from_marks(
        [
            ("B", mark(TUE, "PM", "I")),
            ("A", mark(MON, "AM", "/")),
            ("B", mark(MON, "AM", "/")),
            ("A", mark(TUE, "AM", "L", 5)),
        ]
    )
    assert [str(s) for s in register.sessions] == [
        "2025-09-08 AM",
        "2025-09-09 AM",
        "2025-09-09 PM",
    ]
    assert register.pupil_ids == ("B", "A")
    assert len(register) == 2
    assert all(len(row) == 3 for row in register.rows)
    assert [list(register.marks(p)) for p in ("A", "B")] == [
        [mark(MON, "AM", "/"), mark(TUE, "AM", "L", 5)],
        [mark(MON, "AM", "/"), mark(TUE, "PM", "I")],
    ]


def test_a_session_without_a_mark_is_an_empty_cell() -> None:
    register = Register.from_marks([("A", mark(MON, "AM", "/")), ("B", mark(MON, "PM", "N"))])
    assert register.rows[0][1] == 0
    assert register.rows[1][0] == 0
    assert register_summaries(register)["A"].possible_sessions == 1


def test_two_marks_for_one_pupil_and_session_are_refused() -> None:
    builder = RegisterBuilder()
    builder.add("A", Session(MON, "AM"), "/")
    builder.add("B", Session(MON, "AM"), "/")
    with pytest.raises(InputError) as caught:
        builder.add("A", Session(MON, "AM"), "I")
    assert caught.value.field == "session"
    assert caught.value.value == "A 2025-09-08 AM"


def test_minutes_late_follow_their_session_when_columns_are_sorted() -> None:
    """Sessions arrive out of order; the minutes must stay with the cell they were recorded on."""
    builder = RegisterBuilder()
    builder.add("A", Session(TUE, "PM"), "U", 35)
    builder.add("A", Session(MON, "AM"), "L", 4)
    builder.add("B", Session(TUE, "AM"), "L", 9)
    builder.add("B", Session(MON, "AM"), "/")
    register = builder.build()
    assert register.minutes_late == {(0, 0): 4, (0, 2): 35, (1, 1): 9}
    assert [m.minutes_late for m in register.marks("A")] == [4, 35]
    assert register_summaries(register)["A"].minutes_late == 39
    assert register_summary(register).minutes_late == 48


def test_minutes_late_on_a_mark_that_is_not_late_are_refused() -> None:
    builder = RegisterBuilder()
    with pytest.raises(InputError) as caught:
        builder.add("A", Session(MON, "AM"), "I", 10)
    assert (caught.value.field, caught.value.value) == ("minutes_late", 10)


def test_codes_are_read_with_the_set_in_force_on_the_date() -> None:
    before, after = dt.date(2024, 7, 15), dt.date(2024, 9, 2)
    register = Register.from_marks(
        [
            ("A", mark(before, "AM", "J")),
            ("A", mark(before, "PM", "C")),
            ("A", mark(after, "AM", "J1")),
            ("A", mark(after, "PM", "C")),
        ]
    )
    assert set(register.alphabet) == {
        ENGLAND_2006["J"],
        ENGLAND_2006["C"],
        ENGLAND_2024["J1"],
        ENGLAND_2024["C"],
    }
    summary = register_summaries(register)["A"]
    assert (summary.approved_educational_activity, summary.authorised_absence) == (1, 3)
    with pytest.raises(UnknownCodeError) as caught:
        Register.from_marks([("A", mark(after, "AM", "J"))])
    assert caught.value.code_set == "england-2024"


def test_a_forced_code_set_applies_to_every_date() -> None:
    register = Register.from_marks([("A", mark(MON, "AM", "H"))], code_set="england-2006")
    assert register_summaries(register)["A"].authorised_absence == 1
    with pytest.raises(UnknownCodeError):
        Register.from_marks([("A", mark(MON, "AM", "H"))])


def test_one_byte_per_code_shared_across_pupils() -> None:
    register = Register.from_marks(
        (pupil, mark(MON + dt.timedelta(days=d), part, code))
        for pupil in ("A", "B", "C")
        for d, code in enumerate(["/", "I", "/", "G"])
        for part in ("AM", "PM")
    )
    assert len(register.alphabet) == 3
    assert {register.rows[0].count(k) for k in (1, 2, 3)} == {4, 2}
    assert all(row == register.rows[0] for row in register.rows)


def test_summaries_and_summary() -> None:
    marks = {
        "A": [mark(MON, "AM", "/"), mark(MON, "PM", "I")],
        "B": [mark(MON, "AM", "D"), mark(MON, "PM", "D")],
    }
    register = Register.from_marks((p, m) for p, ms in marks.items() for m in ms)
    assert register_summaries(register) == {p: summarise(ms) for p, ms in marks.items()}
    total = register_summary(register)
    assert (total.enrolments, total.enrolments_without_possible) == (1, 1)
    assert total.possible_sessions == 2


def test_empty_register() -> None:
    register = RegisterBuilder().build()
    assert (len(register), register.sessions, register_summaries(register)) == (0, (), {})
    assert register_summary(register).possible_sessions == 0


def test_equality_ignores_alphabet_entries_no_cell_uses() -> None:
    """Regression: the synthetic school's register (which lists every code it might draw) was
    unequal to the same register read back from its own CSV, which lists only codes used."""
    register = Register.from_marks([("A", mark(MON, "AM", "/")), ("A", mark(MON, "PM", "I"))])
    padded = Register(
        register.sessions,
        register.pupil_ids,
        (ENGLAND_2024["G"], *register.alphabet),
        tuple(bytes(value + 1 for value in row) for row in register.rows),
    )
    assert padded == register
    assert padded != Register.from_marks([("A", mark(MON, "AM", "/")), ("A", mark(MON, "PM", "G"))])


def test_the_synthetic_school_reads_back_equal_from_its_csv(tmp_path: Path) -> None:
    school = synthetic_school(30, seed=3)
    path = tmp_path / "school.csv"
    write_marks_csv(school.register, path)
    assert read_marks_csv(path) == school.register
