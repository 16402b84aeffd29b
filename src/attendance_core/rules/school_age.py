"""Compulsory school age, from a date of birth: when it starts and ends, and what rules it limits.

Source: Education Act 1996 s8. A child begins to be of compulsory school age on the first
prescribed day on or after their fifth birthday (s8(2)); the prescribed days are 31 August,
31 December and 31 March (Education (Start of Compulsory School Age) Order 1998, as the
gov.uk summary "from the start of the term after their fifth birthday" reflects; the days
are UNCONFIRMED, so they are the policy setting ``school_age.prescribed_days``). A pupil
ceases to be of compulsory school age at the end of the school leaving date, the last Friday
in June (Education (School Leaving Date) Order 1997), of the school year in which they turn 16
(s8(3)-(4)).

What depends on it: code C2 is only for pupils of compulsory school age and X only for pupils
outside it (SI 2024/208 reg 10); the parent's duty under s444 Education Act 1996, and so
penalty notices, and the LA attendance and sickness returns concern pupils of compulsory
school age. Dates of birth are personal data: findings give the derived dates, never the date
of birth.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from attendance_core.codes import AgeRule
from attendance_core.exceptions import InputError
from attendance_core.limits import DATE_RANGE, EARLIEST_DATE, LATEST_DATE
from attendance_core.model import Part, Session, parse_month_day
from attendance_core.rules._timeline import long_date
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity

__all__ = [
    "CODE_FOR_AGE",
    "PRESCRIBED_DAYS",
    "code_for_age",
    "compulsory_school_age",
    "is_compulsory_school_age",
    "last_friday_in_june",
    "noting_age",
    "within_compulsory_school_age",
]

PRESCRIBED_DAYS = ("08-31", "12-31", "03-31")
"""The prescribed days, as ``MM-DD`` (UNCONFIRMED in the domain notes; a policy setting)."""

SOURCE = (
    "Education Act 1996 s8 (compulsory school age); Education (Start of Compulsory School Age) "
    "Order 1998 (prescribed days UNCONFIRMED); Education (School Leaving Date) Order 1997"
)
CODE_SOURCE = (
    "SI 2024/208 reg 10 and DfE school attendance guidance (2024): C2 only for pupils of "
    "compulsory school age, X only for pupils outside it; " + SOURCE
)
_ONE_DAY = dt.timedelta(days=1)


def _birthday(date_of_birth: dt.date, years: int) -> dt.date:
    """The day a person born on ``date_of_birth`` turns ``years`` (29 February: 1 March)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return dt.date(date_of_birth.year + years, 3, 1)


def last_friday_in_june(year: int) -> dt.date:
    """The school leaving date of a school year ending in ``year``."""
    day = dt.date(year, 6, 30)
    return day - dt.timedelta(days=(day.weekday() - 4) % 7)


def compulsory_school_age(
    date_of_birth: dt.date, *, prescribed_days: Iterable[str] = PRESCRIBED_DAYS
) -> tuple[dt.date, dt.date]:
    """The first and the last day (both inclusive) a child born on ``date_of_birth`` is of
    compulsory school age.

    First: the first prescribed day on or after the fifth birthday (on the birthday itself when
    it is a prescribed day). Last: the last Friday in June of the school year in which the
    child turns 16, the school year taken as 1 September to 31 August (a child born on
    1 September is the oldest of their year group). Someone born on 29 February has their
    birthday on 1 March in other years.
    """
    if not EARLIEST_DATE <= date_of_birth <= LATEST_DATE:  # never quoted: it is personal data
        raise InputError(
            "date of birth out of range", field="date_of_birth", expected=f"a date {DATE_RANGE}"
        )
    days = [parse_month_day(text, field="school_age.prescribed_days") for text in prescribed_days]
    if not days:
        raise InputError(
            "no prescribed days",
            field="school_age.prescribed_days",
            value="[]",
            expected="at least one MM-DD",
        )
    fifth = _birthday(date_of_birth, 5)
    first = min(
        candidate
        for year in (fifth.year, fifth.year + 1)
        for month, day in days
        if (candidate := dt.date(year, month, day)) >= fifth
    )
    sixteenth = _birthday(date_of_birth, 16)
    leaving_year = sixteenth.year + (1 if sixteenth.month >= 9 else 0)
    return first, last_friday_in_june(leaving_year)


def is_compulsory_school_age(
    date_of_birth: dt.date, day: dt.date, *, prescribed_days: Iterable[str] = PRESCRIBED_DAYS
) -> bool:
    """Whether a child born on ``date_of_birth`` is of compulsory school age on ``day``."""
    first, last = compulsory_school_age(date_of_birth, prescribed_days=prescribed_days)
    return first <= day <= last


