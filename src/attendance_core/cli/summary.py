"""``attendance-core summary FILE.csv``: DfE's figures per pupil and for the whole file.

Counts and rates are DfE's ("Pupil absence in schools in England" methodology): the whole
file is pooled by summing sessions, never by averaging percentages; the persistent and severe
absence rates are over enrolments with possible sessions, and enrolments without any are left
out of them and counted. The whole output is built before anything is written, so bad input
never leaves partial output. With ``--calendar`` (or a policy whose ``[calendar]`` names one,
as for ``check`` and ``report``) the register checks of
:mod:`attendance_core.cli.calendar` (missing marks, marks on non-school days and, with
``--enrolments``, marks dated before admission or after leaving) follow; they list problems and
change no figure (a mark outside enrolment is still counted until the register or the enrolment
is corrected). With ``--policy`` the marks are read with the policy's code set and local codes,
and persistent and severe absence use its thresholds and severe-absence boundary. Any code a
plugin or the policy's ``local_codes`` decided is listed with who decided it, so a reader sees
which plugin changed what.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from attendance_core.cli._inputs import (
    MARKS_HELP,
    add_marks_arguments,
    add_period_arguments,
    comparison_of,
    period_of,
    print_notes,
    read_school_args,
)
from attendance_core.exceptions import InputError
from attendance_core.io.output import emit, spreadsheet_safe
from attendance_core.rules.groups import GroupSummary
from attendance_core.rules.statistics import SESSION_TOTALS, AttendanceSummary, display_percent

if TYPE_CHECKING:
    from attendance_core.code_resolver import CodeMapping
    from attendance_core.rules.columnar import CountingEngine
    from attendance_core.school import School

__all__ = [
    "FORMATS",
    "HELP",
    "SummaryReport",
    "add_arguments",
    "format_percent",
    "render",
    "run",
]

HELP = "Summarise a marks CSV: DfE's counts and rates per pupil and for the whole file."

FORMATS = ("table", "json", "csv", "jsonl", "parquet")

RATES = (
    "attendance_rate",
    "overall_absence_rate",
    "authorised_absence_rate",
    "unauthorised_absence_rate",
)
FLAGS = ("persistent_absence", "severe_absence")
GROUP_COUNTS = (
    "enrolments",
    "enrolments_without_possible",
    "persistent_absentees",
    "severe_absentees",
)
GROUP_RATES = ("persistent_absence_rate", "severe_absence_rate")

_RATE_PARTS: dict[str, tuple[str, str]] = {
    "attendance_rate": ("overall_attendance", "possible_sessions"),
    "overall_absence_rate": ("overall_absence", "possible_sessions"),
    "authorised_absence_rate": ("authorised_absence", "possible_sessions"),
    "unauthorised_absence_rate": ("unauthorised_absence", "possible_sessions"),
    "persistent_absence_rate": ("persistent_absentees", "enrolments"),
    "severe_absence_rate": ("severe_absentees", "enrolments"),
}
"""Each rate as (numerator, denominator) attributes, so output needs no Fraction per rate."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``FILE.csv``, ``--format``, ``--output``, ``--policy``, ``--calendar``, ``--enrolments``."""
    parser.add_argument(
        "file",
        metavar="MARKS",
        help=MARKS_HELP,
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (default, rates as percentages to 1 d.p.), json, csv, jsonl (one record a "
        "line) or parquet (for data frames; rates in [0, 1])",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write to FILE (whole or not at all) instead of standard output",
    )
    parser.add_argument(
        "--policy",
        metavar="FILE.toml",
        help="policy: its code set and local codes read the marks; its persistent- and "
        "severe-absence thresholds and boundary flag the pupils (default: DfE's 10%% and 50%%)",
    )
    parser.add_argument(
        "--calendar",
        metavar="FILE.toml",
        help="school calendar (default: the policy's [calendar], if it names one): also report "
        "missing marks and marks on non-school days (after the table; on standard error with "
        "--format json or csv)",
    )
    parser.add_argument(
        "--enrolments",
        metavar="FILE.csv",
        help="with a calendar: pupil_id,admission_date[,leaving_date,...] for expected sessions; "
        "also report marks dated before admission or after leaving (still counted in the figures)",
    )

    add_period_arguments(parser, as_of="summarise up to this date")
    parser.add_argument(
        "--by",
        action="append",
        metavar="FIELD",
        help="figures by a pupil attribute too (repeatable: --by year_group --by form)",
    )
    parser.add_argument(
        "--suppress",
        type=_at_least_one,
        metavar="N",
        help="for publishing: leave out pupils' rows and show c for any group of fewer than N "
        "enrolments (DfE's symbol)",
    )
    parser.add_argument(
        "--national",
        metavar="FILE.csv",
        help="DfE's year-to-date figures to compare with (an EES download; default: the 2025/26 "
        "figures shipped), beside the policy's [school] phase, local authority and target",
    )
    add_marks_arguments(parser)


def _at_least_one(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number from 1 to 999999: {text[:20]!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Read the marks, build the report, render it whole, then write it."""
    if args.enrolments is not None and args.calendar is None and args.policy is None:
        from attendance_core.cli._inputs import NO_CALENDAR

        raise InputError(
            "--enrolments needs --calendar", field="--enrolments", expected=NO_CALENDAR
        )
    school = read_school_args(args.file, args)
    print_notes("summary", school)
    report = _report(school, args)
    binary = None
    if args.format == "parquet":
        from attendance_core.io.records import summaries_to_parquet

        binary, text = summaries_to_parquet(dict(report.pupils)), ""
    else:
        text = render(report, args.format)
    decided = code_set_note(school) + code_mappings_note(school.code_mappings)
    if decided and args.format == "table":
        text += "\n" + decided
    elif decided:
        sys.stderr.write(decided)
    if school.calendar is not None or args.enrolments is not None:
        from attendance_core.cli.calendar import add_register_checks

        text = add_register_checks(text, school, args.format)
    emit(binary if binary is not None else text, args.output)
    return 0


def _report(school: School, args: argparse.Namespace) -> SummaryReport:
    """The summary the options ask for: the whole file, or a period, with groups and a
    comparison."""
    from attendance_core.rules.groups import group_summaries
    from attendance_core.rules.periods import summarise_period

    bounds = period_of(school, args)
    then = comparison_of(school, args, bounds)
    if bounds is None:
        report = SummaryReport.of_school(school, engine=getattr(args, "engine", "auto"))
    else:
        first, last = bounds
        summaries = summarise_period(
            school.register,
            first,
            last,
            policy=school.policy,
            enrolments=school.enrolments,
            engine=getattr(args, "engine", "auto"),
        ).pupils
        report = attrs.evolve(SummaryReport.of_summaries(summaries), period=bounds)
        if then is not None:
            other = summarise_period(
                school.register,
                *then,
                policy=school.policy,
                enrolments=school.enrolments,
                engine=getattr(args, "engine", "auto"),
            )
            report = attrs.evolve(report, comparison=Comparison(*then, other.total))
    if args.by:
        groups = group_summaries(dict(report.pupils), school.pupils, args.by)
        report = attrs.evolve(report, groups=tuple(groups))
    from attendance_core.reports.benchmarks import school_benchmarks

    report = attrs.evolve(report, benchmarks=school_benchmarks(school.policy, args.national))
    if args.suppress is not None:
        report = attrs.evolve(report, pupils=(), suppress=args.suppress)
        small = [i for i, g in enumerate(report.groups) if report.hidden(g.total)]
        if len(small) == 1:  # one hidden group would be the total less the rest: hide another
            others = [i for i in range(len(report.groups)) if i not in small]
            if others:
                least = min(others, key=lambda i: len(report.groups[i].pupils))
                report = attrs.evolve(report, also_hidden=(least,))
    return report


def code_set_note(school: School) -> str:
    """``"codes read with code set <id> (plugin <name>)"`` when a plugin provides the code set
    the policy forces (Wales's, say); ``""`` for the built-in sets and ``"auto"``."""
    if school.code_set is None or school.code_set_plugin is None:
        return ""
    return f"codes read with code set {school.code_set.id} (plugin {school.code_set_plugin})\n"


def code_mappings_note(mappings: Iterable[CodeMapping]) -> str:
    """Which local or vendor code was read as which statutory code, and who decided (a plugin
    or the policy file), so a summary says what was decided beyond the law; ``""`` if none."""
    rows = sorted((m.written, m.code, m.code_set, m.decided_by) for m in mappings)
    if not rows:
        return ""
    lines = ["codes read as statutory codes (decided by):"]
    lines += [f"  {w} -> {c} in {s} ({by})" for w, c, s, by in rows]
    return "\n".join(lines) + "\n"


@attrs.frozen
class Comparison:
    """The figures of the period a summary is compared with."""

    first: dt.date
    last: dt.date
    total: AttendanceSummary


@attrs.frozen
class SummaryReport:
    """Each enrolment's summary in file order, and the whole file pooled."""

    pupils: tuple[tuple[str, AttendanceSummary], ...]
    total: AttendanceSummary
    period: tuple[dt.date, dt.date] | None = None
    """The first and last dates summarised, when a period was asked for."""
    groups: tuple[GroupSummary, ...] = ()
    comparison: Comparison | None = None
    benchmarks: tuple[dict[str, Any], ...] = ()
    """Published figures (national, the school's LA) and the policy's target to set beside it."""
    suppress: int | None = None
    """With a number: pupils' own rows are left out, and a group (or the whole file) of fewer
    enrolments than this shows ``c`` for every figure (``--suppress``)."""

    also_hidden: tuple[int, ...] = ()
    """Groups (by index) suppressed only so that a suppressed group cannot be worked out from
    the total less the others (complementary suppression)."""

    def hidden(self, summary: AttendanceSummary) -> bool:
        """Whether a group's figures are suppressed: built from too few enrolments, or the
        complement of a group that was."""
        if any(summary is self.groups[i].total for i in self.also_hidden):
            return True
        count = summary.enrolments + summary.enrolments_without_possible
        return self.suppress is not None and count < self.suppress

    @classmethod
    def of_school(cls, school: School, *, engine: CountingEngine = "auto") -> SummaryReport:
        """Summaries of every enrolment of ``school`` (flagged at its policy's thresholds) and
        their DfE pooling; ``engine`` counts in pure Python or with numpy (the same figures)."""
        return cls.of_summaries(school.summaries(engine=engine))

    @classmethod
    def of_summaries(cls, summaries: Mapping[str, AttendanceSummary]) -> SummaryReport:
        """A report from per-enrolment summaries, pooled by summing sessions."""
        return cls(tuple(summaries.items()), AttendanceSummary.pool(summaries.values()))


def render(report: SummaryReport, output_format: str) -> str:
    """The report as ``table``, ``json`` or ``csv`` text."""
    renderers: dict[str, Callable[[SummaryReport], str]] = {
        "table": to_table,
        "json": to_json,
        "csv": to_csv,
        "jsonl": to_jsonl,
    }
    return renderers[output_format](report)


def _ratio(summary: AttendanceSummary, name: str) -> float | None:
    numerator, denominator = (getattr(summary, part) for part in _RATE_PARTS[name])
    # int / int is correctly rounded, so this equals float(Fraction(numerator, denominator)).
    return numerator / denominator if denominator else None


def pupil_record(pupil_id: str, summary: AttendanceSummary) -> dict[str, Any]:
    """One pupil's entry of the JSON output (spelt out: it runs once per pupil)."""
    attended = summary.present_sessions + summary.approved_educational_activity
    authorised, unauthorised = summary.authorised_absence, summary.unauthorised_absence
    absent = authorised + unauthorised
    possible = attended + absent
    return {
        "pupil_id": pupil_id,
        "possible_sessions": possible,
        "present_sessions": summary.present_sessions,
        "approved_educational_activity": summary.approved_educational_activity,
        "overall_attendance": attended,
        "authorised_absence": authorised,
        "unauthorised_absence": unauthorised,
        "overall_absence": absent,
        "late_sessions": summary.late_sessions,
        "sessions_by_code": dict(summary.code_counts),
        # int / int is correctly rounded: equal to float(Fraction(n, possible)).
        "attendance_rate": attended / possible if possible else None,
        "overall_absence_rate": absent / possible if possible else None,
        "authorised_absence_rate": authorised / possible if possible else None,
        "unauthorised_absence_rate": unauthorised / possible if possible else None,
        "persistent_absence": summary.thresholds.is_persistent(absent, possible),
        "severe_absence": summary.thresholds.is_severe(absent, possible),
    }


def total_record(total: AttendanceSummary) -> dict[str, Any]:
    """The ``total`` entry of the JSON output."""
    record: dict[str, Any] = {name: getattr(total, name) for name in SESSION_TOTALS}
    record["sessions_by_code"] = total.sessions_by_code
    record.update((name, _ratio(total, name)) for name in RATES)
    record.update((name, getattr(total, name)) for name in GROUP_COUNTS)
    record.update((name, _ratio(total, name)) for name in GROUP_RATES)
    return record


def to_json(report: SummaryReport) -> str:
    """``{"pupils": [...], "total": {...}}``, one pupil per line; rates as floats or null."""
    pupils = ",\n".join(json.dumps(pupil_record(p, s)) for p, s in report.pupils)
    total = json.dumps(_shown(report, report.total, total_record(report.total)))
    extra = ""
    if report.period is not None:
        first, last = report.period
        extra += f',\n"period": {json.dumps({"from": first.isoformat(), "to": last.isoformat()})}'
    if report.groups:
        groups = ",\n".join(
            json.dumps({"group": dict(g.group), **_shown(report, g.total, total_record(g.total))})
            for g in report.groups
        )
        extra += f',\n"groups": [\n{groups}\n]'
    if report.comparison is not None:
        extra += f',\n"comparison": {json.dumps(comparison_record(report))}'
    if report.benchmarks:
        extra += f',\n"benchmarks": {json.dumps(list(report.benchmarks))}'
    return f'{{"pupils": [\n{pupils}\n],\n"total": {total}{extra}}}\n'


def to_jsonl(report: SummaryReport) -> str:
    """The records of :func:`attendance_core.io.records.summary_records`, one JSON object a
    line, ``sessions_by_code`` as an object."""
    from attendance_core.io.records import summary_records

    lines = []
    for record in summary_records(dict(report.pupils)):
        record["sessions_by_code"] = json.loads(record["sessions_by_code"])
        lines.append(json.dumps(record))
    return "".join(f"{line}\n" for line in lines)


SUPPRESSED = "c"
"""DfE's symbol for a figure not shown to protect confidentiality."""


def _shown(
    report: SummaryReport, summary: AttendanceSummary, record: dict[str, Any]
) -> dict[str, Any]:
    """``record``, or every figure of it replaced by ``c`` when the group is too small."""
    if not report.hidden(summary):
        return record
    return dict.fromkeys(record, SUPPRESSED)


def comparison_record(report: SummaryReport) -> dict[str, Any]:
    """The comparison period, its pooled figures and each rate's change in percentage points."""
    assert report.comparison is not None
    other = report.comparison.total
    change = {}
    for name in RATES:
        now, then = _ratio(report.total, name), _ratio(other, name)
        change[name] = None if now is None or then is None else round((now - then) * 100, 10)
    return {
        "from": report.comparison.first.isoformat(),
        "to": report.comparison.last.isoformat(),
        "total": total_record(other),
        "change_percentage_points": change,
    }


def group_label(group: GroupSummary) -> str:
    """``year_group=7, form=7S`` (``-`` for a pupil without the attribute)."""
    return ", ".join(
        f"{name}={value if value is not None else '-'}" for name, value in group.group.items()
    )


def to_csv(report: SummaryReport) -> str:
    """One row per pupil and a ``total`` row; a ``code_<code>`` column per code that occurs."""
    codes = sorted(report.total.sessions_by_code)
    columns = ["row", "pupil_id", *SESSION_TOTALS, *RATES, *FLAGS, *GROUP_COUNTS, *GROUP_RATES]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*columns, *(f"code_{code}" for code in codes)])

    def cells(record: Mapping[str, Any]) -> list[object]:
        by_code = record["sessions_by_code"]
        if by_code == SUPPRESSED:
            return [_csv_cell(record.get(name)) for name in columns] + [SUPPRESSED] * len(codes)
        values = [_csv_cell(record.get(name)) for name in columns]
        return values + [by_code.get(code, 0) for code in codes]

    writer.writerows(cells({"row": "pupil", **pupil_record(p, s)}) for p, s in report.pupils)
    total = _shown(report, report.total, total_record(report.total))
    writer.writerow(cells({"row": "total", "pupil_id": "", **total}))
    writer.writerows(
        cells(
            {
                "row": "group",
                "pupil_id": group_label(g),
                **_shown(report, g.total, total_record(g.total)),
            }
        )
        for g in report.groups
    )
    return buffer.getvalue()


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value


def format_percent(numerator: int, denominator: int) -> str:
    """``numerator / denominator`` as a percentage to 1 decimal place, halves rounded up.

    Rounded exactly on integers, for display only (DfE publishes rates to 1 d.p.); ``"-"``
    when the denominator is 0.
    """
    return display_percent(Fraction(numerator, denominator) if denominator else None)


_TABLE = (
    ("pupil_id", "pupil"),
    ("possible_sessions", "possible"),
    ("present_sessions", "present"),
    ("approved_educational_activity", "AEA"),
    ("authorised_absence", "authorised"),
    ("unauthorised_absence", "unauthorised"),
    ("overall_absence", "absence"),
    ("late_sessions", "late"),
    ("attendance_rate", "attendance"),
    ("overall_absence_rate", "absence rate"),
    ("persistent_absence", "PA"),
    ("severe_absence", "severe"),
)


def _table_row(
    label: str, summary: AttendanceSummary, flags: bool, hidden: bool = False
) -> list[str]:
    if hidden:
        return [label, *([SUPPRESSED] * 9), "", ""]
    cells = [label]
    cells.extend(str(getattr(summary, name)) for name, _ in _TABLE[1:8])
    for name in ("attendance_rate", "overall_absence_rate"):
        numerator, denominator = (getattr(summary, part) for part in _RATE_PARTS[name])
        cells.append(format_percent(numerator, denominator))
    if flags:
        cells.extend("yes" if getattr(summary, name) else "" for name in FLAGS)
    else:
        cells.extend(["", ""])
    return cells


def to_table(report: SummaryReport) -> str:
    """Aligned columns, rates as percentages to 1 d.p., then the whole-file figures."""
    rows = [[heading for _, heading in _TABLE]]
    rows.extend(_table_row(p, s, flags=True) for p, s in report.pupils)
    rows.append(_table_row("total", report.total, flags=False, hidden=report.hidden(report.total)))
    rows.extend(
        _table_row(group_label(g), g.total, flags=False, hidden=report.hidden(g.total))
        for g in report.groups
    )
    lines = _aligned(rows)
    lines.insert(1, "-" * len(lines[0]))
    if report.pupils:
        lines.insert(len(lines) - 1 - len(report.groups), "-" * len(lines[0]))
    total = report.total
    persistent, severe = total.thresholds.describe()
    lines += [
        "",
        f"enrolments with possible sessions: {total.enrolments}"
        f" ({total.enrolments_without_possible} without, left out of the rates below)",
        f"persistent absentees ({persistent} of possible sessions missed):"
        f" {total.persistent_absentees}"
        f" ({format_percent(total.persistent_absentees, total.enrolments)})",
        f"severe absentees ({severe}): {total.severe_absentees}"
        f" ({format_percent(total.severe_absentees, total.enrolments)})",
    ]
    if report.period is not None:
        first, last = report.period
        lines.insert(0, f"period: {first.isoformat()} to {last.isoformat()}")
    if report.comparison is not None:
        record = comparison_record(report)
        other = report.comparison.total
        lines.append(f"compared with {record['from']} to {record['to']}:")
        for name in ("attendance_rate", "overall_absence_rate"):
            numerator, denominator = (getattr(other, part) for part in _RATE_PARTS[name])
            change = record["change_percentage_points"][name]
            shown = "-" if change is None else f"{change:+.1f} percentage points"
            label = name.replace("_", " ")
            lines.append(f"  {label}: {format_percent(numerator, denominator)} then, {shown}")
    from attendance_core.reports.benchmarks import benchmark_line

    for benchmark in report.benchmarks:
        lines.append(benchmark_line(benchmark))
    return "\n".join(lines) + "\n"


def _aligned(rows: Iterable[list[str]]) -> list[str]:
    table = list(rows)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    ]
