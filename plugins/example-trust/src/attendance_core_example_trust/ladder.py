"""Which step of the trust's ladder a rule finding leads to: a pure function of the finding.

Source: the trust's attendance policy (local practice under WTISA 2024 paras 19-21: support
first, then an attendance contract, then enforcement, starting with a Notice to Improve). Each
rule named in ``steps`` leads to its step; a persistent-absence finding at or above
``panel_absence_percent`` goes to the attendance panel instead, decided on the exact rate.
"""

from __future__ import annotations

from fractions import Fraction

from attendance_core import Escalation, Finding
from attendance_core.rules.kit import display_percent
from attendance_core_example_trust.settings import TrustSettings

__all__ = ["PANEL", "step_for"]

PANEL = "attendance panel"


def step_for(finding: Finding, settings: TrustSettings) -> Escalation | None:
    """The step ``finding`` leads to under ``settings``, or ``None`` when its rule leads nowhere."""
    step = settings.steps.get(finding.rule)
    if step is None:
        return None
    figure = finding.figure
    if finding.rule == "persistent-absence" and isinstance(figure, Fraction):
        line = settings.panel_absence_percent / 100
        if figure >= line:
            return Escalation(
                PANEL,
                f"trust policy: absence of {display_percent(figure)} is at or above the panel line of "
                f"{display_percent(line)}",
            )
    return Escalation(step, f"trust policy: {finding.rule} findings lead to {step!r}")
