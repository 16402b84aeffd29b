"""Inputs several commands read the same way, so ``summary``, ``check`` and ``report`` agree."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from attendance_core.exceptions import InputError

if TYPE_CHECKING:  # the summary command imports this module for ordinary files too
    import argparse

    from attendance_core.school import School

__all__ = [
    "NO_CALENDAR",
    "ROLL_RULES",
    "add_marks_arguments",
    "add_period_arguments",
    "comparison_of",
    "period_of",
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
    from attendance_core.cli._progress import progress
    from attendance_core.io.findings import read_notices_csv
    from attendance_core.io.layouts import parse_column_map
    from attendance_core.io.school_files import read_school

    notices_file = getattr(args, "notices", None)
    columns = getattr(args, "columns", None)
    attributes = getattr(args, "attributes", None)
    with progress(f"reading {marks}"):
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


def add_period_arguments(parser: argparse.ArgumentParser, *, as_of: str) -> None:
    """``--as-of``, ``--from``, ``--to``, ``--period`` and ``--compare``, meaning the same for
    every command that takes them (``as_of`` is the command's help for ``--as-of``)."""
    from attendance_core.rules.periods import COMPARISONS, PERIODS

    parser.add_argument("--as-of", metavar="DATE", help=as_of)
    parser.add_argument("--from", dest="start", metavar="DATE", help="first date (inclusive)")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last date (inclusive)")
    parser.add_argument(
        "--period",
        choices=PERIODS,
        help="this period counted back from --as-of on the school calendar (needs a calendar)",
    )
    parser.add_argument(
        "--compare",
        choices=COMPARISONS,
        help="beside the same length of school time before, or the same weeks a year earlier",
    )


def period_of(school: School, args: argparse.Namespace) -> tuple[dt.date, dt.date] | None:
    """The first and last dates ``--period``, ``--from``, ``--to`` and ``--as-of`` select, or
    ``None`` for the whole file."""
    from attendance_core.model import parse_date
    from attendance_core.rules.periods import period_bounds

    sessions = school.register.sessions
    as_of = parse_date(args.as_of, field="--as-of") if args.as_of else None
    start = parse_date(args.start, field="--from") if args.start else None
    end = parse_date(args.end, field="--to") if args.end else None
    if args.period:
        if start or end:
            raise InputError(
                "--period with --from or --to", field="--period", expected="one or the other"
            )
        if school.calendar is None:
            raise InputError("--period needs a calendar", field="--period", expected=NO_CALENDAR)
        day = as_of or (sessions[-1].date if sessions else None)
        if day is None:
            raise InputError("no marks to count back from", field="--as-of", expected="a date")
        return period_bounds(school.calendar, day, args.period)
    if start is None and end is None and as_of is None:
        return None
    first = start or (sessions[0].date if sessions else dt.date.min)
    last = min(filter(None, (end, as_of))) if (end or as_of) else sessions[-1].date
    if first > last:
        raise InputError(
            "the period ends before it starts",
            field="--to",
            value=f"{first.isoformat()} to {last.isoformat()}",
            expected="--from on or before --to",
        )
    return first, last


def comparison_of(
    school: School, args: argparse.Namespace, period: tuple[dt.date, dt.date] | None
) -> tuple[dt.date, dt.date] | None:
    """The dates ``--compare`` sets ``period`` beside (``None`` without ``--compare``); it
    needs a period and a calendar."""
    from attendance_core.rules.periods import comparison_bounds

    if not args.compare:
        return None
    if period is None:
        raise InputError(
            "--compare needs a period", field="--compare", expected="--period or --from/--to"
        )
    if school.calendar is None:
        raise InputError("--compare needs a calendar", field="--compare", expected=NO_CALENDAR)
    return comparison_bounds(school.calendar, *period, args.compare)
