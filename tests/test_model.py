"""Sessions, marks and enrolments: ordering, parsing errors, roll dates, personal data.

Sources: a school day is two sessions, morning and afternoon (reg 3 of the Education (School
Day and School Year) (England) Regulations 1999); DfE counts enrolments, and a leaver's
sessions count up to and including the leaving date ("Monitor your school attendance" guide).
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from attendance_core import Enrolment, InputError, Mark, Part, Session
from attendance_core.codes import ENGLAND_2024
from attendance_core.model import check_minutes_late, parse_date, parse_part

MON = dt.date(2025, 9, 8)
TUE = dt.date(2025, 9, 9)


def test_sessions_order_by_date_then_morning_first() -> None:
    sessions = [Session(TUE, "AM"), Session(MON, "PM"), Session(TUE, "PM"), Session(MON, "AM")]
    assert [str(s) for s in sorted(sessions)] == [
        "2025-09-08 AM",
        "2025-09-08 PM",
        "2025-09-09 AM",
        "2025-09-09 PM",
    ]
    assert Session(MON, "PM") < Session(TUE, "AM")
    assert Session(MON, "AM") < Session(MON, "PM")
    assert max(sessions) == Session(TUE, Part.PM)


def test_sessions_are_values() -> None:
    assert Session(MON, "AM") == Session(MON, Part.AM) == Session("2025-09-08", " AM ")
    assert len({Session(MON, "AM"), Session(MON, Part.AM)}) == 1
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Session(MON, "AM").part = Part.PM  # type: ignore[misc]


@pytest.mark.parametrize("text", ["am", "pm", "A M", "", "morning", "AMPM"])
def test_bad_session_part_names_field_and_value(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_part(text)
    error = caught.value
    assert (error.field, error.value, error.expected) == ("session", text, "AM or PM")
    assert "field 'session'" in str(error)
    assert repr(text) in str(error)


@pytest.mark.parametrize(
    "text",
    [
        "2025-9-8",
        "08/09/2025",
        "2025-02-30",
        "20250908",
        "2025-09-08T09:00",
        "",
        "2025-W37-1",
        "20250908xx",
        "2025-251xx",
        "\uff12\uff10\uff12\uff15-09-08",  # full-width digits
    ],
)
def test_bad_date_names_field_and_value(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(text, field="admission_date")
    assert (caught.value.field, caught.value.value) == ("admission_date", text)
    assert caught.value.expected == "an ISO date YYYY-MM-DD"


def test_dates_parse_with_surrounding_whitespace() -> None:
    assert parse_date(" 2025-09-08 ") == MON
    assert parse_date(MON) is MON


def test_a_datetime_is_not_a_session_date() -> None:
    """Regression: a datetime used to be stored as the session's date, and then failed to
    compare with dates (TypeError) when the code set in force was chosen."""
    with pytest.raises(InputError) as caught:
        Session(dt.datetime(2025, 9, 8, 9, 0), "AM")
    assert caught.value.field == "date"
    with pytest.raises(InputError, match="not a date"):
        Session("8 Sept 2025", "AM")


@pytest.mark.parametrize("minutes", [-1, 2.5, True])
def test_minutes_late_must_be_a_whole_number(minutes: object) -> None:
    with pytest.raises(InputError) as caught:
        Mark(Session(MON, "AM"), "L", minutes)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("minutes_late", minutes)


def test_mark_keeps_its_code_as_written() -> None:
    mark = Mark(Session(MON, "AM"), "I01", None)
    assert mark.code == "I01"
    assert Mark(Session(MON, "AM"), "L", 0).minutes_late == 0


@pytest.mark.parametrize(
    ("day", "on_roll"),
    [
        pytest.param(dt.date(2025, 9, 2), False, id="day-before-admission"),
        pytest.param(dt.date(2025, 9, 3), True, id="admission-day"),
        pytest.param(dt.date(2026, 2, 13), True, id="leaving-day-inclusive"),
        pytest.param(dt.date(2026, 2, 14), False, id="day-after-leaving"),
    ],
)
def test_on_roll_from_admission_to_leaving_inclusive(day: dt.date, on_roll: bool) -> None:
    enrolment = Enrolment("P1", "S1", dt.date(2025, 9, 3), dt.date(2026, 2, 13))
    assert enrolment.on_roll(day) is on_roll


def test_on_roll_without_leaving_date() -> None:
    enrolment = Enrolment("P1", "S1", dt.date(2025, 9, 3))
    assert enrolment.on_roll(dt.date(2040, 1, 1))
    assert not enrolment.on_roll(dt.date(2025, 9, 2))


def test_leaving_before_admission_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        Enrolment("P1", "S1", dt.date(2025, 9, 3), dt.date(2025, 9, 2))
    assert (caught.value.field, caught.value.value) == ("leaving_date", "2025-09-02")
    assert Enrolment("P1", "S1", MON, MON).on_roll(MON)


def test_date_of_birth_never_appears_in_repr() -> None:
    enrolment = Enrolment("P1", "S1", MON, date_of_birth=dt.date(2014, 3, 17))
    text = repr(enrolment)
    assert "P1" in text
    assert "2014" not in text
    assert "date_of_birth" not in text
    assert enrolment.date_of_birth == dt.date(2014, 3, 17)


@pytest.mark.parametrize("code", ["L", "U"], ids=["L-late-before-close", "U-late-after-close"])
def test_minutes_late_belong_on_late_marks(code: str) -> None:
    check_minutes_late(ENGLAND_2024[code], 12)  # no error


@pytest.mark.parametrize("code", ["/", "N", "I", "#"])
def test_minutes_late_on_any_other_mark_are_refused(code: str) -> None:
    with pytest.raises(InputError) as caught:
        check_minutes_late(ENGLAND_2024[code], 12)
    error = caught.value
    assert (error.field, error.value) == ("minutes_late", 12)
    assert error.reason == f"minutes late recorded on a {code!r} mark"
