# mypy: disable-error-code="empty-body"
"""Every hook attendance_core calls, documented like pytest's hookspecs.

Plugins implement these with ``@attendance_core.hookimpl``, as functions of a module or
methods of an object, named exactly as below (a misspelt name is a ``PluginError``), taking any
subset of the arguments (arguments may be added, never renamed or removed).

- **Decision hooks** (``firstresult``) stop at the first non-``None`` answer. The built-in
  behaviour is itself a plugin, ``"builtin"``, registered first and marked ``trylast``, so a
  school's, trust's, LA's or vendor's plugin always gets the first word. Plugins are asked
  last-registered first; mark an implementation ``tryfirst`` to go earlier.
- **Contribution hooks** collect every plugin's answer: frozen values, never mutated
  arguments.

Installed plugins (the ``attendance_core`` entry-point group) are dormant until a policy names
them (``plugins = ["kent"]``); plugin objects can also be passed to
``make_plugin_manager(plugins=...)``. Every hook is called through pluggy by one function of
:mod:`attendance_core.plugins`, so hook wrappers, ``tryfirst``/``trylast`` and tracing work for
each. ``list_plugins()`` shows each plugin with its version and hooks. Whatever a plugin
decides is recorded with its name: code mappings (``CodeResolver.provenance()``, listed after the
``summary`` command's table with a plugin's code set), policy keys (``declared_keys()``),
calendars (``SchoolCalendar.provenance``, passed into every finding), findings
(``Finding.provenance``) and report sections (``ReportSection.contributed_by``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pluggy

from attendance_core.codes import AttendanceCode, CodeSet

if TYPE_CHECKING:
    from attendance_core.calendars import CalendarAdjustment, SchoolCalendar
    from attendance_core.policy import Policy, PolicyKey
    from attendance_core.register import Register
    from attendance_core.reports import ReportSection
    from attendance_core.rules.escalation import Escalation
    from attendance_core.rules.findings import Finding, Rule
    from attendance_core.rules.statistics import AttendanceSummary

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "attendance_core"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def attendance_core_code_sets() -> Sequence[CodeSet]:
    """Contribute code sets (for example Wales's, or a vendor's extended set).

    Called by :func:`attendance_core.plugins.code_sets` whenever code sets are listed or a code
    set id is resolved through the plugin manager (once per policy read or school assembled). Every plugin's answer is collected.

    :return: the code sets this plugin provides; each id must be unique across all plugins
        and the built-in sets (``"england-2024"``, ``"england-2006"``).
    """


@hookspec(firstresult=True)
def attendance_core_map_code(code: str, code_set: CodeSet) -> AttendanceCode | None:
    """Map a local or vendor code (for example an MIS sub-code ``"I01"``) to a statutory code.

    Called by :func:`attendance_core.plugins.decide_code` (behind the
    school's :class:`~attendance_core.code_resolver.CodeResolver`) for every distinct code read from a
    register that the policy's ``local_codes`` do not map, with the code exactly as written
    (surrounding whitespace removed) and the statutory code set in force for the mark. The
    first plugin to return a code decides; the built-in implementation (``trylast``) looks the
    code up in ``code_set`` itself. A code outside ``code_set`` is a
    :class:`~attendance_core.exceptions.PluginError` naming the plugin.

    :param code: the code as it appears in the register.
    :param code_set: the statutory code set that applies to the mark.
    :return: the statutory :class:`AttendanceCode` from ``code_set`` that ``code`` stands for,
        or ``None`` to leave the decision to other plugins.
    """


# -- policy ----------------------------------------------------------------------------------


@hookspec
def attendance_core_policy_keys() -> Sequence[PolicyKey]:
    """Declare the policy keys this plugin reads, so policy files may set them.

    Called by :func:`attendance_core.load_policy` and :meth:`attendance_core.School.assemble`
    (through
    :func:`attendance_core.plugins.declared_keys`) each time a policy is loaded, before any value
    is checked. Every plugin's answer is collected. A policy file sets a declared key in the
    table ``[plugin_settings.<table>]``; keys nobody declares are rejected with a "did you
    mean", keys left out take their default, and the checked value is read back as
    ``policy.plugin_settings[table][name]``. Only plugins the policy turns on are asked.

    :return: the :class:`~attendance_core.policy.PolicyKey` values this plugin owns, each with
        a non-empty ``doc`` and its ``source``. Two plugins declaring the same
        ``plugin_settings.<table>.<name>``, or a key without a doc, is a
        :class:`~attendance_core.exceptions.PluginError`.
    """


# -- reports ---------------------------------------------------------------------------------


@hookspec
def attendance_core_report_sections(
    register: Register,
    policy: Policy,
    summaries: Mapping[str, AttendanceSummary],
    findings: Sequence[Finding],
    as_of: dt.date | None,
) -> Sequence[ReportSection]:
    """Contribute sections to the attendance officer's report.

    Called by :func:`attendance_core.plugins.report_sections` for
    :func:`attendance_core.reports.officer_report`, once per report, after the
    built-in sections (school summary, settings, absentees, watch list, local codes, findings
    by rule, plugins in use) have been built. Every plugin's answer is collected; the report shows plugin
    sections after the built-in ones, in plugin call order, each marked with the plugin that
    contributed it.

    :param register: the school's register the report is about (read it; never change it).
    :param policy: the validated policy in force, including ``policy.plugin_settings`` values.
    :param summaries: each enrolment's :class:`AttendanceSummary`, by pupil id, up to ``as_of``;
        its persistent and severe flags are at ``policy``'s lines.
    :param findings: the rule findings the report was given (possibly none).
    :param as_of: the date the report is as of, or ``None`` for the whole register.
    :return: frozen :class:`~attendance_core.reports.ReportSection` values, or an empty
        sequence. Sections must show pupil ids only, never names or dates of birth.
    """


# -- rules -----------------------------------------------------------------------------------


@hookspec
def attendance_core_rules() -> Sequence[Rule]:
    """Contribute rules that :func:`attendance_core.check` can run.

    Called by :func:`attendance_core.check` once per call, before any rule runs, to list every
    rule there is (the built-in plugin contributes the core rules of
    :data:`attendance_core.rules.registry.BUILTIN_RULES`). Every plugin's answer is collected.
    A rule's function must be pure: ``(PupilRecord, RuleContext) -> list[Finding]`` for scope
    ``"pupil"``, ``(Register, RuleContext) -> list[Finding]`` for scope ``"register"``, reading
    the marks up to ``context.as_of`` only, and every threshold from ``context.policy``. Each
    finding of a plugin's rule records the plugin in ``provenance["rule"]``.

    :return: frozen :class:`~attendance_core.rules.findings.Rule` values. Rule names are
        kebab-case and unique across all plugins and the core: a name used twice is a
        :class:`~attendance_core.exceptions.PluginError`. To change a core rule's thresholds,
        implement :func:`attendance_core_adjust_policy` instead of replacing the rule.
    """


@hookspec(firstresult=True)
def attendance_core_adjust_policy(policy: Policy, rule: Rule) -> Policy | None:
    """Decide the policy (thresholds, code lists, windows) one rule runs with.

    Called by :func:`attendance_core.check` once per selected rule per call, before the rule
    runs, with the policy the caller gave (or the national defaults). The first plugin to return
    a policy decides; the built-in implementation (``trylast``) returns ``policy`` unchanged.
    When the answer differs from ``policy``, every finding of that rule records the deciding
    plugin in ``provenance["threshold"]``. For example, a trust that puts its watch list at 92%
    returns ``attrs.evolve(policy, bands=attrs.evolve(policy.bands,
    watch_list_below=Fraction(92)))`` when ``rule.name == "watch-list"``.

    :param policy: the policy in force for this call (never mutate it; policies are frozen).
    :param rule: the rule about to run; decide by ``rule.name``.
    :return: the policy the rule should run with, or ``None`` to leave the decision to other
        plugins.
    """


@hookspec(firstresult=True)
def attendance_core_escalation(finding: Finding, policy: Policy) -> Escalation | None:
    """Decide what a finding leads to: a step on an escalation ladder (letter 1, letter 2,
    meeting, attendance contract, notice to improve, ...).

    Called by :func:`attendance_core.check` once for every finding, after all rules have run
    and in the findings' sorted order, unless only the built-in plugin implements this hook
    and the policy names no step (then every answer would be ``None``, so ``check`` does not
    ask). The first plugin to return an answer decides; the
    built-in implementation (``trylast``) returns the step ``policy.escalation.by_severity``
    names for the finding's severity, or ``None`` when it names none (the default: no step).
    The step is stored in the finding's ``details["escalation"]`` as ``{"step": ..., "reason":
    ...}``; a step decided by a plugin other than the built-in one is recorded in
    ``provenance["escalation"]``.

    :param finding: the finding, complete with evidence, details and provenance.
    :param policy: the policy the caller gave (not a rule's adjusted policy).
    :return: an :class:`~attendance_core.rules.escalation.Escalation`, or ``None`` to leave the
        decision to other plugins (when every plugin returns ``None``, the finding leads to no
        step).
    """


# -- calendars -------------------------------------------------------------------------------


@hookspec
def attendance_core_calendars() -> Sequence[SchoolCalendar]:
    """Contribute whole school calendars, found by name (an LA's or a trust's term dates).

    Called by :func:`attendance_core.plugins.plugin_calendars` (and so by
    :func:`~attendance_core.plugins.resolve_calendar`) whenever a calendar is looked up by
    name, for example from ``[calendar] name = "..."`` in a policy. Every plugin's answer is
    collected; the built-in implementation (``trylast``) contributes none. Build each calendar
    with :meth:`SchoolCalendar.from_toml` or :meth:`SchoolCalendar.from_mapping`, which check it.

    :return: frozen :class:`~attendance_core.calendars.SchoolCalendar` values. Each
        ``calendar.name`` must be unique across all plugins: a name given twice is a
        :class:`~attendance_core.exceptions.PluginError`.
    """


@hookspec
def attendance_core_adjust_calendar(calendar: SchoolCalendar) -> CalendarAdjustment | None:
    """Contribute a school's own days to a calendar: its INSET days and closures.

    Called by :func:`attendance_core.plugins.adjust_calendar` once per calendar it adjusts
    (every calendar :func:`~attendance_core.plugins.resolve_calendar` returns is adjusted).
    Every plugin's answer is applied, in pluggy's call order (last registered first); the
    built-in implementation (``trylast``) returns ``None``. After each adjustment the calendar
    is checked again: an INSET day on a weekend, a closure outside term or a day in a year the
    calendar does not cover is a :class:`~attendance_core.exceptions.CalendarError` naming the
    plugin.

    :param calendar: the calendar so far (frozen; never mutate it), e.g. an LA's term dates.
        Decide by ``calendar.name`` or ``calendar.authority`` whether it is yours to adjust.
    :return: a :class:`~attendance_core.calendars.CalendarAdjustment` with the days to add, or
        ``None`` to leave the calendar as it is.
    """
