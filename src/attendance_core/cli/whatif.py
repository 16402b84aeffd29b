"""``attendance-core whatif MARKS --pupil ID --absent FROM..TO [--code G]``: a leave request's
effect on a pupil's attendance, persistent absence, penalty-notice position and look-ahead."""

from __future__ import annotations

import argparse
import json
from fractions import Fraction

from attendance_core.cli._inputs import (
    MARKS_HELP,
    NO_CALENDAR,
    add_marks_arguments,
    print_notes,
    read_school_args,
)
from attendance_core.exceptions import InputError
from attendance_core.io.output import emit
from attendance_core.model import parse_date
from attendance_core.reports.whatif import Position, WhatIf, what_if
from attendance_core.rules.statistics import display_percent

__all__ = ["HELP", "add_arguments", "run"]

HELP = "What a leave request would do to a pupil's attendance, PA and penalty-notice position."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``MARKS --pupil ID --absent FROM..TO [--code G] [--calendar] [--policy] ...``."""
    parser.add_argument("marks", metavar="MARKS", help=MARKS_HELP)
    parser.add_argument("--pupil", required=True, metavar="ID", help="the pupil's id")
    parser.add_argument(
        "--absent", required=True, metavar="FROM..TO", help="the dates asked for, inclusive"
    )
    parser.add_argument(
        "--code", default="G", help="the code the sessions would get (default G, unauthorised)"
    )
    parser.add_argument("--calendar", metavar="CAL.toml", help="school calendar")
    parser.add_argument("--policy", metavar="POLICY.toml", help="policy (default: national)")
    parser.add_argument("--enrolments", metavar="FILE.csv", help="enrolments")
    parser.add_argument("--notices", metavar="FILE.csv", help="penalty-notice history")
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help="as of this date (default: the later of the absence's end and the last marked date)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--output", "-o", metavar="FILE", help="write here (atomically)")
    add_marks_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Read the school, ask the rules twice, print both positions side by side."""
    first_text, sep, last_text = args.absent.partition("..")
    if not sep:
        raise InputError(
            "not a span", field="--absent", value=args.absent[:40], expected="FROM..TO"
        )
    first = parse_date(first_text, field="--absent")
    last = parse_date(last_text, field="--absent")
    school = read_school_args(args.marks, args)
    print_notes("whatif", school)
    if school.calendar is None:
        raise InputError("no calendar", field="--calendar", expected=NO_CALENDAR)
    as_of = parse_date(args.as_of, field="--as-of") if args.as_of else None
    answer = what_if(school, args.pupil, first, last, code=args.code, as_of=as_of)
    text = to_json(answer) if args.format == "json" else to_table(answer)
    emit(text, args.output)
    return 0


def _record(position: Position) -> dict[str, object]:
    def rate(value: Fraction | None) -> float | None:
        return None if value is None else float(value)

    return {
        "possible_sessions": position.possible_sessions,
        "absent_sessions": position.absent_sessions,
        "attendance_rate": rate(position.attendance_rate),
        "persistent_absence": position.persistent_absence,
        "penalty_notice_threshold": position.penalty_notice_threshold,
        "penalty_window": list(position.penalty_window) if position.penalty_window else None,
        "best_reachable": rate(position.best_reachable),
    }


def to_json(answer: WhatIf) -> str:
    """Both positions, rates in [0, 1]."""
    data = {
        "pupil_id": answer.pupil_id,
        "code": answer.code,
        "from": answer.first.isoformat(),
        "to": answer.last.isoformat(),
        "sessions": answer.sessions,
        "as_of": answer.as_of.isoformat(),
        "now": _record(answer.now),
        "with_absence": _record(answer.with_absence),
    }
    return json.dumps(data, indent=2) + "\n"


def to_table(answer: WhatIf) -> str:
    """Now and with the absence, one line per measure."""

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    def notice(position: Position) -> str:
        if not position.penalty_notice_threshold:
            return "not reached"
        start, end = position.penalty_window or ("?", "?")
        return f"reached (in the school weeks {start} to {end})"

    rows = [
        (
            "attendance this year",
            display_percent(answer.now.attendance_rate),
            display_percent(answer.with_absence.attendance_rate),
        ),
        (
            "persistently absent",
            yes(answer.now.persistent_absence),
            yes(answer.with_absence.persistent_absence),
        ),
        ("penalty-notice threshold", notice(answer.now), notice(answer.with_absence)),
        (
            "best reachable this year",
            display_percent(answer.now.best_reachable),
            display_percent(answer.with_absence.best_reachable),
        ),
    ]
    width = max(len(r[0]) for r in rows)
    middle = max(len(r[1]) for r in [*rows, ("", "now", "")])
    lines = [
        f"pupil {answer.pupil_id}: {answer.sessions} sessions marked {answer.code} from "
        f"{answer.first.isoformat()} to {answer.last.isoformat()}, as of {answer.as_of.isoformat()}",
        "",
        f"{'':{width}}  {'now':{middle}}  with the absence",
        *(f"{a:{width}}  {b:{middle}}  {c}" for a, b, c in rows),
    ]
    return "\n".join(lines) + "\n"
