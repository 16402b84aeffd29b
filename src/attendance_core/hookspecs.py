# mypy: disable-error-code="empty-body"
"""Every hook attendance_core calls, documented like pytest's hookspecs.

Plugins implement these with ``@attendance_core.hookimpl``. Decision hooks stop at the first
non-``None`` answer (``firstresult``); the built-in behaviour is itself a plugin registered
``trylast``, so a school's, trust's, LA's or vendor's plugin can always override it.
Contribution hooks return frozen values and never mutate their arguments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pluggy

from attendance_core.codes import AttendanceCode, CodeSet

if TYPE_CHECKING:
    from attendance_core.policy import Policy, PolicyKey
    from attendance_core.register import Register
    from attendance_core.reports import ReportSection
    from attendance_core.rules.findings import Finding
    from attendance_core.rules.statistics import AttendanceSummary

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "attendance_core"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def attendance_core_code_sets() -> Sequence[CodeSet]:
    """Contribute code sets (for example Wales's, or a vendor's extended set).

    Called by :func:`attendance_core.plugins.code_sets` whenever code sets are listed or a code
    set id is resolved through the plugin manager. Every plugin's answer is collected.

    :return: the code sets this plugin provides; each id must be unique across all plugins
        and the built-in sets (``"england-2024"``, ``"england-2006"``).
    """


@hookspec(firstresult=True)
def attendance_core_map_code(code: str, code_set: CodeSet) -> AttendanceCode | None:
    """Map a local or vendor code (for example an MIS sub-code ``"I01"``) to a statutory code.

    Called by :func:`attendance_core.plugins.resolve_code` for every distinct code read from a
    register, with the code exactly as written (surrounding whitespace removed) and the
    statutory code set in force for the mark. The first plugin to return a code decides; the
    built-in implementation (``trylast``) looks the code up in ``code_set`` itself.

    :param code: the code as it appears in the register.
    :param code_set: the statutory code set that applies to the mark.
    :return: the statutory :class:`AttendanceCode` from ``code_set`` that ``code`` stands for,
        or ``None`` to leave the decision to other plugins.
    """


# -- policy ----------------------------------------------------------------------------------


@hookspec
def attendance_core_policy_keys() -> Sequence[PolicyKey]:
    """Declare the policy keys this plugin reads, so policy files may set them.

    Called by :meth:`attendance_core.policy.Policy.from_toml` and ``from_mapping`` (through
    :func:`attendance_core.policy.declared_keys`) each time a policy is loaded, before any value
    is checked. Every plugin's answer is collected. A policy file sets a declared key in the
    table ``[plugins.<table>]``; keys nobody declares are rejected with a "did you mean", keys
    left out take their default, and the checked value is read back as
    ``policy.plugins[table][name]``.

    :return: the :class:`~attendance_core.policy.PolicyKey` values this plugin owns, each with
        a non-empty ``doc`` and its ``source``. Two plugins declaring the same
        ``plugins.<table>.<name>``, or a key without a doc, is a
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

    Called by :func:`attendance_core.reports.officer_report` once per report, after the
    built-in sections (school summary, persistent and severe absentees, watch list, findings by
    rule) have been built. Every plugin's answer is collected; the report shows plugin
    sections after the built-in ones, in plugin call order, each marked with the plugin that
    contributed it.

    :param register: the school's register the report is about (read it; never change it).
    :param policy: the validated policy in force, including ``policy.plugins`` values.
    :param summaries: each enrolment's :class:`AttendanceSummary`, by pupil id.
    :param findings: the rule findings the report was given (possibly none).
    :param as_of: the date the report is as of, or ``None`` for the whole register.
    :return: frozen :class:`~attendance_core.reports.ReportSection` values, or an empty
        sequence. Sections must show pupil ids only, never names or dates of birth.
    """
