"""``attendance-core report``: the attendance officer's report on a marks file.

Reads the marks with the policy's local codes and the plugins' sub-codes (recording who decided
each), runs the intervention rules when a calendar is known (``--calendar``, or the policy's
``[calendar] file`` or a plugin's calendar by ``[calendar] name``, with every plugin's
adjustments applied) with the pupils' roll dates from ``--enrolments`` (warning on standard
error without them, as ``check`` does) for the period ``--from``/``--to``/``--period`` asks
for (the findings that belong to it, :mod:`attendance_core.rules.period_scope`), beside the
``--compare`` period, by ``--by`` groups, and writes the report as Markdown, text, JSON, CSV
or HTML, to standard output or atomically to ``--output``. Pupils appear by id, and by name
only when the ``--pupils`` file gives names.
"""

from __future__ import annotations

import argparse

from attendance_core.cli._inputs import (
    MARKS_HELP,
    add_marks_arguments,
    add_period_arguments,
    comparison_of,
    period_of,
    print_notes,
    read_school_args,
    warn_without_enrolments,
)
from attendance_core.cli._progress import progress
from attendance_core.io.output import emit
from attendance_core.model import parse_date
from attendance_core.plugins import available_rules
from attendance_core.reports import officer_report
from attendance_core.rules.period_scope import in_period

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Write the attendance officer's report (Markdown, text, JSON, CSV or HTML)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``MARKS.csv [--policy] [--calendar] [--enrolments] [--as-of] [--format] [--output]``."""
    parser.add_argument("marks", metavar="MARKS", help=MARKS_HELP)
    parser.add_argument("--policy", metavar="POLICY.toml", help="policy (default: national)")
    parser.add_argument(
        "--calendar",
        metavar="CAL.toml",
        help="school calendar; with one (here or in the policy) the findings are included",
    )
    parser.add_argument(
        "--enrolments",
        metavar="FILE.csv",
        help="enrolments: pupil_id,admission_date[,leaving_date,date_of_birth,school_id] "
        "(who is on roll when, for the rules)",
    )
    add_period_arguments(
        parser, as_of="report as of this date (default: all; with --period, count back from it)"
    )
    parser.add_argument(
        "--by",
        action="append",
        metavar="FIELD",
        help="figures and lists by a pupil attribute (repeatable: --by year_group --by form; "
        "default: year_group when the pupils file gives one)",
    )
    parser.add_argument(
        "--no-names",
        dest="names",
        action="store_false",
        help="list pupils by id only, even when the pupils file gives names (a report to share)",
    )
    parser.add_argument(
        "--national",
        metavar="FILE.csv",
        help="DfE's year-to-date figures to compare with (an EES download; default: the 2025/26 "
        "figures shipped)",
    )
    parser.add_argument(
        "--format",
        choices=("markdown", "md", "text", "json", "csv", "html"),
        default="markdown",
        help="markdown (default), text, json and csv (every row, for tools), or html (one "
        "self-contained page that loads nothing from elsewhere)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write here (atomically)")

    add_marks_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Read every input, build the report, then write it at once."""
    school = read_school_args(args.marks, args)
    print_notes("report", school)
    # --as-of alone keeps the report "as of" a date; with --compare it is a period, as for
    # summary (from the first marked date).
    wanted = args.period or args.start or args.end or args.compare
    period = period_of(school, args) if wanted else None
    as_of = parse_date(args.as_of, field="--as-of") if args.as_of and period is None else None
    comparison = comparison_of(school, args, period)
    findings = []
    not_run: list[tuple[str, str]] = []
    if school.calendar is not None:
        with progress("running the rules"):
            findings = school.check(as_of=period[1] if period is not None else as_of)
        if period is not None:
            findings = in_period(findings, *period)
        if school.enrolments is None:
            warn_without_enrolments("report", None)
    else:
        why = "needs the school calendar (school days, weeks and sessions left)"
        not_run = [(name, why) for name in sorted(available_rules(school.plugin_manager))]
    report = officer_report(
        school,
        findings=findings,
        as_of=as_of,
        not_run=not_run,
        period=period,
        comparison=comparison,
        by=args.by,
        national=args.national,
        names=args.names,
    )
    render = {
        "markdown": report.to_markdown,
        "md": report.to_markdown,
        "text": report.to_text,
        "json": report.to_json,
        "csv": report.to_csv,
        "html": report.to_html,
    }[args.format]
    emit(render(), args.output)
    return 0
