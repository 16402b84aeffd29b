"""The officer's report for a period: figures pooled from the pupils' own sessions, groups,
comparison, and the lists (crossings, priority, improvers, full attendance, names)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import Register, School, Session
from attendance_core.cli import main
from attendance_core.model import Mark
from attendance_core.reports import Report, ReportSection, officer_report
from attendance_core.rules.findings import Evidence, Finding, Severity
from attendance_core.rules.period_scope import SCOPES, in_period, scope_of
from attendance_core.rules.registry import BUILTIN_RULES

MONDAY = dt.date(2025, 9, 8)
DAYS = [MONDAY + dt.timedelta(days=d) for d in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]
WEEK1, WEEK2 = (DAYS[0], DAYS[4]), (DAYS[5], DAYS[9])
SESSIONS = [Session(day, part) for day in DAYS for part in ("AM", "PM")]  # 20 sessions

ATTENDED = {"/", "\\", "L"}
AUTHORISED = {"I"}
UNAUTHORISED = {"N", "G"}
CODES = sorted(ATTENDED | AUTHORISED | UNAUTHORISED | {"X"})  # X: not a possible session


def _school(marks: dict[str, str], pupils: dict[str, dict[str, str]] | None = None) -> School:
    register = Register.from_marks(
        (pupil, Mark(session, code))
        for pupil, codes in marks.items()
        for session, code in zip(SESSIONS, codes, strict=True)
    )
    return School.assemble(register, pupils=pupils)


def _expected(marks: dict[str, str], first: dt.date, last: dt.date) -> dict[str, int]:
    """The pupils' sessions in the period, counted code by code and summed."""
    totals = dict.fromkeys(
        (
            "possible_sessions",
            "overall_attendance",
            "authorised_absence",
            "unauthorised_absence",
            "enrolments",
            "enrolments_without_possible",
            "persistent_absentees",
            "severe_absentees",
        ),
        0,
    )
    for codes in marks.values():
        mine = [c for s, c in zip(SESSIONS, codes, strict=True) if first <= s.date <= last]
        attended = sum(c in ATTENDED for c in mine)
        authorised = sum(c in AUTHORISED for c in mine)
        unauthorised = sum(c in UNAUTHORISED for c in mine)
        possible = attended + authorised + unauthorised
        absent = authorised + unauthorised
        totals["possible_sessions"] += possible
        totals["overall_attendance"] += attended
        totals["authorised_absence"] += authorised
        totals["unauthorised_absence"] += unauthorised
        if possible:
            totals["enrolments"] += 1
            totals["persistent_absentees"] += absent * 10 >= possible  # DfE: 10% or more
            totals["severe_absentees"] += absent * 2 >= possible  # 50% or more
        else:
            totals["enrolments_without_possible"] += 1
    return totals


def _figures(record: dict[str, object]) -> dict[str, object]:
    return {name: record[name] for name in _expected({}, MONDAY, MONDAY)}


