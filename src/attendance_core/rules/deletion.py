"""Deletion from roll after 20 school days of continuous absence ("Ground I").

Source: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208)
reg 9(1)(i).
"""

from __future__ import annotations

from attendance_core.rules._timeline import continuous_day_findings
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity

__all__ = ["DELETION_20_DAY", "deletion_20_day"]

SOURCE = "SI 2024/208 reg 9(1)(i) (20 school days of continuous absence)"


def deletion_20_day(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Runs of ``deletion.continuous_days`` continuous school days on which every session is
    coded G, N or O (``deletion.codes``); any other code, U included, breaks the run.

    Source: SI 2024/208 reg 9(1)(i). The register shows only the first two conditions of the
    ground; the school must also have no reasonable grounds to believe the pupil is unable to
    attend through sickness or unavoidable cause, and the school and the local authority must
    both have failed to find the pupil after reasonable enquiries. A finding is therefore an
    action for the school, never a deletion.
    """
    policy = context.policy.deletion
    return continuous_day_findings(
        record,
        context,
        rule="deletion-20-day",
        codes=policy.codes,
        min_days=policy.continuous_days,
        severity=Severity.ACTION,
        source=SOURCE,
        consequence="deletion from roll may be possible once the school and local authority "
        "have made enquiries and the absence is not through sickness or unavoidable cause.",
    )


DELETION_20_DAY = Rule(
    "deletion-20-day",
    "pupil",
    deletion_20_day,
    SOURCE,
    "20 continuous school days coded G, N or O: deletion from roll may be possible.",
)
