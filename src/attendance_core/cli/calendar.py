"""``attendance-core calendar FILE.toml``: check a school calendar and print the year at a glance.

For each academic year: the terms (school days and sessions in each), the teaching half-terms,
half-term holidays, INSET days, closures, the bank holidays that fall in teaching time, and the
sessions in the year against the minimum (a warning, never an error, when short). A calendar with
problems gets every problem listed, each with its path in the file, and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from attendance_core.calendars import SchoolCalendar, academic_year_name
from attendance_core.cli import EXIT_BAD_INPUT
from attendance_core.cli._output import print_problems
from attendance_core.exceptions import CalendarError, InputError
from attendance_core.io.output import emit
from attendance_core.rules.register_checks import (
    marks_on_non_school_days,
    marks_outside_enrolment,
    missing_marks,
)

if TYPE_CHECKING:
    from attendance_core.school import School

__all__ = [
    "HELP",
    "add_arguments",
    "add_register_checks",
    "format_calendar",
    "format_register_checks",
    "run",
]

LISTED_PER_PUPIL = 10
"""Missing sessions listed per pupil; the rest are counted ("and 25 more")."""

HELP = "Check a school calendar file and print its years at a glance."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``FILE.toml [--year YEAR] [--minimum N] [--policy POLICY.toml] [--output PATH]``."""
    parser.add_argument("file", metavar="FILE.toml", help="the calendar file")
    parser.add_argument(
        "--year",
        type=int,
        metavar="YEAR",
        help="only this academic year, named by its first year (2025 means 2025/26)",
    )
    parser.add_argument(
        "--minimum",
        type=int,
        metavar="N",
        help="sessions every year should have (default: the year's own minimum_sessions, else "
        "the policy's [calendar] minimum_sessions, else 380)",
    )
    parser.add_argument(
        "--policy",
        metavar="POLICY.toml",
        help="policy whose [calendar] minimum_sessions applies to years without their own",
    )
    parser.add_argument(
        "--output", "-o", metavar="PATH", help="write the summary here (atomically)"
    )


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _span(start: dt.date, end: dt.date) -> str:
    return _day(start) if start == end else f"{_day(start)} to {_day(end)}"


def format_calendar(
    calendar: SchoolCalendar,
    *,
    year: int | None = None,
    minimum: int | None = None,
    default_minimum: int | None = None,
) -> tuple[str, list[str]]:
    """The at-a-glance text, and the warnings (short years) it contains.

    Each year is held to ``minimum`` if given, else its own ``minimum_sessions``, else
    ``default_minimum`` (a policy's ``[calendar] minimum_sessions``), else 380.
    """
    lines = [calendar.name, f"  nation: {calendar.nation.value}"]
    if calendar.authority:
        lines.append(f"  term dates: {calendar.authority}")
    lines.extend(f"  source: {source}" for source in calendar.sources)
    if calendar.register_times is not None:
        am, pm = calendar.register_times.am, calendar.register_times.pm
        lines.append(
            f"  registers: AM {am.open:%H:%M}-{am.close:%H:%M}, PM {pm.open:%H:%M}-{pm.close:%H:%M}"
        )
    warnings = []
    for academic in sorted(calendar.years, key=lambda y: y.year):
        if year is not None and academic.year != year:
            continue
        lines += ["", academic_year_name(academic.year), "  terms:"]
        for term in calendar.terms(academic.year):  # each from its first weekday to its last
            days = calendar.count_school_days(term.start, term.end)
            sessions = len(calendar.sessions(term.start, term.end))
            lines.append(
                f"    {term.name}: {_span(term.start, term.end)} ({days} days, {sessions} sessions)"
            )
        if academic.half_term_holidays:  # otherwise each half-term is a whole term, as above
            lines.append("  half-terms:")
            for half in calendar.half_terms(academic.year):
                sessions = len(calendar.sessions(half.start, half.end))
                lines.append(
                    f"    {half.name}: {_span(half.start, half.end)} ({sessions} sessions)"
                )
            lines.append("  half-term holidays:")
            for holiday in sorted(academic.half_term_holidays):
                label = f" ({holiday.name})" if holiday.name else ""
                lines.append(f"    {_span(holiday.start, holiday.end)}{label}")
        if academic.inset_days:
            lines.append("  INSET days:")
            lines.extend(f"    {_day(d)}" for d in sorted(academic.inset_days))
        if academic.closures:
            lines.append("  closures:")
            for closure in sorted(academic.closures):
                parts = "/".join(p.value for p in closure.parts)
                reason = f": {closure.reason}" if closure.reason else ""
                lines.append(
                    f"    {_span(closure.start, closure.end)} {parts} {closure.code}{reason}"
                )
        in_term = [
            h
            for h in calendar.bank_holidays()
            if h.date.weekday() < 5
            and calendar.academic_year_of(h.date) == academic.year
            and calendar.half_term_of(h.date) is not None  # in teaching time, not a break
        ]
        if in_term:
            lines.append("  bank holidays in term:")
            lines.extend(f"    {_day(h.date)} {h.name}" for h in in_term)
        floor = minimum
        if floor is None and academic.minimum_sessions is None:
            floor = default_minimum
        count = calendar.year_sessions(academic.year, minimum=floor)
        lines.append(f"  sessions: {count.sessions} (minimum {count.minimum})")
        if count.warning is not None:
            lines.append(f"  warning: {count.warning}")
            warnings.append(count.warning)
    return "\n".join(lines) + "\n", warnings


