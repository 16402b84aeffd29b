"""summary over a period, beside a comparison period, and by group of pupils."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core.calendars import SchoolCalendar
from attendance_core.cli import main
from attendance_core.register import Register
from attendance_core.rules.groups import group_summaries
from attendance_core.rules.periods import comparison_bounds, period_bounds
from attendance_core.rules.statistics import AttendanceSummary, register_summaries
from attendance_core.testing import registers

ROOT = Path(__file__).resolve().parents[1]
CALENDAR_FILE = ROOT / "docs/examples/calendars/kent-example-academy.toml"
CALENDAR = SchoolCalendar.from_toml(CALENDAR_FILE)
FRIDAY = dt.date(2025, 10, 17)


@pytest.mark.parametrize(
    ("period", "first"),
    [
        ("week", dt.date(2025, 10, 13)),
        ("fortnight", dt.date(2025, 10, 6)),
        ("half-term", CALENDAR.half_term_of(FRIDAY).start),  # type: ignore[union-attr]
        ("term", CALENDAR.term_of(FRIDAY).start),  # type: ignore[union-attr]
        ("year", dt.date(2025, 8, 1)),
    ],
)
def test_periods_count_back_from_the_as_of_date(period: str, first: dt.date) -> None:
    assert period_bounds(CALENDAR, FRIDAY, period) == (first, FRIDAY)


def test_a_fortnight_after_a_holiday_counts_back_over_it() -> None:
    back = CALENDAR.add_school_days(dt.date(2025, 12, 25), 1)  # the first day of spring term
    first, last = period_bounds(CALENDAR, back, "fortnight")
    assert first < dt.date(2025, 12, 25) < last
    assert len(CALENDAR.school_weeks(first, last)) == 2


@given(st.dates(dt.date(2025, 10, 1), dt.date(2026, 5, 31)), st.integers(1, 30))
def test_the_previous_period_has_as_many_school_days_and_ends_just_before(
    first: dt.date, length: int
) -> None:
    if not CALENDAR.is_school_day(first):
        first = CALENDAR.add_school_days(first, 1)
    last = CALENDAR.add_school_days(first, length - 1)
    then_first, then_last = comparison_bounds(CALENDAR, first, last, "previous")
    assert CALENDAR.count_school_days(then_first, then_last) == length
    assert CALENDAR.add_school_days(then_last, 1) == first


def test_last_year_is_the_same_weekdays_52_weeks_earlier() -> None:
    first, last = comparison_bounds(CALENDAR, dt.date(2025, 10, 13), FRIDAY, "last-year")
    assert (first, last) == (dt.date(2024, 10, 14), dt.date(2024, 10, 18))
    assert first.weekday() == 0


@settings(max_examples=40, deadline=None)
@given(registers(pupils=6, sessions=10), st.lists(st.sampled_from(["7", "8", "R"]), min_size=6))
def test_groups_pool_their_pupils_sessions_and_partition_the_school(
    register: Register, years: list[str]
) -> None:
    summaries = register_summaries(register)
    pupils = {p: {"year_group": y} for p, y in zip(summaries, years, strict=False)}
    pupils["nobody"] = {"year_group": "7"}
    groups = group_summaries(summaries, pupils, ["year_group"])
    assert sorted(p for g in groups for p in g.pupils) == sorted(summaries)
    for group in groups:
        assert group.total == AttendanceSummary.pool(summaries[p] for p in group.pupils)
        assert all(
            pupils.get(p, {}).get("year_group") == group.group["year_group"] for p in group.pupils
        )
    order = [g.group["year_group"] for g in groups]
    assert order == sorted(order, key=lambda v: ("R", "7", "8", None).index(v))


def test_group_errors_name_the_attribute() -> None:
    from attendance_core import InputError

    with pytest.raises(InputError, match="no pupil has this attribute \\(got 'yeargroup'\\)"):
        group_summaries({}, {"P": {"year_group": "7"}}, ["yeargroup"])
    with pytest.raises(InputError, match="no or repeated grouping"):
        group_summaries({}, {}, ["form", "form"])


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("school")
    marks, pupils = folder / "marks.csv", folder / "pupils.csv"
    assert main(["demo", "--pupils", "12", "--write-csv", str(marks)]) == 0
    ids = [line.split(",")[0] for line in marks.read_text().splitlines()[1:]]
    rows = [f"{p},{7 + i % 2},F{i % 3}" for i, p in enumerate(dict.fromkeys(ids))]
    pupils.write_text("pupil_id,year_group,form\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return {"marks": str(marks), "pupils": str(pupils)}


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["summary", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_json_groups_have_the_totals_fields_and_pool_the_pupils(
    school: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(
        capsys, school["marks"], "--pupils", school["pupils"], "--by", "year_group", "--by", "form"
    )
    groups = data["groups"]
    assert isinstance(groups, list)
    total = data["total"]
    assert isinstance(total, dict)
    assert {k for k in groups[0] if k != "group"} == set(total)
    assert sum(g["possible_sessions"] for g in groups) == total["possible_sessions"]
    assert groups[0]["group"] == {"year_group": "7", "form": "F0"}


def test_a_period_and_its_comparison(
    school: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    calendar = ["--calendar", str(CALENDAR_FILE)]
    data = _json(
        capsys,
        school["marks"],
        *calendar,
        "--period",
        "week",
        "--as-of",
        "2025-10-17",
        "--compare",
        "previous",
    )
    assert data["period"] == {"from": "2025-10-13", "to": "2025-10-17"}
    comparison = data["comparison"]
    assert isinstance(comparison, dict)
    assert (comparison["from"], comparison["to"]) == ("2025-10-06", "2025-10-10")
    total = data["total"]
    assert isinstance(total, dict)
    change = comparison["change_percentage_points"]["attendance_rate"]
    expected = (total["attendance_rate"] - comparison["total"]["attendance_rate"]) * 100
    assert change == pytest.approx(expected)


def test_from_and_to_slice_the_register(
    school: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    whole = _json(capsys, school["marks"])
    week = _json(capsys, school["marks"], "--from", "2025-09-08", "--to", "2025-09-12")
    assert week["period"] == {"from": "2025-09-08", "to": "2025-09-12"}
    assert 0 < week["total"]["possible_sessions"] < whole["total"]["possible_sessions"]  # type: ignore[index]
    assert "period" not in whole


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "week"], "--period needs a calendar"),
        (["--compare", "previous"], "--compare needs a period"),
        (["--from", "2025-09-12", "--to", "2025-09-08"], "the period ends before it starts"),
        (["--by", "house"], "no pupil has this attribute (got 'house')"),
    ],
)
def test_bad_period_or_group_options_exit_2(
    school: dict[str, str], capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["summary", school["marks"], "--pupils", school["pupils"], *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err


def test_suppression_hides_small_groups_their_complement_and_pupils_rows(
    school: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [line.split(",")[0] for line in Path(school["pupils"]).read_text().splitlines()[1:]]
    years = ["7"] * 2 + ["8"] * 5 + ["9"] * (len(ids) - 7)
    pupils = tmp_path / "pupils.csv"
    rows = "".join(f"{p},{y}\n" for p, y in zip(ids, years, strict=True))
    pupils.write_text("pupil_id,year_group\n" + rows, encoding="utf-8")
    args = [school["marks"], "--pupils", str(pupils), "--by", "year_group", "--suppress", "3"]
    data = _json(capsys, *args)
    assert data["pupils"] == []
    groups = data["groups"]
    assert isinstance(groups, list)
    shown = {g["group"]["year_group"]: g["possible_sessions"] for g in groups}
    assert shown["7"] == "c"  # two enrolments: fewer than 3
    assert shown["8"] == "c"  # its complement: else 7's figures are the total less 8 and 9
    assert isinstance(shown["9"], int)
    total = data["total"]
    assert isinstance(total, dict)
    assert isinstance(total["possible_sessions"], int)
    with pytest.raises(SystemExit) as usage:
        main(["summary", school["marks"], "--suppress", "0"])
    assert usage.value.code == 2
    assert "not a whole number from 1" in capsys.readouterr().err
