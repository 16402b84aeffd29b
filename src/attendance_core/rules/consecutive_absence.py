"""Streaks of consecutive absence sessions, counted in sessions, across weekends and holidays.

Source: local practice within WTISA 2024's support-first approach (paras 19-21: schools
monitor attendance and act on emerging patterns). Streaks are counted in sessions, not days,
so a half-day absence is seen.
"""

from __future__ import annotations

from attendance_core.rules._timeline import academic_year_start, long_date, streak_window
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity

__all__ = ["CONSECUTIVE_ABSENCE", "consecutive_absence"]

SOURCE = "WTISA 2024 paras 19-21 (support first: monitor and act on patterns); local practice"


def consecutive_absence(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Maximal streaks of at least ``consecutive_absence.sessions`` consecutive school
    sessions, each coded with one of ``consecutive_absence.codes``, ending in ``as_of``'s
    academic year.

    Source: local practice (WTISA 2024 paras 19-21). Sessions the school does not meet
    (weekends, holidays, closures the calendar records) are skipped; any other mark, or a
    school session with no mark, breaks the streak.
    """
    policy = context.policy.consecutive_absence
    line = streak_window(record, context.calendar, context.as_of)
    lo, hi = line.span(record)
    flags = line.flags(record, policy.codes)
    year_start = academic_year_start(context.calendar, context.as_of)
    findings = []
    for run in line.session_runs(flags, lo, hi, policy.sessions):
        first, last = line.sessions[run.start], line.sessions[run.stop - 1]
        if last.date < year_start:
            continue
        evidence = record.evidence(line.columns_of(run))
        codes = tuple(sorted({e.code for e in evidence if e.code is not None}))
        findings.append(
            Finding(
                rule="consecutive-absence",
                pupil_id=record.pupil_id,
                as_of=context.as_of,
                severity=Severity.WATCH,
                figure=len(run),
                threshold=policy.sessions,
                evidence=evidence,
                source=SOURCE,
                explanation=(
                    f"Absent for {len(run)} sessions in a row, from the {first.part} session "
                    f"of {long_date(first.date)} to the {last.part} session of "
                    f"{long_date(last.date)}."
                ),
                details={
                    "first_session": str(first),
                    "last_session": str(last),
                    "codes": codes,
                    "ongoing": run.stop == hi,
                },
            )
        )
    return findings


CONSECUTIVE_ABSENCE = Rule(
    "consecutive-absence",
    "pupil",
    consecutive_absence,
    SOURCE,
    "Streaks of consecutive absence sessions, across weekends and holidays.",
)
