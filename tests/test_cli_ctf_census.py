"""``attendance-core ctf`` and ``attendance-core census``: outputs, and bad input exiting 2."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from attendance_core.cli import main
from attendance_core.io.ctf import ctf_register, read_ctf

EXAMPLES = Path(__file__).parent.parent / "docs/examples"
CENSUS = EXAMPLES / "census"
CTF = EXAMPLES / "ctf/820aaaa_CTF_820bbbb_001.xml"
CALENDAR = EXAMPLES / "calendars/kent-example-primary.toml"
SCHOOL = [
    str(CENSUS / "marks-weekly.csv"),
    "--enrolments",
    str(CENSUS / "enrolments.csv"),
    "--pupils",
    str(CENSUS / "pupils.csv"),
]


def _write(tmp_path: Path, *extra: str) -> list[str]:
    return [
        "ctf",
        "write",
        *SCHOOL,
        "--calendar",
        str(CALENDAR),
        "--year",
        "2025",
        "--datetime",
        "2025-10-13T09:00:00",
        *extra,
    ]


def test_ctf_write_writes_the_leavers_block_and_it_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "leaver.xml"
    assert main([*_write(tmp_path), "--lea", "820", "--estab", "2001", "-o", str(out)]) == 0
    ctf = read_ctf(out)
    (pupil,) = ctf.pupils  # only 1005 left in 2025/26
    assert pupil.upn == "N820200125005"
    assert (pupil.forename, pupil.sex) == ("Eli", "M")
    (year,) = pupil.attendance
    assert (year.year, year.lea, year.sessions_possible, year.sessions_unauthorised) == (
        2025,
        "820",
        60,
        2,
    )
    register = ctf_register(ctf)
    assert sum(1 for _ in register.marks("N820200125005")) == 60
    assert capsys.readouterr().err == ""


def test_ctf_write_chooses_pupils_and_refuses_an_unknown_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_write(tmp_path), "--pupil", "1001"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    assert [u.text for u in root.iter("UPN")] == ["G820200125001"]
    assert main([*_write(tmp_path), "--pupil", "9999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pupil not in the enrolments" in err


def test_ctf_write_refuses_a_pupil_without_a_upn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pupils = tmp_path / "pupils.csv"
    pupils.write_text("pupil_id,forename\n1005,Eli\n", encoding="utf-8")
    args = _write(tmp_path)
    args[args.index(str(CENSUS / "pupils.csv"))] = str(pupils)
    out = tmp_path / "out.xml"
    assert main([*args, "-o", str(out)]) == 2
    assert "no UPN for the pupil" in capsys.readouterr().err
    assert not out.exists()


def test_ctf_read_prints_marks_or_years(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ctf", "read", str(CTF)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "pupil_id,date,session,code"
    assert lines[1] == "G820200125001,2025-09-08,AM,/"
    assert len(lines) == 11
    assert main(["ctf", "read", str(CTF), "--format", "years"]) == 0
    years = capsys.readouterr().out.splitlines()
    assert years[1] == "G820200125001,2025,820,2001,Example Primary School,10,2,7,1,2025-09-08,7"
    assert years[2].endswith(",372,12,356,4,,")


def test_ctf_read_of_bad_xml_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<!DOCTYPE x [<!ENTITY e "boom">]><CTfile>&e;</CTfile>', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["ctf", "read", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "refused" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_an_output_that_is_an_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "ctf.xml"
    copy.write_bytes(CTF.read_bytes())
    assert main(["ctf", "read", str(copy), "-o", str(copy)]) == 2
    assert "the output is also an input" in capsys.readouterr().err
    assert copy.read_bytes() == CTF.read_bytes()


def test_census_writes_xml_and_lists_checks_by_rule_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "census.xml"
    args = ["census", *SCHOOL, "--census", "spring", "--year", "2026", "-o", str(out)]
    assert main([*args, "--calendar", str(CALENDAR)]) == 0
    root = ET.parse(out).getroot()
    assert [u.text for u in root.iter("UPN")] == ["G820200125001", "N820200125005"]
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1].strip() for line in err] == [
        "rule 2470",
        "rule 2470",
        "rule 2502Q",
        "rule 2502Q",
    ]
    assert "query" in err[3]
    assert "Fay" not in "\n".join(err)  # no names in messages


def test_census_csv(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["census", *SCHOOL, "--census", "spring", "--year", "2026", "--format", "csv"]
    assert main(args) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("pupil_id,upn,roll,block,")
    assert rows[-1] == (
        "1005,N820200125005,no_longer_on_roll,TermlyAttendance,2025-08-01,2025-12-31,60,,,O,2"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--census-date", "13/01/2026"], "--census-date"),
        (["--policy", str(EXAMPLES / "nope.toml")], "cannot read"),
    ],
)
def test_census_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "census.xml"
    args = ["census", *SCHOOL, "--census", "spring", "--year", "2026", "-o", str(out), *extra]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_ctf_read_uses_the_code_set_a_policy_forces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holiday = tmp_path / "holiday.xml"
    holiday.write_text(CTF.read_text(encoding="utf-8").replace("IIL", "HHL"), encoding="utf-8")
    assert main(["ctf", "read", str(holiday)]) == 2  # H was withdrawn in 2024
    assert "'H'" in capsys.readouterr().err
    policy = tmp_path / "policy.toml"
    policy.write_text('[codes]\ncode_set = "england-2006"\n', encoding="utf-8")
    assert main(["ctf", "read", str(holiday), "--policy", str(policy)]) == 0
    assert "G820200125001,2025-09-10,AM,H" in capsys.readouterr().out


@pytest.mark.parametrize("year", ["99999", "1066", "-5"])
def test_ctf_write_and_census_range_check_the_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], year: str
) -> None:
    args = _write(tmp_path)
    args[args.index("--year") + 1] = year
    assert main(args) == 2
    assert "year out of range" in capsys.readouterr().err
    assert main(["census", *SCHOOL, "--census", "spring", "--year", year]) == 2
    assert "year out of range" in capsys.readouterr().err


def test_ctf_write_checks_the_header_datetime(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _write(tmp_path)
    args[args.index("--datetime") + 1] = "13/10/2025 09:00"
    assert main(args) == 2
    assert "not a CTF date and time" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value"), [("--lea", "82"), ("--estab", "20011"), ("--dest-lea", "ABC")]
)
def test_ctf_write_checks_dfe_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    assert main([*_write(tmp_path), option, value]) == 2
    assert "not a DfE number" in capsys.readouterr().err
