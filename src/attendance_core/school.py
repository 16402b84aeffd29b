"""One school, assembled once: marks, roll, pupils, calendar, policy and the plugins it turns on.

Everything a school's figures depend on is decided here, exactly once: which plugins act
(only those the policy names, or that the caller registered in code), the policy checked
against the keys those plugins declare, the code set the policy forces and who provides it,
the resolver that reads local and vendor codes (the policy's ``local_codes``, then the
plugins, then the law), the calendar with every plugin's adjustments applied, and the
register read with them. :func:`attendance_core.check`, summaries, the officer's report and
every command take a :class:`School`; nothing below this module builds a plugin manager.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs
import pluggy

from attendance_core.calendars import SchoolCalendar
from attendance_core.code_resolver import CodeMapping, CodeResolver, code_resolver
from attendance_core.codes import CodeSet, CodeSetLike
from attendance_core.engine import run_rules
from attendance_core.exceptions import InputError, PolicyError, PolicyProblem
from attendance_core.model import Enrolment, Mark, Part
from attendance_core.plugins import (
    BUILTIN,
    adjust_calendar,
    code_set_owners,
    declared_keys,
    installed_plugins,
    make_plugin_manager,
    resolve_calendar,
)
from attendance_core.policy import Policy, read_toml
from attendance_core.register import Register, ResolveCode
from attendance_core.rules.columnar import CountingEngine
from attendance_core.rules.findings import Finding
from attendance_core.rules.penalty_notice import PenaltyNotice
from attendance_core.rules.statistics import (
    AttendanceSummary,
    MarkLike,
    register_summaries,
    summarise_marks,
)

__all__ = ["MarksReader", "PolicySource", "School", "check", "load_policy", "summarise"]

PolicySource: TypeAlias = "Policy | str | os.PathLike[str] | Mapping[str, Any] | None"
"""A policy, a policy file, the mapping a policy file would give, or ``None`` (national)."""
MarksReader: TypeAlias = "Callable[[CodeSet | None, ResolveCode], Register]"
"""Reads a school's marks given the code set the policy forces (``None``: each mark's date
decides) and the school's resolver for local codes, e.g. a file reader of
:mod:`attendance_core.io`."""


def _named_plugins(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The ``plugins`` list of unchecked policy data, or none if it is not a list of names
    (the policy check then reports it with its path)."""
    names = data.get("plugins", ()) if isinstance(data, Mapping) else ()
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        return ()
    return tuple(names)


def _manager_for(
    names: Sequence[str], plugin_manager: pluggy.PluginManager | None, source: str | None
) -> tuple[pluggy.PluginManager, list[PolicyProblem]]:
    """A manager holding the plugins ``names`` names: ``plugin_manager`` (which must hold them
    all), else a new one that loads them; and a problem at ``$.plugins[i]`` for each name that
    cannot be had (the rest of the policy is still checked, so every problem is listed)."""
    if plugin_manager is not None:
        available = [n for n, p in plugin_manager.list_name_plugin() if p]
        why, known = "is not registered", f"registered: {', '.join(available)}"
    else:
        available = list(installed_plugins())
        why, known = "is not installed", f"installed: {', '.join(available) or 'none'}"
    problems = [
        PolicyProblem(f"$.plugins[{i}]", f"plugin {name!r} {why} ({known})", file=source)
        for i, name in enumerate(names)
        if name not in available
    ]
    if plugin_manager is not None:
        return plugin_manager, problems
    return make_plugin_manager([n for n in names if n in available]), problems


