"""Inputs several commands read the same way, so ``summary``, ``check`` and ``report`` agree."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the summary command imports this module for ordinary files too
    import argparse

    from attendance_core.school import School

__all__ = [
    "NO_CALENDAR",
    "ROLL_RULES",
    "add_marks_arguments",
    "print_notes",
    "read_school_args",
    "warn_without_enrolments",
]

NO_CALENDAR = "--calendar CAL.toml, or a policy whose [calendar] names a file or a name"
"""What a command that needs a calendar expects when it has none."""


MARKS_HELP = "marks export: long, daily, weekly or session grid; CSV, .xlsx or Parquet"
"""The help of every command's marks argument (docs/data-formats.md shows each layout)."""


def add_marks_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every command that reads a marks export takes: how to read it, and the
    pupils file."""
    from attendance_core.io.dates import DATE_FORMATS
    from attendance_core.io.layouts import LAYOUTS

    parser.add_argument(
        "--layout", choices=tuple(LAYOUTS), help="the marks' layout (default: from the header)"
    )
    parser.add_argument(
        "--columns",
        metavar="ROLE=HEADER,...",
        help="name the marks' columns, e.g. pupil_id=Adno,date=Date,session=Session,code=Mark",
    )
    parser.add_argument(
        "--attributes",
        metavar="NAME=HEADER,...",
        help="keep columns of the marks export as pupil attributes, e.g. year_group=Year,form=Reg",
    )
    parser.add_argument(
        "--date-format",
        choices=DATE_FORMATS,
        default="auto",
        help="how the files write dates (default: ISO or UK day-first, decided per file)",
    )
    parser.add_argument("--sheet", metavar="NAME", help="the marks spreadsheet's sheet")
    parser.add_argument(
        "--engine",
        choices=("auto", "python", "columnar"),
        default="auto",
        help="how to read and count the marks: columnar (pyarrow and numpy, the 'fast' extra) "
        "or pure python; auto (default) is columnar for long CSV or Parquet of 32 MiB or more "
        "when the libraries are installed. The figures are the same either way",
    )
    parser.add_argument(
        "--pupils",
        metavar="FILE",
        help="pupil attributes (CSV or .xlsx): pupil_id or upn, year_group, form, sen, fsm, ...",
    )


def read_school_args(marks: str, args: argparse.Namespace) -> School:
    """The school a command runs on, from its ``--policy``, ``--calendar``, ``--enrolments``,
    ``--notices``, ``--pupils`` and marks-reading options (each optional): built once, so every
    command reads the same register, calendar and plugins."""
    from attendance_core.io.findings import read_notices_csv
    from attendance_core.io.layouts import parse_column_map
    from attendance_core.io.school_files import read_school

    notices_file = getattr(args, "notices", None)
    columns = getattr(args, "columns", None)
    attributes = getattr(args, "attributes", None)
    return read_school(
        marks,
        policy=getattr(args, "policy", None),
        calendar=getattr(args, "calendar", None),
        enrolments=getattr(args, "enrolments", None),
        pupils=getattr(args, "pupils", None),
        notices=read_notices_csv(notices_file) if notices_file else (),
        layout=getattr(args, "layout", None),
        columns=parse_column_map(columns) if columns else None,
        attributes=parse_column_map(attributes, option="--attributes") if attributes else None,
        date_format=getattr(args, "date_format", "auto"),
        sheet=getattr(args, "sheet", None),
        engine=getattr(args, "engine", "auto"),
    )


def print_notes(command: str, school: School) -> None:
    """What reading the school's files noticed, one line each on standard error."""
    for note in school.notes:
        print(f"attendance-core {command}: note: {note}", file=sys.stderr)


ROLL_RULES = {
    "first-day-contact": "first-day-contact lists leavers and later joiners as 'No mark'",
    "missing-marks": "missing-marks looks only between each pupil's first and last marks",
    "look-ahead": "look-ahead counts every session to 31 July",
    "marks-outside-enrolment": "marks-outside-enrolment finds nothing",
}
"""Rules whose answers depend on who is on roll when, and what each assumes without enrolments:
every pupil in the marks file is taken to be on roll (see docs/rules.md)."""


def warn_without_enrolments(command: str, rules: Sequence[str] | None) -> None:
    """One line on standard error when rules that need roll dates ran without enrolments."""
    running = [text for name, text in ROLL_RULES.items() if rules is None or name in rules]
    if running:
        print(
            f"attendance-core {command}: warning: no --enrolments, so every pupil in the marks "
            f"file is taken to be on roll ({'; '.join(running)}): give --enrolments FILE.csv",
            file=sys.stderr,
        )
