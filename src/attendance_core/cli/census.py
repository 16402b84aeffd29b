"""``attendance-core census MARKS --enrolments E --census spring --year 2026``: the census
attendance module.

Each pupil's possible sessions and sessions by reason for the census's window (one term in
arrears, by calendar dates; see :mod:`attendance_core.io.census`), as census XML or CSV. Pupils
left out, and checks that failed, go to standard error one line each under DfE's rule number
(2470, 1925, 2502Q); the return is built whole before anything is written.
"""

from __future__ import annotations

import argparse
import sys

from attendance_core.cli._inputs import add_marks_arguments, print_notes, read_school_args
from attendance_core.io.census import CENSUSES, census_return, format_census_csv, format_census_xml
from attendance_core.io.output import emit
from attendance_core.model import parse_date

__all__ = ["HELP", "add_arguments", "run"]

HELP = "The school census attendance module: possible sessions and reasons per pupil."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``MARKS --enrolments E --census C --year Y`` and the usual input and output options."""
    parser.add_argument("marks", metavar="MARKS", help="marks export (any layout)")
    parser.add_argument(
        "--enrolments",
        metavar="FILE.csv",
        required=True,
        help="pupil_id,admission_date,leaving_date,date_of_birth: who was on roll, and ages",
    )
    parser.add_argument(
        "--census", choices=CENSUSES, required=True, help="the census: autumn, spring or summer"
    )
    parser.add_argument(
        "--year",
        type=int,
        required=True,
        metavar="YYYY",
        help="the calendar year the census is held in (spring 2026 collects autumn 2025)",
    )
    parser.add_argument("--format", choices=("xml", "csv"), default="xml", help="default: xml")
    parser.add_argument(
        "--calendar",
        metavar="FILE.toml",
        help="school calendar: also report school sessions on roll that have no mark",
    )
    parser.add_argument("--policy", metavar="FILE.toml", help="policy: its [census] settings")
    parser.add_argument(
        "--census-date",
        metavar="YYYY-MM-DD",
        help="census day: pupils who left before it are no longer on roll (default: any pupil "
        "with a leaving date)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    add_marks_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Read the school, build the return, then write it and list the checks."""
    census_date = parse_date(args.census_date, field="--census-date") if args.census_date else None
    school = read_school_args(args.marks, args)
    result = census_return(school, args.census, args.year, census_date=census_date)
    text = format_census_xml(result) if args.format == "xml" else format_census_csv(result)
    print_notes("census", school)
    emit(text, args.output)
    for check in result.checks:
        print(f"attendance-core census: {check}", file=sys.stderr)
    return 0
