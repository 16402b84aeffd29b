"""A local authority's extra notification rule: school days of any absence in the school year.

Source: SI 2024/208 requires a school to notify the LA of 10 continuous school days of
unauthorised absence (the core rule ``la-notification-continuous-absence``) and of 15 school
days of sickness (``la-notification-sickness``). LAs implement returns differently; some ask to
hear of pupils who have missed 15 school days for any reason, consecutive or cumulative, because
of their duty under s19 Education Act 1996 to arrange education for children who cannot attend
(each LA publishes its own returns). Whether Kent County Council asks for exactly this is
UNCONFIRMED, so the number of days is the policy setting ``[plugin_settings.kent] any_absence_days``.

Days are counted in sessions (two per school day) so a half-day absence counts as half a day,
decided on integers: ``absent_sessions >= 2 * days``. The finding's figure is the days missed
(an ``int``, or a ``Fraction`` such as 31/2); its threshold the ``int`` days.
"""

from __future__ import annotations

from fractions import Fraction

from attendance_core.policy import PolicyKey
from attendance_core.rules.kit import (
    Finding,
    PupilRecord,
    Rule,
    RuleContext,
    Severity,
    academic_year_start,
    on_roll,
    span,
    tally,
)

__all__ = ["DEFAULT_DAYS", "KENT_ANY_ABSENCE", "KEYS", "TABLE", "any_absence"]

TABLE = "kent"
"""The policy table of the plugin's keys: ``[plugin_settings.kent]``."""

DEFAULT_DAYS = 15

SOURCE = (
    "Local authority return under its s19 Education Act 1996 duty (15 school days of any "
    "absence; Kent's own rule UNCONFIRMED), beside SI 2024/208 attendance and sickness returns"
)


def _school_days(value: object) -> int:
    """A whole number of school days, at least 1: at 0 every pupil on roll would be reported."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number of school days, got {value!r}")
    if value < 1:
        raise ValueError(f"expected at least 1 school day, got {value}")
    return value


KEYS = (
    PolicyKey(
        TABLE,
        "any_absence_days",
        DEFAULT_DAYS,
        "School days of absence for any reason in the school year, consecutive or cumulative, "
        "after which the LA wants to hear of the pupil (half-days count as half). Whether Kent "
        "asks for 15 is UNCONFIRMED.",
        "LA s19 Education Act 1996 duty; LAs' own returns (10 or 15 school days)",
        _school_days,
    ),
)
"""Every key the plugin declares (hook ``attendance_core_policy_keys``)."""


def _days(sessions: int) -> str:
    whole, half = divmod(sessions, 2)
    return f"{whole}½" if half else str(whole)


def any_absence(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Pupils absent (authorised or not) for ``any_absence_days`` school days this school year.

    Source: the LA's return (see the module). The year runs from 1 August of the academic year
    holding the as-of date (or admission, if later) to the as-of date (or leaving, if earlier).
    """
    days = context.policy.plugin_settings.get(TABLE, {}).get("any_absence_days", DEFAULT_DAYS)
    start = academic_year_start(context.calendar, context.as_of)
    first, last = on_roll(record, start, context.as_of)
    counted = tally(record, span(record.sessions, first, last))
    absent = counted.absent
    if absent < 2 * days:
        return []
    columns = counted.absence_columns()
    figure: int | Fraction = absent // 2 if absent % 2 == 0 else Fraction(absent, 2)
    return [
        Finding(
            rule=KENT_ANY_ABSENCE.name,
            pupil_id=record.pupil_id,
            as_of=context.as_of,
            severity=Severity.ACTION,
            figure=figure,
            threshold=days,
            evidence=record.evidence(columns),
            source=SOURCE,
            explanation=(
                f"Absent for {_days(absent)} school days this school year (any reason): the "
                f"local authority asks to be told at {days} days."
            ),
            details={
                "absent_sessions": absent,
                "from": first.isoformat(),
                "to": last.isoformat(),
            },
        )
    ]


KENT_ANY_ABSENCE = Rule(
    "kent-notification-any-absence",
    "pupil",
    any_absence,
    SOURCE,
    "15 school days of absence for any reason this school year: tell the local authority.",
)