@st.composite
def _schools(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    count = draw(st.integers(1, 6))
    marks = {
        f"P{n}": "".join(draw(st.lists(st.sampled_from(CODES), min_size=20, max_size=20)))
        for n in range(count)
    }
    pupils = {p: {"year_group": draw(st.sampled_from(["R", "7", "8"]))} for p in marks}
    return marks, pupils


@settings(max_examples=40, deadline=None)
@given(
    _schools(),
    st.integers(0, 9),
    st.integers(0, 9),
)
def test_period_and_group_figures_in_json_pool_the_pupils_sessions(
    school_data: tuple[dict[str, str], dict[str, dict[str, str]]], a: int, b: int
) -> None:
    marks, pupils = school_data
    first, last = DAYS[min(a, b)], DAYS[max(a, b)]
    then = (DAYS[0], DAYS[min(a, b)])
    report = officer_report(_school(marks, pupils), period=(first, last), comparison=then)
    figures = json.loads(report.to_json())["figures"]
    assert figures["period"] == {"from": first.isoformat(), "to": last.isoformat()}
    assert _figures(figures["total"]) == _expected(marks, first, last)
    assert _figures(figures["comparison"]["total"]) == _expected(marks, *then)
    groups = {g["group"]["year_group"]: g for g in figures["groups"]}
    assert set(groups) == {p["year_group"] for p in pupils.values()}
    for year, group in groups.items():
        members = {p: c for p, c in marks.items() if pupils[p]["year_group"] == year}
        assert _figures(group) == _expected(members, first, last)
        possible = group["possible_sessions"]
        rate = group["overall_attendance"] / possible if possible else None
        assert group["attendance_rate"] == rate
    listed = {p["pupil_id"] for p in figures["persistent_absentees"]}
    assert len(listed) == figures["total"]["persistent_absentees"]


def test_pupils_who_crossed_into_and_out_of_persistent_absence() -> None:
    marks = {
        "OUT": "N" * 4 + "/" * 16,  # 4 of 10 absent in week 1, none in week 2
        "IN": "/" * 10 + "/" * 9 + "N",  # 1 of 10 absent in week 2: exactly 10%
        "BOTH": "I" * 20,
        "NEVER": "/" * 20,
        "NEARLY": "/" * 10 + "/" * 10,
        "NEW": "X" * 10 + "N" * 10,  # no possible session in week 1: left out
    }
    report = officer_report(_school(marks), period=WEEK2, comparison=WEEK1)
    crossed = report.figures["persistent_absence_crossings"]
    assert [p["pupil_id"] for p in crossed["into"]] == ["IN"]
    assert [p["pupil_id"] for p in crossed["out_of"]] == ["OUT"]
    assert crossed["into"][0]["overall_absence_rate"] == 0.1
    rows = report.section("Into and out of persistent absence").rows
    assert [(row[0], row[1]) for row in rows] == [("IN", "into"), ("OUT", "out of")]


def test_the_priority_list_holds_only_flagged_pupils_below_the_watch_line() -> None:
    below, at_line = "/" * 17 + "N" * 3, "/" * 18 + "N" * 2  # 85% and exactly 90%
    marks = {
        "LAC": below,
        "CP": below,
        "CIN": below,
        "SENK": below,
        "SENE": below,
        "SENN": below,  # no SEN provision: not a priority
        "PLAIN": below,  # no flag
        "FLAGNO": below,  # flags written "no"
        "LACOK": at_line,  # flagged, at the line: not below it
    }
    pupils = {
        "LAC": {"looked_after": "yes"},
        "CP": {"child_protection": "yes"},
        "CIN": {"child_in_need": "yes"},
        "SENK": {"sen": "K"},
        "SENE": {"sen": "E"},
        "SENN": {"sen": "N"},
        "PLAIN": {},
        "FLAGNO": {"looked_after": "no", "child_protection": "no", "child_in_need": "no"},
        "LACOK": {"looked_after": "yes"},
    }
    report = officer_report(_school(marks, pupils))
    listed = {p["pupil_id"]: p["flags"] for p in report.figures["priority"]}
    assert listed == {
        "LAC": ["looked after"],
        "CP": ["child protection"],
        "CIN": ["child in need"],
        "SENK": ["SEN K"],
        "SENE": ["SEN E"],
    }
    assert all(p["attendance_rate"] == 0.85 for p in report.figures["priority"])


def test_improvers_and_full_attenders_for_the_period() -> None:
    marks = {
        "UP5": "/" * 5 + "N" * 5 + "/" * 5 + "N" * 4 + "/",  # 50% then 60%: up 10 points
        "UP4": "/" * 9 + "N" + "/" * 9 + "N",  # 90% both weeks
        "FULL": "N" + "/" * 9 + "/" * 10,  # 90% then 100%: up 10, and full attendance
        "DOWN": "/" * 10 + "N" * 10,
    }
    report = officer_report(_school(marks), period=WEEK2, comparison=WEEK1)
    improvers = {p["pupil_id"]: p["change_percentage_points"] for p in report.figures["improvers"]}
    assert improvers == {"UP5": 10.0, "FULL": 10.0}
    assert [p["pupil_id"] for p in report.figures["full_attendance"]] == ["FULL"]
    # Without a comparison there is nothing to improve on, and no crossing.
    alone = officer_report(_school(marks), period=WEEK2)
    assert "improvers" not in alone.figures
    assert "persistent_absence_crossings" not in alone.figures


def test_names_appear_only_when_the_pupils_file_gives_them() -> None:
    marks = {"P1": "N" * 20, "P2": "/" * 20}
    named = {"P1": {"forename": "Ada", "surname": "Lovelace", "year_group": "7"}, "P2": {}}
    with_names = officer_report(_school(marks, named))
    assert "Ada Lovelace" in with_names.to_markdown()
    assert "Ada Lovelace" in with_names.to_html()
    assert with_names.figures["persistent_absentees"][0]["name"] == "Ada Lovelace"
    for pupils in (None, {"P1": {"year_group": "7"}, "P2": {}}):
        plain = officer_report(_school(marks, pupils))
        assert "Name" not in plain.section("Persistent and severe absentees").columns
        assert all("name" not in p for p in plain.figures["persistent_absentees"])
        assert "Lovelace" not in plain.to_json()


def test_groups_are_by_year_group_by_default_and_by_form_when_asked() -> None:
    marks = {"A": "/" * 20, "B": "N" * 20, "C": "/" * 20}
    pupils = {
        "A": {"year_group": "7", "form": "7S"},
        "B": {"year_group": "7", "form": "7T"},
        "C": {"year_group": "8", "form": "8S"},
    }
    school = _school(marks, pupils)
    default = officer_report(school)
    assert [g["group"] for g in default.figures["groups"]] == [
        {"year_group": "7"},
        {"year_group": "8"},
    ]
    assert default.section("By year group").rows[0][:3] == ("7", "2", "40")
    by_form = officer_report(school, by=["form"])
    assert [g["group"]["form"] for g in by_form.figures["groups"]] == ["7S", "7T", "8S"]
    assert by_form.section("Persistent and severe absentees").rows[0][:2] == ("7T", "B")
    assert "groups" not in officer_report(_school(marks)).figures


def test_long_lists_are_cut_for_people_and_counted_by_group() -> None:
    rows = [("7", f"P{n:02}") for n in range(8)] + [("8", f"Q{n}") for n in range(5)]
    section = ReportSection("List", ("Year group", "Pupil"), rows, shown=10, count_by=0)
    shown, more = section.overflow()
    assert len(shown) == 10
    assert more.startswith("... and 3 more (year group 8: 3)")
    report = Report("R", (section,))
    markdown = report.to_markdown()
    assert "| 8 | Q1 |" in markdown
    assert "Q2" not in markdown
    page = report.to_html()
    assert "... and 3 more" in page
    assert "Q2" not in page
    assert "Q4" in report.to_csv()
    assert "Q4" in report.to_json()


def _files(tmp_path: Path) -> list[str]:
    marks = tmp_path / "marks.csv"
    lines = ["pupil_id,date,session,code"]
    codes = {"P1": "/" * 10 + "N" * 10, "P2": "/" * 20}
    for pupil, written in codes.items():
        for session, code in zip(SESSIONS, written, strict=True):
            lines.append(f"{pupil},{session.date.isoformat()},{session.part},{code}")
    marks.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(
        "pupil_id,forename,surname,year_group,form\nP1,Ada,Lovelace,7,7S\nP2,Alan,Turing,8,8S\n",
        encoding="utf-8",
    )
    return [str(marks), "--pupils", str(pupils)]


def test_the_report_command_takes_a_period_a_comparison_and_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _files(tmp_path)
    calendar = "docs/examples/calendars/kent-example-academy.toml"
    code = main(
        [
            "report",
            *args,
            "--calendar",
            calendar,
            "--from",
            WEEK2[0].isoformat(),
            "--to",
            WEEK2[1].isoformat(),
            "--compare",
            "previous",
            "--by",
            "form",
            "--format",
            "json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    figures = json.loads(captured.out)["figures"]
    assert figures["comparison"]["from"] == WEEK1[0].isoformat()
    assert [g["group"] for g in figures["groups"]] == [{"form": "7S"}, {"form": "8S"}]
    assert [p["pupil_id"] for p in figures["persistent_absence_crossings"]["into"]] == ["P1"]
    assert figures["persistent_absentees"][0]["name"] == "Ada Lovelace"
    assert "Lovelace" not in captured.err
    assert main(["report", *args, "--no-names", "--format", "json"]) == 0
    assert "Lovelace" not in capsys.readouterr().out
    assert main(["report", *args, "--by", "house"]) == 2
    assert "house" in capsys.readouterr().err
    assert main(["report", *args, "--compare", "previous"]) == 2
    assert "--compare needs a period" in capsys.readouterr().err


def test_check_compares_a_period_with_the_one_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _files(tmp_path)[:1]
    calendar = "docs/examples/calendars/kent-example-academy.toml"
    common = ["check", *args, "--calendar", calendar, "--rule", "persistent-absence"]
    code = main(
        [*common, "--period", "week", "--as-of", WEEK2[1].isoformat(), "--compare", "previous"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "compared with 2025-09-08 to 2025-09-12:" in out
    assert "persistent-absence: 0 then, 1 now (1 new)" in out
    assert main([*common, "--period", "week", "--compare", "previous", "--format", "json"]) == 0
    (finding,) = json.loads(capsys.readouterr().out)
    assert finding["details"]["compared"] == {
        "from": "2025-09-08",
        "to": "2025-09-12",
        "also_then": False,
    }


def _finding(rule: str, *days: dt.date) -> Finding:
    return Finding(
        rule=rule,
        pupil_id="P1",
        as_of=DAYS[-1],
        severity=Severity.ACTION,
        figure=len(days),
        threshold=1,
        evidence=tuple(Evidence(Session(day, "AM"), "G") for day in days),
        source="test",
        explanation="test",
    )


def test_findings_for_a_period_keep_standing_rules_and_evidence_that_reaches_into_it() -> None:
    reaches = _finding("penalty-notice-threshold", DAYS[3], DAYS[5])  # began before week 2
    ended = _finding("penalty-notice-threshold", DAYS[0], DAYS[4])  # all in week 1
    standing = _finding("persistent-absence", DAYS[0])  # the school year to date
    plugin = _finding("a-plugin-rule", DAYS[1])  # not listed: treated as evidence
    kept = in_period([reaches, ended, standing, plugin], *WEEK2)
    assert kept == [reaches, standing]
    assert scope_of("a-plugin-rule") == "evidence"
    assert set(SCOPES) == {rule.name for rule in BUILTIN_RULES}
