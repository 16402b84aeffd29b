"""The census attendance module: windows, each inclusion rule by DfE's number, and the output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import School
from attendance_core.calendars import SchoolCalendar
from attendance_core.exceptions import InputError
from attendance_core.io.census import (
    CSV_COLUMNS,
    CensusReturn,
    age_on,
    census_return,
    collection_windows,
    format_census_csv,
    format_census_xml,
)
from attendance_core.model import Enrolment, Mark, Session

CALENDAR = Path(__file__).parent.parent / "docs/examples/calendars/kent-example-primary.toml"


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    while start <= end:
        if start.weekday() < 5:
            days.append(start)
        start += dt.timedelta(days=1)
    return days


def _marks(pupil: str, days: Iterable[dt.date], code: str = "/") -> list[tuple[str, Mark]]:
    marks = []
    for day in days:
        marks.append((pupil, Mark(Session(day, "AM"), code)))
        marks.append((pupil, Mark(Session(day, "PM"), "\\" if code == "/" else code)))
    return marks


def _school(
    marks: list[tuple[str, Mark]],
    enrolments: Iterable[Enrolment],
    pupils: Mapping[str, Mapping[str, str]] | None = None,
    policy: Mapping[str, object] | None = None,
    calendar: SchoolCalendar | None = None,
) -> School:
    return School.assemble(
        marks, enrolments=enrolments, pupils=pupils, policy=policy, calendar=calendar
    )


def _enrol(
    pupil: str, dob: dt.date | None, admitted: str = "2020-09-01", left: str | None = None
) -> Enrolment:
    return Enrolment(
        pupil,
        "",
        dt.date.fromisoformat(admitted),
        dt.date.fromisoformat(left) if left else None,
        dob,
    )


AUTUMN = _weekdays(dt.date(2025, 9, 1), dt.date(2025, 12, 19))
TEN = dt.date(2015, 3, 14)  # aged 10 on 31 August 2025


def _checks(result: CensusReturn) -> dict[tuple[str, str], bool]:
    """The checks by pupil and rule, but the UPN check (these tests' pupil ids are no UPNs)."""
    return {(c.pupil_id, c.rule): c.failed for c in result.checks if c.rule != "upn"}


# -- windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("census", "year", "windows"),
    [
        ("spring", 2026, [("autumn", "2025-08-01", "2025-12-31")]),
        ("summer", 2026, [("spring", "2026-01-01", "2026-04-05")]),  # Easter Sunday 2026
        (
            "autumn",
            2025,
            [("summer 1", "2025-04-21", "2025-05-25"), ("summer 2", "2025-05-26", "2025-07-31")],
        ),
    ],
    ids=["spring-collects-autumn", "summer-collects-spring", "autumn-collects-both-summers"],
)
def test_each_census_collects_the_term_before_by_calendar_dates(
    census: str, year: int, windows: list[tuple[str, str, str]]
) -> None:
    found = collection_windows(census, year)  # type: ignore[arg-type]
    assert [(w.name, w.start.isoformat(), w.end.isoformat()) for w in found] == windows


def test_an_unknown_census_or_year_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown census"):
        collection_windows("winter", 2026)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="census year out of range"):
        collection_windows("spring", 1900)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        ("2015-08-31", "2025-08-31", 10),
        ("2015-09-01", "2025-08-31", 9),
        ("2016-02-29", "2025-02-28", 8),
        ("2016-02-29", "2025-03-01", 9),
    ],
)
def test_age_in_whole_years(born: str, on: str, age: int) -> None:
    assert age_on(dt.date.fromisoformat(born), dt.date.fromisoformat(on)) == age


# -- the figures -----------------------------------------------------------------------------


def test_reasons_replace_totals_and_zero_reasons_are_dropped() -> None:
    marks = (
        _marks("P", AUTUMN[:-3]) + _marks("P", AUTUMN[-3:-1], "I") + _marks("P", AUTUMN[-1:], "G")
    )
    result = census_return(_school(marks, [_enrol("P", TEN)]), "spring", 2026)
    (pupil,) = result.pupils
    (block,) = pupil.blocks
    assert block.element == "TermlyAttendance"
    assert block.sessions_possible == 2 * len(AUTUMN)
    assert (block.sessions_authorised, block.sessions_unauthorised) == (4, 2)
    assert block.reasons == (("G", 2), ("I", 4))
    xml = format_census_xml(result)
    assert "<SessionsAuthorised>" not in xml
    assert "<AttendanceReason>I</AttendanceReason>" in xml


