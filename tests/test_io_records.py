"""Summaries and findings as records, Arrow, Parquet, JSON Lines and frames: fixed columns,
and every writer's output reads back into the same values."""

from __future__ import annotations

import datetime as dt
import io
import json
from fractions import Fraction
from pathlib import Path

import pandas
import polars
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import InputError
from attendance_core.cli import main
from attendance_core.io.findings import (
    CSV_COLUMNS,
    finding_from_record,
    finding_record,
    findings_from_jsonl,
    findings_to_csv,
    findings_to_jsonl,
)
from attendance_core.io.output import emit
from attendance_core.io.records import (
    FINDING_COLUMNS,
    SUMMARY_COLUMNS,
    findings_from_parquet,
    findings_to_arrow,
    findings_to_parquet,
    summaries_to_arrow,
    summaries_to_parquet,
    summary_records,
    summary_records_from_parquet,
    to_pandas,
    to_polars,
)
from attendance_core.model import Part, Session
from attendance_core.register import Register
from attendance_core.rules.findings import Evidence, Finding, Severity
from attendance_core.rules.statistics import register_summaries
from attendance_core.testing import registers

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "docs/examples/exports"
CALENDAR = ROOT / "docs/examples/calendars/kent-example-academy.toml"

figures = st.one_of(
    st.none(),
    st.integers(0, 10_000),
    st.builds(Fraction, st.integers(0, 500), st.integers(1, 500)),
)
evidence = st.builds(
    Evidence,
    st.builds(Session, st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), st.sampled_from(Part)),
    st.one_of(st.none(), st.sampled_from(["/", "I", "O", "G", "L"])),
    st.one_of(st.none(), st.integers(1, 120)),
)
plain = st.one_of(st.text(max_size=8), st.integers(-5, 5), st.booleans())
findings = st.builds(
    Finding,
    rule=st.sampled_from(["persistent-absence", "watch-list", "local-rule"]),
    pupil_id=st.one_of(st.none(), st.text(min_size=1, max_size=6)),
    as_of=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    severity=st.sampled_from(Severity),
    figure=figures,
    threshold=figures,
    evidence=st.lists(evidence, max_size=3).map(tuple),
    source=st.text(max_size=10),
    explanation=st.text(max_size=20),
    details=st.dictionaries(st.text(min_size=1, max_size=5), plain, max_size=3),
    provenance=st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=5), max_size=2),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(findings, max_size=4))
def test_findings_read_back_from_jsonl_records_and_parquet(found: list[Finding]) -> None:
    assert findings_from_jsonl("".join(findings_to_jsonl(found))) == found
    assert [finding_from_record(finding_record(f), "r") for f in found] == found
    table = findings_to_arrow(found)
    assert tuple(table.column_names) == FINDING_COLUMNS == CSV_COLUMNS
    assert table.num_rows == len(found)


@settings(max_examples=10, deadline=None)
@given(st.lists(findings, max_size=3))
def test_findings_parquet_reads_back(
    tmp_path_factory: pytest.TempPathFactory, found: list[Finding]
) -> None:
    path = tmp_path_factory.mktemp("parquet") / "findings.parquet"
    path.write_bytes(findings_to_parquet(found))
    assert findings_from_parquet(path) == found


@settings(max_examples=30, deadline=None)
@given(registers(pupils=4, sessions=10))
def test_summary_records_have_fixed_columns_and_read_back(register: Register) -> None:
    summaries = register_summaries(register)
    records = summary_records(summaries)
    assert all(tuple(r) == SUMMARY_COLUMNS for r in records)
    assert [r["pupil_id"] for r in records] == [*summaries, None]
    total = records[-1]
    assert total["possible_sessions"] == sum(s.possible_sessions for s in summaries.values())
    sink = io.BytesIO(summaries_to_parquet(summaries))
    import pyarrow.parquet as pq

    assert pq.read_table(sink).to_pylist() == records


def test_frames_in_pandas_and_polars_have_the_same_columns() -> None:
    from attendance_core import read_school

    summaries = read_school(EXPORTS / "long.csv").summaries()
    table = summaries_to_arrow(summaries)
    frame = to_pandas(table)
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == list(SUMMARY_COLUMNS)
    fast = to_polars(table)
    assert isinstance(fast, polars.DataFrame)
    assert fast.columns == list(SUMMARY_COLUMNS)
    assert fast.filter(polars.col("row") == "total")["possible_sessions"].to_list() == [18]


def test_the_findings_csv_has_the_same_columns_whatever_the_rules() -> None:
    one = Finding("a", "P", dt.date(2025, 9, 1), Severity.INFO, 1, None, (), "", "", {"x": 1})
    other = Finding("b", "Q", dt.date(2025, 9, 1), Severity.INFO, 2, None, (), "", "", {"y": [1]})
    header = findings_to_csv([one, other]).splitlines()[0].split(",")
    assert tuple(header) == CSV_COLUMNS


def test_summary_and_check_write_jsonl_and_parquet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = str(EXPORTS / "long.csv")
    assert main(["summary", marks, "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["row"] for line in lines] == ["pupil", "pupil", "total"]
    assert main(["summary", marks, "--format", "parquet", "-o", str(tmp_path / "s.parquet")]) == 0
    records = summary_records_from_parquet(tmp_path / "s.parquet")
    assert [r["possible_sessions"] for r in records] == [9, 9, 18]
    check = ["check", marks, "--calendar", str(CALENDAR), "--as-of", "2025-09-12"]
    assert main([*check, "--format", "jsonl"]) == 0
    from_jsonl = findings_from_jsonl(capsys.readouterr().out)
    assert from_jsonl
    assert main([*check, "--format", "parquet", "-o", str(tmp_path / "f.parquet")]) == 0
    assert findings_from_parquet(tmp_path / "f.parquet") == from_jsonl


def test_binary_output_is_refused_for_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(InputError, match="binary output to a terminal"):
        emit(b"PAR1", None)


def test_a_parquet_file_of_other_columns_is_refused(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"a": [1]}), tmp_path / "other.parquet")
    with pytest.raises(InputError, match="unexpected columns"):
        findings_from_parquet(tmp_path / "other.parquet")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        summary_records_from_parquet(tmp_path / "bad.parquet")
