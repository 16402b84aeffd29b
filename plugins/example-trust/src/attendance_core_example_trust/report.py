"""The trust's report section: each pupil at the highest ladder step their findings lead to.

Source: the trust's attendance policy (a pupil is dealt with at the most serious step any
finding calls for; local practice under WTISA 2024 paras 19-21). Pupil ids only, never names.
"""

from __future__ import annotations

from collections.abc import Sequence

from attendance_core import Finding
from attendance_core.reports import ReportSection
from attendance_core_example_trust.settings import LADDER

__all__ = ["ladder_section"]

TITLE = "Escalation ladder (Example Learning Trust)"


def ladder_section(findings: Sequence[Finding]) -> ReportSection:
    """One row per ladder step, mildest first: how many pupils are at it, and which."""
    highest: dict[str, int] = {}
    for finding in findings:
        step = finding.details.get("escalation", {}).get("step")
        if finding.pupil_id is None or step not in LADDER:
            continue
        rank = LADDER.index(step)
        highest[finding.pupil_id] = max(rank, highest.get(finding.pupil_id, rank))
    rows = []
    for rank, step in enumerate(LADDER):
        pupils = sorted(pupil for pupil, top in highest.items() if top == rank)
        rows.append((step, str(len(pupils)), ", ".join(pupils)))
    return ReportSection(
        TITLE,
        columns=("Step", "Pupils", "Pupil ids"),
        rows=rows,
        notes=("Each pupil is counted once, at the highest step any of their findings leads to.",),
        source="Example Learning Trust attendance policy (local practice under WTISA 2024 paras 19-21)",
    )
