"""Findings out (JSON, CSV, a plain-text table) and back in (JSON); notice histories in (CSV).

JSON is the lossless form: a list of objects with ``rule``, ``pupil_id``, ``as_of``,
``severity``, ``figure`` and ``threshold`` (numbers; an exact rate also as ``figure_exact`` /
``threshold_exact``, ``"n/d"``), ``evidence`` (``[{"date", "session", "code"}]``, plus
``minutes_late`` where recorded), ``source``, ``explanation``, ``details`` and ``provenance``.
:func:`findings_from_json` reads it back to equal findings, and writing those again gives the
same text. CSV has one line per finding for spreadsheets; the table is for people.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

from attendance_core.exceptions import InputError
from attendance_core.io._csv import read_records
from attendance_core.io.output import spreadsheet_safe
from attendance_core.model import Session, parse_date, parse_part
from attendance_core.rules.findings import Evidence, Finding, Severity
from attendance_core.rules.kit import format_days
from attendance_core.rules.penalty_notice import PenaltyNotice
from attendance_core.rules.statistics import display_percent

__all__ = [
    "CSV_COLUMNS",
    "NOTICE_COLUMNS",
    "finding_from_entry",
    "finding_from_record",
    "finding_record",
    "findings_from_json",
    "findings_from_jsonl",
    "findings_to_csv",
    "findings_to_json",
    "findings_to_jsonl",
    "findings_to_table",
    "read_notices_csv",
]

CSV_COLUMNS = (
    "rule",
    "pupil_id",
    "as_of",
    "severity",
    "figure",
    "figure_exact",
    "threshold",
    "threshold_exact",
    "evidence",
    "source",
    "explanation",
    "details",
    "provenance",
)
NOTICE_COLUMNS = ("parent_id", "pupil_id", "issued", "status", "sessions")
"""Columns of a notice-history CSV; ``sessions`` is ``"2025-07-21 AM; 2025-07-22 PM"``."""


def _plain(value: Any) -> Any:
    """``value`` with dates, rates, sessions and enums made JSON-ready, recursively."""
    if isinstance(value, (dt.date, Session)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _number(value: int | Fraction | None) -> tuple[int | float | None, str | None]:
    if isinstance(value, Fraction):
        return float(value), f"{value.numerator}/{value.denominator}"
    return value, None


def _as_dict(finding: Finding) -> dict[str, Any]:
    figure, figure_exact = _number(finding.figure)
    threshold, threshold_exact = _number(finding.threshold)
    evidence = []
    for item in finding.evidence:
        entry: dict[str, Any] = {
            "date": item.session.date.isoformat(),
            "session": item.session.part.value,
            "code": item.code,
        }
        if item.minutes_late is not None:
            entry["minutes_late"] = item.minutes_late
        evidence.append(entry)
    return {
        "rule": finding.rule,
        "pupil_id": finding.pupil_id,
        "as_of": finding.as_of.isoformat(),
        "severity": finding.severity.value,
        "figure": figure,
        "figure_exact": figure_exact,
        "threshold": threshold,
        "threshold_exact": threshold_exact,
        "evidence": evidence,
        "source": finding.source,
        "explanation": finding.explanation,
        "details": _plain(finding.details),
        "provenance": dict(finding.provenance),
    }


def findings_to_json(findings: Iterable[Finding]) -> str:
    """The findings as a JSON list (UTF-8 text, one trailing newline)."""
    return json.dumps([_as_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def _field(entry: Mapping[str, Any], name: str, kind: type[Any], where: str) -> Any:
    if name not in entry:
        raise InputError("missing field", file=where, field=name, expected="a finding field")
    value = entry[name]
    if not isinstance(value, kind):
        expected = "text" if kind is str else "a list"
        raise InputError("wrong type", file=where, field=name, value=value, expected=expected)
    return value


def _figure(entry: Mapping[str, Any], name: str, where: str) -> int | Fraction | None:
    exact = entry.get(f"{name}_exact")
    if exact is not None:
        try:
            numerator, denominator = (int(part) for part in str(exact).split("/"))
            return Fraction(numerator, denominator)
        except (ValueError, ZeroDivisionError):
            raise InputError(
                "not an exact rate", file=where, field=f"{name}_exact", value=exact, expected="n/d"
            ) from None
    value = entry.get(name)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise InputError("not a count", file=where, field=name, value=value, expected="an integer")


def _evidence(items: Sequence[Any], where: str) -> tuple[Evidence, ...]:
    found = []
    for item in items:
        if not isinstance(item, Mapping):
            raise InputError("not an evidence object", file=where, field="evidence", value=item)
        session = Session(
            parse_date(item.get("date", ""), field="evidence.date"),
            parse_part(item.get("session", "")),
        )
        code = item.get("code")
        minutes = item.get("minutes_late")
        if code is not None and not isinstance(code, str):
            raise InputError("not a code", file=where, field="evidence.code", value=code)
        if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool)):
            raise InputError(
                "not minutes", file=where, field="evidence.minutes_late", value=minutes
            )
        found.append(Evidence(session, code, minutes))
    return tuple(found)


def findings_from_json(text: str, *, file: str | None = None) -> list[Finding]:
    """Findings from the JSON :func:`findings_to_json` writes; bad input raises InputError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"not JSON: {error.msg}", file=file, line=error.lineno, expected="a JSON list"
        ) from None
    if not isinstance(data, list):
        raise InputError("not a list of findings", file=file, expected="a JSON list")
    return [
        finding_from_entry(entry, f"{file or '<json>'}[{index}]")
        for index, entry in enumerate(data)
    ]


