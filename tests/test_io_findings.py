"""Findings JSON round trip, and the notice-history reader's errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core.exceptions import InputError
from attendance_core.io.enrolments_csv import read_enrolments_csv
from attendance_core.io.findings import (
    findings_from_json,
    findings_to_csv,
    findings_to_json,
    findings_to_table,
    read_notices_csv,
)
from attendance_core.io.output import spreadsheet_value
from attendance_core.model import Part, Session
from attendance_core.rules.findings import Evidence, Finding, Severity
from attendance_core.rules.penalty_notice import NoticeStatus, PenaltyNotice

figures = st.one_of(
    st.none(),
    st.integers(0, 1000),
    st.fractions(min_value=0, max_value=1, max_denominator=1000),
)
evidence = st.builds(
    Evidence,
    st.builds(Session, st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)), st.sampled_from(Part)),
    st.one_of(st.none(), st.sampled_from(["G", "N", "U", "/", "I01"])),
    st.one_of(st.none(), st.integers(1, 120)),
)
findings = st.builds(
    Finding,
    rule=st.sampled_from(["persistent-absence", "look-ahead", "trust-rule"]),
    pupil_id=st.one_of(st.none(), st.text(min_size=1, max_size=8)),
    as_of=st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    severity=st.sampled_from(Severity),
    figure=figures,
    threshold=figures,
    evidence=st.lists(evidence, max_size=4).map(tuple),
    source=st.text(max_size=20),
    explanation=st.text(max_size=40),
    details=st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5))),
    provenance=st.dictionaries(st.sampled_from(["rule", "threshold"]), st.text(max_size=5)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(findings, max_size=4))
def test_json_round_trip_loses_nothing(found: list[Finding]) -> None:
    text = findings_to_json(found)
    back = findings_from_json(text)
    assert back == found
    assert [dict(f.details) for f in back] == [dict(f.details) for f in found]
    assert findings_to_json(back) == text
    rows = list(csv.reader(io.StringIO(findings_to_csv(found))))
    assert [row[0] for row in rows] == ["rule", *(f.rule for f in found)]
    # CSV cells are neutralised against formulae; the raw value is one spreadsheet_value away.
    assert [spreadsheet_value(row[10]) for row in rows[1:]] == [f.explanation for f in found]
    assert findings_to_table(found).endswith(
        f"{len(found)} finding{'' if len(found) == 1 else 's'}\n"
    )


def test_a_rate_goes_out_as_float_and_exact_fraction() -> None:
    finding = Finding(
        "x", "P", dt.date(2025, 9, 1), Severity.INFO, Fraction(1, 3), 10, (), "s", "e"
    )
    (data,) = json.loads(findings_to_json([finding]))
    assert (data["figure"], data["figure_exact"]) == (1 / 3, "1/3")
    assert (data["threshold"], data["threshold_exact"]) == (10, None)


@pytest.mark.parametrize(
    ("figure", "threshold", "cells"),
    [
        pytest.param(Fraction(1, 8), Fraction(1, 10), ["12.5%", "10.0%"], id="rate"),
        pytest.param(Fraction(55, 2), 15, ["27.5", "15"], id="half-days-are-a-count"),
        pytest.param(17, 15, ["17", "15"], id="count"),
        pytest.param(Fraction(1, 3), None, ["33.3%", "-"], id="rate-without-threshold"),
        pytest.param(None, None, ["-", "-"], id="no-figure"),
    ],
)
def test_table_shows_rates_as_percentages_and_counts_as_numbers(
    figure: Fraction | int | None, threshold: Fraction | int | None, cells: list[str]
) -> None:
    finding = Finding("x", "P", dt.date(2025, 9, 1), Severity.INFO, figure, threshold, (), "s", "e")
    row = findings_to_table([finding]).splitlines()[1]
    assert row.split()[3:5] == cells


@pytest.mark.parametrize(
    ("text", "field"),
    [
        pytest.param("{", None, id="not-json"),
        pytest.param('{"rule": "x"}', None, id="not-a-list"),
        pytest.param('[{"rule": "x"}]', "severity", id="missing-field"),
        pytest.param('[{"rule": "x", "severity": "urgent"}]', "severity", id="unknown-severity"),
    ],
)
def test_bad_findings_json(text: str, field: str | None) -> None:
    with pytest.raises(InputError) as caught:
        findings_from_json(text, file="f.json")
    assert caught.value.field == field


def test_notice_history_reads_every_field(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text(
        "parent_id,pupil_id,issued,status,sessions\n"
        "M1,P1,2025-01-10,Paid,\n"
        "M1,P1,2025-03-03,withdrawn,2025-02-03 AM; 2025-02-03 PM\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="status"):
        read_notices_csv(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Paid", "paid"), encoding="utf-8")
    first, second = read_notices_csv(path)
    assert first == PenaltyNotice("M1", "P1", dt.date(2025, 1, 10), NoticeStatus.PAID)
    assert second.sessions == (
        Session(dt.date(2025, 2, 3), Part.AM),
        Session(dt.date(2025, 2, 3), Part.PM),
    )
    assert not second.counts


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        pytest.param("parent_id,pupil_id,issued\n", 1, "status", id="missing-column"),
        pytest.param("parent_id,pupil_id,issued,status,extra\n", 1, "extra", id="extra-column"),
        pytest.param(
            "parent_id,pupil_id,issued,status,status\n", 1, "status", id="repeated-column"
        ),
        pytest.param(
            'parent_id,pupil_id,issued,status\n"M\n1",P1,2025-02-03,paid\nM1,P1,2025-02-30,paid\n',
            4,
            "issued",
            id="line-after-a-quoted-line-break",
        ),
        pytest.param(
            "parent_id,pupil_id,issued,status\nM1,P1,2025-02-30,paid\n", 2, "issued", id="bad-date"
        ),
        pytest.param(
            "parent_id,pupil_id,issued,status\n,P1,2025-02-03,paid\n",
            2,
            "parent_id",
            id="empty-parent",
        ),
        pytest.param(
            "parent_id,pupil_id,issued,status,sessions\nM1,P1,2025-02-03,paid,2025-02-03\n",
            2,
            "sessions",
            id="bad-session",
        ),
    ],
)
def test_bad_notice_history(tmp_path: Path, text: str, line: int, field: str) -> None:
    path = tmp_path / "n.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_notices_csv(path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), line, field)


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        pytest.param(b"", 1, "empty file", id="empty-file"),
        pytest.param(b"parent_id,pupil_id,issued,status\nM1,P1\n", 2, "wrong number of fields",
                     id="wrong-field-count"),
        pytest.param(b'parent_id,pupil_id,issued,status\n"M1,P1,2025-02-03,paid\n', 2,
                     "not valid CSV", id="open-quote"),
        pytest.param(b"parent_id,pupil_id,issued,status\nM\xff,P1,2025-02-03,paid\n", 2,
                     "not UTF-8 text", id="undecodable"),
    ],
)  # fmt: skip
def test_notice_history_file_problems_read_as_enrolments_files_do(
    tmp_path: Path, data: bytes, line: int | None, reason: str
) -> None:
    """Both small CSV readers share io/_csv.py: the same problem, the same message."""
    notices, enrolments = tmp_path / "n.csv", tmp_path / "e.csv"
    notices.write_bytes(data)
    enrolments.write_bytes(
        data.replace(
            b"parent_id,pupil_id,issued,status", b"pupil_id,admission_date,leaving_date,school_id"
        )
    )
    errors = []
    for read, path in ((read_notices_csv, notices), (read_enrolments_csv, enrolments)):
        with pytest.raises(InputError) as caught:
            read(path)
        errors.append((caught.value.reason, caught.value.line))
    assert errors == [(reason, line), (reason, line)]
