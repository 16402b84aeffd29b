"""Readers and writers at the edge of the library: files in, registers out, and back.

- :mod:`attendance_core.io.marks_csv`: one mark per line, ``pupil_id,date,session,code`` with
  optional ``minutes_late``; what is read can be written back unchanged.
- :mod:`attendance_core.io.enrolments_csv`: one enrolment per line, ``pupil_id,admission_date``
  with optional ``leaving_date``, ``date_of_birth`` and ``school_id``, for expected sessions.
- :func:`read_school`: a :class:`~attendance_core.School` from those files, a policy and a
  calendar.
"""

from __future__ import annotations

from attendance_core.io.enrolments_csv import (
    format_enrolments_csv,
    read_enrolments_csv,
    write_enrolments_csv,
)
from attendance_core.io.marks_csv import format_marks_csv, read_marks_csv, write_marks_csv
from attendance_core.io.school_files import read_school

__all__ = [
    "format_enrolments_csv",
    "format_marks_csv",
    "read_enrolments_csv",
    "read_marks_csv",
    "read_school",
    "write_enrolments_csv",
    "write_marks_csv",
]
