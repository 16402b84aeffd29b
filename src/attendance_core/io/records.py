"""Summaries and findings for analysts: records, Arrow tables, pandas and Polars frames, Parquet.

Every output has a fixed set of columns, whatever the school's codes or the rules' findings:

- a summary record per enrolment (``row = "pupil"``) and one for the whole school
  (``row = "total"``): the session counts, the rates as floats (exact: ``int / int``), the
  persistent and severe flags, the group counts of the total, and ``sessions_by_code`` as JSON
  text;
- a finding record per finding, the columns of
  :data:`attendance_core.io.findings.CSV_COLUMNS`, with evidence, details and provenance as
  JSON text, so it reads back to the same finding.

Arrow and Parquet need ``pyarrow`` (the extra ``attendance_core[arrow]``); frames need pandas or
Polars as well. None of them is needed for the records themselves.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attendance_core.exceptions import InputError
from attendance_core.io.findings import CSV_COLUMNS, finding_from_record, finding_record
from attendance_core.rules.findings import Finding
from attendance_core.rules.statistics import SESSION_TOTALS, AttendanceSummary

__all__ = [
    "FINDING_COLUMNS",
    "SUMMARY_COLUMNS",
    "findings_from_parquet",
    "findings_to_arrow",
    "findings_to_parquet",
    "summaries_to_arrow",
    "summaries_to_parquet",
    "summary_records",
    "summary_records_from_parquet",
    "to_pandas",
    "to_polars",
]

RATES = (
    "attendance_rate",
    "overall_absence_rate",
    "authorised_absence_rate",
    "unauthorised_absence_rate",
)
GROUP_COUNTS = (
    "enrolments",
    "enrolments_without_possible",
    "persistent_absentees",
    "severe_absentees",
)
GROUP_RATES = ("persistent_absence_rate", "severe_absence_rate")
SUMMARY_COLUMNS: tuple[str, ...] = (
    "row",
    "pupil_id",
    *SESSION_TOTALS,
    *RATES,
    "persistent_absence",
    "severe_absence",
    *GROUP_COUNTS,
    *GROUP_RATES,
    "sessions_by_code",
)
"""The columns of every summary record, in order."""
FINDING_COLUMNS: tuple[str, ...] = CSV_COLUMNS
"""The columns of every finding record, in order."""

_RATE_PARTS = {
    "attendance_rate": ("overall_attendance", "possible_sessions"),
    "overall_absence_rate": ("overall_absence", "possible_sessions"),
    "authorised_absence_rate": ("authorised_absence", "possible_sessions"),
    "unauthorised_absence_rate": ("unauthorised_absence", "possible_sessions"),
    "persistent_absence_rate": ("persistent_absentees", "enrolments"),
    "severe_absence_rate": ("severe_absentees", "enrolments"),
}


def _ratio(summary: AttendanceSummary, name: str) -> float | None:
    numerator, denominator = (getattr(summary, part) for part in _RATE_PARTS[name])
    # int / int is correctly rounded, so this equals float(Fraction(numerator, denominator)).
    return numerator / denominator if denominator else None


def _record(row: str, pupil_id: str | None, summary: AttendanceSummary) -> dict[str, Any]:
    record: dict[str, Any] = {"row": row, "pupil_id": pupil_id}
    record.update((name, getattr(summary, name)) for name in SESSION_TOTALS)
    record.update((name, _ratio(summary, name)) for name in RATES)
    pupil = row == "pupil"
    record["persistent_absence"] = summary.persistent_absence if pupil else None
    record["severe_absence"] = summary.severe_absence if pupil else None
    record.update((name, None if pupil else getattr(summary, name)) for name in GROUP_COUNTS)
    record.update((name, None if pupil else _ratio(summary, name)) for name in GROUP_RATES)
    record["sessions_by_code"] = json.dumps(dict(sorted(summary.sessions_by_code.items())))
    return record


def summary_records(summaries: Mapping[str, AttendanceSummary]) -> list[dict[str, Any]]:
    """One record per enrolment, then the total pooled the way DfE pools (sessions summed)."""
    records = [_record("pupil", p, s) for p, s in summaries.items()]
    records.append(_record("total", None, AttendanceSummary.pool(summaries.values())))
    return records


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise InputError(
            "Arrow and Parquet output need pyarrow",
            expected="pip install 'attendance_core[arrow]'",
        ) from None
    return pyarrow


def _schema(pa: Any, columns: Sequence[str], kinds: Mapping[str, Any]) -> Any:
    return pa.schema([(name, kinds.get(name, pa.string())) for name in columns])


def _summary_schema(pa: Any) -> Any:
    kinds = {name: pa.int64() for name in (*SESSION_TOTALS, *GROUP_COUNTS)}
    kinds.update((name, pa.float64()) for name in (*RATES, *GROUP_RATES))
    kinds.update(persistent_absence=pa.bool_(), severe_absence=pa.bool_())
    return _schema(pa, SUMMARY_COLUMNS, kinds)


def _finding_schema(pa: Any) -> Any:
    return _schema(pa, FINDING_COLUMNS, {"figure": pa.float64(), "threshold": pa.float64()})


def summaries_to_arrow(summaries: Mapping[str, AttendanceSummary]) -> Any:
    """The summary records as a ``pyarrow.Table`` of :data:`SUMMARY_COLUMNS`."""
    pa = _pyarrow()
    return pa.Table.from_pylist(summary_records(summaries), schema=_summary_schema(pa))


def findings_to_arrow(findings: Iterable[Finding]) -> Any:
    """The finding records as a ``pyarrow.Table`` of :data:`FINDING_COLUMNS`."""
    pa = _pyarrow()
    records = [finding_record(f) for f in findings]
    return pa.Table.from_pylist(records, schema=_finding_schema(pa))


def to_pandas(table: Any) -> Any:
    """An Arrow table as a pandas ``DataFrame`` (pandas must be installed)."""
    try:
        return table.to_pandas()
    except ImportError:
        raise InputError("a pandas frame needs pandas", expected="pip install pandas") from None


def to_polars(table: Any) -> Any:
    """An Arrow table as a Polars ``DataFrame`` (Polars must be installed)."""
    try:
        import polars
    except ImportError:
        raise InputError("a Polars frame needs polars", expected="pip install polars") from None
    return polars.from_arrow(table)


def _parquet(table: Any) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def summaries_to_parquet(summaries: Mapping[str, AttendanceSummary]) -> bytes:
    """The summary records as a Parquet file's bytes."""
    return _parquet(summaries_to_arrow(summaries))