def within_compulsory_school_age(
    record: PupilRecord, context: RuleContext
) -> tuple[PupilRecord, dict[str, Any]]:
    """The record with every mark outside compulsory school age removed, and a note for the
    finding's ``details["compulsory_school_age"]``.

    For rules the law limits to pupils of compulsory school age (penalty notices under s444,
    the LA attendance and sickness returns): only sessions while the pupil is of that age
    count. Without a date of birth (no enrolment, or none recorded) the record is returned
    unchanged and the note says the age was not checked.
    """
    enrolment = record.enrolment
    if enrolment is None or enrolment.date_of_birth is None:
        return record, {"checked": False, "reason": "date of birth unknown"}
    first, last = compulsory_school_age(
        enrolment.date_of_birth, prescribed_days=context.policy.school_age.prescribed_days
    )
    note: dict[str, Any] = {"checked": True, "from": first.isoformat(), "to": last.isoformat()}
    sessions = record.sessions
    # Either end may lie past the last date a register can hold (a child born in 2195).
    lo = bisect.bisect_left(sessions, Session(min(first, LATEST_DATE), Part.AM))
    if first > LATEST_DATE:
        lo = len(sessions)
    hi = bisect.bisect_right(sessions, Session(min(last, LATEST_DATE), Part.PM))
    if lo == 0 and hi == len(sessions):
        return record, note
    hi = max(lo, hi)
    row = bytes(lo) + record.row[lo:hi] + bytes(len(sessions) - hi)
    minutes = {col: m for col, m in record.minutes_late.items() if lo <= col < hi}
    return attrs.evolve(record, row=row, minutes_late=minutes), note


def noting_age(findings: list[Finding], note: dict[str, Any]) -> list[Finding]:
    """``findings`` with ``note`` as ``details["compulsory_school_age"]``."""
    return [attrs.evolve(f, details={**f.details, "compulsory_school_age": note}) for f in findings]


def code_for_age(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Sessions coded C2 while the pupil is not of compulsory school age, or X while they are,
    where the date of birth is known (``AttendanceCode.age_rule``).

    Source: SI 2024/208 reg 10 and the DfE guidance on the 2024 codes: C2 (part-time timetable)
    is leave for a pupil of compulsory school age and counts as a possible session; X (not
    required to attend) is for pupils outside it and is not a possible session
    (DfE "Pupil absence in schools in England" methodology). A wrong one moves sessions in or out of the
    pupil's possible sessions, so the figures of every other rule are wrong until it is
    corrected. One finding per pupil with every such session among the marks it is given (the
    engine passes those up to the as-of date); nothing without a date of birth.
    """
    enrolment = record.enrolment
    if enrolment is None or enrolment.date_of_birth is None:
        return []
    restricted = [
        (value, code.age_rule)
        for value, code in enumerate(record.alphabet, start=1)
        if code.age_rule is not AgeRule.ANY
    ]
    if not restricted or not any(record.row.count(value) for value, _ in restricted):
        return []
    first, last = compulsory_school_age(
        enrolment.date_of_birth, prescribed_days=context.policy.school_age.prescribed_days
    )
    rules = dict(restricted)
    wrong = []
    for col, value in enumerate(record.row):
        rule = rules.get(value)
        if rule is None:
            continue
        of_age = first <= record.sessions[col].date <= last
        if of_age != (rule is AgeRule.COMPULSORY_SCHOOL_AGE):
            wrong.append(col)
    if not wrong:
        return []
    evidence = record.evidence(wrong)
    codes = sorted({e.code or "" for e in evidence})
    sessions = "1 session" if len(wrong) == 1 else f"{len(wrong)} sessions"
    return [
        Finding(
            rule="code-for-age",
            pupil_id=record.pupil_id,
            as_of=context.as_of,
            severity=Severity.ACTION,
            figure=len(wrong),
            threshold=1,
            evidence=evidence,
            source=CODE_SOURCE,
            explanation=(
                f"{sessions} coded {' or '.join(codes)} on days that code does not fit the "
                f"pupil's age (of compulsory school age from {long_date(first)} to "
                f"{long_date(last)}): C2 is only for pupils of that age, X only for others."
            ),
            details={"compulsory_school_age": {"from": first.isoformat(), "to": last.isoformat()}},
        )
    ]


CODE_FOR_AGE = Rule(
    "code-for-age",
    "pupil",
    code_for_age,
    CODE_SOURCE,
    "C2 for a pupil outside compulsory school age, or X for one of it (date of birth known).",
)
