"""The officer's charts: the figures each one draws, and the SVG that draws them."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attendance_core import Mark, Register, Session, make_plugin_manager
from attendance_core.policy import Policy
from attendance_core.reports import Report, officer_report
from attendance_core.reports.charts import (
    Chart,
    ChartSection,
    absence_by_reason,
    attendance_distribution,
    persistent_absence_by_year_group,
    render_svg,
    weekly_attendance,
    weekly_attendance_chart,
)
from attendance_core.rules.statistics import AttendanceSummary, register_summaries
from attendance_core.school import School
from attendance_core.synthetic import synthetic_pupils, synthetic_school

MONDAY = dt.date(2025, 9, 8)
CODES = "/\\LIMGNOUCB#XD"


def _register(marks: dict[str, str], start: dt.date = MONDAY) -> Register:
    """Marks written one character a session, AM then PM, on consecutive weekdays."""
    days: list[dt.date] = []
    day = start
    while len(days) * 2 < max(map(len, marks.values())):
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    sessions = [Session(d, part) for d in days for part in ("AM", "PM")]
    return Register.from_marks(
        (pupil, Mark(session, code))
        for pupil, codes in marks.items()
        for session, code in zip(sessions, codes, strict=False)
    )


registers = st.dictionaries(
    st.from_regex(r"P[0-9]{1,3}", fullmatch=True),
    st.text(alphabet=CODES, min_size=1, max_size=60),
    min_size=1,
    max_size=6,
)


@given(registers)
def test_the_weeks_add_up_to_the_school_figures(marks: dict[str, str]) -> None:
    register = _register(marks)
    school = AttendanceSummary.pool(register_summaries(register).values())
    weeks = weekly_attendance(register)
    assert sum(attended for _, attended, _ in weeks) == school.overall_attendance
    assert sum(possible for _, _, possible in weeks) == school.possible_sessions
    assert all(monday.weekday() == 0 and possible > 0 for monday, _, possible in weeks)
    assert [monday for monday, _, _ in weeks] == sorted({m for m, _, _ in weeks})


def test_a_week_is_pooled_over_its_pupils_and_the_year_starts_in_august() -> None:
    # Two pupils over two weeks: week one 10 + 10 sessions, week two 2 + 2.
    register = _register({"P1": "////////NU//", "P2": "/////IIII/#/"}, start=MONDAY)
    assert weekly_attendance(register) == (
        (MONDAY, 8 + 6, 20),
        (MONDAY + dt.timedelta(days=7), 2 + 1, 3),  # '#' is not a possible session
    )
    # As of the first Friday, only that week; a register from July counts from 1 August on.
    assert weekly_attendance(register, MONDAY + dt.timedelta(days=4)) == ((MONDAY, 14, 20),)
    july = _register({"P1": "//////////" * 6}, start=dt.date(2025, 7, 14))
    weeks = weekly_attendance(july)  # 14 July to 22 August: from Friday 1 August on
    assert [(m, possible) for m, _, possible in weeks] == [
        (dt.date(2025, 7, 28), 2),
        (dt.date(2025, 8, 4), 10),
        (dt.date(2025, 8, 11), 10),
        (dt.date(2025, 8, 18), 10),
    ]


def test_the_weekly_chart_draws_national_and_the_target_as_lines() -> None:
    weeks = [(MONDAY, 9, 10), (MONDAY + dt.timedelta(days=7), 19, 20)]
    benchmarks = [
        {"level": "National", "area": "England", "attendance_rate": 0.915},
        {"level": "Local authority", "area": "Kent", "attendance_rate": 0.92},
        {"level": "Target", "area": "the school's policy", "attendance_rate": 0.95},
    ]
    section = weekly_attendance_chart(weeks, benchmarks)
    assert section.chart is not None
    assert section.chart.references == (
        ("National: England", Fraction(183, 200)),
        ("Target: the school's policy", Fraction(19, 20)),
    )
    assert section.rows == (("2025-09-08", "9", "10", "90.0%"), ("2025-09-15", "19", "20", "95.0%"))
    assert "National: England: 91.5%." in section.notes
    svg = render_svg(section.chart, "c")
    assert svg.count("stroke-dasharray") == 2
    assert "8 Sep" in svg


def _school_with_year_groups() -> tuple[Register, dict[str, dict[str, str]]]:
    register = _register(
        {
            "A": "////////NN",  # 20% absent: persistent
            "B": "//////////",
            "C": "/////IIIII",  # 50% absent: persistent and severe
            "D": "##########",  # no possible session
            "E": "/////////G",
        }
    )
    pupils = {"A": {"year_group": "10"}, "B": {"year_group": "10"}, "C": {"year_group": "R"}}
    pupils["E"] = {"year_group": "2"}
    return register, pupils


def test_persistent_absence_by_year_group_is_pooled_per_enrolment_in_year_order() -> None:
    register, pupils = _school_with_year_groups()
    section = persistent_absence_by_year_group(register_summaries(register), pupils)
    assert section.rows == (
        ("R", "1", "1", "100.0%"),
        ("2", "1", "1", "100.0%"),  # E: 10% absent is persistent
        ("10", "2", "1", "50.0%"),
    )
    assert "1 enrolments without a year group are left out." in section.notes


def test_without_year_groups_there_is_a_note_and_no_chart() -> None:
    register, _ = _school_with_year_groups()
    section = persistent_absence_by_year_group(register_summaries(register), {})
    assert section.chart is None
    assert section.rows == ()
    assert "no pupil has a year group" in section.notes[0]


def test_absence_by_reason_counts_absence_codes_only_most_first() -> None:
    register, _ = _school_with_year_groups()
    section = absence_by_reason(register_summaries(register), register)
    assert [(code, n) for code, _, n in section.rows] == [("I", "5"), ("N", "2"), ("G", "1")]
    assert section.rows[0][1].startswith("Illness")


def test_the_bands_hold_every_enrolment_with_possible_sessions_lowest_first() -> None:
    register, _ = _school_with_year_groups()
    section = attendance_distribution(register_summaries(register), Policy())
    assert [(band, n) for band, _, n in section.rows] == [
        ("severely absent", "0"),
        ("persistently absent", "2"),  # A 80%, C 50%
        ("at risk", "1"),  # E 90%
        ("expected", "0"),
        ("full attendance", "1"),  # B 100%
    ]
    assert "1 enrolments without possible sessions are left out." in section.notes


@given(registers)
def test_the_charts_account_for_every_enrolment_and_session(marks: dict[str, str]) -> None:
    register = _register(marks)
    summaries = register_summaries(register)
    school = AttendanceSummary.pool(summaries.values())
    bands = attendance_distribution(summaries, Policy())
    assert sum(int(n) for _, _, n in bands.rows) == school.enrolments
    reasons = absence_by_reason(summaries, register)
    assert sum(int(n) for _, _, n in reasons.rows) == school.overall_absence
    groups = {p: {"year_group": str(len(p))} for p in marks}
    by_year = persistent_absence_by_year_group(summaries, groups)
    assert sum(int(row[1]) for row in by_year.rows) == school.enrolments
    assert sum(int(row[2]) for row in by_year.rows) == school.persistent_absentees


HOSTILE = '<script>alert("x")</script>&amp;"\''


def test_every_text_of_the_svg_is_escaped_and_it_is_well_formed() -> None:
    chart = Chart(
        HOSTILE,
        "bars",
        HOSTILE,
        HOSTILE,
        ((HOSTILE, 3), ("b", 0)),
        percent=False,
    )
    svg = render_svg(chart, "x1")
    assert "<script" not in svg
    root = ET.fromstring(svg)  # well-formed: escaping left no stray markup
    assert root.tag == "svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "x1-title x1-desc"
    assert root.find("title").text == HOSTILE  # type: ignore[union-attr]
    desc = root.find("desc").text  # type: ignore[union-attr]
    assert desc is not None
    assert "highest 3" in desc
    assert "lowest 0 (b)" in desc


def test_a_pupils_file_cannot_inject_markup_into_the_html_report() -> None:
    register, pupils = _school_with_year_groups()
    pupils["A"] = {"year_group": HOSTILE}
    manager = make_plugin_manager(load_entrypoints=False)
    report = officer_report(register, Policy(), plugin_manager=manager)
    sections = [s for s in report.sections if isinstance(s, ChartSection)]
    by_year = persistent_absence_by_year_group(register_summaries(register), pupils)
    page = Report("t", (*sections, by_year)).to_html()
    assert "<script" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("kind", ["line", "bars"])
def test_drawing_is_deterministic_and_places_values_on_the_scale(kind: str) -> None:
    chart = Chart(
        "t",
        kind,  # type: ignore[arg-type]
        "x",
        "y",
        (("a", Fraction(1, 2)), ("b", Fraction(1))),
    )
    svg = render_svg(chart, "c")
    assert svg == render_svg(chart, "c")
    assert "100%" in svg
    assert "50.0%" in svg  # a value's own label, in its <title>


def test_charts_refuse_values_they_cannot_draw() -> None:
    with pytest.raises(ValueError, match="rates in"):
        Chart("t", "bars", "x", "y", (("a", Fraction(3, 2)),))
    with pytest.raises(ValueError, match="rates in"):
        Chart("t", "bars", "x", "y", (("a", -1),), percent=False)
    with pytest.raises(ValueError, match="reference lines are rates"):
        Chart("t", "bars", "x", "y", (), percent=False, references=(("n", Fraction(1, 2)),))
    with pytest.raises(ValueError, match="one tick label per point"):
        Chart("t", "line", "x", "y", (("a", Fraction(1, 2)),), ticks=("a", "b"))


def test_the_html_report_draws_four_charts_under_a_policy_that_forbids_every_request() -> None:
    school = synthetic_school(60, seed=3)
    assembled = School.assemble(school.register, pupils=synthetic_pupils(school))
    report = officer_report(assembled)
    page = report.to_html()
    assert page.count("<svg") == 4
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert "default-src 'none'" in csp.group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp.group(1)  # the page's own style is the only one allowed
    assert "://" not in page
    assert "<script" not in page
