"""DfE's published figures shipped with the package, and the school's figures beside them."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from attendance_core import InputError, read_school
from attendance_core.cli import main
from attendance_core.national import read_national
from attendance_core.policy import Policy
from attendance_core.reports import officer_report
from attendance_core.reports.benchmarks import school_benchmarks

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "tests/data/dfe/EES_ytd_data.csv"
MARKS = ROOT / "docs/examples/exports/long.csv"


def test_the_shipped_figures_are_dfes_as_published() -> None:
    figures = read_national()
    with PUBLISHED.open(encoding="utf-8-sig", newline="") as handle:
        published = list(csv.DictReader(handle))
    assert len(figures.rows) == len(published) == 647
    for row, source in zip(figures.rows, published, strict=True):
        assert row.phase == source["education_phase"].lower()
        for name in ("attendance_perc", "pa_perc"):
            text = source[name]
            assert row.rates[name] == (None if text in ("x", "z", "c", "") else Decimal(text))


def test_england_and_an_authority_by_phase() -> None:
    figures = read_national()
    england, kent = figures.for_school("secondary", "kent")
    assert (england.level, england.area, kent.area) == ("National", "England", "Kent")
    assert [b.phase for b in figures.for_school(None, None)] == ["total"]
    with pytest.raises(InputError, match="no figures for this local authority \\(got 'Kentt'\\)"):
        figures.for_school("primary", "Kentt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("time_period,geographic_level\n", "missing column"),
        (
            "time_period,geographic_level,region_name,la_name,education_phase,enrolments,"
            "attendance_perc,overall_absence_perc,authorised_absence_perc,"
            "unauthorised_absence_perc,pa_perc\n202526,National,,,Nursery,1,90,10,5,5,20\n",
            "2: field 'education_phase': unknown phase (got 'Nursery')",
        ),
        (
            "time_period,geographic_level,region_name,la_name,education_phase,enrolments,"
            "attendance_perc,overall_absence_perc,authorised_absence_perc,"
            "unauthorised_absence_perc,pa_perc\n202526,National,,,Total,1,190,10,5,5,20\n",
            "2: field 'attendance_perc': not a number in range (got '190')",
        ),
        (
            "time_period,geographic_level,region_name,la_name,education_phase,enrolments,"
            "attendance_perc,overall_absence_perc,authorised_absence_perc,"
            "unauthorised_absence_perc,pa_perc\n202526,National,,,Total,1,1e999999999,10,5,5,x\n",
            "not a number in range",
        ),
    ],
    ids=["columns", "phase", "percent", "huge"],
)
def test_a_bad_figures_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ees.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_national(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_no_benchmark_unless_the_policy_or_a_file_asks() -> None:
    assert school_benchmarks(Policy()) == ()
    target = Policy.from_mapping({"school": {"attendance_target": 96}})
    assert school_benchmarks(target)[-1] == {
        "level": "Target",
        "area": "the school's policy",
        "attendance_rate": 0.96,
    }


def test_summary_sets_the_school_beside_england_its_authority_and_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.toml"
    text = '[school]\nlocal_authority = "Kent"\nphase = "primary"\nattendance_target = 96\n'
    policy.write_text(text, encoding="utf-8")
    assert main(["summary", str(MARKS), "--policy", str(policy), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    england, kent, target = data["benchmarks"]
    kent_primary = read_national().local_authority("Kent", "primary")
    assert kent_primary is not None
    published = kent_primary.rates["attendance_perc"]
    assert published is not None
    assert kent["attendance_rate"] == float(published / 100)
    assert (england["area"], target["attendance_rate"]) == ("England", 0.96)
    assert main(["summary", str(MARKS), "--policy", str(policy)]) == 0
    out = capsys.readouterr().out
    assert "local authority (Kent, primary, 2025/26 year to date): attendance 94.4%" in out
    assert main(["summary", str(MARKS), "--format", "json"]) == 0
    assert "benchmarks" not in json.loads(capsys.readouterr().out)


def test_the_report_has_a_national_section_when_the_policy_names_the_phase(
    tmp_path: Path,
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[school]\nphase = "secondary"\n', encoding="utf-8")
    report = officer_report(read_school(MARKS, policy=policy))
    section = report.section("Compared with national")
    assert [row[0] for row in section.rows] == ["This school", "National: England"]
    plain = officer_report(read_school(MARKS))
    assert all(s.title != "Compared with national" for s in plain.sections)
