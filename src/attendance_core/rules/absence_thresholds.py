"""Persistent and severe absence, year to date as of a date.

Source: DfE, "Pupil absence in schools in England" methodology: an enrolment is persistently
absent when its overall absence (authorised plus unauthorised) is 10% or more of its own
possible sessions (the exact method, since 2015/16), and severely absent at 50% or more
("missing at least half"; whether DfE's exact sentence says "at least" or "more than" is
unconfirmed, so it is the policy setting ``method.severe_absence_boundary``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from attendance_core.rules._counting import tally, year_to_date
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity
from attendance_core.rules.statistics import AbsenceThresholds, display_percent

__all__ = [
    "PERSISTENT_ABSENCE",
    "SEVERE_ABSENCE",
    "persistent_absence",
    "severe_absence",
]

PERSISTENT_SOURCE = (
    "DfE 'Pupil absence in schools in England' methodology: persistent absence, "
    "exact method since 2015/16"
)
SEVERE_SOURCE = "DfE 'Pupil absence in schools in England' methodology: severe absence"


def persistent_absence(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Overall absence this school year is at least ``thresholds.persistent_absence`` percent.

    Source: DfE "Pupil absence in schools in England" methodology (persistent absence: 10% or
    more of the enrolment's own possible sessions, exact method since 2015/16). Decided on
    integers: ``absent * 100 >= possible * percent``, by :class:`AbsenceThresholds` as
    summaries and the officer's report decide it.
    """
    lines = AbsenceThresholds.from_policy(context.policy)
    return _over_line(
        record,
        context,
        "persistent-absence",
        PERSISTENT_SOURCE,
        lines.persistent_absence,
        lines.is_persistent,
    )


def severe_absence(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Overall absence this school year reaches ``thresholds.severe_absence`` percent.

    Source: DfE "Pupil absence in schools in England" methodology (severe absence: missing at
    least half of possible sessions). ``method.severe_absence_boundary`` chooses "at least"
    (``absent * 100 >= possible * percent``, the default) or "more than" (``>``), because the
    exact wording of DfE's definition is unconfirmed.
    """
    lines = AbsenceThresholds.from_policy(context.policy)
    boundary = lines.severe_absence_boundary
    return _over_line(
        record,
        context,
        "severe-absence",
        SEVERE_SOURCE,
        lines.severe_absence,
        lines.is_severe,
        at_least=boundary == "at_least",
        details={"boundary": boundary},
    )


def _over_line(
    record: PupilRecord,
    context: RuleContext,
    rule: str,
    source: str,
    line: int,
    reached: Callable[[int, int], bool],
    *,
    at_least: bool = True,
    details: Mapping[str, str] | None = None,
) -> list[Finding]:
    """The ``rule`` finding when overall absence this school year has ``reached(absent,
    possible)`` the ``line`` percent (reaches it, or passes it unless ``at_least``)."""
    first, last, columns = year_to_date(record, context)
    counts = tally(record, columns)
    if not reached(counts.absent, counts.possible):
        return []
    rate = Fraction(counts.absent, counts.possible)
    boundary = f"{line}% or more" if at_least else f"more than {line}%"
    return [
        Finding(
            rule=rule,
            pupil_id=record.pupil_id,
            as_of=context.as_of,
            severity=Severity.ACTION,
            figure=rate,
            threshold=Fraction(line, 100),
            evidence=record.evidence(counts.absence_columns()),
            source=source,
            explanation=(
                f"Missed {counts.absent} of {counts.possible} possible sessions this school "
                f"year ({display_percent(rate)}); {rule.replace('-', ' ')} is {boundary}."
            ),
            details={
                "absent_sessions": counts.absent,
                "possible_sessions": counts.possible,
                **(details or {}),
                "from": first.isoformat(),
                "to": last.isoformat(),
            },
        )
    ]


PERSISTENT_ABSENCE = Rule(
    "persistent-absence",
    "pupil",
    persistent_absence,
    PERSISTENT_SOURCE,
    "Overall absence this school year at least the persistent-absence percentage (10%).",
)
SEVERE_ABSENCE = Rule(
    "severe-absence",
    "pupil",
    severe_absence,
    SEVERE_SOURCE,
    "Overall absence this school year at least the severe-absence percentage (50%).",
)
