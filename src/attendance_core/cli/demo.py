"""``attendance-core demo``: a synthetic school's whole-school summary, in a few seconds.

The school comes from :mod:`attendance_core.synthetic` (deterministic for a seed); nothing
real is read or shown. ``--write-csv`` saves its marks so ``summary`` can be tried on them,
``--write-enrolments`` its pupils' admission and leaving dates for ``check --enrolments``,
``--write-pupils`` their year groups, forms and flags for ``--pupils``, and
``--write-calendar`` the school's own calendar for ``--calendar``: a consistent set, so the
register checks find nothing wrong with it.
"""

from __future__ import annotations

import argparse
from fractions import Fraction

from attendance_core.cli.summary import format_percent
from attendance_core.exceptions import InputError
from attendance_core.io.enrolments_csv import format_enrolments_csv
from attendance_core.io.marks_csv import format_marks_csv
from attendance_core.io.output import emit
from attendance_core.io.pupils import format_pupils_csv
from attendance_core.rules.statistics import SESSION_TOTALS, AttendanceSummary, register_summaries
from attendance_core.synthetic import (
    SyntheticSchool,
    synthetic_calendar,
    synthetic_pupils,
    synthetic_school,
)

__all__ = ["HELP", "add_arguments", "render", "run"]

HELP = "Generate a realistic synthetic school and print its whole-school attendance summary."

TOP = 10
"""How many of the most-absent pupils the summary lists (by id only)."""


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a whole number 0 or more: {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--pupils``, ``--seed``, ``--year`` and the ``--write-...`` files."""
    parser.add_argument(
        "--pupils", type=_count, default=1200, metavar="N", help="enrolments (default 1200)"
    )
    parser.add_argument(
        "--seed", type=int, default=2025, metavar="S", help="random seed (default 2025)"
    )
    parser.add_argument(
        "--year",
        type=int,
        default=2025,
        metavar="YEAR",
        help="academic year by the calendar year it starts in (default 2025, i.e. 2025/26)",
    )
    parser.add_argument(
        "--write-csv", metavar="FILE", help="also write the school's marks CSV to FILE"
    )
    parser.add_argument(
        "--write-enrolments",
        metavar="FILE.csv",
        help="also write the school's enrolments (admission and leaving dates) to FILE.csv, "
        "for check --enrolments",
    )
    parser.add_argument(
        "--write-pupils",
        metavar="FILE.csv",
        help="also write the pupils' attributes (made-up names, year group, form, flags), for "
        "--pupils",
    )
    parser.add_argument(
        "--write-calendar",
        metavar="FILE.toml",
        help="also write the school's own calendar (terms, half-terms, INSET days), for --calendar",
    )


def run(args: argparse.Namespace) -> int:
    """Generate, summarise, write the CSV files asked for, then print."""
    if not 1900 < args.year < 2200:
        raise InputError("academic year out of range", field="year", value=args.year)
    school = synthetic_school(args.pupils, seed=args.seed, academic_year=args.year)
    text = render(school)
    if args.write_csv:
        emit(format_marks_csv(school.register), args.write_csv)
    if args.write_enrolments:
        emit(format_enrolments_csv(school.enrolments), args.write_enrolments)
    if args.write_pupils:
        emit(format_pupils_csv(synthetic_pupils(school)), args.write_pupils)
    if args.write_calendar:
        emit(synthetic_calendar(args.year).to_toml(), args.write_calendar)
    emit(text, None)
    return 0


def render(school: SyntheticSchool) -> str:
    """The whole-school summary: DfE counts, rates to 1 d.p., PA, severe, most absent."""
    summaries = register_summaries(school.register)
    total = AttendanceSummary.pool(summaries.values())
    year = school.academic_year
    possible = total.possible_sessions
    lines = [
        f"Synthetic all-through school, {year}/{(year + 1) % 100:02d}"
        f" (seed {school.seed}): {len(summaries)} enrolments,"
        f" {len(school.register.sessions)} sessions"
        f" ({len(school.inset_days)} INSET days coded #)",
        "",
        f"{'':31}{'sessions':>10}  {'rate':>6}",
    ]
    rated = {"overall_attendance", "authorised_absence", "unauthorised_absence", "overall_absence"}
    for name in SESSION_TOTALS:
        value = getattr(total, name)
        rate = format_percent(value, possible) if name in rated else ""
        lines.append(f"{name:31}{value:>10}  {rate:>6}".rstrip())
    pa, severe, enrolments = total.persistent_absentees, total.severe_absentees, total.enrolments
    lines += [
        "",
        f"enrolments with possible sessions: {enrolments}"
        f" ({total.enrolments_without_possible} without, left out)",
        f"persistent absentees (10% or more missed): {pa} ({format_percent(pa, enrolments)})",
        f"severe absentees (50% or more missed): {severe} ({format_percent(severe, enrolments)})",
        "",
        f"highest overall absence (top {TOP}):",
    ]
    ranked = sorted(
        (s for s in summaries.items() if s[1].possible_sessions),
        key=lambda item: (-Fraction(item[1].overall_absence, item[1].possible_sessions), item[0]),
    )
    lines.extend(
        f"  {pupil_id}  {format_percent(s.overall_absence, s.possible_sessions):>6}"
        f"  of {s.possible_sessions} possible sessions"
        for pupil_id, s in ranked[:TOP]
    )
    return "\n".join(lines) + "\n"
