"""A school read from its files: the marks CSV, and optionally its enrolments CSV.

The policy is read first (it names the plugins and decides how codes are read), then the marks
with its code set and resolver: :meth:`attendance_core.School.assemble` does the deciding and
calls back here to read the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pluggy

from attendance_core.calendars import SchoolCalendar
from attendance_core.codes import CodeSet
from attendance_core.io.enrolments_csv import read_enrolments_csv
from attendance_core.io.marks_csv import read_marks_csv
from attendance_core.register import Register, ResolveCode
from attendance_core.rules.penalty_notice import PenaltyNotice
from attendance_core.school import PolicySource, School

__all__ = ["read_school"]


def read_school(
    marks: str | os.PathLike[str],
    *,
    policy: PolicySource = None,
    calendar: SchoolCalendar | str | os.PathLike[str] | None = None,
    enrolments: str | os.PathLike[str] | None = None,
    notices: Iterable[PenaltyNotice] = (),
    plugin_manager: pluggy.PluginManager | None = None,
) -> School:
    """A :class:`School` from a marks CSV (``pupil_id,date,session,code[,minutes_late]``) and
    optionally a policy file, a calendar file and an enrolments CSV; see
    :meth:`School.assemble` for what each decides."""

    def read(code_set: CodeSet | None, resolve: ResolveCode) -> Register:
        return read_marks_csv(marks, code_set=code_set, resolve=resolve)

    return School.assemble(
        read,
        policy=policy,
        calendar=calendar,
        enrolments=read_enrolments_csv(enrolments) if enrolments is not None else None,
        notices=notices,
        plugin_manager=plugin_manager,
    )