def _evidence_text(finding: Finding) -> str:
    return "; ".join(
        f"{e.session} {e.code if e.code is not None else '-'}" for e in finding.evidence
    )


def findings_to_csv(findings: Iterable[Finding]) -> str:
    """One CSV record per finding (RFC 4180, CRLF); evidence as ``"2025-09-01 AM G; ..."``,
    details and provenance as JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; quotes any CR or LF
    writer.writerow(CSV_COLUMNS)
    for finding in findings:
        row = _as_dict(finding)
        cells = [
            row["rule"],
            row["pupil_id"] or "",
            row["as_of"],
            row["severity"],
            "" if row["figure"] is None else row["figure"],
            row["figure_exact"] or "",
            "" if row["threshold"] is None else row["threshold"],
            row["threshold_exact"] or "",
            _evidence_text(finding),
            row["source"],
            row["explanation"],
            json.dumps(row["details"], ensure_ascii=False),
            json.dumps(row["provenance"], ensure_ascii=False),
        ]
        writer.writerow([spreadsheet_safe(str(cell)) for cell in cells])
    return out.getvalue()


def _display(value: int | Fraction | None, *, rate: bool) -> str:
    if value is None:
        return "-"
    return display_percent(Fraction(value)) if rate else format_days(value)


def _is_rate(finding: Finding) -> bool:
    """Whether the figure is a rate: figure and threshold share a unit, and a count's threshold
    is a whole number (a count may still be fractional, e.g. 27.5 days of sickness)."""
    if finding.threshold is None:
        return isinstance(finding.figure, Fraction)
    return isinstance(finding.threshold, Fraction)


def findings_to_table(findings: Sequence[Finding]) -> str:
    """A plain-text table for people: rule, pupil, severity, figure, threshold, step, why."""
    header = ("RULE", "PUPIL", "SEVERITY", "FIGURE", "THRESHOLD", "STEP", "EXPLANATION")
    rows = [header]
    for f in findings:
        escalation = f.details.get("escalation")
        step = escalation.get("step", "-") if isinstance(escalation, Mapping) else "-"
        rate = _is_rate(f)
        rows.append(
            (
                f.rule,
                f.pupil_id or "-",
                f.severity.value,
                _display(f.figure, rate=rate),
                _display(f.threshold, rate=rate),
                str(step),
                f.explanation,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]
    noun = "finding" if len(findings) == 1 else "findings"
    return "\n".join([*lines, f"{len(findings)} {noun}"]) + "\n"


def _notice_sessions(text: str, file: str, line: int) -> tuple[Session, ...]:
    sessions = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        pieces = part.split()
        if len(pieces) != 2:
            raise InputError(
                "not a session",
                file=file,
                line=line,
                field="sessions",
                value=part,
                expected="'YYYY-MM-DD AM' or 'YYYY-MM-DD PM', separated by ';'",
            )
        try:
            sessions.append(Session(parse_date(pieces[0], field="sessions"), parse_part(pieces[1])))
        except InputError as error:
            raise InputError(
                error.reason,
                file=file,
                line=line,
                field="sessions",
                value=part,
                expected=error.expected,
            ) from None
    return tuple(sessions)


def read_notices_csv(path: str | os.PathLike[str]) -> list[PenaltyNotice]:
    """A penalty-notice history: ``parent_id,pupil_id,issued,status[,sessions]`` per line.

    ``status`` is ``issued``, ``paid``, ``prosecuted`` or ``withdrawn``; ``sessions`` (optional)
    lists the sessions each notice covered. Every error names the file, line and field.
    """
    expected = f"a header line {','.join(NOTICE_COLUMNS)} (sessions optional)"
    notices = []
    for file, line_number, cells in read_records(
        path, columns=NOTICE_COLUMNS, required=NOTICE_COLUMNS[:4], expected=expected
    ):
        for name in ("parent_id", "pupil_id"):
            if not cells[name].strip():
                raise InputError(
                    "empty id", file=file, line=line_number, field=name, expected="an id"
                )
        try:
            issued = parse_date(cells["issued"], field="issued")
            notice = PenaltyNotice(
                cells["parent_id"].strip(),
                cells["pupil_id"].strip(),
                issued,
                cells["status"],
                _notice_sessions(cells.get("sessions", ""), file, line_number),
            )
        except InputError as error:
            if error.file is not None:
                raise
            raise InputError(
                error.reason,
                file=file,
                line=line_number,
                field=error.field,
                value=error.value,
                expected=error.expected,
            ) from None
        notices.append(notice)
    return notices


def finding_from_entry(entry: object, where: str) -> Finding:
    """One finding from its JSON object (as :func:`findings_to_json` writes each); ``where``
    names it in messages."""
    if not isinstance(entry, Mapping):
        raise InputError("not a finding object", file=where, value=entry)
    severity = _field(entry, "severity", str, where)
    try:
        level = Severity(severity)
    except ValueError:
        raise InputError(
            "unknown severity",
            file=where,
            field="severity",
            value=severity,
            expected=", ".join(s.value for s in Severity),
        ) from None
    pupil_id = entry.get("pupil_id")
    if pupil_id is not None and not isinstance(pupil_id, str):
        raise InputError("not a pupil id", file=where, field="pupil_id", value=pupil_id)
    return Finding(
        rule=_field(entry, "rule", str, where),
        pupil_id=pupil_id,
        as_of=parse_date(_field(entry, "as_of", str, where), field="as_of"),
        severity=level,
        figure=_figure(entry, "figure", where),
        threshold=_figure(entry, "threshold", where),
        evidence=_evidence(_field(entry, "evidence", list, where), where),
        source=_field(entry, "source", str, where),
        explanation=_field(entry, "explanation", str, where),
        details=entry.get("details") or {},
        provenance=entry.get("provenance") or {},
    )


def findings_to_jsonl(findings: Iterable[Finding]) -> Iterator[str]:
    """Each finding as one line of JSON Lines (the object :func:`findings_to_json` holds), so
    findings can be written as they are made and read one at a time."""
    for finding in findings:
        yield json.dumps(_as_dict(finding), ensure_ascii=False) + "\n"


def findings_from_jsonl(text: str, *, file: str | None = None) -> list[Finding]:
    """Findings from JSON Lines; a bad line raises InputError naming its line number."""
    findings = []
    # Only "\n" ends a line: JSON text may hold U+2028 and other characters splitlines() splits at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(
                f"not JSON: {error.msg}", file=file, line=number, expected="one JSON object a line"
            ) from None
        findings.append(finding_from_entry(entry, f"{file or '<jsonl>'}:{number}"))
    return findings


def finding_record(finding: Finding) -> dict[str, Any]:
    """A finding as one flat record of :data:`CSV_COLUMNS` (for Arrow, Parquet and data
    frames): ``figure`` and ``threshold`` as numbers, their exact rates as ``"n/d"``, and
    ``evidence``, ``details`` and ``provenance`` as JSON text, so every finding has the same
    columns whatever its rule; :func:`finding_from_record` reads it back."""
    row = _as_dict(finding)
    for name in ("figure", "threshold"):
        if isinstance(row[name], int):
            row[name] = float(row[name])
    for name in ("evidence", "details", "provenance"):
        row[name] = json.dumps(row[name], ensure_ascii=False)
    return row


def finding_from_record(record: Mapping[str, Any], where: str) -> Finding:
    """The finding :func:`finding_record` made ``record`` from."""
    entry = dict(record)
    for name in ("evidence", "details", "provenance"):
        text = entry.get(name)
        if not isinstance(text, str):
            raise InputError("not JSON text", file=where, field=name, value=text)
        try:
            entry[name] = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"not JSON: {error.msg}", file=where, field=name) from None
    for name in ("figure", "threshold"):
        value = entry.get(name)
        if isinstance(value, float) and entry.get(f"{name}_exact") is None:
            if not value.is_integer():
                raise InputError("not a count", file=where, field=name, value=value)
            entry[name] = int(value)
    return finding_from_entry(entry, where)
