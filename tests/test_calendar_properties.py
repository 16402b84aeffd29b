"""Hypothesis properties of school calendars: invariants every calendar must keep."""

from __future__ import annotations

import datetime as dt
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core.calendars import (
    CLOSURE_CODES,
    AcademicYear,
    BankHoliday,
    Closure,
    HalfTermHoliday,
    Nation,
    RegisterTimes,
    SchoolCalendar,
    SessionTimes,
    Term,
    bank_holidays,
)
from attendance_core.calendars._validate import calendar_problems
from attendance_core.exceptions import InputError
from attendance_core.model import Part

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

DAY = dt.timedelta(days=1)
_TEXT = st.text(min_size=1, max_size=10).filter(str.strip)
"""Names, reasons and sources: any text a file can hold (quotes, backslashes, DEL, emoji)."""


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


@st.composite
def _year(
    draw: st.DrawFn, year: int, nation: Nation, extra: frozenset[dt.date] = frozenset()
) -> AcademicYear:
    holidays = {h.date for h in bank_holidays(nation, (year, year + 1))} | extra
    spans = [
        ("Autumn", dt.date(year, 9, 1), dt.date(year, 12, 16)),
        ("Spring", dt.date(year + 1, 1, 3), dt.date(year + 1, 3, 25)),
        ("Summer", dt.date(year + 1, 4, 14), dt.date(year + 1, 7, 16)),
    ]
    terms, breaks = [], []
    for name, first, last in spans:
        start = first + draw(st.integers(0, 6)) * DAY
        end = last + draw(st.integers(0, 6)) * DAY
        terms.append(Term(name, start, end))
        if draw(st.booleans()):
            monday = _monday_on_or_after(start + draw(st.integers(21, 42)) * DAY)
            breaks.append(HalfTermHoliday(monday, monday + 4 * DAY, draw(st.just("") | _TEXT)))

    def open_day(day: dt.date) -> bool:
        return (
            day.weekday() < 5
            and day not in holidays
            and any(t.start <= day <= t.end for t in terms)
            and not any(b.start <= day <= b.end for b in breaks)
        )

    first_day = terms[0].start
    offsets = st.integers(0, (terms[-1].end - first_day).days)
    inset = sorted(
        {
            d
            for d in (first_day + o * DAY for o in draw(st.lists(offsets, max_size=5)))
            if open_day(d)
        }
    )
    closures = []
    used = set(inset)
    for offset, length, code, parts in draw(
        st.lists(
            st.tuples(
                offsets,
                st.integers(0, 3),
                st.sampled_from(CLOSURE_CODES),
                st.sampled_from([(Part.AM, Part.PM), (Part.AM,), (Part.PM,)]),
            ),
            max_size=3,
        )
    ):
        start = first_day + offset * DAY
        days = [start + i * DAY for i in range(length + 1)]
        weekdays = [d for d in days if d.weekday() < 5]
        if weekdays and all(open_day(d) and d not in used for d in weekdays):
            closures.append(Closure(start, days[-1], code, draw(st.just("") | _TEXT), parts))
            used.update(weekdays)
    minimum = draw(st.none() | st.integers(1, 400))
    return AcademicYear(year, tuple(terms), tuple(breaks), tuple(inset), tuple(closures), minimum)


@st.composite
def _register_times(draw: st.DrawFn) -> RegisterTimes:
    """Registers that open between 07:00 and 14:59 and stay open 1 to 30 minutes."""
    sessions = []
    for _ in range(2):
        opens = dt.datetime(2025, 9, 1, draw(st.integers(7, 14)), draw(st.integers(0, 59)))
        closes = opens + dt.timedelta(minutes=draw(st.integers(1, 30)))
        sessions.append(SessionTimes(opens.time(), closes.time()))
    return RegisterTimes(*sessions)


@st.composite
def calendars(draw: st.DrawFn) -> SchoolCalendar:
    nation = draw(st.sampled_from(list(Nation)))
    first = draw(st.integers(2019, 2027))
    count = draw(st.integers(1, 2))
    # One-off bank holidays declared in the file, on weekdays of the first year (in term or not).
    offsets = st.lists(st.integers(0, 364), max_size=2, unique=True)
    extra = tuple(
        BankHoliday(day, draw(_TEXT))
        for day in (dt.date(first, 8, 1) + o * DAY for o in draw(offsets))
        if day.weekday() < 5
    )
    dates = frozenset(h.date for h in extra)
    years = tuple(draw(_year(y, nation, dates)) for y in range(first, first + count))
    return SchoolCalendar(
        draw(_TEXT),
        nation,
        years,
        authority=draw(st.just("") | _TEXT),
        sources=tuple(draw(st.lists(_TEXT, max_size=2))),
        register_times=draw(st.none() | _register_times()),
        extra_bank_holidays=extra,
    )


