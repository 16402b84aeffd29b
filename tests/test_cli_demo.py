"""``attendance-core demo``: the README's first command, deterministic and consistent."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core.calendars import SchoolCalendar
from attendance_core.cli import main
from attendance_core.cli.summary import format_percent
from attendance_core.io.enrolments_csv import read_enrolments_csv
from attendance_core.io.pupils import format_pupils_csv, read_pupils
from attendance_core.rules.statistics import register_summaries, register_summary
from attendance_core.synthetic import synthetic_school


def demo(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["demo", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_demo_is_deterministic_for_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    first = demo(capsys, "--pupils", "60", "--seed", "3")
    assert demo(capsys, "--pupils", "60", "--seed", "3") == first
    assert demo(capsys, "--pupils", "60", "--seed", "4") != first


def test_demo_prints_the_schools_pooled_figures(capsys: pytest.CaptureFixture[str]) -> None:
    out = demo(capsys, "--pupils", "120", "--seed", "11")
    total = register_summary(synthetic_school(120, seed=11).register)
    figures = dict(re.findall(r"^(\w+) +(\d+)", out, flags=re.MULTILINE))
    assert int(figures["possible_sessions"]) == total.possible_sessions
    assert int(figures["overall_absence"]) == total.overall_absence
    assert int(figures["late_sessions"]) == total.late_sessions
    absence = format_percent(total.overall_absence, total.possible_sessions)
    assert re.search(
        rf"^overall_absence +{total.overall_absence} +{re.escape(absence)}$", out, re.M
    )
    pa = format_percent(total.persistent_absentees, total.enrolments)
    assert f"persistent absentees (10% or more missed): {total.persistent_absentees} ({pa})" in out
    assert "2025/26 (seed 11): 120 enrolments" in out


def test_demo_lists_the_most_absent_pupils_by_id_only(capsys: pytest.CaptureFixture[str]) -> None:
    out = demo(capsys, "--pupils", "100", "--seed", "5")
    listed = re.findall(r"^  (S\d{5}) +(\d+\.\d)%", out, flags=re.MULTILINE)
    assert len(listed) == 10
    summaries = register_summaries(synthetic_school(100, seed=5).register)
    rates = [float(r) for _, r in listed]
    assert rates == sorted(rates, reverse=True)
    top = max(summaries.values(), key=lambda s: s.overall_absence / max(s.possible_sessions, 1))
    assert f"{listed[0][1]}%" == format_percent(top.overall_absence, top.possible_sessions)
    assert summaries[listed[0][0]] == top


def test_written_csv_summarises_to_the_same_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "school.csv"
    demo(capsys, "--pupils", "40", "--seed", "9", "--write-csv", str(target))
    assert main(["summary", str(target), "--format", "json"]) == 0
    total = json.loads(capsys.readouterr().out)["total"]
    expected = register_summary(synthetic_school(40, seed=9).register)
    assert total["possible_sessions"] == expected.possible_sessions
    assert total["overall_absence"] == expected.overall_absence
    assert total["persistent_absentees"] == expected.persistent_absentees


def test_a_negative_pupil_count_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--pupils", "-5"])
    assert exit_.value.code == 2
    assert "not a whole number 0 or more" in capsys.readouterr().err


def test_an_out_of_range_year_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--year", "99999"]) == 2
    assert "academic year out of range" in capsys.readouterr().err


ROOT = Path(__file__).resolve().parent.parent


def _recipe(makefile: str, target: str) -> str:
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE)
    assert match, f"no {target!r} target in the Makefile"
    return match[1]


def test_readme_set_up_commands_do_what_the_readme_says() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make demo" in readme
    assert "make test" in readme
    assert "$(BIN)/attendance-core demo" in _recipe(makefile, "demo")
    test = _recipe(makefile, "test")
    for tool in ("-m pytest", "-m mypy", "-m ruff check", "-m ruff format --check"):
        assert tool in test
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for page in re.findall(r"\]\((docs/[\w-]+\.md|benchmarks/README\.md)\)", readme):
        assert (ROOT / page).is_file(), page


def test_written_enrolments_read_back_as_the_schools_roll(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "enrolments.csv"
    demo(capsys, "--pupils", "80", "--seed", "6", "--write-enrolments", str(target))
    school = synthetic_school(80, seed=6)
    assert read_enrolments_csv(target) == school.enrolments
    assert target.read_text(encoding="utf-8").splitlines()[0] == (
        "pupil_id,admission_date,leaving_date"
    )
    assert any(e.leaving_date is not None for e in school.enrolments.values())


def test_enrolments_are_written_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo(capsys, "--pupils", "20", "--seed", "6", "--write-csv", str(tmp_path / "marks.csv"))
    assert [p.name for p in tmp_path.iterdir()] == ["marks.csv"]


def test_an_unwritable_enrolments_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-folder" / "enrolments.csv"
    assert main(["demo", "--pupils", "20", "--write-enrolments", str(target)]) == 2
    out, err = capsys.readouterr()
    assert (out, len(err.splitlines())) == ("", 1)
    assert "cannot write output" in err


def test_the_demo_writes_a_consistent_set_the_register_checks_find_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {name: tmp_path / name for name in ("m.csv", "p.csv", "e.csv", "c.toml")}
    args = ["demo", "--pupils", "40", "--write-csv", str(files["m.csv"])]
    args += ["--write-pupils", str(files["p.csv"]), "--write-enrolments", str(files["e.csv"])]
    assert main([*args, "--write-calendar", str(files["c.toml"])]) == 0
    capsys.readouterr()
    summary = ["summary", str(files["m.csv"]), "--calendar", str(files["c.toml"])]
    summary += ["--enrolments", str(files["e.csv"]), "--pupils", str(files["p.csv"])]
    assert main([*summary, "--by", "year_group"]) == 0
    out = capsys.readouterr().out
    assert "missing marks: 0 sessions for 0 pupils" in out
    assert "marks on non-school days: 0" in out
    assert "marks outside enrolment: 0" in out
    assert "year_group=R" in out
    calendar = SchoolCalendar.from_toml(files["c.toml"])
    assert calendar.year_sessions(2025).sessions == 380
    pupils = read_pupils(files["p.csv"])
    assert len(pupils) == 40
    assert {a["year_group"] for a in pupils.values()} <= {"R", *map(str, range(1, 12))}


@settings(max_examples=30, deadline=None)
@given(
    st.dictionaries(
        st.text(alphabet="ABC123", min_size=1, max_size=6),
        st.fixed_dictionaries(
            {},
            optional={
                "year_group": st.sampled_from(["R", "7", "N1"]),
                "fsm": st.sampled_from(["yes", "no"]),
                "form": st.text(alphabet="7ABC ", min_size=1, max_size=4)
                .map(str.strip)
                .filter(bool),
                "tutor": st.text(alphabet="Mr Ab", min_size=1, max_size=5)
                .map(str.strip)
                .filter(bool),
            },
        ),
        max_size=5,
    )
)
def test_a_pupils_file_written_reads_back_the_same(pupils: dict[str, dict[str, str]]) -> None:
    folder = Path(tempfile.mkdtemp())
    path = folder / "pupils.csv"
    path.write_text(format_pupils_csv(pupils), encoding="utf-8")
    assert {p: dict(a) for p, a in read_pupils(path).items()} == pupils
