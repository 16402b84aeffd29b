"""The engine: runs the rules over an assembled school and passes them the plugins' answers.

:func:`run_rules` lists the rules (hook ``attendance_core_rules``), decides each rule's policy
(hook ``attendance_core_adjust_policy``), runs the rules over one :class:`PupilRecord` per
enrolment (never an object per mark), sorts the findings and asks what each leads to (hook
``attendance_core_escalation``); the hooks are called by :mod:`attendance_core.plugins`.
Whatever a plugin other than the built-in one decided is recorded in each finding's
``provenance``. :func:`attendance_core.check` assembles a school and calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, cast

import attrs
import pluggy

from attendance_core.calendars import SchoolCalendar, academic_year_bounds
from attendance_core.exceptions import InputError, PluginError
from attendance_core.model import Enrolment, Part, Session, parse_date, parse_part
from attendance_core.plugins import (
    BUILTIN,
    adjusted_policy,
    available_rules,
    escalation,
    escalation_decides,
)
from attendance_core.policy import Policy
from attendance_core.register import Register
from attendance_core.rules.findings import (
    Evidence,
    Finding,
    PupilRecord,
    PupilRuleFunc,
    RegisterRuleFunc,
    Rule,
    RuleContext,
)
from attendance_core.rules.penalty_notice import (
    PENALTY_NOTICE_THRESHOLD,
    penalty_notice_rule,
)

if TYPE_CHECKING:
    from attendance_core.school import School

__all__ = ["run_rules"]


def _select(
    available: Mapping[str, tuple[Rule, str]], names: Iterable[str] | str | None
) -> list[tuple[Rule, str]]:
    if names is None:
        return list(available.values())
    wanted = [names] if isinstance(names, str) else list(names)
    for name in wanted:
        if name not in available:
            raise InputError(
                "unknown rule",
                field="rule",
                value=name,
                expected=f"one of {', '.join(sorted(available))}",
            )
    return [entry for name, entry in available.items() if name in wanted]


def _as_of(register: Register, as_of: dt.date | str | None) -> dt.date:
    if as_of is not None:
        return parse_date(as_of, field="as_of")
    if not register.sessions:
        raise InputError(
            "the register has no sessions, so there is no last date to check as of",
            field="as_of",
            expected="an as-of date",
        )
    return register.sessions[-1].date


def _covered(calendar: SchoolCalendar, day: dt.date) -> None:
    """Refuse an as-of date in a school year the calendar does not describe: its school
    weeks, remaining sessions and year-to-date span would all be empty, and every rule would
    silently find nothing."""
    first, last = academic_year_bounds(calendar.academic_year_of(day))
    if not calendar.school_days(first, last):
        known = (
            f"its school days run from {calendar.first_day} to {calendar.last_day}"
            if calendar.first_day is not None
            else "it has no school days at all"
        )
        raise InputError(
            "the calendar has no school days in the school year holding the as-of date",
            field="as_of",
            value=day.isoformat(),
            expected=f"a date in a school year the calendar covers ({known})",
        )


def _time(value: dt.time | str, field: str = "as_of_time") -> dt.time:
    """A time of day: a ``time`` or ``HH:MM`` text (24-hour clock)."""
    if isinstance(value, dt.time):
        return value
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and len(text) == 5 and text[2] == ":":
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            pass
    raise InputError("not a time of day", field=field, value=value, expected="HH:MM, e.g. 09:30")


def _records(register: Register, enrolments: Mapping[str, Enrolment] | None) -> list[PupilRecord]:
    minutes: dict[int, dict[int, int]] = {}
    for (row, col), value in register.minutes_late.items():
        minutes.setdefault(row, {})[col] = value
    lookup = enrolments or {}
    shared: dict[int, Evidence] = {}
    return [
        PupilRecord(
            pupil_id,
            register.sessions,
            register.alphabet,
            register.rows[index],
            minutes.get(index, {}),
            lookup.get(pupil_id),
            shared,
        )
        for index, pupil_id in enumerate(register.pupil_ids)
    ]


def _run(
    rule: Rule, context: RuleContext, register: Register, records: list[PupilRecord]
) -> list[Finding]:
    if rule.scope == "register":
        return list(cast(RegisterRuleFunc, rule.func)(register, context))
    func = cast(PupilRuleFunc, rule.func)
    found: list[Finding] = []
    for record in records:
        found.extend(func(record, context))
    return found


def _order(finding: Finding) -> tuple[str, bool, str, dt.date, str]:
    first = finding.evidence[0].session if finding.evidence else Session(finding.as_of, Part.AM)
    # The session's date and part as plain values: comparing attrs Sessions is slow.
    return finding.rule, finding.pupil_id is not None, finding.pupil_id or "", *_when(first)


def _when(session: Session) -> tuple[dt.date, str]:
    return session.date, session.part.value


def _escalate(manager: pluggy.PluginManager, finding: Finding, policy: Policy) -> Finding:
    found = escalation(manager, finding, policy)
    if found is None:
        return finding
    answer, plugin = found
    details = {**finding.details, "escalation": {"step": answer.step, "reason": answer.reason}}
    provenance = dict(finding.provenance)
    if plugin != BUILTIN:
        provenance["escalation"] = plugin
    return attrs.evolve(finding, details=details, provenance=provenance)


def run_rules(
    school: School,
    *,
    as_of: dt.date | str | None = None,
    rules: Iterable[str] | str | None = None,
    as_of_session: Part | str | None = None,
    as_of_time: dt.time | str | None = None,
) -> list[Finding]:
    """Run the intervention rules over ``school`` as of a date; the findings, sorted.

    The school's calendar is required (school weeks, remaining sessions, academic years); its
    enrolments keep every count within each pupil's time on roll; its notices feed
    ``penalty-notice-threshold``. See :func:`attendance_core.check` for the other arguments.
    """
    calendar = school.calendar
    if calendar is None:
        raise InputError(
            "the rules need the school's calendar",
            field="calendar",
            expected="a calendar file, or a policy whose [calendar] names one",
        )
    manager, policy, register = school.plugin_manager, school.policy, school.register
    available = available_rules(manager)
    builtin_notices = available.get(PENALTY_NOTICE_THRESHOLD.name)
    if school.notices and builtin_notices == (PENALTY_NOTICE_THRESHOLD, BUILTIN):
        available[PENALTY_NOTICE_THRESHOLD.name] = (penalty_notice_rule(school.notices), BUILTIN)
    selected = _select(available, rules)
    day = _as_of(register, as_of)
    _covered(calendar, day)
    part = parse_part(as_of_session) if as_of_session is not None else None
    clock = _time(as_of_time) if as_of_time is not None else None
    marks = register.up_to(day, part or Part.PM)
    enrolments = school.enrolments
    records = _records(marks, enrolments)
    findings: list[Finding] = []
    for rule, plugin in selected:
        rule_policy, adjusted_by = adjusted_policy(manager, policy, rule)
        provenance = dict(calendar.provenance)
        if plugin != BUILTIN:
            provenance["rule"] = plugin
        if adjusted_by is not None:
            provenance["threshold"] = adjusted_by
        context = RuleContext(calendar, rule_policy, day, provenance, part, enrolments or {}, clock)
        found = _run(rule, context, marks, records)
        for finding in found:
            if not isinstance(finding, Finding):
                raise PluginError(f"rule {rule.name!r} returned {finding!r}, not a Finding")
        if provenance:
            found = [attrs.evolve(f, provenance={**provenance, **f.provenance}) for f in found]
        findings.extend(found)
    findings.sort(key=_order)
    if not escalation_decides(manager, policy):
        return findings
    return [_escalate(manager, finding, policy) for finding in findings]
