"""Lateness: too many late sessions in a rolling window, and lateness drifting from L to U.

Source: DfE "Pupil attendance in schools" technical guidance: late sessions are L (late
before the register closed, counted as present) plus U (late after it closed, an unauthorised
absence); SI 2024/208 reg 10 (codes L and U). The limit and window are local practice
(``policy.lateness``).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from fractions import Fraction

from attendance_core.codes import Lateness
from attendance_core.rules._timeline import Timeline, academic_year_start, long_date, timeline
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity
from attendance_core.rules.statistics import display_percent

__all__ = ["LATENESS", "lateness"]

SOURCE = (
    "DfE 'Pupil attendance in schools' technical guidance (late sessions = L + U; U is "
    "unauthorised absence); SI 2024/208 reg 10; limit and window: local practice"
)


def _split(record: PupilRecord, line: Timeline, indices: list[int]) -> tuple[int, int, int | None]:
    """Late before close (L), late after close (U) and recorded minutes over ``indices``."""
    after = 0
    minutes: int | None = None
    for i in indices:
        value = record.row[line.columns[i]]
        if record.alphabet[value - 1].lateness is Lateness.AFTER_REGISTER_CLOSED:
            after += 1
        recorded = record.minutes_late.get(line.columns[i])
        if recorded is not None:
            minutes = (minutes or 0) + recorded
    return len(indices) - after, after, minutes


def _start(context: RuleContext, weeks: int) -> dt.date:
    """The first school day of the window that ends with the academic year's first school week,
    so every window ending in the year is whole whatever the register holds."""
    calendar = context.calendar
    year = calendar.school_weeks(academic_year_start(calendar, context.as_of), context.as_of)
    if not year:
        return context.as_of
    return calendar.last_school_weeks(year[0].days[0], weeks)[0].days[0]


def lateness(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Late sessions (L and U) over ``lateness.limit`` within a rolling window of
    ``lateness.window_school_weeks`` school weeks, and lateness drifting from L to U.

    Source: DfE "Pupil attendance in schools" technical guidance (L + U); local practice for
    the limit. Windows end in a school week of the as-of date's academic year and may reach
    back across holidays into the year before; the window with the most late sessions is
    reported (the earliest of equals, which always ends with a late session).

    Drift: the current window (the school weeks ending with the as-of week) is split into a
    first half (the first ``n // 2`` weeks) and a second half. With at least
    ``drift_minimum_late`` late sessions in each half, lateness drifts when the share of them
    coded U rises by at least ``drift_points`` percentage points: ``U2/T2 - U1/T1 >=
    points/100``, decided on integers.
    """
    policy = context.policy.lateness
    n = policy.window_school_weeks
    line = timeline(context.calendar, record.sessions, _start(context, n), context.as_of)
    lo, hi = line.span(record)
    late = [code.code for code in record.alphabet if code.is_late]
    flags = line.flags(record, late)
    total = flags.count(1, lo, hi)
    if not late or total < min(policy.limit, 2 * policy.drift_minimum_late) or lo == hi:
        return []
    indices = [i for i in range(lo, hi) if flags[i]]
    by_week = Counter(line.weeks[i] for i in indices)
    first_week, last_week = line.weeks[lo], line.weeks[hi - 1]
    year_start = academic_year_start(context.calendar, context.as_of)
    from_week = max(first_week, line.weeks[bisect.bisect_left(line.dates, year_start, lo, hi - 1)])
    findings = []
    year_indices = [i for i in indices if line.dates[i] >= year_start]
    year_l, year_u, year_minutes = _split(record, line, year_indices)
    year_details = {"year_L": year_l, "year_U": year_u, "year_minutes_late": year_minutes}

    best, best_end = 0, -1
    running = sum(by_week[w] for w in range(max(first_week, from_week - n + 1), from_week))
    for end in range(from_week, last_week + 1):
        running += by_week[end]
        if end - n >= first_week:
            running -= by_week[end - n]
        if running > best:
            best, best_end = running, end
    if best >= policy.limit and line.dates[hi - 1] >= year_start:
        start_week = max(first_week, best_end - n + 1)
        window = [i for i in indices if start_week <= line.weeks[i] <= best_end]
        on_time, after, minutes = _split(record, line, window)
        recorded = f", {minutes} minutes in all" if minutes is not None else ""
        findings.append(
            Finding(
                rule="lateness",
                pupil_id=record.pupil_id,
                as_of=context.as_of,
                severity=Severity.WATCH,
                figure=best,
                threshold=policy.limit,
                evidence=record.evidence(line.columns_of(window)),
                source=SOURCE,
                explanation=(
                    f"Late {best} times from {long_date(line.dates[window[0]])} to "
                    f"{long_date(line.dates[window[-1]])} ({on_time} before the register "
                    f"closed, {after} after{recorded}); the limit is {policy.limit} in any {n} "
                    "school weeks."
                ),
                details={
                    "kind": "over-limit",
                    "window_first_week": line.mondays[start_week].isoformat(),
                    "window_last_week": line.mondays[best_end].isoformat(),
                    "L": on_time,
                    "U": after,
                    "minutes_late": minutes,
                    **year_details,
                },
            )
        )

    current_first = max(first_week, last_week - n + 1)
    middle = current_first + (last_week - current_first + 1) // 2
    halves = (
        [i for i in indices if current_first <= line.weeks[i] < middle],
        [i for i in indices if middle <= line.weeks[i]],
    )
    (l1, u1, _), (l2, u2, _) = (_split(record, line, half) for half in halves)
    t1, t2 = l1 + u1, l2 + u2
    least = policy.drift_minimum_late
    if t1 >= least and t2 >= least and (u2 * t1 - u1 * t2) * 100 >= policy.drift_points * t1 * t2:
        share1, share2 = Fraction(u1, t1), Fraction(u2, t2)
        findings.append(
            Finding(
                rule="lateness",
                pupil_id=record.pupil_id,
                as_of=context.as_of,
                severity=Severity.WATCH,
                figure=share2 - share1,
                threshold=Fraction(policy.drift_points, 100),
                evidence=record.evidence(line.columns_of([*halves[0], *halves[1]])),
                source=SOURCE,
                explanation=(
                    f"Lateness is turning into unauthorised absence: {display_percent(share2)} of late "
                    f"arrivals came after the register closed in the last "
                    f"{last_week - middle + 1} school weeks, against {display_percent(share1)} in the "
                    f"{middle - current_first} weeks before."
                ),
                details={
                    "kind": "drift",
                    "first_half": {
                        "from_week": line.mondays[current_first].isoformat(),
                        "L": l1,
                        "U": u1,
                    },
                    "second_half": {
                        "from_week": line.mondays[middle].isoformat(),
                        "L": l2,
                        "U": u2,
                    },
                    **year_details,
                },
            )
        )
    return findings


LATENESS = Rule(
    "lateness",
    "pupil",
    lateness,
    SOURCE,
    "Too many late sessions (L, U) in a rolling window of school weeks; lateness drifting to U.",
)
