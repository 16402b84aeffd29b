"""The engine: the one module that asks plugins and passes their answers to the pure rules.

:func:`check` lists the rules (hook ``attendance_core_rules``), decides each rule's policy (hook
``attendance_core_adjust_policy``), runs the rules over one :class:`PupilRecord` per enrolment
(never an object per mark), sorts the findings and asks what each leads to (hook
``attendance_core_escalation``). Whatever a plugin other than the built-in one decided is
recorded in each finding's ``provenance``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import attrs
import pluggy

from attendance_core.calendars import academic_year_bounds
from attendance_core.exceptions import InputError, PluginError
from attendance_core.model import Enrolment, Part, Session, parse_date, parse_part
from attendance_core.plugins import hook_answers, make_plugin_manager
from attendance_core.policy import Policy
from attendance_core.register import Register
from attendance_core.rules.escalation import Escalation
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
    PenaltyNotice,
    penalty_notice_rule,
)

if TYPE_CHECKING:
    from attendance_core.calendars import SchoolCalendar

__all__ = ["available_rules", "check"]

_T = TypeVar("_T")

BUILTIN = "builtin"
"""The name the built-in plugin is registered under; its decisions need no provenance."""


def available_rules(manager: pluggy.PluginManager) -> dict[str, tuple[Rule, str]]:
    """Every rule the built-in plugin and the other plugins contribute, with who contributed it.

    Raises :class:`PluginError` when two contributions share a name.
    """
    found: dict[str, tuple[Rule, str]] = {}
    for plugin, contribution in hook_answers(manager, "attendance_core_rules"):
        for rule in contribution or ():
            if not isinstance(rule, Rule):
                raise PluginError(f"plugin {plugin!r} contributed {rule!r}, which is not a Rule")
            if rule.name in found:
                raise PluginError(
                    f"rule {rule.name!r} is contributed by both {found[rule.name][1]!r} and "
                    f"{plugin!r}; rule names must be unique"
                )
            found[rule.name] = (rule, plugin)
    return found


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


def _up_to(register: Register, as_of: dt.date, part: Part = Part.PM) -> Register:
    """The register's columns up to and including session ``part`` of ``as_of``."""
    end = bisect.bisect_right(register.sessions, Session(as_of, part))
    if end == len(register.sessions):
        return register
    return Register(
        register.sessions[:end],
        register.pupil_ids,
        register.alphabet,
        tuple(row[:end] for row in register.rows),
        {key: m for key, m in register.minutes_late.items() if key[1] < end},
        register.written,
    )


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


def _first_answer(
    manager: pluggy.PluginManager, hook: str, kind: type[_T], **kwargs: object
) -> tuple[str, _T] | None:
    """The first answer to a ``firstresult`` hook that is not ``None``, with the plugin that gave
    it; an answer of another type than ``kind`` is the plugin's error."""
    for plugin, answer in hook_answers(manager, hook, **kwargs):
        if answer is None:
            continue
        if not isinstance(answer, kind):
            raise PluginError(
                f"plugin {plugin!r} answered {hook} with {answer!r}; expected {kind.__name__} "
                "or None"
            )
        return plugin, answer
    return None


def _policy_for(
    manager: pluggy.PluginManager, policy: Policy, rule: Rule
) -> tuple[Policy, str | None]:
    """The policy ``rule`` runs with, and the plugin that changed it (``None`` if unchanged)."""
    found = _first_answer(
        manager, "attendance_core_adjust_policy", Policy, policy=policy, rule=rule
    )
    if found is None:
        return policy, None
    plugin, answer = found
    return answer, (None if plugin == BUILTIN or answer == policy else plugin)


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


def _escalation_decides(manager: pluggy.PluginManager, policy: Policy) -> bool:
    """Whether asking the escalation hook can give any answer: a plugin other than the built-in
    implements it, or the policy names a step for some severity. When neither holds, every
    answer would be ``None``, so the engine does not ask once per finding."""
    impls = manager.hook.attendance_core_escalation.get_hookimpls()
    return bool(policy.escalation.by_severity) or any(i.plugin_name != BUILTIN for i in impls)