def _policy_and_manager(
    policy: PolicySource,
    plugin_manager: pluggy.PluginManager | None,
    source: str | None = None,
) -> tuple[Policy, pluggy.PluginManager]:
    if isinstance(policy, Policy):
        data: Mapping[str, Any] = {"plugins": list(policy.plugins)}
        source = policy.source
    elif policy is None:
        data = {}
    elif isinstance(policy, Mapping):
        data = policy
    else:
        data, source = read_toml(policy), os.fspath(policy)
    manager, missing = _manager_for(_named_plugins(data), plugin_manager, source)
    if isinstance(policy, Policy) or policy is None:
        if missing:
            raise PolicyError(missing)
        return policy or Policy(), manager
    try:
        read = Policy.from_mapping(
            data, source=source, plugin_keys=declared_keys(manager), code_sets=_code_sets(manager)
        )
    except PolicyError as error:
        raise PolicyError([*error.problems, *missing]) from None
    if missing:
        raise PolicyError(missing)
    return read, manager


def _code_sets(manager: pluggy.PluginManager) -> dict[str, CodeSet]:
    return {set_id: found for set_id, (found, _) in code_set_owners(manager).items()}


def load_policy(
    policy: PolicySource,
    *,
    source: str | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
) -> Policy:
    """A checked policy, with the plugins it names loaded to check the keys they declare.

    ``policy`` is a file, the mapping a file would give, a :class:`Policy` (checked against the
    plugins) or ``None``. A plugin the policy names that is not installed (or, with
    ``plugin_manager``, not registered in it) is a :class:`PolicyError` naming it. ``source``
    names where a mapping came from, in messages.
    """
    return _policy_and_manager(policy, plugin_manager, source)[0]


def _forced_code_set(
    policy: Policy, manager: pluggy.PluginManager
) -> tuple[CodeSet | None, str | None]:
    """The code set ``policy`` forces and the plugin that provides it (``None`` for a built-in
    set), or ``(None, None)`` for ``"auto"``."""
    wanted = policy.codes.code_set
    if wanted == "auto":
        return None, None
    owners = code_set_owners(manager)
    if wanted not in owners:
        raise InputError(
            "the policy's code set is provided by no plugin it turns on",
            file=policy.source,
            field="codes.code_set",
            value=wanted,
            expected=" or ".join(map(repr, ["auto", *owners])),
        )
    found, plugin = owners[wanted]
    return found, (None if plugin == BUILTIN else plugin)


def _calendar(
    calendar: SchoolCalendar | str | os.PathLike[str] | None,
    policy: Policy,
    manager: pluggy.PluginManager,
) -> SchoolCalendar | None:
    """The school's calendar: ``calendar``, else the one the policy's ``[calendar]`` names (a
    file beside the policy, or a plugin's calendar by name), else none. Every plugin's
    adjustments are applied once to a calendar read here; a :class:`SchoolCalendar` passed in
    is taken as it is (it may already be adjusted: :func:`attendance_core.plugins.adjust_calendar`)."""
    if isinstance(calendar, SchoolCalendar):
        return calendar
    if calendar is not None:
        return adjust_calendar(manager, SchoolCalendar.from_toml(calendar))
    if policy.calendar_path is not None:
        return adjust_calendar(manager, SchoolCalendar.from_toml(policy.calendar_path))
    if policy.calendar.name is not None:
        return resolve_calendar(manager, policy.calendar.name)
    return None


def _enrolments(
    enrolments: Mapping[str, Enrolment] | Iterable[Enrolment] | None,
) -> Mapping[str, Enrolment] | None:
    if enrolments is None:
        return None
    if isinstance(enrolments, Mapping):
        return MappingProxyType(dict(enrolments))
    return MappingProxyType({e.pupil_id: e for e in enrolments})


