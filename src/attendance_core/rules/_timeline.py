"""School sessions of a period laid against a register's columns, shared by the streak rules.

A rule about "continuous school days" or "consecutive sessions" walks the sessions the school
meets, in order, skipping weekends and holidays; the register's columns may leave some of
those sessions out (no pupil was marked) or hold others (marks on non-school days). A
:class:`Timeline` maps each school session to its column once per register, calendar and
period, so that each pupil costs only a C-level ``bytes.translate`` and one pick of its row.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Collection, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from attendance_core.calendars import academic_year_bounds
from attendance_core.model import Session
from attendance_core.register import NO_MARK
from attendance_core.rules.findings import Finding, PupilRecord, RuleContext, Severity

if TYPE_CHECKING:
    from attendance_core.calendars import SchoolCalendar

__all__ = [
    "Timeline",
    "academic_year_start",
    "continuous_day_findings",
    "format_days",
    "gap_after",
    "gap_before",
    "long_date",
    "streak_window",
    "timeline",
    "year_window",
]

_ONE_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=1024)
def long_date(day: dt.date) -> str:
    """``3 March 2025``: the form a parent reads in a letter (cached: strftime is slow, and a
    school's findings name the same few hundred dates)."""
    return f"{day.day} {day:%B %Y}"


def academic_year_start(calendar: SchoolCalendar, day: dt.date) -> dt.date:
    """1 August of the academic year holding ``day``."""
    return academic_year_bounds(calendar.academic_year_of(day))[0]


@attrs.frozen(eq=False)
class Timeline:
    """The sessions a school meets from ``start`` to ``end`` (inclusive), with register columns."""

    start: dt.date
    end: dt.date
    sessions: tuple[Session, ...]
    columns: tuple[int, ...]
    """Register column of each session; one past the last column where the register has none
    (rows are read with one ``NO_MARK`` byte appended)."""
    day_starts: tuple[int, ...]
    """Index of each school day's first session, then ``len(sessions)``."""
    dates: tuple[dt.date, ...]
    """The date of each session (for bisecting)."""
    weeks: tuple[int, ...]
    """The school-week number of each session: 0 for the first school week, and so on."""
    mondays: tuple[dt.date, ...]
    """The Monday of each school week (a week with at least one school session)."""
    _pick: Callable[[bytes], Sequence[int]] = attrs.field(repr=False)

    def flags(self, record: PupilRecord, codes: Collection[str]) -> bytes:
        """One byte per school session: 1 where the pupil's mark is one of ``codes``, else 0.

        Missing marks read as 0, like any other code: a streak of absence is never assumed
        where the register is silent.
        """
        table = bytearray(256)
        for value in record.values_for(codes):
            table[value] = 1
        padded = (record.row + bytes([NO_MARK])).translate(table)
        return bytes(self._pick(padded))

    def codes(self, record: PupilRecord) -> bytes:
        """The raw row value of each school session (``NO_MARK`` where there is none)."""
        return bytes(self._pick(record.row + bytes([NO_MARK])))

    def span(self, record: PupilRecord) -> tuple[int, int]:
        """The session index range ``[lo, hi)`` when the pupil was on roll (all without enrolment)."""
        enrolment = record.enrolment
        if enrolment is None:
            return 0, len(self.sessions)
        lo = bisect.bisect_left(self.dates, enrolment.admission_date)
        if enrolment.leaving_date is None:
            return lo, len(self.sessions)
        return lo, max(lo, bisect.bisect_right(self.dates, enrolment.leaving_date))

    def day_runs(
        self, flags: bytes, lo: int, hi: int, min_days: int, *, every: bool = True
    ) -> list[tuple[int, int]]:
        """Maximal runs ``[first, stop)`` of school days, within ``[lo, hi)``, on which every
        session (with ``every=False``, any session) is flagged, keeping runs of at least
        ``min_days`` days. The one definition of "continuous school days" the rules share."""
        if flags.count(1, lo, hi) < min_days:
            return []
        starts = self.day_starts
        first_day = bisect.bisect_left(starts, lo)
        last_day = bisect.bisect_right(starts, hi) - 1
        runs: list[tuple[int, int]] = []
        run_start = -1
        for day in range(first_day, last_day):
            a, b = starts[day], starts[day + 1]
            flagged = flags.count(1, a, b)
            if b <= hi and (flagged == b - a if every else flagged > 0):
                if run_start < 0:
                    run_start = day
            else:
                if run_start >= 0 and day - run_start >= min_days:
                    runs.append((run_start, day))
                run_start = -1
        if run_start >= 0 and last_day - run_start >= min_days:
            runs.append((run_start, last_day))
        return runs

    def session_runs(self, flags: bytes, lo: int, hi: int, min_sessions: int) -> list[range]:
        """Maximal runs of flagged sessions within ``[lo, hi)``, at least ``min_sessions`` long."""
        if min_sessions < 1 or flags.count(1, lo, hi) < min_sessions:
            return []
        pattern = re.compile(b"\x01{%d,}" % min_sessions)
        return [range(m.start(), m.end()) for m in pattern.finditer(flags, lo, hi)]

    def columns_of(self, indices: range | Sequence[int]) -> list[int]:
        """Register columns of school-session ``indices`` (all must have a column)."""
        return [self.columns[i] for i in indices]


_CACHE: dict[tuple[int, int, dt.date, dt.date], tuple[object, object, Timeline]] = {}
_CACHE_SIZE = 16


def timeline(
    calendar: SchoolCalendar, sessions: tuple[Session, ...], start: dt.date, end: dt.date
) -> Timeline:
    """The :class:`Timeline` of ``calendar`` from ``start`` to ``end`` against ``sessions``.

    Memoised on the identity of the calendar and of the register's session tuple (which every
    :class:`PupilRecord` of a register shares), so a whole school builds it once.
    """
    key = (id(calendar), id(sessions), start, end)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is calendar and hit[1] is sessions:
        return hit[2]
    built = _build(calendar, sessions, start, end)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (calendar, sessions, built)
    return built


def _build(
    calendar: SchoolCalendar, sessions: tuple[Session, ...], start: dt.date, end: dt.date
) -> Timeline:
    school = tuple(calendar.sessions(start, end)) if start <= end else ()
    width = len(sessions)
    column_of = {session: col for col, session in enumerate(sessions)}
    columns = tuple(column_of.get(session, width) for session in school)
    day_starts = [i for i, s in enumerate(school) if i == 0 or s.date != school[i - 1].date]
    day_starts.append(len(school))
    mondays: list[dt.date] = []
    weeks = []
    for session in school:
        monday = session.date - dt.timedelta(days=session.date.weekday())
        if not mondays or mondays[-1] != monday:
            mondays.append(monday)
        weeks.append(len(mondays) - 1)
    pick: Callable[[bytes], Sequence[int]]
    if len(columns) == 1:
        only = columns[0]

        def pick(row: bytes) -> Sequence[int]:
            return (row[only],)

    elif columns:
        pick = operator.itemgetter(*columns)
    else:

        def pick(row: bytes) -> Sequence[int]:
            return ()

    return Timeline(
        start,
        end,
        school,
        columns,
        tuple(day_starts),
        tuple(s.date for s in school),
        tuple(weeks),
        tuple(mondays),
        pick,
    )


def gap_before(calendar: SchoolCalendar, day: dt.date) -> bool:
    """Whether the calendar day before ``day`` is not a school day (a weekend or holiday)."""
    return not calendar.is_school_day(day - _ONE_DAY)


def gap_after(calendar: SchoolCalendar, day: dt.date) -> bool:
    """Whether the calendar day after ``day`` is not a school day (a weekend or holiday)."""
    return not calendar.is_school_day(day + _ONE_DAY)


def streak_window(record: PupilRecord, calendar: SchoolCalendar, as_of: dt.date) -> Timeline:
    """School sessions from the register's first session to ``as_of``.

    Streak rules look back over the whole register, so a run that began before the summer
    holiday is still one run in September.
    """
    start = record.sessions[0].date if record.sessions else as_of
    return timeline(calendar, record.sessions, min(start, as_of), as_of)


def year_window(record: PupilRecord, calendar: SchoolCalendar, as_of: dt.date) -> Timeline:
    """School sessions from 1 August of ``as_of``'s academic year to ``as_of``."""
    return timeline(calendar, record.sessions, academic_year_start(calendar, as_of), as_of)


def format_days(days: int | Fraction) -> str:
    """``15`` or ``14.5``: a count of days as a person writes it."""
    if isinstance(days, Fraction) and days.denominator != 1:
        return f"{float(days):g}"
    return str(int(days))


def continuous_day_findings(
    record: PupilRecord,
    context: RuleContext,
    *,
    rule: str,
    codes: Collection[str],
    min_days: int,
    severity: Severity,
    source: str,
    consequence: str,
) -> list[Finding]:
    """One finding per maximal run of at least ``min_days`` continuous school days on which
    every session carries one of ``codes`` (unauthorised absence), for runs ending in
    ``as_of``'s academic year; ``consequence`` ends the explanation (what the school must do).

    Weekends and holidays are not school days, so they neither count nor break a run; any
    other code, a present mark or a missing mark on a school day breaks it.
    """
    line = streak_window(record, context.calendar, context.as_of)
    lo, hi = line.span(record)
    flags = line.flags(record, codes)
    year_start = academic_year_start(context.calendar, context.as_of)
    findings = []
    for first, stop in line.day_runs(flags, lo, hi, min_days):
        a, b = line.day_starts[first], line.day_starts[stop]
        first_date, last_date = line.dates[a], line.dates[b - 1]
        if last_date < year_start:
            continue
        days = stop - first
        findings.append(
            Finding(
                rule=rule,
                pupil_id=record.pupil_id,
                as_of=context.as_of,
                severity=severity,
                figure=days,
                threshold=min_days,
                evidence=record.evidence(line.columns_of(range(a, b))),
                source=source,
                explanation=(
                    f"Absent without authorisation on every school day from "
                    f"{long_date(first_date)} to {long_date(last_date)} ({days} school days): "
                    f"{consequence}"
                ),
                details={
                    "first_day": first_date.isoformat(),
                    "last_day": last_date.isoformat(),
                    "ongoing": b == hi,
                },
            )
        )
    return findings
