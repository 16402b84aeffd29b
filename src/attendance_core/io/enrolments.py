"""Enrolments CSV: ``pupil_id,school_id,admission_date[,leaving_date]``, one enrolment a line.

Gives the rules each pupil's admission and leaving dates (DfE counts enrolments: a pupil who
joins mid-year is measured from the day they join). Dates of birth are personal data and are
deliberately not read here. A pupil may appear once; every error names the file, line and field.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from attendance_core.exceptions import InputError
from attendance_core.model import Enrolment, parse_date

__all__ = ["ENROLMENT_COLUMNS", "read_enrolments_csv"]

ENROLMENT_COLUMNS = ("pupil_id", "school_id", "admission_date", "leaving_date")
"""The columns; ``leaving_date`` is optional (as a column and per line)."""


def read_enrolments_csv(path: str | os.PathLike[str]) -> dict[str, Enrolment]:
    """The enrolments of a CSV file, by pupil id."""
    file = os.fspath(path)
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            "cannot read file", file=file, value=str(error), expected="a readable UTF-8 CSV file"
        ) from None
    reader = csv.reader(io.StringIO(text))
    names = [name.strip() for name in next(reader, [])]
    for name in (*ENROLMENT_COLUMNS[:3], *names):
        if name not in ENROLMENT_COLUMNS or names.count(name) != 1:
            raise InputError(
                "missing, unexpected or repeated column",
                file=file,
                line=1,
                field=name,
                expected=f"columns {', '.join(ENROLMENT_COLUMNS)} (leaving_date optional)",
            )
    found: dict[str, Enrolment] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            raise InputError(
                "wrong number of fields",
                file=file,
                line=line,
                value=len(row),
                expected=f"{len(names)} fields",
            )
        cells = dict(zip(names, row, strict=True))
        pupil_id = cells["pupil_id"].strip()
        if not pupil_id or pupil_id in found:
            raise InputError(
                "empty or repeated pupil id",
                file=file,
                line=line,
                field="pupil_id",
                value=pupil_id,
                expected="each pupil once",
            )
        try:
            leaving = cells.get("leaving_date", "").strip()
            found[pupil_id] = Enrolment(
                pupil_id,
                cells["school_id"].strip(),
                parse_date(cells["admission_date"], field="admission_date"),
                parse_date(leaving, field="leaving_date") if leaving else None,
            )
        except InputError as error:
            raise InputError(
                error.reason,
                file=file,
                line=line,
                field=error.field,
                value=error.value,
                expected=error.expected,
            ) from None
    return found