def run(args: argparse.Namespace) -> int:
    """Print the calendar at a glance; 2 with every problem listed when it is invalid."""
    try:
        calendar = SchoolCalendar.from_toml(args.file)
    except CalendarError as error:
        print_problems("calendar", error.problems)
        return EXIT_BAD_INPUT
    if args.year is not None and calendar.year(args.year) is None:
        print(
            f"attendance-core calendar: error: {args.file} does not cover "
            f"{academic_year_name(args.year)} (it covers {calendar.coverage_text()})",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    default_minimum = None
    if args.policy is not None:
        from attendance_core.school import load_policy

        default_minimum = load_policy(args.policy).calendar.minimum_sessions
    text, warnings = format_calendar(
        calendar, year=args.year, minimum=args.minimum, default_minimum=default_minimum
    )
    emit(text, args.output)
    for warning in warnings:
        print(f"attendance-core calendar: warning: {warning}", file=sys.stderr)
    return 0


def format_register_checks(school: School, calendar: SchoolCalendar) -> str:
    """Missing marks, marks on non-school days and, when the school has enrolments, marks
    outside enrolment, as text (nothing dropped).

    Pupils on roll are expected up to the register's last session; with enrolments from
    admission to leaving date, otherwise from each pupil's first mark to their last. Marks dated
    before admission or after leaving are listed but not taken out of the summary's figures
    (nothing is dropped silently): the register or the enrolment is what needs correcting.
    """
    register, enrolments = school.register, school.enrolments
    as_of = register.sessions[-1].date if register.sessions else None
    missing = missing_marks(register, calendar, enrolments=enrolments, as_of=as_of)
    odd = marks_on_non_school_days(register, calendar)
    total = sum(len(m.sessions) for m in missing)
    upto = f", up to {as_of.isoformat()}" if as_of else ""
    lines = [
        "",
        f"checked against the calendar of {calendar.name}{upto}:",
        f"missing marks: {total} session{'s' if total != 1 else ''} "
        f"for {len(missing)} pupil{'s' if len(missing) != 1 else ''}",
    ]
    for gaps in missing:
        shown = ", ".join(str(s) for s in gaps.sessions[:LISTED_PER_PUPIL])
        more = len(gaps.sessions) - LISTED_PER_PUPIL
        lines.append(f"  {gaps.pupil_id}: {shown}{f' and {more} more' if more > 0 else ''}")
    lines.append(f"marks on non-school days: {len(odd)}")
    # Quoted as the register shows it: repr() would print the absence code \ as '\\'.
    lines.extend(f"  {m.pupil_id}: {m.session} '{m.code}' ({m.reason})" for m in odd)
    if enrolments is not None:
        outside = marks_outside_enrolment(register, enrolments)
        counted = " (still counted in the summary: correct the register or the enrolment)"
        lines.append(f"marks outside enrolment: {len(outside)}{counted if outside else ''}")
        lines.extend(f"  {m.pupil_id}: {m.session} '{m.code}' ({m.reason})" for m in outside)
    return "\n".join(lines) + "\n"


def add_register_checks(text: str, school: School, output_format: str) -> str:
    """``summary --calendar``: the checks appended to a table, or on standard error otherwise.

    The calendar is the school's (``--calendar``, else the one its policy's ``[calendar]``
    names, with every plugin's adjustments), so ``summary``, ``check`` and ``report`` agree on
    which days are school days. JSON and CSV output stay machine-readable, so there the checks
    go to standard error.
    """
    from attendance_core.cli._inputs import NO_CALENDAR

    if school.calendar is None:
        raise InputError(
            "--enrolments needs --calendar", field="--enrolments", expected=NO_CALENDAR
        )
    checks = format_register_checks(school, school.calendar)
    if output_format == "table":
        return text + checks
    sys.stderr.write(checks)
    return text