def test_without_reasons_the_totals_are_returned() -> None:
    marks = _marks("P", AUTUMN[:-1]) + _marks("P", AUTUMN[-1:], "I")
    policy: dict[str, object] = {"census": {"reason_categories": []}}
    result = census_return(_school(marks, [_enrol("P", TEN)], policy=policy), "spring", 2026)
    (block,) = result.pupils[0].blocks
    assert block.reasons == ()
    xml = format_census_xml(result)
    assert "<SessionsAuthorised>2</SessionsAuthorised>" in xml
    assert "<SessionDetails>" not in xml


def test_only_sessions_on_roll_in_the_window_count() -> None:
    marks = _marks("P", AUTUMN) + _marks("P", [dt.date(2026, 1, 5)], "O")
    enrolment = _enrol("P", TEN, admitted="2025-10-01")
    (block,) = census_return(_school(marks, [enrolment]), "spring", 2026).pupils[0].blocks
    assert block.sessions_possible == 2 * len([d for d in AUTUMN if d >= dt.date(2025, 10, 1)])
    assert block.reasons == ()  # the January O is outside the window


def test_each_code_is_read_with_the_set_of_its_date_and_f_is_returned_as_h() -> None:
    days = _weekdays(dt.date(2024, 8, 12), dt.date(2024, 8, 23))  # across 19 August 2024
    marks = _marks("P", days[:5], "F") + _marks("P", days[5:], "C2")
    result = census_return(_school(marks, [_enrol("P", dt.date(2012, 1, 1))]), "spring", 2025)
    assert result.pupils[0].blocks[0].reasons == (("C2", 10), ("H", 10))


def test_the_autumn_census_returns_the_second_summer_half_term_separately() -> None:
    days = _weekdays(dt.date(2025, 4, 22), dt.date(2025, 7, 22))
    marks = _marks("P", days[:-1]) + _marks("P", days[-1:], "I")
    (pupil,) = census_return(_school(marks, [_enrol("P", TEN)]), "autumn", 2025).pupils
    first, second = pupil.blocks
    assert (first.element, second.element) == ("TermlyAttendance", "SummerHalfTerm2Attendance")
    assert first.reasons == ()
    assert second.reasons == (("I", 2),)


def test_a_joiner_in_the_second_summer_half_term_has_only_that_block() -> None:
    days = _weekdays(dt.date(2025, 6, 2), dt.date(2025, 7, 22))
    enrolment = _enrol("P", TEN, admitted="2025-06-02")
    result = census_return(_school(_marks("P", days), [enrolment]), "autumn", 2025)
    assert [b.element for b in result.pupils[0].blocks] == ["SummerHalfTerm2Attendance"]
    assert _checks(result) == {}


# -- rule 2470: age at 31 August and boarders ------------------------------------------------


@pytest.mark.parametrize(
    ("born", "returned"),
    [
        ("2022-08-31", False),  # aged 3 on 31 August 2025
        ("2021-08-31", True),  # aged 4: returned, as suppliers do (policy minimum_age)
        ("2010-09-01", True),  # aged 14
        ("2009-09-01", True),  # aged 15
        ("2009-08-31", False),  # aged 16
    ],
)
def test_rule_2470_age_at_31_august(born: str, returned: bool) -> None:
    school = _school(_marks("P", AUTUMN), [_enrol("P", dt.date.fromisoformat(born))])
    result = census_return(school, "spring", 2026)
    assert bool(result.pupils) is returned
    assert _checks(result) == ({} if returned else {("P", "2470"): False})


def test_rule_2470_minimum_age_is_a_policy_setting() -> None:
    school = _school(
        _marks("P", AUTUMN),
        [_enrol("P", dt.date(2021, 8, 31))],
        policy={"census": {"minimum_age": 5}},
    )
    assert census_return(school, "spring", 2026).pupils == ()


def test_rule_2470_ages_for_the_autumn_census_are_taken_as_the_policy_says() -> None:
    days = _weekdays(dt.date(2025, 4, 22), dt.date(2025, 7, 22))
    born = dt.date(2009, 6, 1)  # 15 on 31 August 2024 (Year 11 in 2024/25), 16 a year later
    sessions_year = _school(_marks("P", days), [_enrol("P", born)])
    assert len(census_return(sessions_year, "autumn", 2025).pupils) == 1
    census_year = _school(
        _marks("P", days), [_enrol("P", born)], policy={"census": {"age_at": "census_year"}}
    )
    result = census_return(census_year, "autumn", 2025)
    assert result.pupils == ()
    assert "aged 16 on 2025-08-31" in str(result.checks[0])


