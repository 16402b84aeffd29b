"""Attendance statistics over calendar periods: year to date, term, half-term, census window, week.

Each period pools the register's marks from its first to its last date, by slicing the
register's columns (C-level ``bytes`` slices, never an object per mark) and summing them as
:func:`~attendance_core.rules.statistics.register_summaries` does.

Sources:
- DfE "Pupil absence in schools in England" methodology, section 4.1 and Table 6: census
  windows (autumn 1 August to 31 December; spring 1 January to Easter Sunday; summer half-term 1
  to the Sunday before the spring bank holiday; summer half-term 2 from it to 31 July).
- The same methodology, section 2: for pupils aged 15 at 31 August (Year 11), all sessions of
  summer half-term 2 are removed before any analysis. Schools' own reports usually keep them,
  so this is the policy setting ``method.year11_last_half_term`` ("include" by default).
- DfE "Pupil attendance in schools": year-to-date figures run from the start of the academic
  year (1 August) to the date of the figures.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Protocol

import attrs

from attendance_core.calendars import (
    SchoolCalendar,
    academic_year_bounds,
    academic_year_of,
    census_windows,
)
from attendance_core.exceptions import InputError
from attendance_core.model import Enrolment
from attendance_core.policy import Policy
from attendance_core.register import Register
from attendance_core.rules.columnar import CountingEngine
from attendance_core.rules.statistics import AttendanceSummary, register_summaries

__all__ = [
    "COMPARISONS",
    "PERIODS",
    "YEAR11_AGE",
    "PeriodSummary",
    "age_on_31_august",
    "by_census_window",
    "by_half_term",
    "by_school_week",
    "by_term",
    "comparison_bounds",
    "period_bounds",
    "slice_register",
    "summarise_period",
    "year_to_date",
]

YEAR11_AGE = 15
"""DfE: pupils aged 15 at 31 August lose summer half-term 2 from national statistics."""


@attrs.frozen
class PeriodSummary:
    """One period's statistics: each enrolment's summary and who the Year 11 rule touched."""

    name: str
    start: dt.date
    end: dt.date
    pupils: Mapping[str, AttendanceSummary]
    """Each enrolment's summary over the period, in register order."""
    year11_excluded: tuple[str, ...] = ()
    """Pupils aged 15 at 31 August whose summer half-term 2 sessions were left out."""
    unknown_age: tuple[str, ...] = ()
    """Pupils the Year 11 rule could not be applied to: no date of birth in their enrolment."""

    @property
    def total(self) -> AttendanceSummary:
        """The period pooled over every enrolment, as DfE pools a school."""
        return AttendanceSummary.pool(self.pupils.values())


def age_on_31_august(date_of_birth: dt.date, academic_year: int) -> int:
    """Age in whole years on 31 August of ``academic_year`` (the start of that school year)."""
    birthday_passed = (date_of_birth.month, date_of_birth.day) <= (8, 31)
    return academic_year - date_of_birth.year - (0 if birthday_passed else 1)


def slice_register(register: Register, start: dt.date, end: dt.date) -> Register:
    """The register's columns from ``start`` to ``end`` inclusive: same pupils, sliced rows."""
    dates = [s.date for s in register.sessions]
    lo, hi = bisect.bisect_left(dates, start), bisect.bisect_right(dates, end)
    return Register(
        register.sessions[lo:hi],
        register.pupil_ids,
        register.alphabet,
        tuple(row[lo:hi] for row in register.rows),
        {(r, c - lo): m for (r, c), m in register.minutes_late.items() if lo <= c < hi},
        register.written,
    )


def _blank(register: Register, cuts: Mapping[int, list[tuple[int, int]]]) -> Register:
    """``register`` with the columns ``[a, b)`` of ``cuts[row]`` emptied (no mark, no minutes)."""
    rows = list(register.rows)
    for index, spans in cuts.items():
        row = rows[index]
        for a, b in spans:
            row = row[:a] + bytes(b - a) + row[b:]
        rows[index] = row
    minutes = {
        (r, c): m
        for (r, c), m in register.minutes_late.items()
        if not any(a <= c < b for a, b in cuts.get(r, ()))
    }
    return attrs.evolve(register, rows=tuple(rows), minutes_late=minutes)