def _span(calendar: SchoolCalendar) -> tuple[dt.date, dt.date]:
    first = min(y.year for y in calendar.years)
    last = max(y.year for y in calendar.years)
    return dt.date(first, 8, 1), dt.date(last + 1, 7, 31)


def _within(calendar: SchoolCalendar) -> st.SearchStrategy[dt.date]:
    first, last = _span(calendar)
    return st.dates(first - dt.timedelta(days=20), last + dt.timedelta(days=20))


@settings(max_examples=60, deadline=None)
@given(calendars())
def test_generated_calendars_are_valid(calendar: SchoolCalendar) -> None:
    assert calendar_problems(calendar) == []


@settings(max_examples=60, deadline=None)
@given(st.data(), calendars())
def test_school_weeks_partition_the_school_days(
    data: st.DataObject, calendar: SchoolCalendar
) -> None:
    a, b = sorted((data.draw(_within(calendar)), data.draw(_within(calendar))))
    weeks = calendar.school_weeks(a, b)
    assert [d for w in weeks for d in w.days] == calendar.school_days(a, b)
    for week in weeks:
        assert week.days
        assert week.start.weekday() == 0
        assert all(week.start <= d <= week.end for d in week.days)
    assert [w.start for w in weeks] == sorted({w.start for w in weeks})


@settings(max_examples=60, deadline=None)
@given(st.data(), calendars(), st.integers(1, 15))
def test_rolling_window_holds_exactly_n_school_weeks_or_all_there_are(
    data: st.DataObject, calendar: SchoolCalendar, n: int
) -> None:
    end = data.draw(_within(calendar))
    window = calendar.last_school_weeks(end, n)
    first, _ = _span(calendar)
    every = calendar.school_weeks(first, end)
    assert window == every[-n:]
    assert len(window) == min(n, len(every))
    assert all(d <= end for w in window for d in w.days)


@settings(max_examples=60, deadline=None)
@given(st.data(), calendars(), st.integers(-40, 40))
def test_adding_then_subtracting_school_days_round_trips(
    data: st.DataObject, calendar: SchoolCalendar, n: int
) -> None:
    first, last = _span(calendar)
    days = calendar.school_days(first, last)
    day = data.draw(st.sampled_from(days))
    try:
        there = calendar.add_school_days(day, n)
    except InputError:
        position = days.index(day) + n
        assert not 0 <= position < len(days)
        return
    assert calendar.is_school_day(there)
    assert calendar.count_school_days(min(day, there), max(day, there)) == abs(n) + 1
    assert calendar.add_school_days(there, -n) == day


@settings(max_examples=60, deadline=None)
@given(calendars())
def test_no_session_on_a_weekend_bank_holiday_holiday_or_closure(calendar: SchoolCalendar) -> None:
    first, last = _span(calendar)
    holidays = {h.date for h in bank_holidays(calendar.nation, range(first.year, last.year + 1))}
    holidays |= {h.date for h in calendar.extra_bank_holidays}
    for session in calendar.sessions(first, last):
        day = session.date
        year = calendar.year(calendar.academic_year_of(day))
        assert year is not None
        assert day.weekday() < 5
        assert day not in holidays
        assert day not in year.inset_days
        assert calendar.term_of(day) is not None
        assert calendar.half_term_of(day) is not None
        assert calendar.closure_code(session) in (None, "Y3")


@settings(max_examples=60, deadline=None)
@given(calendars())
def test_toml_round_trip_gives_an_equal_calendar(calendar: SchoolCalendar) -> None:
    again = SchoolCalendar.from_mapping(tomllib.loads(calendar.to_toml()))
    assert again == calendar


@settings(max_examples=60, deadline=None)
@given(calendars())
def test_terms_and_half_terms_start_and_end_on_weekdays(calendar: SchoolCalendar) -> None:
    """Shown and compared from their first weekday to their last; no school day is lost."""
    for year in calendar.years:
        spans = [(t.start, t.end) for t in calendar.terms(year.year)]
        spans += [(h.start, h.end) for h in calendar.half_terms(year.year)]
        for start, end in spans:
            assert start.weekday() < 5
            assert end.weekday() < 5
        school_days = calendar.school_days(dt.date(year.year, 8, 1), dt.date(year.year + 1, 7, 31))
        in_halves = [
            day for half in calendar.half_terms(year.year) for day in school_days if day in half
        ]
        assert in_halves == school_days
