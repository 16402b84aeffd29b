"""Absence patterns: weekday skew, morning or afternoon skew, absence beside weekends and holidays.

Source: WTISA 2024 paras 19-21 (support first: schools monitor attendance data and act on
emerging patterns). The shares that count as a pattern are local practice
(``policy.absence_pattern``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from typing import Any

from attendance_core.model import Part
from attendance_core.register import NO_MARK
from attendance_core.rules._timeline import gap_after, gap_before, year_window
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity
from attendance_core.rules.statistics import display_percent

__all__ = ["ABSENCE_PATTERN", "absence_pattern"]

SOURCE = "WTISA 2024 paras 19-21 (monitor attendance and act on patterns); local practice"
_PARTS = {Part.AM: "morning", Part.PM: "afternoon"}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def absence_pattern(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Patterns in this school year's absence sessions (``absence_pattern.codes``), once there
    are at least ``minimum_sessions`` of them:

    - ``weekday``: one weekday holds at least ``weekday_share_percent`` of them;
    - ``part``: morning or afternoon sessions hold at least ``part_share_percent``;
    - ``adjacent``: at least ``adjacent_share_percent`` fall on a school day next to a
      non-school day (the last school day before, or the first after, a weekend or holiday).

    Source: WTISA 2024 paras 19-21; local practice. Shares are compared on integers
    (``count * 100 >= absences * percent``); each finding gives the counts behind it, and the
    same counts for all the pupil's marked school sessions, so that a reader can see what an
    even spread would be.
    """
    policy = context.policy.absence_pattern
    line = year_window(record, context.calendar, context.as_of)
    lo, hi = line.span(record)
    flags = line.flags(record, policy.codes)
    total = flags.count(1, lo, hi)
    if total < policy.minimum_sessions or total == 0:
        return []
    indices = [i for i in range(lo, hi) if flags[i]]
    evidence = record.evidence(line.columns_of(indices))
    values = line.codes(record)
    school = [i for i in range(lo, hi) if values[i] != NO_MARK]
    findings: list[Finding] = []

    def finding(kind: str, count: int, share: int, explanation: str, **extra: Any) -> None:
        rate = Fraction(count, total)
        findings.append(
            Finding(
                rule="absence-pattern",
                pupil_id=record.pupil_id,
                as_of=context.as_of,
                severity=Severity.WATCH,
                figure=rate,
                threshold=Fraction(share, 100),
                evidence=evidence,
                source=SOURCE,
                explanation=(
                    f"{count} of {total} absence sessions this school year {explanation} "
                    f"({display_percent(rate)})."
                ),
                details={"kind": kind, "absences": total, **extra},
            )
        )

    by_day = Counter(line.dates[i].weekday() for i in indices)
    for day, count in sorted(by_day.items()):
        if count * 100 >= total * policy.weekday_share_percent:
            name = _WEEKDAYS[day]
            finding(
                "weekday",
                count,
                policy.weekday_share_percent,
                f"were on a {name}",
                weekday=name,
                absences_by_weekday=_names(by_day),
                sessions_by_weekday=_names(Counter(line.dates[i].weekday() for i in school)),
            )

    by_part = Counter(line.sessions[i].part for i in indices)
    for part, count in sorted(by_part.items()):
        if count * 100 >= total * policy.part_share_percent:
            finding(
                "part",
                count,
                policy.part_share_percent,
                f"were {_PARTS[part]} sessions",
                part=part.value,
                absences_by_part={p.value: by_part[p] for p in Part},
                sessions_by_part={
                    p.value: sum(1 for i in school if line.sessions[i].part is p) for p in Part
                },
            )

    calendar = context.calendar
    beside: dict[dt.date, bool] = {}

    def next_to_gap(day: dt.date) -> bool:
        if day not in beside:
            beside[day] = gap_before(calendar, day) or gap_after(calendar, day)
        return beside[day]

    adjacent = sum(1 for i in indices if next_to_gap(line.dates[i]))
    if adjacent * 100 >= total * policy.adjacent_share_percent:
        finding(
            "adjacent",
            adjacent,
            policy.adjacent_share_percent,
            "were on a school day next to a weekend or holiday",
            adjacent_absences=adjacent,
            adjacent_sessions=sum(1 for i in school if next_to_gap(line.dates[i])),
            sessions=len(school),
        )
    return findings


def _names(counts: Counter[int]) -> dict[str, int]:
    return {_WEEKDAYS[day]: counts[day] for day in sorted({*range(5), *counts})}


ABSENCE_PATTERN = Rule(
    "absence-pattern",
    "pupil",
    absence_pattern,
    SOURCE,
    "Absence skewed to one weekday, to mornings or afternoons, or next to weekends and holidays.",
)