def summarise_period(
    register: Register,
    start: dt.date,
    end: dt.date,
    *,
    name: str = "",
    policy: Policy | None = None,
    enrolments: Mapping[str, Enrolment] | None = None,
    engine: CountingEngine = "auto",
) -> PeriodSummary:
    """Each enrolment's statistics from ``start`` to ``end`` inclusive (counted as ``engine``
    says: :func:`~attendance_core.rules.statistics.register_summaries`).

    With ``policy.method.year11_last_half_term == "exclude"``, sessions in census summer
    half-term 2 are left out for pupils aged 15 at 31 August of that academic year; their ages
    come from ``enrolments``, and pupils without a date of birth are listed in ``unknown_age``
    (the rule is not applied to them rather than guessed). Persistent and severe absence are
    flagged at ``policy``'s thresholds and boundary when given, DfE's otherwise.
    """
    part = slice_register(register, start, end)
    excluded: dict[str, None] = {}  # ordered sets: pupils in register order, each once
    unknown: dict[str, None] = {}
    if policy is not None and policy.method.year11_last_half_term == "exclude":
        enrolments = enrolments or {}
        dates = [s.date for s in part.sessions]
        cuts: dict[int, list[tuple[int, int]]] = {}
        for year in range(academic_year_of(start), academic_year_of(end) + 1):
            window = census_windows(year)[-1]  # summer half-term 2
            a, b = bisect.bisect_left(dates, window.start), bisect.bisect_right(dates, window.end)
            if a == b:
                continue
            for index, pupil_id in enumerate(part.pupil_ids):
                enrolment = enrolments.get(pupil_id)
                if enrolment is None or enrolment.date_of_birth is None:
                    unknown[pupil_id] = None
                elif age_on_31_august(enrolment.date_of_birth, year) == YEAR11_AGE:
                    cuts.setdefault(index, []).append((a, b))
                    excluded[pupil_id] = None
        part = _blank(part, cuts)
    return PeriodSummary(
        name or f"{start.isoformat()} to {end.isoformat()}",
        start,
        end,
        register_summaries(part, policy=policy, engine=engine),
        tuple(excluded),
        tuple(unknown),
    )


def year_to_date(
    register: Register,
    as_of: dt.date,
    *,
    policy: Policy | None = None,
    enrolments: Mapping[str, Enrolment] | None = None,
) -> PeriodSummary:
    """From 1 August of the academic year holding ``as_of`` to ``as_of`` inclusive."""
    start, _ = academic_year_bounds(academic_year_of(as_of))
    return summarise_period(
        register, start, as_of, name="year to date", policy=policy, enrolments=enrolments
    )


def by_term(
    register: Register,
    calendar: SchoolCalendar,
    academic_year: int,
    *,
    policy: Policy | None = None,
    enrolments: Mapping[str, Enrolment] | None = None,
) -> list[PeriodSummary]:
    """One summary per term of ``academic_year`` in the calendar, in date order, each from its
    first weekday to its last (:meth:`SchoolCalendar.terms`)."""
    return _each(register, calendar.terms(academic_year), policy, enrolments)


def by_half_term(
    register: Register,
    calendar: SchoolCalendar,
    academic_year: int,
    *,
    policy: Policy | None = None,
    enrolments: Mapping[str, Enrolment] | None = None,
) -> list[PeriodSummary]:
    """One summary per teaching half-term of ``academic_year`` ("Autumn 1", ...), in order."""
    return _each(register, calendar.half_terms(academic_year), policy, enrolments)


def by_census_window(
    register: Register,
    academic_year: int,
    *,
    policy: Policy | None = None,
    enrolments: Mapping[str, Enrolment] | None = None,
) -> list[PeriodSummary]:
    """One summary per DfE census window of ``academic_year``: autumn, spring, summer 1 and 2."""
    return _each(register, census_windows(academic_year), policy, enrolments)


