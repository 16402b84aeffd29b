"""The school calendar itself: checked data and every school-time query rules ask of it."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import os
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from attendance_core.calendars._bank_holidays import BankHoliday, Nation, holiday_names
from attendance_core.calendars._census import CensusWindow, census_windows
from attendance_core.calendars._model import (
    BOTH_PARTS,
    DEFAULT_MINIMUM_SESSIONS,
    ONE_DAY,
    AcademicYear,
    HalfTerm,
    RegisterTimes,
    SchoolWeek,
    Term,
    YearSessions,
    academic_year_bounds,
    academic_year_name,
    academic_year_of,
    code_closes_school,
    weekdays,
)
from attendance_core.calendars._toml import (
    calendar_from_mapping,
    calendar_to_toml,
    read_calendar_toml,
)
from attendance_core.exceptions import InputError
from attendance_core.model import Enrolment, Part, Session, frozen_map

__all__ = ["SchoolCalendar"]


@attrs.frozen
class _Index:
    """Everything a query needs, computed once per calendar (queries run for every pupil)."""

    days: tuple[dt.date, ...]
    day_set: frozenset[dt.date]
    sessions: tuple[Session, ...]
    session_dates: tuple[dt.date, ...]
    parts: Mapping[dt.date, tuple[Part, ...]]
    weeks: tuple[SchoolWeek, ...]
    week_starts: tuple[dt.date, ...]
    closure_codes: Mapping[tuple[dt.date, Part], str]
    bank_holidays: Mapping[dt.date, str]


def _weekday_from(day: dt.date) -> dt.date:
    """``day``, or the Monday after it when it falls on a weekend."""
    return day + (7 - day.weekday()) * ONE_DAY if day.weekday() >= 5 else day


def _weekday_to(day: dt.date) -> dt.date:
    """``day``, or the Friday before it when it falls on a weekend."""
    return day - (day.weekday() - 4) * ONE_DAY if day.weekday() >= 5 else day


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _term_weekdays(
    years: tuple[AcademicYear, ...], holidays: Mapping[dt.date, str]
) -> Iterator[dt.date]:
    """Weekdays of term that are neither bank holidays nor in a half-term holiday."""
    for year in years:
        for term in year.terms:
            for day in weekdays(term.start, term.end):
                if day not in holidays and not any(day in h for h in year.half_term_holidays):
                    yield day


def _closure_codes(years: tuple[AcademicYear, ...]) -> dict[tuple[dt.date, Part], str]:
    """The register code of every closed session: ``#`` on INSET days, else the closure's."""
    codes: dict[tuple[dt.date, Part], str] = {}
    for year in years:
        codes.update(((day, part), "#") for day in year.inset_days for part in BOTH_PARTS)
        for closure in year.closures:
            codes.update(
                ((day, part), closure.code) for day in closure.days() for part in closure.parts
            )
    return codes


