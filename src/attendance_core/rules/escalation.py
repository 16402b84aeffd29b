"""What a finding leads to: a step on the school's escalation ladder.

Source: DfE, "Working together to improve school attendance" (2024) paras 19-21: support first,
then formalise support (an attendance contract), then enforce. Which step a finding leads to is
local practice, so it comes from the policy (``escalation.by_severity``) or a plugin (hook
``attendance_core_escalation``); by default no finding leads to any step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from attendance_core.policy import Policy
    from attendance_core.rules.findings import Finding

__all__ = ["Escalation", "escalation_by_severity"]


@attrs.frozen
class Escalation:
    """One step a finding leads to, e.g. ``Escalation("letter 1")``, and why."""

    step: str
    """The step's name, normally one of the policy's ``escalation.ladder``."""
    reason: str = ""
    """One line saying why this step (shown beside the finding)."""


def escalation_by_severity(finding: Finding, policy: Policy) -> Escalation | None:
    """The step ``policy.escalation.by_severity`` names for the finding's severity, if any."""
    step = policy.escalation.by_severity.get(finding.severity.value)
    if step is None:
        return None
    return Escalation(step, f"policy: {finding.severity.value} findings lead to {step!r}")
