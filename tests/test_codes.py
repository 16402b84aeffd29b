"""Code sets: every code, its category, lookup rules and the legacy mapping."""

from __future__ import annotations

import datetime as dt

import pytest

from attendance_core.codes import (
    CODE_SETS,
    ENGLAND_2006,
    ENGLAND_2024,
    LEGACY_TO_2024,
    Category,
    code_set_for_date,
    get_code_set,
)
from attendance_core.exceptions import InputError, UnknownCodeError

P, AEA, AUTH, UNAUTH, NOT = (
    Category.PRESENT,
    Category.APPROVED_EDUCATIONAL_ACTIVITY,
    Category.AUTHORISED_ABSENCE,
    Category.UNAUTHORISED_ABSENCE,
    Category.NOT_COUNTED,
)

# attendance-rules.md section 1.2, checked against DfE's daily data (section 1.3).
ENGLAND_2024_TABLE = {
    "/": P, "\\": P, "L": P,
    "K": AEA, "V": AEA, "P": AEA, "W": AEA, "B": AEA,
    "C1": AUTH, "M": AUTH, "J1": AUTH, "S": AUTH, "C2": AUTH, "C": AUTH,
    "T": AUTH, "R": AUTH, "I": AUTH, "E": AUTH,
    "G": UNAUTH, "N": UNAUTH, "O": UNAUTH, "U": UNAUTH,
    "D": NOT, "X": NOT, "Q": NOT, "Y1": NOT, "Y2": NOT, "Y3": NOT, "Y4": NOT,
    "Y5": NOT, "Y6": NOT, "Y7": NOT, "Z": NOT, "#": NOT,
}  # fmt: skip

# attendance-rules.md section 1.5.
ENGLAND_2006_TABLE = {
    "/": P, "\\": P, "L": P,
    "B": AEA, "J": AEA, "P": AEA, "V": AEA, "W": AEA,
    "C": AUTH, "E": AUTH, "F": AUTH, "H": AUTH, "I": AUTH, "M": AUTH, "R": AUTH, "S": AUTH, "T": AUTH,
    "G": UNAUTH, "N": UNAUTH, "O": UNAUTH, "U": UNAUTH,
    "D": NOT, "X": NOT, "Y": NOT, "Z": NOT, "#": NOT,
}  # fmt: skip


@pytest.mark.parametrize(
    ("code_set", "table"),
    [(ENGLAND_2024, ENGLAND_2024_TABLE), (ENGLAND_2006, ENGLAND_2006_TABLE)],
    ids=["england-2024", "england-2006"],
)
def test_every_code_and_category(code_set: object, table: dict[str, Category]) -> None:
    assert isinstance(code_set, type(ENGLAND_2024))
    assert {c.code: c.category for c in code_set} == table
    assert all(c.code_set == code_set.id for c in code_set)


@pytest.mark.parametrize("code", ["H", "J", "Y", "F"])
def test_withdrawn_codes_are_not_in_2024_set_and_suggest_successor(code: str) -> None:
    with pytest.raises(UnknownCodeError) as caught:
        ENGLAND_2024.lookup(code)
    assert caught.value.suggestions[0] in LEGACY_TO_2024[code]
    assert caught.value.code_set == "england-2024"


def test_whitespace_ignored_case_exact() -> None:
    assert ENGLAND_2024.lookup(" C2 \t").code == "C2"
    with pytest.raises(UnknownCodeError, match=r"'c2'.*did you mean 'C2'"):
        ENGLAND_2024.lookup("c2")


def test_late_codes_and_age_rules() -> None:
    assert {c.code for c in ENGLAND_2024 if c.is_late} == {"L", "U"}
    assert ENGLAND_2024["X"].age_rule.value == "not_compulsory_school_age"
    assert ENGLAND_2024["C2"].age_rule.value == "compulsory_school_age"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 8, 18), "england-2006"),
        (dt.date(2024, 8, 19), "england-2024"),
        (dt.date(2013, 1, 7), "england-2006"),
        (dt.date(2026, 1, 5), "england-2024"),
    ],
)
def test_code_set_chosen_by_date(day: dt.date, expected: str) -> None:
    assert code_set_for_date(day).id == expected


def test_ids_resolve_and_bad_id_is_clear() -> None:
    assert get_code_set("england-2006") is ENGLAND_2006
    assert set(CODE_SETS) == {"england-2024", "england-2006"}
    with pytest.raises(InputError, match=r"unknown code set.*'england-2025'"):
        get_code_set("england-2025")


def test_legacy_mapping_is_total_and_onto_2024_codes() -> None:
    assert set(LEGACY_TO_2024) == {c.code for c in ENGLAND_2006}
    for successors in LEGACY_TO_2024.values():
        assert successors
        assert all(s in ENGLAND_2024 for s in successors)