@attrs.frozen
class SchoolCalendar:
    """One school's calendar over one or more academic years (1 August to 31 July).

    Build it with :meth:`from_toml` or :meth:`from_mapping`, which check it and report every
    problem at once; the constructor itself only stores its fields. Bank holidays come from the
    ``holidays`` package for ``nation``, plus any ``extra_bank_holidays``. Every query is answered
    from sorted tuples computed once, on first use.
    """

    name: str
    nation: Nation = attrs.field(converter=Nation)
    years: tuple[AcademicYear, ...]
    authority: str = ""
    """Who set the term dates, e.g. a local authority or an academy trust."""
    sources: tuple[str, ...] = ()
    """Where the term dates come from (URLs or document titles)."""
    register_times: RegisterTimes | None = None
    extra_bank_holidays: tuple[BankHoliday, ...] = ()
    """One-off bank holidays declared after the installed ``holidays`` release."""
    source: str | None = attrs.field(default=None, eq=False)
    """The file the calendar was read from, if any (for messages)."""
    provenance: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_map, eq=False)
    """Which plugin provided the calendar (``"calendar"``) or added days to it
    (``"calendar adjustment"``); :func:`attendance_core.check` passes it into every finding."""

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str | None = None) -> SchoolCalendar:
        """A calendar from parsed TOML (or any mapping of the same shape), fully checked.

        Raises :class:`~attendance_core.exceptions.CalendarError` listing every problem.
        """
        return calendar_from_mapping(cls, data, source=source)

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> SchoolCalendar:
        """A calendar from a TOML file in the format of ``docs/calendars.md``, fully checked."""
        return read_calendar_toml(cls, path)

    def to_toml(self) -> str:
        """The calendar as TOML text that :meth:`from_toml` reads back to an equal calendar.

        :raises InputError: for a calendar with no academic years, which a calendar file must
            have (writing one would give a file that does not read back).
        """
        if not self.years:
            raise InputError(
                "a calendar with no academic years cannot be written",
                field="years",
                expected="at least one academic year, as a calendar file must have",
            )
        return calendar_to_toml(self)

    # -- the index -------------------------------------------------------------------------
    @functools.cached_property
    def _index(self) -> _Index:
        holidays_by_date = holiday_names(
            self.nation, (year.year for year in self.years), self.extra_bank_holidays
        )
        closure_codes = _closure_codes(self.years)
        parts_by_day: dict[dt.date, tuple[Part, ...]] = {}
        days: list[dt.date] = []
        for day in sorted(_term_weekdays(self.years, holidays_by_date)):
            parts = tuple(
                p for p in BOTH_PARTS if not code_closes_school(closure_codes.get((day, p)))
            )
            if parts:
                days.append(day)
                if parts != BOTH_PARTS:
                    parts_by_day[day] = parts
        sessions = tuple(
            Session(day, part) for day in days for part in parts_by_day.get(day, BOTH_PARTS)
        )
        weeks = tuple(
            SchoolWeek(monday, tuple(week)) for monday, week in itertools.groupby(days, _monday)
        )
        return _Index(
            days=tuple(days),
            day_set=frozenset(days),
            sessions=sessions,
            session_dates=tuple(s.date for s in sessions),
            parts=parts_by_day,
            weeks=weeks,
            week_starts=tuple(w.start for w in weeks),
            closure_codes=closure_codes,
            bank_holidays=holidays_by_date,
        )

    # -- days and sessions ---------------------------------------------------------------------
    def is_school_day(self, day: dt.date) -> bool:
        """Whether the school meets for at least one session on ``day``."""
        return day in self._index.day_set

    def parts_of(self, day: dt.date) -> tuple[Part, ...]:
        """The sessions (AM, PM) the school meets on ``day``; empty on a non-school day."""
        index = self._index
        if day not in index.day_set:
            return ()
        return index.parts.get(day, BOTH_PARTS)

    def is_school_session(self, session: Session) -> bool:
        """Whether the school meets for ``session``."""
        return session.part in self.parts_of(session.date)

    def sessions(self, start: dt.date, end: dt.date) -> list[Session]:
        """The sessions the school meets from ``start`` to ``end`` inclusive, in order."""
        index = self._index
        lo = bisect.bisect_left(index.session_dates, start)
        hi = bisect.bisect_right(index.session_dates, end)
        return list(index.sessions[lo:hi])

    def school_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The school days from ``start`` to ``end`` inclusive, in order."""
        days = self._index.days
        return list(days[bisect.bisect_left(days, start) : bisect.bisect_right(days, end)])

    def count_school_days(self, start: dt.date, end: dt.date) -> int:
        """How many school days lie from ``start`` to ``end`` inclusive."""
        days = self._index.days
        return max(0, bisect.bisect_right(days, end) - bisect.bisect_left(days, start))

    def add_school_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th school day after ``day`` (before it when ``n`` is negative).

        ``n = 0`` gives ``day`` itself. ``day`` need not be a school day: the first school day
        after it is ``n = 1``. Raises :class:`InputError` past either end of the calendar.
        """
        if n == 0:
            return day
        days = self._index.days
        if n > 0:
            position = bisect.bisect_right(days, day) + n - 1
        else:
            position = bisect.bisect_left(days, day) + n
        if not 0 <= position < len(days):
            raise InputError(
                f"{abs(n)} school days {'after' if n > 0 else 'before'} {day.isoformat()} "
                "fall outside the calendar",
                file=self.source,
                field="date",
                value=day.isoformat(),
                expected=f"a calendar covering {self.coverage_text()}",
            )
        return days[position]

    def coverage_text(self) -> str:
        """The academic years this calendar covers, e.g. ``"2024/25 to 2025/26"``."""
        if not self.years:
            return "no academic year"
        names = [academic_year_name(n) for n in sorted(year.year for year in self.years)]
        return names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"

    # -- weeks -------------------------------------------------------------------------------
    def school_weeks(self, start: dt.date, end: dt.date) -> list[SchoolWeek]:
        """The school weeks with a school day from ``start`` to ``end``, days outside left out."""
        index = self._index
        lo = bisect.bisect_left(index.week_starts, _monday(start))
        hi = bisect.bisect_right(index.week_starts, end)
        weeks = []
        for week in index.weeks[lo:hi]:
            if start <= week.days[0] and week.days[-1] <= end:
                weeks.append(week)
                continue
            days = tuple(d for d in week.days if start <= d <= end)
            if days:
                weeks.append(SchoolWeek(week.start, days))
        return weeks

    def last_school_weeks(self, end: dt.date, n: int) -> list[SchoolWeek]:
        """The ``n`` school weeks ending with the week holding ``end``, days after ``end`` left out.

        Holiday weeks are skipped, so the window crosses terms and years; it holds fewer than
        ``n`` weeks only when the calendar has fewer school weeks up to ``end``.
        """
        if n <= 0:
            return []
        index = self._index
        hi = bisect.bisect_right(index.week_starts, end)
        weeks = list(index.weeks[max(0, hi - n) : hi])
        if weeks and weeks[-1].days[-1] > end:
            days = tuple(d for d in weeks[-1].days if d <= end)
            if days:
                weeks[-1] = SchoolWeek(weeks[-1].start, days)
            else:
                weeks = list(index.weeks[max(0, hi - 1 - n) : hi - 1])
        return weeks

    # -- years, terms, half-terms -----------------------------------------------------------
    def academic_year_of(self, day: dt.date) -> int:
        """The academic year holding ``day`` (1 August to 31 July), named by its first year."""
        return academic_year_of(day)

    def year(self, academic_year: int) -> AcademicYear | None:
        """This calendar's record of ``academic_year``, or ``None`` if it does not cover it."""
        for year in self.years:
            if year.year == academic_year:
                return year
        return None

    def term_of(self, day: dt.date) -> Term | None:
        """The term whose dates include ``day`` (its half-term holiday too), or ``None``.

        The term is as the calendar records it: a weekend inside its dates is in it.
        """
        year = self.year(academic_year_of(day))
        if year is not None:
            for term in year.terms:
                if day in term:
                    return term
        return None

    def terms(self, academic_year: int) -> list[Term]:
        """The terms of a year in date order, each from its first weekday to its last.

        A term recorded from a Saturday starts on the Monday after, so the dates shown and
        compared are days a school could meet; ``[]`` for a year the calendar does not cover.
        """
        year = self.year(academic_year)
        if year is None:
            return []
        return [
            attrs.evolve(term, start=_weekday_from(term.start), end=_weekday_to(term.end))
            for term in sorted(year.terms, key=lambda t: t.start)
        ]

    def half_terms(self, academic_year: int) -> list[HalfTerm]:
        """The teaching half-terms of a year, e.g. "Autumn 1" and "Autumn 2", in order.

        A term with no half-term holiday is one half-term carrying the term's name. Each runs
        from its first weekday to its last: "Spring 2" after a break ending on a Friday starts
        on the Monday, and the weekends either side of a break belong to the break.
        """
        year = self.year(academic_year)
        if year is None:
            return []
        halves: list[HalfTerm] = []
        for term in sorted(year.terms, key=lambda t: t.start):
            breaks = sorted(h for h in year.half_term_holidays if h.start in term)
            names = (
                [term.name]
                if not breaks
                else [f"{term.name} {n}" for n in range(1, 2 + len(breaks))]
            )
            starts = [term.start, *(h.end + ONE_DAY for h in breaks)]
            ends = [*(h.start - ONE_DAY for h in breaks), term.end]
            halves.extend(
                HalfTerm(name, term.name, _weekday_from(start), _weekday_to(end))
                for name, start, end in zip(names, starts, ends, strict=True)
            )
        return halves

    def half_term_of(self, day: dt.date) -> HalfTerm | None:
        """The teaching half-term holding ``day``; ``None`` in a holiday (the weekends either
        side of a half-term break too) or outside the terms. A weekend inside a half-term is
        in it."""
        for half in self.half_terms(academic_year_of(day)):
            if day in half:
                return half
        return None

    def census_windows(self, academic_year: int) -> list[CensusWindow]:
        """DfE's four census windows of ``academic_year`` (see :mod:`._census`)."""
        return census_windows(academic_year)

    def year_sessions(self, academic_year: int, *, minimum: int | None = None) -> YearSessions:
        """Sessions the school meets in ``academic_year`` against the minimum.

        The minimum is ``minimum`` if given (e.g. ``policy.calendar.minimum_sessions``), else
        the year's own ``minimum_sessions``, else 380.
        """
        year = self.year(academic_year)
        floor = minimum
        if floor is None:
            floor = year.minimum_sessions if year and year.minimum_sessions else None
        count = len(self.sessions(*academic_year_bounds(academic_year)))
        return YearSessions(
            academic_year, count, DEFAULT_MINIMUM_SESSIONS if floor is None else floor
        )

    # -- closures and holidays -------------------------------------------------------------
    def closure_code(self, session: Session) -> str | None:
        """``"#"``, ``"Y4"`` or ``"Y3"`` where the calendar records a closure of ``session``.

        INSET days are planned closures (``"#"``). Weekends, holidays and bank holidays give
        ``None``: they are not sessions at all, and how an MIS codes them varies.
        """
        return self._index.closure_codes.get((session.date, session.part))

    def bank_holiday(self, day: dt.date) -> str | None:
        """The name of the bank holiday on ``day`` in this calendar's years, or ``None``."""
        return self._index.bank_holidays.get(day)

    def bank_holidays(self) -> list[BankHoliday]:
        """Every bank holiday of the calendar years this calendar touches, in date order."""
        return sorted(BankHoliday(d, n) for d, n in self._index.bank_holidays.items())

    def why_not_school_session(self, session: Session) -> str | None:
        """Why the school does not meet for ``session``, or ``None`` when it does.

        One of ``"weekend"``, ``"bank holiday"``, ``"INSET day"``, ``"closure"``,
        ``"half-term holiday"``, ``"holiday"`` (between terms) or ``"outside the calendar"``.
        """
        if self.is_school_session(session):
            return None
        day = session.date
        year = self.year(academic_year_of(day))
        if year is None:
            return "outside the calendar"
        if day.weekday() >= 5:
            return "weekend"
        if day in self._index.bank_holidays:
            return "bank holiday"
        if day in year.inset_days:
            return "INSET day"
        if (day, session.part) in self._index.closure_codes:
            return "closure"
        if any(day in h for h in year.half_term_holidays):
            return "half-term holiday"
        return "holiday"

    # -- enrolments -----------------------------------------------------------------------
    def expected_sessions(
        self, enrolment: Enrolment, *, until: dt.date | None = None
    ) -> list[Session]:
        """The sessions an enrolment should have a mark for: admission to leaving date inclusive.

        A pupil still on roll is expected up to ``until`` (default: the calendar's end). DfE's
        own tool counts from the admission date to the latest session, and a leaver's sessions
        up to and including the leaving date.
        """
        end = enrolment.leaving_date
        if until is not None:
            end = until if end is None else min(end, until)
        if end is None:
            end = (
                self._index.session_dates[-1] if self._index.sessions else enrolment.admission_date
            )
        return self.sessions(enrolment.admission_date, end)

    @property
    def first_day(self) -> dt.date | None:
        """The first school day of the calendar, or ``None`` if it has none."""
        days = self._index.days
        return days[0] if days else None

    @property
    def last_day(self) -> dt.date | None:
        """The last school day of the calendar, or ``None`` if it has none."""
        days = self._index.days
        return days[-1] if days else None