@attrs.frozen(eq=False)
class School:
    """A school's inputs, each worked out once; build one with :meth:`assemble`, or from files
    with :func:`attendance_core.io.read_school`.

    Every command, :func:`attendance_core.check`, the summaries and the officer's report read
    the same register, calendar, policy and plugins from here, so they cannot disagree.
    """

    register: Register
    policy: Policy
    plugin_manager: pluggy.PluginManager = attrs.field(repr=False)
    """The built-in plugin, the plugins the policy names and those registered in code."""
    resolve: CodeResolver = attrs.field(repr=False)
    """Reads a local or vendor code: the policy's ``local_codes``, then the plugins."""
    calendar: SchoolCalendar | None = None
    """The calendar (read from a file or named by the policy: with every plugin's adjustments
    applied), or ``None`` if none was given."""
    enrolments: Mapping[str, Enrolment] | None = None
    """Admission and leaving dates by pupil id; ``None`` when not given (every pupil in the
    register is then taken to be on roll)."""
    pupils: Mapping[str, Mapping[str, str]] = attrs.field(factory=lambda: MappingProxyType({}))
    """Pupil attributes (year group, form, flags ...) by pupil id; empty when not given."""
    notices: tuple[PenaltyNotice, ...] = ()
    """The penalty-notice history the penalty-notice rule reads."""
    code_set: CodeSet | None = None
    """The code set the policy forces for every mark, or ``None``: the set in force on each
    mark's date."""
    code_set_plugin: str | None = None
    """The plugin that provides :attr:`code_set`, when a plugin does."""
    unmarked: Mapping[str, int] = attrs.field(factory=lambda: MappingProxyType({}))
    """Sessions not yet marked (a blank or ``-`` in an export) by pupil id: counted in no
    category, and left without a mark in the register."""
    notes: tuple[str, ...] = ()
    """What reading the files noticed that a person should see (columns not used, sessions
    not yet marked, pupils in one file and not the other): commands print them on standard
    error. Pupil ids only, never names."""

    @classmethod
    def assemble(
        cls,
        marks: Register | Iterable[tuple[str, Mark]] | MarksReader,
        *,
        policy: PolicySource = None,
        calendar: SchoolCalendar | str | os.PathLike[str] | None = None,
        enrolments: Mapping[str, Enrolment] | Iterable[Enrolment] | None = None,
        pupils: Mapping[str, Mapping[str, str]] | None = None,
        notices: Iterable[PenaltyNotice] = (),
        plugin_manager: pluggy.PluginManager | None = None,
    ) -> School:
        """A school from its marks and its other inputs, the policy decided first.

        ``marks`` is a :class:`Register` (read already), ``(pupil_id, mark)`` pairs, or a
        :data:`MarksReader` called with the policy's code set and the school's resolver
        (:func:`attendance_core.io.read_school` passes a file reader). ``policy`` and
        ``calendar`` may be files. ``plugin_manager`` replaces the one built from the policy's
        ``plugins`` (it must hold every plugin the policy names).
        """
        read, manager = _policy_and_manager(policy, plugin_manager)
        forced, provider = _forced_code_set(read, manager)
        resolve = code_resolver(read, manager)
        if isinstance(marks, Register):
            register = marks
        elif callable(marks):
            register = marks(forced, resolve)
        else:
            register = Register.from_marks(marks, code_set=forced, resolve=resolve)
        return cls(
            register,
            read,
            manager,
            resolve,
            _calendar(calendar, read, manager),
            _enrolments(enrolments),
            MappingProxyType(dict(pupils or {})),
            tuple(notices),
            forced,
            provider,
        )

    @property
    def code_mappings(self) -> tuple[CodeMapping, ...]:
        """Every code the policy or a plugin decided so far, with who decided it."""
        return self.resolve.mappings

    def summaries(
        self,
        *,
        as_of: dt.date | None = None,
        part: Part = Part.PM,
        engine: CountingEngine = "auto",
    ) -> dict[str, AttendanceSummary]:
        """Each enrolment's summary (up to session ``part`` of ``as_of`` when given), flagged at
        the policy's persistent- and severe-absence lines; ``engine`` counts in pure Python or
        with numpy (:func:`~attendance_core.rules.statistics.register_summaries`)."""
        register = self.register if as_of is None else self.register.up_to(as_of, part)
        return register_summaries(register, policy=self.policy, engine=engine)

    def summary(self, *, as_of: dt.date | None = None) -> AttendanceSummary:
        """The whole school pooled as DfE pools it: sessions summed, never rates averaged."""
        return AttendanceSummary.pool(self.summaries(as_of=as_of).values())

    def check(
        self,
        *,
        as_of: dt.date | str | None = None,
        rules: Iterable[str] | str | None = None,
        as_of_session: Part | str | None = None,
        as_of_time: dt.time | str | None = None,
    ) -> list[Finding]:
        """The intervention rules' findings as of a date: :func:`attendance_core.check`."""
        return run_rules(
            self, as_of=as_of, rules=rules, as_of_session=as_of_session, as_of_time=as_of_time
        )


