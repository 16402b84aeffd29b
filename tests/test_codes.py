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
    CodeSet,
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


# Facts a rule needs beyond the category (attendance-rules.md sections 1.2 and 1.5).
LATE = {"L": "before_register_closed", "U": "after_register_closed"}
AGE_RULES_2024 = {"X": "not_compulsory_school_age", "C2": "compulsory_school_age"}


@pytest.mark.parametrize("code_set", [ENGLAND_2024, ENGLAND_2006], ids=lambda s: s.id)
def test_every_code_states_its_facts(code_set: CodeSet) -> None:
    for code in code_set:
        assert code.meaning.strip(), code.code
        assert code.group.strip(), code.code
        assert code.is_possible is (code.category is not NOT), code.code
        assert code.is_attended is (code.category in (P, AEA)), code.code
        assert code.is_absence is (code.category in (AUTH, UNAUTH)), code.code
        assert code.lateness.value == LATE.get(code.code, "not_late"), code.code
        assert code_set.lookup(code.code) is code
    age_rules = {c.code: c.age_rule.value for c in code_set if c.age_rule.value != "any"}
    assert age_rules == (AGE_RULES_2024 if code_set is ENGLAND_2024 else {})


def test_set_dates_meet_at_19_august_2024() -> None:
    last_2006, first_2024 = dt.date(2024, 8, 18), dt.date(2024, 8, 19)
    assert ENGLAND_2006.in_force_on(last_2006)
    assert not ENGLAND_2006.in_force_on(first_2024)
    assert ENGLAND_2024.in_force_on(first_2024)
    assert not ENGLAND_2024.in_force_on(last_2006)
    assert ENGLAND_2006.in_force_on(dt.date(2007, 1, 1))
    assert ENGLAND_2024.in_force_on(dt.date(2090, 1, 1))


def test_withdrawn_codes_agree_with_the_legacy_mapping() -> None:
    withdrawn = dict(ENGLAND_2024.withdrawn)
    assert set(withdrawn) == {"H", "F", "J", "Y"}
    assert all(LEGACY_TO_2024[old] == new for old, new in withdrawn.items())
    assert all(old in ENGLAND_2006 and old not in ENGLAND_2024 for old in withdrawn)


@pytest.mark.parametrize(
    ("old", "new", "category_changes"),
    [
        ("J", "J1", True),  # approved educational activity became authorised absence
        ("H", "C", False),
        ("F", "C", False),
        ("B", "K", False),
        ("Y", "Y4", False),
        ("#", "Y3", False),
    ],
)
def test_legacy_successors_keep_or_change_category(
    old: str, new: str, category_changes: bool
) -> None:
    assert new in LEGACY_TO_2024[old]
    assert (ENGLAND_2006[old].category is not ENGLAND_2024[new].category) is category_changes


def test_membership_and_size() -> None:
    assert "C1" in ENGLAND_2024
    assert " C1 " in ENGLAND_2024
    assert "C1" not in ENGLAND_2006
    assert 1 not in ENGLAND_2024
    assert (len(ENGLAND_2024), len(ENGLAND_2006)) == (34, 26)


def test_a_code_set_refuses_a_code_defined_twice() -> None:
    present = ENGLAND_2024["/"]
    with pytest.raises(ValueError, match="defines '/' twice"):
        CodeSet("dup", "dup", "test", None, None, codes=(present, present))


@pytest.mark.parametrize(
    ("written", "first_suggestion"),
    [("i", "I"), ("y1", "Y1"), ("H", "C"), ("J", "J1"), ("Y", "Y1"), ("LL", "L")],
)
def test_unknown_code_suggests_the_nearest(written: str, first_suggestion: str) -> None:
    with pytest.raises(UnknownCodeError) as caught:
        ENGLAND_2024.lookup(written)
    assert caught.value.code == written
    assert caught.value.suggestions[0] == first_suggestion
    assert len(caught.value.suggestions) <= 3
