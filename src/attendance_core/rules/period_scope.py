"""Which findings belong to a reporting period, rule by rule.

The rules run as of the period's last day on the whole register up to it, so those that look
back see the history the law or guidance counts: a penalty-notice window is 10 school weeks
whichever week the period starts (DfE, "Working together to improve school attendance", 2024,
national framework for penalty notices; Education (Penalty Notices) (England) (Amendment)
Regulations 2024); persistent absence, the bands and the look-ahead are judged over the
school year to date (DfE, "Pupil absence in schools in England" methodology), and so are the
15 school days of sickness the LA is told of (SI 2024/208, sickness returns). What is *reported* for the period is then decided per rule by :data:`SCOPES`:

``standing``
    the pupil's position at the end of the period, judged over the school year: kept.
``evidence``
    something that happened: kept when one of its sessions falls in the period (a window that
    started before the period but reaches into it is kept; one that ended before it is not).

A rule not listed (a plugin's) is treated as ``evidence``: it is reported for the period only
when something in the period triggered it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from attendance_core.rules.findings import Finding

__all__ = ["SCOPES", "in_period", "scope_of"]

Scope = Literal["standing", "evidence"]

SCOPES: dict[str, Scope] = {
    "persistent-absence": "standing",
    "severe-absence": "standing",
    "attendance-band": "standing",
    "watch-list": "standing",
    "look-ahead": "standing",
    "la-notification-sickness": "standing",
    "first-day-contact": "standing",
    "penalty-notice-threshold": "evidence",
    "la-notification-continuous-absence": "evidence",
    "deletion-20-day": "evidence",
    "unexplained-absence-outstanding": "evidence",
    "missing-marks": "evidence",
    "marks-on-non-school-days": "evidence",
    "marks-outside-enrolment": "evidence",
    "code-for-age": "evidence",
    "lateness": "evidence",
    "consecutive-absence": "evidence",
    "absence-pattern": "evidence",
}
"""How each built-in rule's findings are reported for a period (see the module's text)."""


def scope_of(rule: str) -> Scope:
    """The rule's scope in :data:`SCOPES`; ``evidence`` for a rule not listed."""
    return SCOPES.get(rule, "evidence")


def in_period(findings: Iterable[Finding], first: dt.date, last: dt.date) -> list[Finding]:
    """The findings (made as of ``last``) reported for the period ``first`` to ``last``:
    ``standing`` ones all, ``evidence`` ones with a session of their evidence in the period
    (or with no evidence at all, which cannot be placed before it)."""
    return [
        finding
        for finding in findings
        if scope_of(finding.rule) == "standing"
        or not finding.evidence
        or any(first <= e.session.date <= last for e in finding.evidence)
    ]
