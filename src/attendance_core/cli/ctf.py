"""``attendance-core ctf``: a Common Transfer File's attendance, read or written.

``ctf write MARKS --enrolments E --calendar C --year 2025`` writes a CTF holding each leaver's
identity and attendance block for the academic year (``YearData`` with the sessions totals and
the ``AttendSessions`` marks string); the characters the specification leaves open come from
the policy's ``[ctf]`` settings. ``ctf read FILE.xml`` reads a CTF safely and prints its marks
as a marks CSV (``--format marks``, keyed by UPN) or its ``YearData`` totals (``--format
years``). Names and dates of birth are written only into the CTF, which exists to carry them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re

from attendance_core.cli._inputs import add_marks_arguments, print_notes, read_school_args
from attendance_core.exceptions import InputError
from attendance_core.io.ctf import (
    CtfFile,
    CtfHeader,
    CtfPupil,
    ctf_register,
    format_ctf,
    is_upn,
    leaver_pupil,
    read_ctf,
)
from attendance_core.io.output import emit
from attendance_core.io.output import spreadsheet_safe as _safe
from attendance_core.model import parse_date

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Common Transfer File attendance: write leavers' blocks, or read a CTF's marks."

YEAR_COLUMNS = (
    "upn",
    "year",
    "lea",
    "estab",
    "school_name",
    "sessions_possible",
    "sessions_authorised",
    "sessions_attended",
    "sessions_unauthorised",
    "attendance_start_date",
    "days_of_marks",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``write MARKS ...`` or ``read FILE.xml ...``."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    write = actions.add_parser("write", help="write a CTF with each leaver's attendance block")
    write.add_argument("marks", metavar="MARKS", help="marks export (any layout)")
    write.add_argument("--enrolments", metavar="FILE.csv", required=True, help="who was on roll")
    write.add_argument(
        "--calendar", metavar="FILE.toml", required=True, help="school calendar (school days)"
    )
    write.add_argument(
        "--year", type=int, required=True, metavar="YYYY", help="academic year (2025 = 2025/26)"
    )
    write.add_argument(
        "--pupil",
        action="append",
        metavar="ID",
        help="write this pupil (repeatable; default: every pupil who left in the year)",
    )
    write.add_argument("--lea", metavar="NNN", help="this school's LA number")
    write.add_argument("--estab", metavar="NNNN", help="this school's establishment number")
    write.add_argument("--school-name", metavar="NAME", help="this school's name")
    write.add_argument("--dest-lea", metavar="NNN", help="the destination LA ('MMM' if unknown)")
    write.add_argument("--dest-estab", metavar="NNNN", help="the destination establishment")
    write.add_argument(
        "--datetime",
        metavar="YYYY-MM-DDTHH:MM:SS",
        help="the header's DateTime (default: now, in UTC)",
    )
    write.add_argument("--policy", metavar="FILE.toml", help="policy: its [ctf] settings")
    write.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    add_marks_arguments(write)
    read = actions.add_parser("read", help="read a CTF's attendance")
    read.add_argument("file", metavar="FILE.xml", help="the CTF")
    read.add_argument(
        "--format",
        choices=("marks", "years"),
        default="marks",
        help="marks: a marks CSV of every AttendSessions string (default); years: YearData",
    )
    read.add_argument("--policy", metavar="FILE.toml", help="policy: its [ctf] settings")
    read.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    """Write or read, whole before anything is written."""
    if args.action == "read":
        emit(_read(args), args.output)
        return 0
    text = _write(args)
    emit(text, args.output)
    return 0


def _read(args: argparse.Namespace) -> str:
    from attendance_core.io.marks_csv import format_marks_csv
    from attendance_core.school import School, load_policy

    ctf = read_ctf(args.file)
    policy = load_policy(args.policy)
    # Assembled as a school is, so a code set the policy forces (a plugin's too) reads it.
    school = School.assemble(
        lambda code_set, _resolve: ctf_register(ctf, policy=policy, code_set=code_set),
        policy=policy,
    )
    if args.format == "marks":
        return format_marks_csv(school.register)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(YEAR_COLUMNS)
    for pupil in ctf.pupils:
        for year in pupil.attendance:
            detail = year.sessions
            cells = [
                pupil.upn,
                year.year,
                year.lea,
                year.estab,
                year.school_name,
                year.sessions_possible,
                year.sessions_authorised,
                year.sessions_attended,
                year.sessions_unauthorised,
                None if detail is None else detail.start_date.isoformat(),
                None if detail is None else len(detail.marks) // 2,
            ]
            writer.writerow(["" if c is None else _safe(str(c)) for c in cells])
    return buffer.getvalue()


def _write(args: argparse.Namespace) -> str:
    year = args.year
    if not 1990 <= year <= 2100:
        raise InputError(
            "academic year out of range", field="--year", value=year, expected="1990 to 2100"
        )
    stamp = args.datetime or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    try:
        dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise InputError(
            "not a CTF date and time",
            field="--datetime",
            value=stamp[:40],
            expected="YYYY-MM-DDTHH:MM:SS, e.g. 2025-10-13T09:00:00",
        ) from None
    for option, value, shape in (
        ("--lea", args.lea, r"[0-9]{3}"),
        ("--estab", args.estab, r"[0-9]{4}"),
        ("--dest-lea", args.dest_lea, r"[0-9]{3}|MMM|XXX"),
        ("--dest-estab", args.dest_estab, r"[0-9]{4}|MMMM|XXXX"),
    ):
        if value is not None and not re.fullmatch(shape, value):
            raise InputError(
                "not a DfE number",
                field=option,
                value=value[:40],
                expected="an LA number of 3 digits and an establishment number of 4 (MMM or "
                "XXX for an unknown destination)",
            )
    school = read_school_args(args.marks, args)
    print_notes("ctf", school)
    # Both are required options, so the school has them.
    assert school.enrolments is not None
    assert school.calendar is not None
    first, last = dt.date(year, 8, 1), dt.date(year + 1, 7, 31)
    if args.pupil:
        chosen = list(dict.fromkeys(args.pupil))
        for pupil_id in chosen:
            if pupil_id not in school.enrolments:
                raise InputError(
                    "pupil not in the enrolments",
                    field="--pupil",
                    value=pupil_id,
                    expected="a pupil_id of the enrolments file",
                )
    else:
        chosen = [
            p
            for p, e in school.enrolments.items()
            if e.leaving_date is not None and first <= e.leaving_date <= last
        ]
        if not chosen:
            raise InputError(
                "no pupil left in the academic year",
                field="--year",
                value=year,
                expected=f"a leaving date from {first} to {last} in the enrolments, or --pupil",
            )
    pupils: list[CtfPupil] = []
    for pupil_id in chosen:
        enrolment = school.enrolments[pupil_id]
        attributes = school.pupils.get(pupil_id, {})
        dob = enrolment.date_of_birth
        if dob is None and attributes.get("date_of_birth"):
            dob = parse_date(attributes["date_of_birth"], field="date_of_birth")
        upn = attributes.get("upn") or pupil_id
        if not is_upn(upn):
            raise InputError(
                "no UPN for the pupil",
                field="upn",
                value=f"{pupil_id}: {upn}",
                expected="a valid UPN as the pupil id or in the pupils file's upn column",
            )
        pupil = leaver_pupil(
            school.register,
            pupil_id,
            year=year,
            calendar=school.calendar,
            admission=enrolment.admission_date,
            leaving=enrolment.leaving_date,
            lea=args.lea,
            estab=args.estab,
            school_name=args.school_name,
            identity=attributes,
            date_of_birth=dob,
            policy=school.policy,
        )
        pupils.append(pupil)
    header = CtfHeader(
        school.policy.ctf.version,
        stamp,
        "partial",
        "attendance_core",
        args.lea,
        args.estab,
        args.school_name,
        str(year),
        args.dest_lea,
        args.dest_estab,
    )
    return format_ctf(CtfFile(header, tuple(pupils)))
