"""``attendance-core check``: run the intervention rules over a marks file as of a date.

Reads the marks (``attendance_core.io.marks_csv``), the calendar (``--calendar``, or the one
the policy names), and optionally a policy, enrolments and a penalty-notice history; writes
the findings as a table, JSON or CSV, to standard output or atomically to ``--output``. Any bad
input is one message and exit status 2, and nothing is written. Rules that need roll dates,
run without ``--enrolments``, get one warning line on standard error saying what is assumed.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from attendance_core.cli._inputs import (
    MARKS_HELP,
    NO_CALENDAR,
    add_marks_arguments,
    add_period_arguments,
    comparison_of,
    period_of,
    print_notes,
    read_school_args,
    warn_without_enrolments,
)
from attendance_core.cli._progress import progress
from attendance_core.exceptions import InputError
from attendance_core.io.findings import (
    findings_to_csv,
    findings_to_json,
    findings_to_jsonl,
    findings_to_table,
)
from attendance_core.io.output import emit
from attendance_core.rules.findings import Finding
from attendance_core.rules.period_scope import in_period

if TYPE_CHECKING:
    from attendance_core.school import School

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Run the intervention rules (thresholds, penalty notices, look-ahead) over a marks file."


def _jsonl(findings: list[Finding]) -> str:
    return "".join(findings_to_jsonl(findings))


def _parquet(findings: list[Finding]) -> bytes:
    from attendance_core.io.records import findings_to_parquet

    return findings_to_parquet(findings)


_FORMATS: dict[str, Callable[[list[Finding]], str | bytes]] = {
    "table": findings_to_table,
    "json": findings_to_json,
    "csv": findings_to_csv,
    "jsonl": _jsonl,
    "parquet": _parquet,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``MARKS.csv [--calendar CAL.toml] [--policy] [--as-of] [--as-of-session] [--as-of-time]
    [--rule ...] [--enrolments] [--notices] [--format] [--output]``."""
    parser.add_argument("marks", metavar="MARKS", help=MARKS_HELP)
    parser.add_argument(
        "--calendar",
        metavar="CAL.toml",
        help="school calendar (default: the policy's [calendar] file or name)",
    )
    parser.add_argument("--policy", metavar="POLICY.toml", help="policy (default: national)")
    add_period_arguments(
        parser,
        as_of="check as of this date (default: the last marked date; with --from/--to, the "
        "earlier)",
    )
    parser.add_argument(
        "--as-of-session",
        choices=("AM", "PM"),
        help="check as of this session of the as-of date (AM: afternoon marks are not read; "
        "first-day-contact lists that session only; default: the whole day)",
    )
    parser.add_argument(
        "--as-of-time",
        metavar="HH:MM",
        help="time of the check: first-day-contact counts a missing mark only once the "
        "calendar's register for its session has closed (default: registers are closed)",
    )
    parser.add_argument(
        "--rule",
        action="append",
        dest="rules",
        metavar="NAME",
        help="run only this rule (repeatable; default: every rule)",
    )
    parser.add_argument(
        "--enrolments",
        metavar="FILE.csv",
        help="enrolments: pupil_id,admission_date[,leaving_date,date_of_birth,school_id] "
        "(dates of birth limit statutory rules to compulsory school age)",
    )
    parser.add_argument(
        "--notices",
        metavar="FILE.csv",
        help="penalty-notice history: parent_id,pupil_id,issued,status[,sessions]",
    )
    parser.add_argument(
        "--format",
        choices=tuple(_FORMATS),
        default="table",
        help="table for people (default), json (every field, reads back), jsonl (one finding a "
        "line), csv (one line each) or parquet (for data frames)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write here (atomically)")

    add_marks_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Read every input first, run the rules, then write the whole output at once."""
    school = read_school_args(args.marks, args)
    print_notes("check", school)
    if school.calendar is None:
        raise InputError("no calendar", field="--calendar", expected=NO_CALENDAR)
    period = period_of(school, args)
    then = comparison_of(school, args, period)
    findings = _findings(school, args, period)
    comparison = ""
    if period is not None and then is not None:
        before = _findings(school, args, then)
        findings = compared(findings, before, then)
        comparison = comparison_lines(findings, before, then)
    output = _FORMATS[args.format](findings)
    if comparison and isinstance(output, str) and args.format == "table":
        output += comparison
    emit(output, args.output)
    if school.enrolments is None:
        warn_without_enrolments("check", args.rules)
    return 0


def _findings(
    school: School, args: argparse.Namespace, period: tuple[dt.date, dt.date] | None
) -> list[Finding]:
    """The findings for ``period`` (as of its last day, on the history before it), or as of
    the last marked date for the whole file (``docs/rules.md``, "Periods")."""
    with progress("running the rules"):
        findings = school.check(
            as_of=period[1] if period is not None else None,
            rules=args.rules,
            as_of_session=args.as_of_session,
            as_of_time=args.as_of_time,
        )
    return findings if period is None else in_period(findings, *period)


def compared(
    findings: list[Finding], before: list[Finding], then: tuple[dt.date, dt.date]
) -> list[Finding]:
    """Each finding with ``details["compared"]``: the comparison period and whether the rule
    found the same pupil (or register) then too."""
    seen = {(f.rule, f.pupil_id) for f in before}
    return [
        attrs.evolve(
            f,
            details={
                **f.details,
                "compared": {
                    "from": then[0].isoformat(),
                    "to": then[1].isoformat(),
                    "also_then": (f.rule, f.pupil_id) in seen,
                },
            },
        )
        for f in findings
    ]


def comparison_lines(
    findings: list[Finding], before: list[Finding], then: tuple[dt.date, dt.date]
) -> str:
    """``compared with FROM to TO:`` then one line per rule: its findings then and now, and
    how many of now's are new."""
    now = Counter(f.rule for f in findings)
    earlier = Counter(f.rule for f in before)
    new = Counter(f.rule for f in findings if not f.details["compared"]["also_then"])
    lines = [f"compared with {then[0].isoformat()} to {then[1].isoformat()}:"]
    for rule in sorted(now.keys() | earlier.keys()):
        lines.append(f"  {rule}: {earlier[rule]} then, {now[rule]} now ({new[rule]} new)")
    return "\n".join(lines) + "\n"