def findings_to_parquet(findings: Iterable[Finding]) -> bytes:
    """The finding records as a Parquet file's bytes."""
    return _parquet(findings_to_arrow(findings))


def _read_parquet(path: str | os.PathLike[str], columns: Sequence[str]) -> list[dict[str, Any]]:
    _pyarrow()
    import pyarrow.parquet as pq

    file = os.fspath(path)
    try:
        table = pq.read_table(file)
    except Exception as error:  # pyarrow raises several kinds for a damaged file
        raise InputError(
            "not a readable Parquet file", file=file, value=type(error).__name__
        ) from None
    if tuple(table.column_names) != tuple(columns):
        raise InputError(
            "unexpected columns",
            file=file,
            value=", ".join(table.column_names)[:200],
            expected=", ".join(columns),
        )
    records: list[dict[str, Any]] = table.to_pylist()
    return records


def summary_records_from_parquet(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The summary records a Parquet file of :func:`summaries_to_parquet` holds."""
    return _read_parquet(path, SUMMARY_COLUMNS)


def findings_from_parquet(path: str | os.PathLike[str]) -> list[Finding]:
    """The findings a Parquet file of :func:`findings_to_parquet` holds."""
    file = os.fspath(path)
    return [
        finding_from_record(record, f"{file}[{index}]")
        for index, record in enumerate(_read_parquet(file, FINDING_COLUMNS))
    ]
