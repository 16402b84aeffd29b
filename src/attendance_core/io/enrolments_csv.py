"""Enrolments CSV: one line per pupil on roll, for the sessions each pupil is expected to have.

Columns (a header line is required; any order): ``pupil_id``, ``admission_date`` and, optional,
``leaving_date`` (the last day on roll, inclusive; empty while on roll), ``date_of_birth``
(needed for the Year 11 rule and age-dependent codes; empty when unknown) and ``school_id``.
Dates are ISO (``2025-09-08``). One line per pupil: a pupil who left and was readmitted is two
enrolments and belongs in two files. Dates of birth are personal data: errors never quote them.

Sources: DfE "Monitor your school attendance" user guide (sessions count from the admission
date, and a leaver's up to and including the leaving date); DfE "Pupil absence in schools in
England" methodology (age at 31 August decides the Year 11 rule).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from attendance_core.exceptions import InputError
from attendance_core.io._csv import read_records
from attendance_core.io.output import spreadsheet_safe
from attendance_core.model import Enrolment, parse_date

__all__ = [
    "ENROLMENT_COLUMNS",
    "format_enrolments_csv",
    "read_enrolments_csv",
    "write_enrolments_csv",
]

ENROLMENT_COLUMNS = ("pupil_id", "school_id", "admission_date", "leaving_date", "date_of_birth")
"""Every column, in the order :func:`format_enrolments_csv` writes those it needs."""
_REQUIRED = ("pupil_id", "admission_date")
_PERSONAL = ("date_of_birth",)


def read_enrolments_csv(
    path: str | os.PathLike[str], *, school_id: str = ""
) -> dict[str, Enrolment]:
    """Read an enrolments CSV file into enrolments by pupil id, in file order.

    ``school_id`` is used for lines without a ``school_id`` column or value.

    :raises InputError: naming file, line, field and value for undecodable bytes, malformed
        CSV, a missing, unknown or repeated column, a wrong number of fields, an empty pupil
        id, a pupil listed twice, a bad date, or a leaving date before the admission date.
    """
    expected = "a header line pupil_id,admission_date[,leaving_date,date_of_birth,school_id]"
    records = read_records(path, columns=ENROLMENT_COLUMNS, required=_REQUIRED, expected=expected)
    found: dict[str, Enrolment] = {}
    for file, line, cells in records:
        pupil_id = cells["pupil_id"]
        if not pupil_id.strip():
            raise InputError("empty pupil id", file=file, line=line, field="pupil_id")
        if pupil_id in found:
            raise InputError(
                "pupil listed twice",
                file=file,
                line=line,
                field="pupil_id",
                value=pupil_id,
                expected="one enrolment per pupil in a file",
            )
        try:
            found[pupil_id] = _enrolment(cells, school_id)
        except InputError as error:
            personal = error.field in _PERSONAL
            raise InputError(
                error.reason,
                file=file,
                line=line,
                field=error.field,
                value=None if personal else error.value,
                expected=error.expected,
            ) from None
    return found


def _enrolment(cells: Mapping[str, str], school_id: str) -> Enrolment:
    """One line's enrolment; errors name the field, and the caller adds file and line."""
    dates = {
        name: parse_date(cells[name], field=name) if cells.get(name, "").strip() else None
        for name in ("admission_date", "leaving_date", "date_of_birth")
    }
    admission = dates["admission_date"]
    if admission is None:
        raise InputError("missing admission date", field="admission_date")
    return Enrolment(
        cells["pupil_id"],
        cells.get("school_id", "").strip() or school_id,
        admission,
        dates["leaving_date"],
        dates["date_of_birth"],
    )


def format_enrolments_csv(enrolments: Mapping[str, Enrolment] | Iterable[Enrolment]) -> str:
    """Enrolments as CSV text: the columns any enrolment needs, in :data:`ENROLMENT_COLUMNS` order."""
    values = list(enrolments.values() if isinstance(enrolments, Mapping) else enrolments)
    wanted = {
        "pupil_id": True,
        "school_id": any(e.school_id for e in values),
        "admission_date": True,
        "leaving_date": True,
        "date_of_birth": any(e.date_of_birth for e in values),
    }
    columns = [name for name in ENROLMENT_COLUMNS if wanted[name]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for enrolment in values:
        cells = {
            "pupil_id": enrolment.pupil_id,
            "school_id": enrolment.school_id,
            "admission_date": enrolment.admission_date.isoformat(),
            "leaving_date": _iso(enrolment.leaving_date),
            "date_of_birth": _iso(enrolment.date_of_birth),
        }
        writer.writerow([spreadsheet_safe(cells[name]) for name in columns])
    return out.getvalue()


def write_enrolments_csv(
    enrolments: Mapping[str, Enrolment] | Iterable[Enrolment], path: str | os.PathLike[str]
) -> None:
    """Write enrolments as CSV to ``path`` (see :func:`format_enrolments_csv`)."""
    text = format_enrolments_csv(enrolments)
    try:
        Path(path).write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise InputError("cannot write file", file=os.fspath(path), value=error.strerror) from None


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""
