"""Returns a school must make to the local authority: continuous unauthorised absence, sickness.

Source: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208),
attendance returns (10 continuous school days of unauthorised absence; reg 12 of SI 2006/1751
before 19 August 2024) and sickness returns (15 school days, consecutive or cumulative, new in
2024). Both returns concern pupils of compulsory school age: with a date of birth only
absence while of that age counts (``rules.school_age``); without one the rules apply and say
so in ``details["compulsory_school_age"]``. The register cannot show the
school's "reasonable grounds to believe" a pupil will miss 15 days: these rules report what the
marks already show.
"""

from __future__ import annotations

from fractions import Fraction

from attendance_core.rules._timeline import (
    continuous_day_findings,
    format_days,
    long_date,
    year_window,
)
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity
from attendance_core.rules.school_age import noting_age, within_compulsory_school_age

__all__ = [
    "LA_NOTIFICATION_CONTINUOUS_ABSENCE",
    "LA_NOTIFICATION_SICKNESS",
    "la_notification_continuous_absence",
    "la_notification_sickness",
]

CONTINUOUS_SOURCE = (
    "SI 2024/208 attendance returns (10 continuous school days of unauthorised absence); "
    "SI 2006/1751 reg 12 before 19 August 2024"
)
SICKNESS_SOURCE = "SI 2024/208 sickness returns (15 school days, consecutive or cumulative)"


def la_notification_continuous_absence(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Runs of ``la_notification.continuous_absence_days`` continuous school days on which every
    session is unauthorised absence (``continuous_absence_codes``: G, N, O, U).

    Source: SI 2024/208, attendance returns: the school must give the LA the name and address
    of every pupil of compulsory school age absent for a continuous period of 10 school days
    coded only with unauthorised codes, at least once a calendar month. Weekends and holidays
    do not break the period; any other code, a present mark or a missing mark does, and so does
    a day outside compulsory school age when the date of birth is known.
    """
    policy = context.policy.la_notification
    record, age = within_compulsory_school_age(record, context)
    found = continuous_day_findings(
        record,
        context,
        rule="la-notification-continuous-absence",
        codes=policy.continuous_absence_codes,
        min_days=policy.continuous_absence_days,
        severity=Severity.STATUTORY,
        source=CONTINUOUS_SOURCE,
        consequence="the school must tell the local authority.",
    )
    return noting_age(found, age)


def la_notification_sickness(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Pupils with ``la_notification.sickness_days`` school days of sickness (I) in the school
    year, consecutive or cumulative: one finding per continuous period of sickness from the
    one in which the total reaches the threshold.

    Source: SI 2024/208, sickness returns: the school must notify the LA of pupils of
    compulsory school age coded I who will miss 15 school days through sickness (only days of
    that age count when the date of birth is known), consecutively or cumulatively; one return is
    needed per continuous period of sickness in a school year. How half-days count is the
    setting ``la_notification.sickness_day_counting``. A continuous period is a run of school
    days each with at least one sickness session; a school day without one ends it.
    """
    policy = context.policy.la_notification
    record, age = within_compulsory_school_age(record, context)
    line = year_window(record, context.calendar, context.as_of)
    lo, hi = line.span(record)
    flags = line.flags(record, policy.sickness_codes)
    threshold = policy.sickness_days
    if flags.count(1, lo, hi) < threshold:
        return []
    by_session = policy.sickness_day_counting == "by_session"
    starts = line.day_starts

    def day_amount(day: int) -> Fraction:
        a, b = starts[day], starts[day + 1]
        return Fraction(flags.count(1, a, b), b - a) if by_session else Fraction(1)

    findings = []
    cumulative = Fraction(0)
    for first, stop in line.day_runs(flags, lo, hi, 1, every=False):
        amount = sum(map(day_amount, range(first, stop)), Fraction(0))
        cumulative += amount
        if cumulative < threshold:
            continue
        a, b = starts[first], starts[stop]
        figure: int | Fraction = cumulative.numerator if cumulative.denominator == 1 else cumulative
        sick_columns = [line.columns[i] for i in range(lo, b) if flags[i]]
        findings.append(
            Finding(
                rule="la-notification-sickness",
                pupil_id=record.pupil_id,
                as_of=context.as_of,
                severity=Severity.STATUTORY,
                figure=figure,
                threshold=threshold,
                evidence=record.evidence(sick_columns),
                source=SICKNESS_SOURCE,
                explanation=(
                    f"Off sick for {format_days(cumulative)} school days this school year, the "
                    f"latest period from {long_date(line.dates[a])} to "
                    f"{long_date(line.dates[b - 1])}: the school must tell the local authority."
                ),
                details={
                    "period_first_day": line.dates[a].isoformat(),
                    "period_last_day": line.dates[b - 1].isoformat(),
                    "period_days": format_days(amount),
                    "ongoing": b == hi,
                    "counting": policy.sickness_day_counting,
                    "compulsory_school_age": age,
                },
            )
        )
    return findings


LA_NOTIFICATION_CONTINUOUS_ABSENCE = Rule(
    "la-notification-continuous-absence",
    "pupil",
    la_notification_continuous_absence,
    CONTINUOUS_SOURCE,
    "10 continuous school days of unauthorised absence: notify the local authority.",
)
LA_NOTIFICATION_SICKNESS = Rule(
    "la-notification-sickness",
    "pupil",
    la_notification_sickness,
    SICKNESS_SOURCE,
    "15 school days of sickness in a school year: notify the local authority.",
)
