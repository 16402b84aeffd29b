"""Policies: every threshold, code list and method choice, with national defaults.

Read a policy that names no plugins with :meth:`Policy.from_toml`; one that turns plugins on
with :func:`attendance_core.load_policy`, which loads them and checks the keys they declare
(:class:`PolicyKey`).
"""

from attendance_core.policy._keys import DeclaredKey, PolicyKey
from attendance_core.policy._load import read_toml, sections
from attendance_core.policy._model import (
    Band,
    BandsPolicy,
    CalendarPolicy,
    CensusPolicy,
    CodesPolicy,
    ConsecutiveAbsencePolicy,
    CtfPolicy,
    DeletionPolicy,
    EscalationPolicy,
    LANotificationPolicy,
    LatenessPolicy,
    MethodPolicy,
    PatternPolicy,
    PenaltyNoticePolicy,
    ReportPolicy,
    SchoolAgePolicy,
    SchoolPolicy,
    ThresholdsPolicy,
    UnexplainedAbsencePolicy,
    least_whole_number,
)
from attendance_core.policy._policy import Policy
from attendance_core.policy._toml import toml_value

__all__ = [
    "Band",
    "BandsPolicy",
    "CalendarPolicy",
    "CensusPolicy",
    "CodesPolicy",
    "ConsecutiveAbsencePolicy",
    "CtfPolicy",
    "DeclaredKey",
    "DeletionPolicy",
    "EscalationPolicy",
    "LANotificationPolicy",
    "LatenessPolicy",
    "MethodPolicy",
    "PatternPolicy",
    "PenaltyNoticePolicy",
    "Policy",
    "PolicyKey",
    "ReportPolicy",
    "SchoolAgePolicy",
    "SchoolPolicy",
    "ThresholdsPolicy",
    "UnexplainedAbsencePolicy",
    "least_whole_number",
    "read_toml",
    "sections",
    "toml_value",
]