def by_school_week(
    register: Register,
    calendar: SchoolCalendar,
    start: dt.date,
    end: dt.date,
    *,
    policy: Policy | None = None,
    enrolments: Mapping[str, Enrolment] | None = None,
) -> list[PeriodSummary]:
    """One summary per school week from ``start`` to ``end`` (holiday weeks skipped).

    Each week runs Monday to Sunday, cut to ``start`` and ``end``, and is named by its Monday.
    """
    return [
        summarise_period(
            register,
            max(week.start, start),
            min(week.end, end),
            name=f"week of {week.start.isoformat()}",
            policy=policy,
            enrolments=enrolments,
        )
        for week in calendar.school_weeks(start, end)
    ]


class _Period(Protocol):
    """A named run of dates: a term, half-term or census window."""

    @property
    def name(self) -> str: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...


def _each(
    register: Register,
    periods: Iterable[_Period],
    policy: Policy | None,
    enrolments: Mapping[str, Enrolment] | None,
) -> list[PeriodSummary]:
    return [
        summarise_period(
            register, p.start, p.end, name=p.name, policy=policy, enrolments=enrolments
        )
        for p in periods
    ]


PERIODS = ("week", "fortnight", "half-term", "term", "year")
"""Periods counted back from an as-of date on the school calendar."""
COMPARISONS = ("previous", "last-year")
"""What a period can be compared with: the same length of school time just before it, or the
same school weeks a year earlier."""


def period_bounds(calendar: SchoolCalendar, as_of: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """The first and last dates of ``period`` counted back from ``as_of``, inclusive.

    ``week`` and ``fortnight`` are the one or two school weeks ending with the week that holds
    ``as_of`` (holiday weeks skipped); ``half-term`` and ``term`` run from the start of the
    half-term or term holding ``as_of``; ``year`` from 1 August of its academic year (DfE's
    year to date). Each ends on ``as_of``.
    """
    if period in ("week", "fortnight"):
        weeks = calendar.last_school_weeks(as_of, 1 if period == "week" else 2)
        if not weeks:
            raise _outside(calendar, as_of, period)
        return weeks[0].days[0], as_of
    if period == "half-term":
        half = calendar.half_term_of(as_of)
        if half is None:
            raise _outside(calendar, as_of, period)
        return half.start, as_of
    if period == "term":
        term = calendar.term_of(as_of)
        if term is None:
            raise _outside(calendar, as_of, period)
        return term.start, as_of
    if period == "year":
        return academic_year_bounds(academic_year_of(as_of))[0], as_of
    raise InputError("unknown period", field="--period", value=period, expected=", ".join(PERIODS))


def _outside(calendar: SchoolCalendar, as_of: dt.date, period: str) -> InputError:
    return InputError(
        f"no {period} of the calendar holds the as-of date",
        file=calendar.source,
        field="--as-of",
        value=as_of.isoformat(),
        expected=f"a school day in {calendar.coverage_text()}",
    )


LAST_YEAR = dt.timedelta(weeks=52)
"""A year back to the same weekday: 52 weeks, so school weeks line up with school weeks."""


def comparison_bounds(
    calendar: SchoolCalendar, first: dt.date, last: dt.date, compare: str
) -> tuple[dt.date, dt.date]:
    """The period ``first`` to ``last`` is compared with.

    ``previous``: as many school days as the period holds, ending on the school day before it
    (so a half-term is compared with the school time just before it, across a holiday).
    ``last-year``: the same dates 52 weeks earlier, the same weekdays and so the same school
    weeks of the year before.
    """
    if compare == "previous":
        days = calendar.count_school_days(first, last)
        if days == 0:
            raise InputError(
                "the period holds no school day",
                field="--from",
                value=f"{first.isoformat()} to {last.isoformat()}",
                expected="a period with school days to compare",
            )
        end = calendar.add_school_days(first, -1)
        return calendar.add_school_days(first, -days), end
    if compare == "last-year":
        return first - LAST_YEAR, last - LAST_YEAR
    raise InputError(
        "unknown comparison", field="--compare", value=compare, expected=", ".join(COMPARISONS)
    )
