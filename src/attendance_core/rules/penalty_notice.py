"""The penalty-notice threshold: unauthorised sessions within a rolling window of school weeks.

Source: DfE, "Working together to improve school attendance" (August 2024), the national
framework for penalty notices (paras 174-200), under ss444A-444B of the Education Act 1996 and
the Education (Penalty Notices) (England) (Amendment) Regulations 2024: when 10 sessions of
unauthorised absence fall within a rolling period of 10 school weeks, a penalty notice must be
considered. A school week is any week with at least one session, so holiday weeks are skipped
and the window crosses terms and years. At most 2 notices per parent per child within a rolling
3 years; the second is £160 with no £80 option; beyond that no notice is possible and other
legal action (prosecution under s444) must be considered. Withdrawn notices do not count.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
from collections.abc import Iterable, Mapping, Sequence

import attrs

from attendance_core.exceptions import InputError
from attendance_core.model import Session
from attendance_core.rules._timeline import academic_year_start, long_date
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity
from attendance_core.rules.school_age import within_compulsory_school_age

__all__ = [
    "PENALTY_NOTICE_THRESHOLD",
    "NoticeStatus",
    "PenaltyNotice",
    "penalty_notice_rule",
    "penalty_notice_threshold",
]

SOURCE = (
    "DfE 'Working together to improve school attendance' (2024) paras 174-200, national "
    "framework for penalty notices; Education Act 1996 ss444A-444B; Education (Penalty "
    "Notices) (England) (Amendment) Regulations 2024"
)
NAME = "penalty-notice-threshold"


class NoticeStatus(str, enum.Enum):
    """Where a penalty notice stands; every status but ``withdrawn`` counts towards the limit."""

    ISSUED = "issued"
    PAID = "paid"
    PROSECUTED = "prosecuted"
    """Unpaid, and the parent was prosecuted."""
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return self.value


def _status(value: NoticeStatus | str) -> NoticeStatus:
    try:
        return NoticeStatus(value.strip() if isinstance(value, str) else value)
    except ValueError:
        raise InputError(
            "not a notice status",
            field="status",
            value=value,
            expected=" or ".join(s.value for s in NoticeStatus),
        ) from None


def _sessions(value: Iterable[Session]) -> tuple[Session, ...]:
    return tuple(value)


@attrs.frozen
class PenaltyNotice:
    """One penalty notice issued to one parent for one child, with the sessions it covered."""

    parent_id: str
    pupil_id: str
    issued: dt.date
    status: NoticeStatus = attrs.field(converter=_status)
    sessions: tuple[Session, ...] = attrs.field(default=(), converter=_sessions)
    """The sessions of absence the notice was issued for; they never count again."""

    @property
    def counts(self) -> bool:
        """Whether the notice counts towards the limit (withdrawn notices do not)."""
        return self.status is not NoticeStatus.WITHDRAWN


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _next_notice(in_period: int, context: RuleContext) -> tuple[str, str]:
    """What the next notice to a parent with ``in_period`` counted notices would be."""
    policy = context.policy.penalty_notice
    if in_period >= policy.max_notices:
        return "none", (
            f"no notice possible ({in_period} already within {policy.period_years} years) "
            "— consider other legal action (s444 Education Act 1996)"
        )
    if in_period == 0:
        return "first", (
            f"a first notice is £{policy.reduced_amount} if paid within "
            f"{policy.reduced_within_days} days, £{policy.amount} within "
            f"{policy.amount_within_days} days"
        )
    return "later", (
        f"notice {in_period + 1} within {policy.period_years} years is £{policy.amount} "
        f"within {policy.amount_within_days} days, with no reduced amount"
    )


def _triggers(
    record: PupilRecord, context: RuleContext, columns: list[int]
) -> list[tuple[list[int], dt.date, dt.date, int]]:
    """Greedy scan of the rolling windows: ``(columns, first Monday, last day, school weeks)``
    each time the threshold is met; the sessions of one trigger never count towards another."""
    policy = context.policy.penalty_notice
    first_day = record.sessions[columns[0]].date
    weeks = context.calendar.school_weeks(first_day, context.as_of)
    starts = [week.start for week in weeks]
    by_week: list[list[int]] = [[] for _ in weeks]
    for col in columns:
        day = record.sessions[col].date
        index = bisect.bisect_right(starts, day) - 1
        if index >= 0 and day in weeks[index].days:
            by_week[index].append(col)
    year_start = academic_year_start(context.calendar, context.as_of)
    size = policy.school_weeks
    found = []
    running = 0  # sessions in the window of ``size`` school weeks ending with week ``last``
    for last, week in enumerate(by_week):
        running += len(week)
        if last >= size:
            running -= len(by_week[last - size])
        if running < policy.sessions:
            continue
        first = max(0, last - size + 1)
        if weeks[last].days[-1] >= year_start:
            counted = [col for cols in by_week[first : last + 1] for col in cols]
            window = context.calendar.last_school_weeks(weeks[last].days[-1], size)
            found.append((counted, window[0].start, window[-1].days[-1], len(window)))
        by_week[first : last + 1] = [[] for _ in range(first, last + 1)]
        running = 0
    return found


def penalty_notice_threshold(
    record: PupilRecord, context: RuleContext, notices: Sequence[PenaltyNotice] = ()
) -> list[Finding]:
    """Each time this school year the penalty-notice threshold was met, with the notice options.

    Source: DfE WTISA 2024 paras 174-200 (national framework for penalty notices); Education
    Act 1996 ss444A-444B and s444; Education (Penalty Notices) (England) (Amendment)
    Regulations 2024. ``penalty_notice.sessions`` (10) sessions coded ``penalty_notice.codes``
    (G, N, O, U; L never counts) within ``penalty_notice.school_weeks`` (10) consecutive
    school weeks of the calendar, ending on or before ``as_of``. Windows are scanned in order;
    when one meets the threshold its sessions are used up, so a later finding never counts
    them again, as for sessions covered by a notice in ``notices`` (unless withdrawn). A
    finding is reported when its window ends in the academic year holding ``as_of``.
    ``notices`` are this pupil's notice history (others' are ignored): for each parent, the
    notices that count and were issued within ``penalty_notice.period_years`` before
    ``as_of`` decide whether the next is a first notice, a later one at the full amount, or
    impossible beyond ``penalty_notice.max_notices``. The parent's duty under s444 concerns a
    child of compulsory school age: with a date of birth only sessions while of that age count
    (``rules.school_age``); without one every session counts, and
    ``details["compulsory_school_age"]`` says the age was not checked.
    """
    policy = context.policy.penalty_notice
    record, age = within_compulsory_school_age(record, context)
    values = record.values_for(policy.codes)
    if sum(record.row.count(value) for value in values) < policy.sessions:
        return []
    history = [n for n in notices if n.pupil_id == record.pupil_id and n.issued <= context.as_of]
    covered = {session for notice in history if notice.counts for session in notice.sessions}
    columns = record.columns_with(policy.codes)
    if covered:
        columns = [col for col in columns if record.sessions[col] not in covered]
    if len(columns) < policy.sessions:
        return []
    since = _years_before(context.as_of, policy.period_years)
    parents: dict[str, int] = {}
    for notice in history:
        in_period = notice.counts and notice.issued > since
        parents[notice.parent_id] = parents.get(notice.parent_id, 0) + in_period
    options = {parent: _next_notice(n, context) for parent, n in sorted(parents.items())}
    if options:
        outcome = "; ".join(f"parent {parent}: {text}" for parent, (_, text) in options.items())
    else:
        outcome = _next_notice(0, context)[1]
    findings = []
    for counted, window_start, window_end, school_weeks in _triggers(record, context, columns):
        findings.append(
            Finding(
                rule=NAME,
                pupil_id=record.pupil_id,
                as_of=context.as_of,
                severity=Severity.ACTION,
                figure=len(counted),
                threshold=policy.sessions,
                evidence=record.evidence(counted),
                source=SOURCE,
                explanation=(
                    f"{len(counted)} sessions of unauthorised absence in the {school_weeks} "
                    f"school weeks from {long_date(window_start)} to {long_date(window_end)} "
                    f"(threshold {policy.sessions}): consider a penalty notice; {outcome}."
                ),
                details={
                    "window_start": window_start.isoformat(),
                    "window_end": window_end.isoformat(),
                    "school_weeks": school_weeks,
                    "notices": {
                        parent: {"in_period": parents[parent], "next": kind}
                        for parent, (kind, _) in options.items()
                    },
                    "notice_possible": not options
                    or any(kind != "none" for kind, _ in options.values()),
                    "compulsory_school_age": age,
                },
            )
        )
    return findings


def _with_history(
    history: Mapping[str, tuple[PenaltyNotice, ...]], record: PupilRecord, context: RuleContext
) -> list[Finding]:
    return penalty_notice_threshold(record, context, history.get(record.pupil_id, ()))


def penalty_notice_rule(notices: Iterable[PenaltyNotice] = ()) -> Rule:
    """The ``penalty-notice-threshold`` rule reading ``notices`` as the notice history."""
    history: dict[str, list[PenaltyNotice]] = {}
    for notice in notices:
        history.setdefault(notice.pupil_id, []).append(notice)
    frozen = {pupil: tuple(found) for pupil, found in history.items()}
    return Rule(
        NAME,
        "pupil",
        functools.partial(_with_history, frozen),
        SOURCE,
        "10 unauthorised sessions (G, N, O, U) within any 10 school weeks, with the notices "
        "still possible per parent (at most 2 in 3 years).",
    )


PENALTY_NOTICE_THRESHOLD = penalty_notice_rule()
"""The rule with no notice history (every parent is on a first notice)."""
