"""School calendars: literal examples from the Kent example calendars in docs/examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from attendance_core import Enrolment, Session
from attendance_core.calendars import (
    AcademicYear,
    BankHoliday,
    Closure,
    Nation,
    SchoolCalendar,
    Term,
    academic_year_bounds,
    academic_year_of,
)
from attendance_core.exceptions import InputError
from attendance_core.model import Part

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "calendars"
D = dt.date


@pytest.fixture(scope="module")
def primary() -> SchoolCalendar:
    return SchoolCalendar.from_toml(EXAMPLES / "kent-example-primary.toml")


@pytest.fixture(scope="module")
def academy() -> SchoolCalendar:
    return SchoolCalendar.from_toml(EXAMPLES / "kent-example-academy.toml")


def _one_year(nation: str, year: int, *, extra: tuple[BankHoliday, ...] = ()) -> SchoolCalendar:
    """A calendar whose only term is the whole academic year, so only holidays remove days."""
    term = Term("All year", D(year, 8, 1), D(year + 1, 7, 31))
    return SchoolCalendar(
        "t", Nation(nation), (AcademicYear(year, (term,)),), extra_bank_holidays=extra
    )


# -- sessions in a real year ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("calendar", "year", "sessions", "short"),
    [
        pytest.param("primary", 2024, 378, True, id="kent-primary-2024/25-polling-day-closure"),
        pytest.param("primary", 2025, 379, True, id="kent-primary-2025/26-Y4-afternoon"),
        pytest.param("academy", 2024, 380, False, id="kent-academy-2024/25-190-days"),
        pytest.param("academy", 2025, 380, False, id="kent-academy-2025/26-190-days"),
    ],
)
def test_sessions_in_year(
    request: pytest.FixtureRequest, calendar: str, year: int, sessions: int, short: bool
) -> None:
    cal: SchoolCalendar = request.getfixturevalue(calendar)
    result = cal.year_sessions(year)
    assert (result.sessions, result.minimum, result.below_minimum) == (sessions, 380, short)
    assert (result.warning is not None) is short


def test_minimum_is_configurable_and_the_year_can_override_it(primary: SchoolCalendar) -> None:
    assert primary.year_sessions(2024, minimum=378).warning is None
    term = Term("All", D(2011, 9, 5), D(2012, 7, 20))
    cal = SchoolCalendar(
        "2011", Nation.ENGLAND, (AcademicYear(2011, (term,), minimum_sessions=378),)
    )
    assert cal.year_sessions(2011).minimum == 378


def test_short_year_warning_names_the_regulation(primary: SchoolCalendar) -> None:
    assert primary.year_sessions(2024).warning == (
        "2024/25 has 378 sessions, fewer than the minimum of 380 "
        "(Education (School Day and School Year) (England) Regulations 1999 reg 3)"
    )


# -- days, closures, bank holidays ------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "school", "parts"),
    [
        pytest.param(D(2024, 9, 2), True, (Part.AM, Part.PM), id="first-day-of-term-1"),
        pytest.param(D(2024, 9, 7), False, (), id="saturday"),
        pytest.param(D(2024, 10, 21), False, (), id="inset-day"),
        pytest.param(D(2024, 10, 28), False, (), id="october-break"),
        pytest.param(D(2025, 5, 5), False, (), id="early-may-bank-holiday-in-term"),
        pytest.param(D(2025, 5, 1), False, (), id="planned-closure-polling-day"),
        pytest.param(D(2026, 1, 20), True, (Part.AM,), id="Y4-afternoon-only"),
        pytest.param(D(2026, 3, 11), True, (Part.AM, Part.PM), id="Y3-partial-stays-a-school-day"),
        pytest.param(D(2025, 8, 1), False, (), id="summer-holiday"),
        pytest.param(D(2023, 9, 4), False, (), id="outside-the-calendar"),
    ],
)
def test_school_days(
    primary: SchoolCalendar, day: dt.date, school: bool, parts: tuple[Part, ...]
) -> None:
    assert primary.is_school_day(day) is school
    assert primary.parts_of(day) == parts


@pytest.mark.parametrize(
    ("session", "code", "why"),
    [
        pytest.param(
            Session(D(2024, 10, 21), "AM"), "#", "INSET day", id="inset-is-planned-closure"
        ),
        pytest.param(Session(D(2025, 5, 1), "PM"), "#", "closure", id="polling-day"),
        pytest.param(Session(D(2026, 1, 20), "PM"), "Y4", "closure", id="Y4-afternoon"),
        pytest.param(Session(D(2026, 1, 20), "AM"), None, None, id="Y4-morning-open"),
        pytest.param(Session(D(2026, 3, 11), "AM"), "Y3", None, id="Y3-open-for-others"),
        pytest.param(Session(D(2025, 5, 5), "AM"), None, "bank holiday", id="bank-holiday"),
        pytest.param(Session(D(2024, 9, 7), "AM"), None, "weekend", id="weekend"),
        pytest.param(Session(D(2024, 12, 27), "AM"), None, "holiday", id="christmas-holiday"),
        pytest.param(Session(D(2023, 9, 4), "AM"), None, "outside the calendar", id="other-year"),
    ],
)
def test_closure_codes_and_reasons(
    primary: SchoolCalendar, session: Session, code: str | None, why: str | None
) -> None:
    assert primary.closure_code(session) == code
    assert primary.why_not_school_session(session) == why


def test_half_term_holiday_reason(academy: SchoolCalendar) -> None:
    assert academy.why_not_school_session(Session(D(2025, 2, 18), "AM")) == "half-term holiday"


@pytest.mark.parametrize(
    ("nation", "year", "day", "school"),
    [
        pytest.param("england", 2022, D(2022, 6, 3), False, id="platinum-jubilee-2022"),
        pytest.param("england", 2022, D(2022, 9, 19), False, id="state-funeral-2022"),
        pytest.param("england", 2022, D(2023, 5, 8), False, id="coronation-2023"),
        pytest.param("england", 2024, D(2025, 3, 17), True, id="st-patricks-not-in-england"),
        pytest.param("northern-ireland", 2024, D(2025, 3, 17), False, id="st-patricks-ni"),
        pytest.param("northern-ireland", 2024, D(2025, 7, 14), False, id="boyne-observed-ni"),
        pytest.param("scotland", 2024, D(2025, 1, 2), False, id="2-january-scotland"),
        pytest.param("scotland", 2024, D(2025, 4, 21), True, id="no-easter-monday-scotland"),
        pytest.param("scotland", 2025, D(2025, 8, 4), False, id="first-monday-august-scotland"),
        pytest.param("wales", 2024, D(2025, 4, 21), False, id="easter-monday-wales"),
        pytest.param("england", 2025, D(2025, 8, 4), True, id="england-not-first-monday-august"),
        pytest.param("england", 2025, D(2025, 8, 25), False, id="england-last-monday-august"),
    ],
)
def test_bank_holidays_by_nation(nation: str, year: int, day: dt.date, school: bool) -> None:
    assert _one_year(nation, year).is_school_day(day) is school


def test_extra_bank_holiday_declared_in_the_calendar() -> None:
    extra = (BankHoliday(D(2025, 6, 9), "A one-off bank holiday"),)
    cal = _one_year("england", 2024, extra=extra)
    assert not cal.is_school_day(D(2025, 6, 9))
    assert cal.bank_holiday(D(2025, 6, 9)) == "A one-off bank holiday"
    assert cal.bank_holiday(D(2025, 5, 26)) == "Spring Bank Holiday"


# -- sessions, weeks, arithmetic --------------------------------------------------------------
def test_sessions_in_order_skip_closed_sessions(primary: SchoolCalendar) -> None:
    assert primary.sessions(D(2026, 1, 19), D(2026, 1, 21)) == [
        Session(D(2026, 1, 19), "AM"),
        Session(D(2026, 1, 19), "PM"),
        Session(D(2026, 1, 20), "AM"),
        Session(D(2026, 1, 21), "AM"),
        Session(D(2026, 1, 21), "PM"),
    ]


def test_school_weeks_around_christmas(primary: SchoolCalendar) -> None:
    weeks = primary.school_weeks(D(2024, 12, 11), D(2025, 1, 14))
    assert [(w.start, len(w.days)) for w in weeks] == [
        (D(2024, 12, 9), 3),
        (D(2024, 12, 16), 5),
        (D(2025, 1, 6), 5),
        (D(2025, 1, 13), 2),
    ]


def test_rolling_ten_weeks_span_the_summer_holiday_worked_example_4(
    primary: SchoolCalendar,
) -> None:
    """§8 example 4: ten school weeks ending in autumn week 3 reach back into the summer term."""
    weeks = primary.last_school_weeks(D(2025, 9, 19), 10)
    assert [w.start for w in weeks] == [
        D(2025, 6, 9),
        D(2025, 6, 16),
        D(2025, 6, 23),
        D(2025, 6, 30),
        D(2025, 7, 7),
        D(2025, 7, 14),
        D(2025, 7, 21),
        D(2025, 9, 1),
        D(2025, 9, 8),
        D(2025, 9, 15),
    ]
    assert weeks[6].days == (D(2025, 7, 21), D(2025, 7, 22))
    assert sum(len(w.days) for w in weeks) == 47


@pytest.mark.parametrize(
    ("end", "first", "last", "last_days"),
    [
        pytest.param(D(2024, 12, 28), D(2024, 11, 4), D(2024, 12, 16), 5, id="ends-in-holiday"),
        pytest.param(D(2024, 11, 4), D(2024, 9, 9), D(2024, 11, 4), 1, id="ends-on-a-monday"),
        pytest.param(D(2024, 10, 21), D(2024, 9, 2), D(2024, 10, 14), 5, id="ends-on-inset"),
    ],
)
def test_last_school_weeks_edges(
    primary: SchoolCalendar, end: dt.date, first: dt.date, last: dt.date, last_days: int
) -> None:
    weeks = primary.last_school_weeks(end, 7)
    assert (weeks[0].start, weeks[-1].start, len(weeks[-1].days)) == (first, last, last_days)


def test_last_school_weeks_returns_all_there_are(primary: SchoolCalendar) -> None:
    weeks = primary.last_school_weeks(D(2024, 9, 20), 10)
    assert [w.start for w in weeks] == [D(2024, 9, 2), D(2024, 9, 9), D(2024, 9, 16)]
    assert primary.last_school_weeks(D(2024, 9, 20), 0) == []


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        pytest.param(D(2024, 12, 20), 1, D(2025, 1, 6), id="over-christmas"),
        pytest.param(D(2025, 5, 2), 1, D(2025, 5, 6), id="over-bank-holiday"),
        pytest.param(D(2025, 5, 6), -1, D(2025, 5, 2), id="back-over-bank-holiday"),
        pytest.param(D(2024, 10, 18), 5, D(2024, 11, 8), id="over-inset-week-and-break"),
        pytest.param(D(2024, 10, 26), 1, D(2024, 11, 4), id="from-a-non-school-day"),
        pytest.param(D(2024, 10, 26), -1, D(2024, 10, 18), id="back-from-a-non-school-day"),
        pytest.param(D(2024, 10, 26), 0, D(2024, 10, 26), id="zero"),
        pytest.param(D(2025, 7, 22), 1, D(2025, 9, 1), id="over-summer-into-next-year"),
    ],
)
def test_add_school_days(primary: SchoolCalendar, day: dt.date, n: int, expected: dt.date) -> None:
    assert primary.add_school_days(day, n) == expected


def test_add_school_days_past_the_calendar_is_an_error(primary: SchoolCalendar) -> None:
    with pytest.raises(InputError, match="outside the calendar"):
        primary.add_school_days(D(2026, 7, 20), 5)
    with pytest.raises(InputError, match="2024/25 to 2025/26"):
        primary.add_school_days(D(2024, 9, 3), -2)


def test_count_school_days(primary: SchoolCalendar) -> None:
    # 1 May is the polling-day closure, 3-4 May a weekend, 5 May the early May bank holiday.
    assert primary.school_days(D(2025, 5, 1), D(2025, 5, 9)) == [
        D(2025, 5, 2),
        D(2025, 5, 6),
        D(2025, 5, 7),
        D(2025, 5, 8),
        D(2025, 5, 9),
    ]
    assert primary.count_school_days(D(2025, 5, 1), D(2025, 5, 9)) == 5
    assert primary.count_school_days(D(2025, 5, 9), D(2025, 5, 1)) == 0


# -- years, terms, half-terms -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2025, 7, 31), 2024), (D(2025, 8, 1), 2025), (D(2026, 1, 1), 2025)],
    ids=["31-july", "1-august", "new-year"],
)
def test_academic_year_runs_1_august_to_31_july(day: dt.date, year: int) -> None:
    assert academic_year_of(day) == year


def test_terms_and_half_terms(academy: SchoolCalendar, primary: SchoolCalendar) -> None:
    assert [h.name for h in academy.half_terms(2024)] == [
        "Autumn 1",
        "Autumn 2",
        "Spring 1",
        "Spring 2",
        "Summer 1",
        "Summer 2",
    ]
    spring_holiday = academy.term_of(D(2025, 2, 18))
    assert spring_holiday is not None
    assert spring_holiday.name == "Spring"
    assert academy.half_term_of(D(2025, 2, 18)) is None
    half = academy.half_term_of(D(2025, 2, 24))
    assert half is not None
    assert (half.name, half.start, half.end) == (
        "Spring 2",
        D(2025, 2, 24),
        D(2025, 4, 4),
    )
    term = primary.term_of(D(2024, 11, 20))
    assert term is not None
    assert term.name == "Term 2"
    six = primary.half_term_of(D(2026, 7, 1))
    assert six is not None
    assert six.name == "Term 6"
    assert primary.term_of(D(2025, 8, 10)) is None
    assert primary.half_terms(2030) == []


# -- census windows ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "windows"),
    [
        pytest.param(
            2024,
            [
                ("autumn", D(2024, 8, 1), D(2024, 12, 31)),
                ("spring", D(2025, 1, 1), D(2025, 4, 20)),
                ("summer 1", D(2025, 4, 21), D(2025, 5, 25)),
                ("summer 2", D(2025, 5, 26), D(2025, 7, 31)),
            ],
            id="2024/25",
        ),
        pytest.param(
            2025,
            [
                ("autumn", D(2025, 8, 1), D(2025, 12, 31)),
                ("spring", D(2026, 1, 1), D(2026, 4, 5)),
                ("summer 1", D(2026, 4, 6), D(2026, 5, 24)),
                ("summer 2", D(2026, 5, 25), D(2026, 7, 31)),
            ],
            id="2025/26",
        ),
        pytest.param(
            2021,
            [
                ("autumn", D(2021, 8, 1), D(2021, 12, 31)),
                ("spring", D(2022, 1, 1), D(2022, 4, 17)),
                ("summer 1", D(2022, 4, 18), D(2022, 5, 29)),
                ("summer 2", D(2022, 5, 30), D(2022, 7, 31)),
            ],
            id="2021/22-spring-bank-holiday-moved-to-thursday",
        ),
    ],
)
def test_census_windows(
    primary: SchoolCalendar, year: int, windows: list[tuple[str, dt.date, dt.date]]
) -> None:
    assert [(w.name, w.start, w.end) for w in primary.census_windows(year)] == windows


def test_census_windows_before_the_spring_bank_holiday_existed_are_an_input_error(
    primary: SchoolCalendar,
) -> None:
    with pytest.raises(InputError, match="no Spring Bank Holiday in 1961") as caught:
        primary.census_windows(1960)
    assert (caught.value.field, caught.value.value) == ("academic_year", 1960)


# -- expected sessions ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("admission", "leaving", "until", "count"),
    [
        pytest.param(D(2026, 1, 19), D(2026, 1, 21), None, 5, id="leaver-inclusive"),
        pytest.param(D(2026, 7, 20), None, None, 4, id="on-roll-to-calendar-end"),
        pytest.param(D(2026, 1, 19), None, D(2026, 1, 19), 2, id="on-roll-until-as-of"),
        pytest.param(D(2025, 7, 25), D(2025, 8, 20), None, 0, id="only-holiday"),
    ],
)
def test_expected_sessions(
    primary: SchoolCalendar,
    admission: dt.date,
    leaving: dt.date | None,
    until: dt.date | None,
    count: int,
) -> None:
    enrolment = Enrolment("P1", "S", admission, leaving)
    assert len(primary.expected_sessions(enrolment, until=until)) == count


def test_closure_parts_and_register_times(primary: SchoolCalendar) -> None:
    closure = Closure(D(2026, 1, 20), D(2026, 1, 20), "Y4", parts=("PM",))
    assert closure.parts == (Part.PM,)
    assert closure.removes_sessions
    times = primary.register_times
    assert times is not None
    assert times.for_part(Part.PM).minutes_open == 15
    assert (primary.first_day, primary.last_day) == (D(2024, 9, 2), D(2026, 7, 21))


def test_half_terms_follow_the_dates_not_the_names() -> None:
    terms = (
        Term("Trinity", D(2026, 4, 13), D(2026, 7, 17)),
        Term("Michaelmas", D(2025, 9, 3), D(2025, 12, 19)),
        Term("Lent", D(2026, 1, 5), D(2026, 3, 27)),
    )
    cal = SchoolCalendar("t", Nation.ENGLAND, (AcademicYear(2025, terms),))
    assert [h.name for h in cal.half_terms(2025)] == ["Michaelmas", "Lent", "Trinity"]


def test_bank_holidays_ask_holidays_for_the_nation_in_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The subdivision and the language are always given, never left to a default."""
    import holidays

    from attendance_core.calendars import (
        _bank_holidays,
    )

    asked: list[dict[str, object]] = []
    real = holidays.country_holidays

    def spy(country: str, **kwargs: Any) -> Any:
        asked.append({"country": country, **kwargs})
        return real(country, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", spy)
    _bank_holidays._year.cache_clear()
    try:
        names = {h.name for h in _bank_holidays.bank_holidays(Nation.WALES, (2025,))}
    finally:
        _bank_holidays._year.cache_clear()
    assert asked == [{"country": "GB", "subdiv": "WLS", "years": 2025, "language": "en_GB"}]
    assert {"Easter Monday", "Spring Bank Holiday", "Christmas Day"} <= names


@pytest.mark.parametrize(
    ("day", "half_term"),
    [
        # The February break is Mon 17 to Fri 21 February 2025.
        pytest.param(D(2025, 2, 14), "Spring 1", id="last-friday-before-the-break"),
        pytest.param(D(2025, 2, 15), None, id="saturday-before-the-break-is-the-break"),
        pytest.param(D(2025, 2, 16), None, id="sunday-before-the-break-is-the-break"),
        pytest.param(D(2025, 2, 22), None, id="saturday-after-the-break-is-the-break"),
        pytest.param(D(2025, 2, 23), None, id="sunday-after-the-break-is-the-break"),
        pytest.param(D(2025, 2, 24), "Spring 2", id="monday-after-the-break"),
        pytest.param(D(2025, 3, 1), "Spring 2", id="weekend-inside-a-half-term"),
        pytest.param(D(2025, 1, 4), None, id="saturday-before-the-term"),
    ],
)
def test_half_term_of_a_weekend(
    academy: SchoolCalendar, day: dt.date, half_term: str | None
) -> None:
    found = academy.half_term_of(day)
    assert (found.name if found else None) == half_term


@pytest.mark.parametrize(
    ("day", "term"),
    [
        pytest.param(D(2025, 2, 22), "Spring", id="weekend-after-the-break-is-in-the-term"),
        pytest.param(D(2025, 3, 1), "Spring", id="weekend-inside-the-term"),
        pytest.param(D(2025, 4, 5), None, id="saturday-after-the-term"),
    ],
)
def test_term_of_a_weekend(academy: SchoolCalendar, day: dt.date, term: str | None) -> None:
    found = academy.term_of(day)
    assert (found.name if found else None) == term


def test_half_terms_run_from_their_first_weekday_to_their_last(academy: SchoolCalendar) -> None:
    assert [(h.name, h.start, h.end) for h in academy.half_terms(2024)] == [
        ("Autumn 1", D(2024, 9, 2), D(2024, 10, 25)),
        ("Autumn 2", D(2024, 11, 4), D(2024, 12, 20)),
        ("Spring 1", D(2025, 1, 6), D(2025, 2, 14)),
        ("Spring 2", D(2025, 2, 24), D(2025, 4, 4)),
        ("Summer 1", D(2025, 4, 22), D(2025, 5, 23)),
        ("Summer 2", D(2025, 6, 2), D(2025, 7, 22)),
    ]


def test_terms_recorded_from_a_weekend_start_and_end_on_weekdays() -> None:
    calendar = SchoolCalendar.from_mapping(
        {
            "name": "Weekend-dated terms",
            "nation": "england",
            "years": [
                {
                    "academic_year": 2025,
                    "terms": [{"name": "Autumn", "start": "2025-08-30", "end": "2025-12-21"}],
                    "half_term_holidays": [{"start": "2025-10-27", "end": "2025-10-31"}],
                }
            ],
        }
    )
    [autumn] = calendar.terms(2025)
    assert (autumn.start, autumn.end) == (D(2025, 9, 1), D(2025, 12, 19))
    assert [(h.start, h.end) for h in calendar.half_terms(2025)] == [
        (D(2025, 9, 1), D(2025, 10, 24)),
        (D(2025, 11, 3), D(2025, 12, 19)),
    ]
    term = calendar.term_of(D(2025, 8, 30))  # as recorded
    assert term is not None
    assert term.start == D(2025, 8, 30)
    assert calendar.terms(2026) == []


@pytest.mark.parametrize(
    ("year", "bounds"),
    [
        pytest.param(2024, (D(2024, 8, 1), D(2025, 7, 31)), id="2024-25"),
        pytest.param(2025, (D(2025, 8, 1), D(2026, 7, 31)), id="2025-26"),
    ],
)
def test_academic_year_bounds_are_1_august_and_31_july(
    year: int, bounds: tuple[dt.date, dt.date]
) -> None:
    first, last = academic_year_bounds(year)
    assert (first, last) == bounds
    assert academic_year_of(first) == academic_year_of(last) == year
    assert academic_year_of(first - dt.timedelta(days=1)) == year - 1
    assert academic_year_of(last + dt.timedelta(days=1)) == year + 1