def summarise(
    marks: Iterable[MarkLike],
    *,
    code_set: CodeSetLike | None = None,
    policy: PolicySource = None,
    plugin_manager: pluggy.PluginManager | None = None,
) -> AttendanceSummary:
    """Summarise one enrolment's marks (``Mark`` values or ``(date, "AM" | "PM", code[,
    minutes_late])`` tuples).

    Each code is read with the statutory set in force on its mark's date, or with ``code_set``
    (else the set the policy forces); a code outside it is read through the policy's
    ``local_codes``, then the plugins the policy turns on. Persistent and severe absence use
    the policy's lines. Two marks for one session are an error, never a silent choice.
    """
    read, manager = _policy_and_manager(policy, plugin_manager)
    forced = code_set if code_set is not None else _forced_code_set(read, manager)[0]
    return summarise_marks(
        marks, code_set=forced, policy=read, resolve=code_resolver(read, manager)
    )


def check(
    school: School | Register,
    calendar: SchoolCalendar | str | os.PathLike[str] | None = None,
    *,
    policy: PolicySource = None,
    as_of: dt.date | str | None = None,
    rules: Iterable[str] | str | None = None,
    enrolments: Mapping[str, Enrolment] | None = None,
    notices: Sequence[PenaltyNotice] | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
    as_of_session: Part | str | None = None,
    as_of_time: dt.time | str | None = None,
) -> list[Finding]:
    """Run the intervention rules over a school (or a register) as of a date; the findings,
    sorted.

    :param school: an assembled :class:`School`, or a register whose other inputs follow (a
        school is then assembled from them: the same as ``School.assemble(...).check(...)``).
        Only the marks dated up to ``as_of`` are read.
    :param calendar: the school's calendar (school weeks, remaining sessions, academic years),
        with a register; else the policy's ``[calendar]``.
    :param policy: thresholds, code lists, windows and the plugins that act; the national
        defaults when ``None``.
    :param as_of: the date to check as of (a ``date`` or ISO text); the register's last session
        date when ``None``. Year-to-date rules count from 1 August of the academic year holding
        it.
    :param rules: names of the rules to run (all when ``None``); an unknown name is an
        :class:`InputError` listing the valid names.
    :param enrolments: admission and leaving dates by pupil id; year-to-date counts and
        look-ahead stay within them.
    :param notices: the penalty-notice history read by ``penalty-notice-threshold`` (sessions
        already covered are not counted again; the per-parent limit is applied).
    :param plugin_manager: the plugins to ask; when ``None``, the built-in plugin and those
        the policy names.
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
    if isinstance(school, Register):
        school = School.assemble(
            school,
            policy=policy,
            calendar=calendar,
            enrolments=enrolments,
            notices=notices or (),
            plugin_manager=plugin_manager,
        )
    elif any(x is not None for x in (calendar, policy, enrolments, notices, plugin_manager)):
        raise InputError(
            "a School already holds its calendar, policy, enrolments, notices and plugins",
            field="check",
            expected="check(school, as_of=..., rules=...) or check(register, calendar, ...)",
        )
    return run_rules(
        school, as_of=as_of, rules=rules, as_of_session=as_of_session, as_of_time=as_of_time
    )