def _escalate(manager: pluggy.PluginManager, finding: Finding, policy: Policy) -> Finding:
    found = _first_answer(
        manager, "attendance_core_escalation", Escalation, finding=finding, policy=policy
    )
    if found is None:
        return finding
    plugin, answer = found
    details = {**finding.details, "escalation": {"step": answer.step, "reason": answer.reason}}
    provenance = dict(finding.provenance)
    if plugin != BUILTIN:
        provenance["escalation"] = plugin
    return attrs.evolve(finding, details=details, provenance=provenance)


def check(
    register: Register,
    calendar: SchoolCalendar,
    *,
    policy: Policy | None = None,
    as_of: dt.date | str | None = None,
    rules: Iterable[str] | str | None = None,
    enrolments: Mapping[str, Enrolment] | None = None,
    notices: Sequence[PenaltyNotice] | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
    as_of_session: Part | str | None = None,
    as_of_time: dt.time | str | None = None,
) -> list[Finding]:
    """Run the intervention rules over a register as of a date; the findings, sorted.

    :param register: the marks; only those dated up to ``as_of`` are read.
    :param calendar: the school's calendar (school weeks, remaining sessions, academic years).
    :param policy: thresholds, code lists and windows; the national defaults when ``None``.
    :param as_of: the date to check as of (a ``date`` or ISO text); the register's last session
        date when ``None``. Year-to-date rules count from 1 August of the academic year holding
        it.
    :param rules: names of the rules to run (all when ``None``); an unknown name is an
        :class:`InputError` listing the valid names.
    :param enrolments: admission and leaving dates by pupil id; year-to-date counts and
        look-ahead stay within them.
    :param notices: the penalty-notice history read by ``penalty-notice-threshold`` (sessions
        already covered are not counted again; the per-parent limit is applied).
    :param plugin_manager: the plugins to ask; a fresh :func:`make_plugin_manager` when
        ``None``.
    :param as_of_session: ``"AM"`` to check as of the morning of ``as_of`` (its afternoon
        marks are not read; ``first-day-contact`` lists the morning's unexplained absences);
        the whole day when ``None``.
    :param as_of_time: the time of day of the check (a ``time`` or ``"HH:MM"``), for
        ``first-day-contact``: a missing mark counts as unexplained only once the calendar's
        register for its session has closed. ``None``, or a calendar without register times:
        every register asked for is treated as closed.
    :return: findings sorted by rule, pupil id and first evidence date, each with
        ``details["escalation"]`` when a ladder step applies and ``provenance`` naming any
        plugin that added the rule, changed its policy or chose its step.
    """
    manager = plugin_manager if plugin_manager is not None else make_plugin_manager()
    policy = policy if policy is not None else Policy()
    available = available_rules(manager)
    builtin_notices = available.get(PENALTY_NOTICE_THRESHOLD.name)
    if notices and builtin_notices == (PENALTY_NOTICE_THRESHOLD, BUILTIN):
        available[PENALTY_NOTICE_THRESHOLD.name] = (penalty_notice_rule(notices), BUILTIN)
    selected = _select(available, rules)
    day = _as_of(register, as_of)
    _covered(calendar, day)
    part = parse_part(as_of_session) if as_of_session is not None else None
    clock = _time(as_of_time) if as_of_time is not None else None
    marks = _up_to(register, day, part or Part.PM)
    records = _records(marks, enrolments)
    findings: list[Finding] = []
    for rule, plugin in selected:
        rule_policy, adjusted_by = _policy_for(manager, policy, rule)
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
    if not _escalation_decides(manager, policy):
        return findings
    return [_escalate(manager, finding, policy) for finding in findings]