@pytest.mark.parametrize(
    ("boarder", "returned"), [("B", False), ("6", False), ("7", False), ("N", True)]
)
def test_rule_2470_boarders_are_not_returned(boarder: str, returned: bool) -> None:
    school = _school(_marks("P", AUTUMN), [_enrol("P", TEN)], pupils={"P": {"boarder": boarder}})
    assert bool(census_return(school, "spring", 2026).pupils) is returned


def test_rule_2470_boarder_values_are_a_policy_setting() -> None:
    school = _school(
        _marks("P", AUTUMN),
        [_enrol("P", TEN)],
        pupils={"P": {"boarder": "6"}},
        policy={"census": {"boarder_values": ["B"]}},
    )
    assert len(census_return(school, "spring", 2026).pupils) == 1


def test_rule_2470_fails_without_a_date_of_birth_and_reads_one_from_the_pupils() -> None:
    result = census_return(_school(_marks("P", AUTUMN), [_enrol("P", None)]), "spring", 2026)
    assert _checks(result) == {("P", "2470"): True}
    school = _school(
        _marks("P", AUTUMN), [_enrol("P", None)], pupils={"P": {"date_of_birth": "2015-03-14"}}
    )
    assert len(census_return(school, "spring", 2026).pupils) == 1


# -- query 2502Q and rule 1925 ---------------------------------------------------------------


def test_query_2502q_zero_possible_is_allowed_only_when_dual_registered() -> None:
    marks = _marks("D1", AUTUMN, "D") + _marks("D2", AUTUMN, "D") + _marks("X1", AUTUMN, "X")
    enrolments = [_enrol("D1", TEN), _enrol("D2", TEN), _enrol("X1", dt.date(2021, 3, 1))]
    pupils = {"D1": {"enrol_status": "S"}}
    result = census_return(_school(marks, enrolments, pupils=pupils), "spring", 2026)
    assert result.pupils == ()
    assert _checks(result) == {
        ("D1", "2502Q"): False,  # dual registered, the whole term at the other school
        ("D2", "2502Q"): True,  # D codes but not recorded as dual registered: a query
        ("X1", "2502Q"): True,  # only X codes: fires too, as suppliers report
    }


def test_rule_1925_a_leaver_without_attendance_in_the_window_is_not_returned() -> None:
    summer = _weekdays(dt.date(2025, 4, 22), dt.date(2025, 7, 18))
    marks = _marks("L2", summer[:10])
    enrolments = [
        _enrol("L1", TEN, left="2024-12-15"),  # left in 2024/25, before the summer window
        _enrol("L0", TEN, left="2024-07-19"),  # left in 2023/24: an earlier year's return
        _enrol("L2", TEN, left=summer[9].isoformat()),
    ]
    result = census_return(_school(marks, enrolments), "autumn", 2025)
    assert [(p.pupil_id, p.on_roll) for p in result.pupils] == [("L2", False)]
    assert _checks(result) == {("L1", "1925"): False}


def test_a_leaver_on_roll_only_in_the_summer_holiday_is_queried_and_not_returned() -> None:
    # ScholarPack: 2502Q fires for a leaving date set after the end of the previous year.
    result = census_return(_school([], [_enrol("L", TEN, left="2025-08-10")]), "spring", 2026)
    assert result.pupils == ()
    assert _checks(result) == {("L", "2502Q"): True, ("L", "1925"): False}


def test_a_census_date_decides_who_is_no_longer_on_roll() -> None:
    marks = _marks("L", AUTUMN)
    enrolments = [_enrol("L", TEN, left="2026-01-20")]
    early = census_return(
        _school(marks, enrolments), "spring", 2026, census_date=dt.date(2026, 1, 15)
    )
    assert early.pupils[0].on_roll
    assert not census_return(_school(marks, enrolments), "spring", 2026).pupils[0].on_roll


def test_pupils_in_the_marks_without_an_enrolment_are_reported() -> None:
    result = census_return(
        _school(_marks("P", AUTUMN) + _marks("Q", AUTUMN), [_enrol("P", TEN)]), "spring", 2026
    )
    assert _checks(result) == {("Q", "roll"): True}


