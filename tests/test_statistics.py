"""Statistics edge cases: zero possible sessions, pooling tallies, bad counts and bad marks.

Source of the rules: DfE "Pupil absence in schools in England" methodology (rates pool
sessions; enrolments with no possible sessions are left out of group figures) and the
"Pupil attendance in schools" technical guidance (late sessions are L plus U).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from attendance_core import (
    ENGLAND_2006,
    AttendanceCode,
    AttendanceSummary,
    InputError,
    Mark,
    Session,
    UnknownCodeError,
    summarise,
)
from attendance_core.rules.statistics import (
    display_percent,
    is_persistent_absence,
    is_severe_absence,
)

MON = dt.date(2025, 9, 8)


def test_empty_summary_has_no_rates() -> None:
    summary = summarise([])
    assert summary == AttendanceSummary(enrolments_without_possible=1)
    assert summary.possible_sessions == 0
    rates = (
        summary.attendance_rate,
        summary.overall_absence_rate,
        summary.authorised_absence_rate,
        summary.unauthorised_absence_rate,
        summary.reason_rate("I"),
        summary.persistent_absence_rate,
        summary.severe_absence_rate,
    )
    assert rates == (None,) * 7


def test_only_not_counted_codes_give_no_possible_sessions() -> None:
    summary = summarise([(MON, "AM", "D"), (MON, "PM", "Y7"), (MON + dt.timedelta(1), "AM", "#")])
    assert summary.possible_sessions == 0
    assert summary.not_counted_sessions == 3
    assert summary.sessions_by_code == {"#": 1, "D": 1, "Y7": 1}
    assert summary.attendance_rate is None
    assert summary.reason_rates == {}
    assert (summary.enrolments, summary.enrolments_without_possible) == (0, 1)


def test_enrolment_without_possible_sessions_is_left_out_of_group_figures() -> None:
    absent = AttendanceSummary.from_counts({"O": 10})
    dual = AttendanceSummary.from_counts({"D": 10})
    present = AttendanceSummary.from_counts({"/": 10})
    group = AttendanceSummary.pool([absent, dual, present])
    assert (group.enrolments, group.enrolments_without_possible) == (2, 1)
    assert group.persistent_absence_rate == Fraction(1, 2)
    assert group.severe_absence_rate == Fraction(1, 2)
    assert group.overall_absence_rate == Fraction(10, 20)
    only_dual = dual + dual
    assert only_dual.persistent_absence_rate is None
    assert only_dual.enrolments_without_possible == 2


def test_pooled_rate_is_sessions_over_sessions_not_an_average_of_percentages() -> None:
    small = AttendanceSummary.from_counts({"/": 1, "I": 1})  # 50%
    large = AttendanceSummary.from_counts({"/": 99, "I": 1})  # 1%
    assert (small + large).overall_absence_rate == Fraction(2, 102)


def test_sum_of_summaries_and_adding_other_types() -> None:
    parts = [AttendanceSummary.from_counts({"/": n, "G": 1}) for n in (3, 4, 5)]
    total = sum(parts)
    assert isinstance(total, AttendanceSummary)
    assert total == AttendanceSummary.pool(parts)
    assert total.possible_sessions == 15
    with pytest.raises(TypeError):
        _ = parts[0] + 1
    with pytest.raises(TypeError):
        _ = 1 + parts[0]


def test_counts_by_code_and_reason_rates() -> None:
    summary = AttendanceSummary.from_counts({"/": 6, "I": 2, "M": 0, "U": 1, "L": 1, "Z": 3})
    assert summary.code_counts == (("/", 6), ("I", 2), ("L", 1), ("U", 1), ("Z", 3))
    assert summary.reason_rate("I") == Fraction(2, 10)
    assert summary.reason_rate("M") == Fraction(0)
    assert summary.reason_rates == {
        "/": Fraction(6, 10),
        "I": Fraction(2, 10),
        "L": Fraction(1, 10),
        "U": Fraction(1, 10),
        "Z": Fraction(3, 10),
    }
    assert (summary.late_sessions, summary.present_sessions) == (2, 7)


def test_from_counts_accepts_attendance_codes_as_keys() -> None:
    counts: dict[str | AttendanceCode, int] = {ENGLAND_2006["J"]: 2, "J1": 1}
    summary = AttendanceSummary.from_counts(counts)
    assert summary.approved_educational_activity == 2
    assert summary.authorised_absence == 1


def test_from_counts_reads_several_sets_in_order() -> None:
    summary = AttendanceSummary.from_counts(
        {"C": 1, "H": 1}, code_set=("england-2024", ENGLAND_2006)
    )
    assert summary.authorised_absence == 2
    with pytest.raises(UnknownCodeError) as caught:
        AttendanceSummary.from_counts({"H": 1})
    assert caught.value.code_set == "england-2024"
    assert "C" in caught.value.suggestions


def test_from_counts_unknown_code_names_every_set_searched() -> None:
    with pytest.raises(UnknownCodeError, match=r"'Q1'.*'england-2024 \+ england-2006'"):
        AttendanceSummary.from_counts({"Q1": 1}, code_set=("england-2024", "england-2006"))


@pytest.mark.parametrize("count", [-1, 2.0, "3", True, None])
def test_from_counts_refuses_what_is_not_a_session_count(count: object) -> None:
    """Regression: a float or string count used to be summed (or fail with a TypeError)."""
    with pytest.raises(InputError) as caught:
        AttendanceSummary.from_counts({"/": 3, "I": count})  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("I", count)


def test_from_counts_refuses_an_unknown_code_set_id() -> None:
    with pytest.raises(InputError, match="unknown code set"):
        AttendanceSummary.from_counts({"/": 1}, code_set="wales-2010")


def test_summarise_refuses_two_marks_for_one_session() -> None:
    with pytest.raises(InputError, match="two marks for the same session") as caught:
        summarise([(MON, "AM", "/"), (MON, "AM", "I")])
    assert caught.value.value == "2025-09-08 AM"


@pytest.mark.parametrize(
    ("mark", "field"),
    [
        pytest.param((MON, "am", "/"), "session", id="lower-case-session"),
        pytest.param(("2025-13-01", "AM", "/"), "date", id="no-such-month"),
        pytest.param(("08/09/2025", "AM", "/"), "date", id="not-iso-date"),
        pytest.param((MON, "AM"), None, id="too-short"),
        pytest.param((MON, "AM", "L", -5), "minutes_late", id="negative-minutes"),
        pytest.param((MON, "AM", "/", 5), "minutes_late", id="minutes-on-a-present-mark"),
    ],
)
def test_summarise_bad_marks(mark: tuple[object, ...], field: str | None) -> None:
    with pytest.raises(InputError) as caught:
        summarise([mark])  # type: ignore[list-item]
    assert caught.value.field == field


def test_summarise_unknown_code_names_the_set_in_force() -> None:
    with pytest.raises(UnknownCodeError) as caught:
        summarise([(MON, "AM", "H")])
    assert (caught.value.code, caught.value.code_set) == ("H", "england-2024")


def test_summarise_minutes_late_are_summed_on_L_and_U() -> None:
    summary = summarise(
        [
            Mark(Session(MON, "AM"), "L", 7),
            Mark(Session(MON, "PM"), "U", 40),
            Mark(Session(MON + dt.timedelta(1), "AM"), "/", 0),
            (MON + dt.timedelta(1), "PM", "L", None),
        ]
    )
    assert (summary.minutes_late, summary.late_sessions) == (47, 3)


def test_summarise_forced_code_set_overrides_the_date() -> None:
    marks = [(MON, "AM", "J"), (MON, "PM", "H")]
    summary = summarise(marks, code_set="england-2006")
    assert summary.approved_educational_activity == 1
    assert summary.authorised_absence == 1
    with pytest.raises(UnknownCodeError):
        summarise(marks)


def test_summarise_accepts_iso_date_strings() -> None:
    assert summarise([("2025-09-08", "AM", "/")]) == summarise([(MON, "AM", "/")])


@pytest.mark.parametrize(
    ("absence", "possible", "persistent", "severe"),
    [
        (0, 0, False, False),
        (1, 10, True, False),
        (9, 100, False, False),
        (10, 100, True, False),
        (49, 98, True, True),
        (49, 99, True, False),
        (5, 5, True, True),
    ],
)
def test_threshold_functions(absence: int, possible: int, persistent: bool, severe: bool) -> None:
    assert is_persistent_absence(absence, possible) is persistent
    assert is_severe_absence(absence, possible) is severe


def test_threshold_percent_can_be_given() -> None:
    """Wales used 20% before 2023; a caller can ask for another threshold, still exactly."""
    assert is_persistent_absence(20, 100, percent=20)
    assert not is_persistent_absence(19, 100, percent=20)


# The public API issue 2 promises other tools, by name (attendance-rules.md §3).
COUNT_NAMES = [
    "possible_sessions",
    "present_sessions",
    "approved_educational_activity",
    "overall_attendance",
    "authorised_absence",
    "unauthorised_absence",
    "overall_absence",
    "late_sessions",
]
RATE_NAMES = [
    "attendance_rate",
    "overall_absence_rate",
    "authorised_absence_rate",
    "unauthorised_absence_rate",
]


def test_public_api_names_and_signatures_are_the_promised_ones() -> None:
    import inspect

    import attendance_core

    marks = inspect.signature(attendance_core.summarise).parameters
    assert list(marks)[:2] == ["marks", "code_set"]
    assert marks["marks"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert (marks["code_set"].kind, marks["code_set"].default) == (
        inspect.Parameter.KEYWORD_ONLY,
        None,
    )
    counts = inspect.signature(attendance_core.AttendanceSummary.from_counts).parameters
    assert list(counts)[:2] == ["counts", "code_set"]
    assert counts["code_set"].kind is inspect.Parameter.KEYWORD_ONLY

    mixed = summarise([Mark(Session(MON, "AM"), "I"), (MON, "PM", "/"), ("2025-09-09", "AM", "U")])
    counted = AttendanceSummary.from_counts({"I": 1, "/": 1, "U": 1}, code_set="england-2024")
    assert [getattr(mixed, n) for n in COUNT_NAMES] == [3, 1, 0, 1, 1, 1, 2, 1]
    assert [getattr(mixed, n) for n in RATE_NAMES] == [
        Fraction(1, 3),
        Fraction(2, 3),
        Fraction(1, 3),
        Fraction(1, 3),
    ]
    assert (mixed.sessions_by_code, mixed.reason_rate("U")) == (
        {"/": 1, "I": 1, "U": 1},
        Fraction(1, 3),
    )
    assert (mixed.persistent_absence, mixed.severe_absence) == (True, True)
    pooled = mixed + counted
    assert isinstance(pooled, AttendanceSummary)
    assert [getattr(pooled, n) for n in COUNT_NAMES] == [6, 2, 0, 2, 2, 2, 4, 2]


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (Fraction(1249, 2500), "50.0%"),  # 49.96%: shown as 50.0%, never decided on (§8 ex. 3)
        (Fraction(1, 3), "33.3%"),
        (Fraction(2, 3), "66.7%"),
        (Fraction(1, 2000), "0.1%"),  # 0.05%: halves round up
        (Fraction(1, 2001), "0.0%"),
        (Fraction(1), "100.0%"),
        (None, "-"),
    ],
)
def test_display_percent_rounds_half_up_to_one_decimal_place(
    rate: Fraction | None, shown: str
) -> None:
    assert display_percent(rate) == shown
