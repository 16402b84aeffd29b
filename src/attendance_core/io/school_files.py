"""A school read from its files: its marks export, and optionally its enrolments and pupils.

The policy is read first (it names the plugins and decides how codes are read), then the marks
with its code set and resolver: :meth:`attendance_core.School.assemble` does the deciding and
calls back here to read the file, in any layout of :mod:`attendance_core.io.layouts`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs
import pluggy

from attendance_core.calendars import SchoolCalendar
from attendance_core.codes import CodeSet
from attendance_core.io.columnar import Engine
from attendance_core.io.dates import DateFormat
from attendance_core.io.enrolments_csv import read_enrolments_csv
from attendance_core.io.layouts import Layout, MarksExport, read_marks
from attendance_core.io.pupils import Pupils, pupil_mismatches, read_pupils
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
    pupils: str | os.PathLike[str] | Pupils | None = None,
    notices: Iterable[PenaltyNotice] = (),
    plugin_manager: pluggy.PluginManager | None = None,
    layout: Layout | None = None,
    columns: Mapping[str, str] | None = None,
    attributes: Mapping[str, str] | None = None,
    date_format: DateFormat = "auto",
    sheet: str | None = None,
    engine: Engine = "auto",
) -> School:
    """A :class:`School` from a marks export and optionally a policy file, a calendar file, an
    enrolments CSV and a pupils file (CSV or ``.xlsx``; or attributes by pupil id).

    ``layout``, ``columns``, ``attributes``, ``date_format`` and ``sheet`` say how to read the
    marks (see :func:`~attendance_core.io.layouts.read_marks`); ``sheet`` is the marks'
    spreadsheet sheet; ``engine`` chooses the marks reader (pure Python or columnar, see
    :mod:`attendance_core.io.columnar`: the same register either way). Attributes taken from the marks export's own columns come first, and a
    pupils file's values for the same pupil replace them. See :meth:`School.assemble` for
    what the rest decides.
    """
    read: list[MarksExport] = []

    def read_export(code_set: CodeSet | None, resolve: ResolveCode) -> Register:
        export = read_marks(
            marks,
            layout=layout,
            columns=columns,
            attributes=attributes,
            date_format=date_format,
            sheet=sheet,
            code_set=code_set,
            resolve=resolve,
            engine=engine,
        )
        read.append(export)
        return export.register

    given = read_pupils(pupils) if isinstance(pupils, (str, os.PathLike)) else pupils or {}
    school = School.assemble(
        read_export,
        policy=policy,
        calendar=calendar,
        enrolments=read_enrolments_csv(enrolments) if enrolments is not None else None,
        notices=notices,
        plugin_manager=plugin_manager,
    )
    (export,) = read
    merged = {p: dict(a) for p, a in export.attributes.items()}
    for pupil_id, values in given.items():
        merged.setdefault(pupil_id, {}).update(values)
    return attrs.evolve(
        school,
        pupils=MappingProxyType({p: MappingProxyType(a) for p, a in merged.items()}),
        unmarked=export.unmarked,
        notes=_notes(export, school.register, given if pupils is not None else None),
    )


def _ids(ids: tuple[str, ...]) -> str:
    shown = ", ".join(ids[:5])
    return shown + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def _notes(export: MarksExport, register: Register, pupils: Pupils | None) -> tuple[str, ...]:
    notes = []
    if export.ignored:
        names = ", ".join(name[:40] for name in export.ignored[:20])
        notes.append(
            f"columns not used: {names} (--attributes name=Column keeps one as a pupil attribute)"
        )
    if export.unmarked_sessions:
        count = export.unmarked_sessions
        notes.append(
            f"{count} session{'s' if count != 1 else ''} not yet marked (blank or -), counted in "
            "no category"
        )
    if pupils is not None:
        without_row, without_marks = pupil_mismatches(register.pupil_ids, pupils)
        if without_row:
            notes.append(
                f"{len(without_row)} pupils with marks have no pupils row: {_ids(without_row)}"
            )
        if without_marks:
            notes.append(
                f"{len(without_marks)} pupils in the pupils file have no marks: {_ids(without_marks)}"
            )
    return tuple(notes)
