"""attendance_core plugin for a (fictional) multi-academy trust: its bands and escalation ladder.

Installed, it is found through the ``attendance_core`` entry-point group under the name
``"example_trust"``. It declares the policy keys of ``[plugin_settings.example_trust]``, runs the
attendance-band and watch-list rules with the trust's bands and watch line, and decides which
step of the trust's ladder (letter 1, letter 2, attendance panel, attendance contract, notice to
improve) each finding leads to. :func:`attendance_core.check` records the plugin in each
finding's ``provenance`` (``"threshold"`` for the bands, ``"escalation"`` for the step). The
officer's report gains a section with each pupil at the highest step their findings lead to.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from attendance_core import Escalation, Finding, Rule, hookimpl
from attendance_core.policy import Policy, PolicyKey
from attendance_core.reports import ReportSection
from attendance_core_example_trust.ladder import step_for
from attendance_core_example_trust.report import ladder_section
from attendance_core_example_trust.settings import KEYS, LADDER, TABLE, TrustSettings

__all__ = [
    "BAND_RULES",
    "LADDER",
    "TABLE",
    "TrustSettings",
    "attendance_core_adjust_policy",
    "attendance_core_escalation",
    "attendance_core_policy_keys",
    "attendance_core_report_sections",
    "ladder_section",
    "step_for",
]

BAND_RULES = ("attendance-band", "watch-list")
"""The core rules that run with the trust's bands and watch line."""


@hookimpl
def attendance_core_policy_keys() -> Sequence[PolicyKey]:
    """Declare ``[plugin_settings.example_trust]``: bands, watch_list_below, steps, panel_absence_percent."""
    return KEYS


@hookimpl
def attendance_core_adjust_policy(policy: Policy, rule: Rule) -> Policy | None:
    """The trust's bands and watch line for the band rules; other rules are left alone."""
    if rule.name not in BAND_RULES:
        return None
    settings = TrustSettings.of(policy)
    bands = attrs.evolve(
        policy.bands, bands=settings.bands, watch_list_below=settings.watch_list_below
    )
    return attrs.evolve(policy, bands=bands)


@hookimpl
def attendance_core_escalation(finding: Finding, policy: Policy) -> Escalation | None:
    """The ladder step the trust's policy gives the finding's rule, if any."""
    return step_for(finding, TrustSettings.of(policy))


@hookimpl
def attendance_core_report_sections(findings: Sequence[Finding]) -> Sequence[ReportSection]:
    """The ladder section, from the findings the report was given (none: no section).

    Takes only the hook argument it reads; pluggy passes each implementation the ones it names.
    """
    return (ladder_section(findings),) if findings else ()