def test_a_returned_pupil_without_a_valid_upn_fails_the_upn_check() -> None:
    marks = _marks("P", AUTUMN) + _marks("Q", AUTUMN)
    enrolments = [_enrol("P", TEN), _enrol("Q", TEN)]
    pupils = {"P": {"upn": "G820200125001"}, "Q": {"upn": "A820200125001"}}  # Q's letter wrong
    result = census_return(_school(marks, enrolments, pupils), "spring", 2026)
    assert [(c.pupil_id, c.rule, c.failed) for c in result.checks] == [("Q", "upn", True)]
    assert len(result.pupils) == 2  # still returned, so no figures are lost


def test_the_census_needs_enrolments() -> None:
    with pytest.raises(InputError, match="needs enrolments"):
        census_return(School.assemble(_marks("P", AUTUMN)), "spring", 2026)


def test_missing_marks_on_school_sessions_are_reported_with_a_calendar() -> None:
    calendar = SchoolCalendar.from_toml(CALENDAR)
    marks = _marks("P", AUTUMN[1:])
    result = census_return(_school(marks, [_enrol("P", TEN)], calendar=calendar), "spring", 2026)
    (check,) = [c for c in result.checks if c.rule != "upn"]
    assert (check.rule, check.failed) == ("marks", True)
    assert "2 school sessions" in check.message


def test_a_reason_for_entry_that_is_no_code_is_refused() -> None:
    school = _school(
        _marks("P", AUTUMN), [_enrol("P", TEN)], policy={"census": {"reason_for": {"F": "Q9"}}}
    )
    with pytest.raises(InputError, match=r"census\.reason_for\.F"):
        census_return(school, "spring", 2026)


# -- output ----------------------------------------------------------------------------------


def test_the_xml_groups_pupils_on_roll_and_no_longer_on_roll() -> None:
    marks = _marks("A", AUTUMN) + _marks("B", AUTUMN[:5])
    enrolments = [_enrol("A", TEN), _enrol("B", TEN, left=AUTUMN[4].isoformat())]
    pupils = {"A": {"upn": "G820200125001"}}
    root = ET.fromstring(
        format_census_xml(census_return(_school(marks, enrolments, pupils), "spring", 2026))
    )
    assert root.findtext("PupilsOnRoll/PupilOnRoll/PupilIdentifiers/UPN") == "G820200125001"
    assert root.findtext("PupilsNoLongerOnRoll/PupilNoLongerOnRoll/PupilIdentifiers/UPN") == "B"
    possible = root.findtext(
        "PupilsNoLongerOnRoll/PupilNoLongerOnRoll/Attendance/TermlyAttendance/SessionsPossible"
    )
    assert possible == "10"


def test_the_csv_has_fixed_columns_and_neutralises_formulae() -> None:
    marks = _marks("=1+1", AUTUMN[:-1]) + _marks("=1+1", AUTUMN[-1:], "M")
    result = census_return(_school(marks, [_enrol("=1+1", TEN)]), "spring", 2026)
    rows = list(csv.DictReader(io.StringIO(format_census_csv(result))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["pupil_id"] == "'=1+1"
    assert (rows[0]["attendance_reason"], rows[0]["sessions"], rows[0]["sessions_authorised"]) == (
        "M",
        "2",
        "",
    )


_CODES = st.sampled_from(["/", "L", "B", "V", "I", "M", "C2", "G", "O", "U", "D", "Y4", "#"])


@settings(max_examples=40, deadline=None)
@given(st.lists(_CODES, min_size=1, max_size=60))
def test_possible_sessions_are_the_counted_codes_and_reasons_never_zero(codes: list[str]) -> None:
    sessions = [Session(day, part) for day in AUTUMN for part in ("AM", "PM")][: len(codes)]
    marks = [("P", Mark(s, c)) for s, c in zip(sessions, codes, strict=True)]
    result = census_return(_school(marks, [_enrol("P", TEN)]), "spring", 2026)
    counted = [c for c in codes if c not in ("D", "Y4", "#")]
    if not counted:
        assert result.pupils == ()
        assert _checks(result) == {("P", "2502Q"): True}
        return
    (block,) = result.pupils[0].blocks
    assert block.sessions_possible == len(counted)
    assert all(n > 0 for _, n in block.reasons)
    assert sum(n for _, n in block.reasons) == len([c for c in counted if c not in ("/", "L")])
    assert block.sessions_unauthorised == len([c for c in codes if c in ("G", "O", "U")])
