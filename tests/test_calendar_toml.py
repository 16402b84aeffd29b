"""The calendar TOML format: round trips, and every problem reported at once with its path."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _docs import DOCS, fenced_blocks
from _toml_like import toml_like
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.calendars._validate import calendar_problems
from attendance_core.exceptions import CalendarError, CalendarProblem, InputError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "calendars"
D = dt.date


def _base(**changes: Any) -> dict[str, Any]:
    year: dict[str, Any] = {
        "academic_year": 2025,
        "terms": [
            {"name": "Autumn", "start": D(2025, 9, 1), "end": D(2025, 12, 19)},
            {"name": "Spring", "start": D(2026, 1, 5), "end": D(2026, 3, 27)},
            {"name": "Summer", "start": D(2026, 4, 13), "end": D(2026, 7, 21)},
        ],
        "half_term_holidays": [{"start": D(2025, 10, 27), "end": D(2025, 10, 31)}],
        "inset_days": [D(2025, 9, 1)],
        "closures": [],
    }
    year.update(changes.pop("year", {}))
    data: dict[str, Any] = {"name": "Test School", "nation": "england", "years": [year]}
    data.update(changes)
    return data


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(CalendarError) as caught:
        SchoolCalendar.from_mapping(data, source="test.toml")
    assert all(p.file == "test.toml" for p in caught.value.problems)
    return [(p.path, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("name", ["kent-example-primary", "kent-example-academy"])
def test_examples_round_trip(name: str) -> None:
    calendar = SchoolCalendar.from_toml(EXAMPLES / f"{name}.toml")
    again = SchoolCalendar.from_mapping(tomllib.loads(calendar.to_toml()))
    assert again == calendar
    assert again.to_toml() == calendar.to_toml()
    assert calendar.source == str(EXAMPLES / f"{name}.toml")
    assert calendar_problems(calendar) == []


CALENDARS_MD = DOCS / "calendars.md"


@pytest.mark.parametrize(
    "block", fenced_blocks(CALENDARS_MD, "toml"), ids=lambda b: f"calendars.md:{b[0]}"
)
def test_every_toml_block_of_the_docs_is_a_valid_calendar(block: tuple[int, str]) -> None:
    calendar = SchoolCalendar.from_mapping(tomllib.loads(block[1]))
    assert calendar.years
    assert SchoolCalendar.from_mapping(tomllib.loads(calendar.to_toml())) == calendar


def test_the_docs_example_calendar() -> None:
    [(_, text)] = fenced_blocks(CALENDARS_MD, "toml")
    calendar = SchoolCalendar.from_mapping(tomllib.loads(text))
    # 195 weekdays of term outside half-terms and bank holidays, less 5 INSET days, is 190
    # days (380 sessions), less the polling day (2 sessions) and a Y4 afternoon (1).
    assert calendar.year_sessions(2025).sessions == 377


def test_iso_date_strings_are_read_as_dates() -> None:
    data = _base(year={"inset_days": ["2025-09-01"]})
    calendar = SchoolCalendar.from_mapping(data)
    assert calendar.years[0].inset_days == (D(2025, 9, 1),)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"nation": "englnd"},
            [("$.nation", "unknown nation 'englnd'; did you mean 'england'?")],
            id="unknown-nation",
        ),
        pytest.param(
            {"year": {"inset_days": [D(2025, 9, 6)]}},
            [("$.years[0].inset_days[0]", "INSET day 2025-09-06 is a Saturday")],
            id="inset-on-weekend",
        ),
        pytest.param(
            {"year": {"inset_days": [D(2025, 8, 25)]}},
            [
                (
                    "$.years[0].inset_days[0]",
                    "INSET day 2025-08-25 is a bank holiday (Late Summer Bank Holiday)",
                )
            ],
            id="inset-on-bank-holiday",
        ),
        pytest.param(
            {"year": {"inset_days": [D(2025, 10, 28)]}},
            [("$.years[0].inset_days[0]", "INSET day 2025-10-28 is outside term")],
            id="inset-in-half-term",
        ),
        pytest.param(
            {
                "year": {
                    "terms": [
                        {"name": "Autumn", "start": D(2025, 9, 1), "end": D(2025, 12, 19)},
                        {"name": "Spring", "start": D(2025, 12, 15), "end": D(2026, 3, 27)},
                    ]
                }
            },
            [("$.years[0].terms[1]", "term 'Spring' overlaps term 'Autumn'")],
            id="overlapping-terms",
        ),
        pytest.param(
            {
                "year": {
                    "terms": [
                        {"name": "Autumn", "start": D(2025, 9, 1), "end": D(2025, 12, 19)},
                        {"name": "Summer", "start": D(2026, 4, 13), "end": D(2026, 8, 3)},
                    ]
                }
            },
            [
                (
                    "$.years[0].terms[1]",
                    "term 'Summer' (2026-04-13 to 2026-08-03) is outside its academic year 2025/26 "
                    "(1 August 2025 to 31 July 2026)",
                )
            ],
            id="term-outside-year",
        ),
        pytest.param(
            {"year": {"half_term_holidays": [{"start": D(2025, 12, 22), "end": D(2025, 12, 26)}]}},
            [
                (
                    "$.years[0].half_term_holidays[0]",
                    "half-term holiday 2025-12-22 to 2025-12-26 is inside no term",
                )
            ],
            id="half-term-inside-no-term",
        ),
        pytest.param(
            {"year": {"closures": [{"start": D(2025, 12, 23), "code": "Y4"}]}},
            [
                (
                    "$.years[0].closures[0]",
                    "closure 2025-12-23 to 2025-12-23 is outside term on 2025-12-23",
                )
            ],
            id="closure-outside-term",
        ),
        pytest.param(
            {"year": {"closures": [{"start": D(2025, 11, 5), "code": "Y2"}]}},
            [
                (
                    "$.years[0].closures[0].code",
                    "unknown closure code 'Y2'; expected '#' (planned), 'Y4' (unexpected, whole "
                    "site) or 'Y3' (part of the premises)",
                )
            ],
            id="closure-code",
        ),
        pytest.param(
            {"year": {"closures": [{"start": D(2025, 9, 1), "code": "#"}]}},
            [("$.years[0].closures[0]", "closure on 2025-09-01 clashes with an INSET day")],
            id="closure-on-inset",
        ),
        pytest.param(
            {
                "year": {
                    "terms": [{"name": "Autumn", "start": "2025-09-31", "end": D(2025, 12, 19)}]
                }
            },
            [("$.years[0].terms[0].start", "expected a date YYYY-MM-DD, got '2025-09-31'")],
            id="bad-date",
        ),
        pytest.param(
            {
                "year": {
                    "terms": [{"name": "Autumn", "start": D(2025, 9, 1), "ends": D(2025, 12, 19)}]
                }
            },
            [
                ("$.years[0].terms[0].ends", "unknown key 'ends'; did you mean 'end'?"),
                ("$.years[0].terms[0].end", "missing"),
            ],
            id="unknown-key-did-you-mean",
        ),
        pytest.param(
            {
                "register_times": {
                    "am": {"open": dt.time(8, 40), "close": dt.time(9, 20)},
                    "pm": {"open": dt.time(13, 10), "close": dt.time(13, 5)},
                }
            },
            [
                (
                    "$.register_times.am",
                    "the register is open 40 minutes; at most 30 are allowed (WTISA 2024)",
                ),
                (
                    "$.register_times.pm",
                    "the register closes (13:05:00) before it opens (13:10:00)",
                ),
            ],
            id="register-times",
        ),
        pytest.param(
            {"year": {"minimum_sessions": 0}},
            [("$.years[0].minimum_sessions", "minimum_sessions must be a positive number (got 0)")],
            id="minimum-sessions",
        ),
    ],
)
def test_each_problem_with_its_path(
    changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert _problems(_base(**changes)) == expected


def test_every_problem_reported_at_once() -> None:
    data = _base(
        nation="wales-and-england",
        colour="blue",
        year={
            "inset_days": [D(2025, 9, 6), D(2025, 12, 25)],
            "closures": [{"start": D(2025, 8, 20), "code": "#"}],
        },
    )
    data["years"].append({"academic_year": 2025, "terms": []})
    # An unknown nation hides only what needs its bank holidays: Christmas Day (25 December
    # 2025, a Thursday) is outside term either way, the Saturday and the August closure too.
    paths = [path for path, _ in _problems(data)]
    assert paths == [
        "$.colour",
        "$.nation",
        "$.years[1]",
        "$.years[0].inset_days[0]",
        "$.years[0].inset_days[1]",
        "$.years[0].closures[0]",
    ]
    data["nation"] = "england"
    paths = [path for path, _ in _problems(data)]
    assert paths == [
        "$.colour",
        "$.years[1]",
        "$.years[0].inset_days[0]",
        "$.years[0].inset_days[1]",
        "$.years[0].closures[0]",
    ]


def test_every_kind_the_issue_lists_is_reported_together_with_its_path() -> None:
    """Overlapping terms, a term outside its year, INSET on a weekend, a closure outside term,
    an unknown nation and a half-term inside no term, all in one file, all in one error."""
    data = _base(
        nation="scotand",
        year={
            "terms": [
                {"name": "Autumn", "start": D(2025, 9, 1), "end": D(2025, 12, 19)},
                {"name": "Spring", "start": D(2025, 12, 15), "end": D(2026, 3, 27)},
                {"name": "Summer", "start": D(2026, 4, 13), "end": D(2026, 8, 3)},
            ],
            "half_term_holidays": [{"start": D(2026, 3, 30), "end": D(2026, 4, 3)}],
            "inset_days": [D(2025, 9, 6)],
            "closures": [{"start": D(2026, 4, 7), "code": "Y4"}],
        },
    )
    assert _problems(data) == [
        ("$.nation", "unknown nation 'scotand'; did you mean 'scotland'?"),
        (
            "$.years[0].terms[2]",
            "term 'Summer' (2026-04-13 to 2026-08-03) is outside its academic year 2025/26 "
            "(1 August 2025 to 31 July 2026)",
        ),
        ("$.years[0].terms[1]", "term 'Spring' overlaps term 'Autumn'"),
        (
            "$.years[0].half_term_holidays[0]",
            "half-term holiday 2026-03-30 to 2026-04-03 is inside no term",
        ),
        ("$.years[0].inset_days[0]", "INSET day 2025-09-06 is a Saturday"),
        (
            "$.years[0].closures[0]",
            "closure 2026-04-07 to 2026-04-07 is outside term on 2026-04-07",
        ),
    ]


def test_a_year_listed_twice_reads_the_same_from_a_file_and_from_code() -> None:
    data = _base()
    data["years"].append(dict(data["years"][0]))
    expected = [("$.years[1]", "academic year 2025/26 is listed twice")]
    assert _problems(data) == expected
    calendar = SchoolCalendar.from_mapping(_base())
    doubled = attrs.evolve(calendar, years=calendar.years * 2)
    assert [(p.path, p.message) for p in calendar_problems(doubled)] == expected


def test_error_message_lists_every_problem() -> None:
    error = CalendarError(
        [CalendarProblem("$.nation", "unknown", "a.toml"), CalendarProblem("$.x", "bad", None)]
    )
    assert (
        str(error) == "2 problems in calendar\n  a.toml: $.nation: unknown\n  <calendar>: $.x: bad"
    )
    assert isinstance(error, ValueError)


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="cannot read"):
        SchoolCalendar.from_toml(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n", encoding="utf-8")
    with pytest.raises(CalendarError, match="not valid TOML"):
        SchoolCalendar.from_toml(bad)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'name = "\xe9cole"\n')
    with pytest.raises(CalendarError, match=r"\$: line 1: not UTF-8 text; expected UTF-8 text"):
        SchoolCalendar.from_toml(latin1)


_CALENDAR_KEYS = (
    *("name", "nation", "years", "academic_year", "terms", "start", "end", "code"),
    *("inset_days", "closures", "sessions", "half_term_holidays", "register_times"),
    *("am", "pm", "open", "close", "bank_holidays", "date", "minimum_sessions"),
)
_CALENDAR_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(),
    st.text(max_size=8),
    st.dates(D(2024, 1, 1), D(2027, 12, 31)),
    st.times(),
    st.sampled_from(["england", "2025-09-01", "Y3", "#", "AM", "08:45"]),
)


@settings(max_examples=100, deadline=None)
@given(toml_like(_CALENDAR_KEYS, _CALENDAR_VALUES))
def test_any_mapping_is_a_calendar_or_a_calendar_error(data: dict[str, Any]) -> None:
    problems: tuple[CalendarProblem, ...] | None = None
    try:
        SchoolCalendar.from_mapping(data)
    except CalendarError as error:  # any other exception fails the test
        problems = error.problems
    assert problems is None or (problems and all(p.path.startswith("$") for p in problems))


@pytest.mark.parametrize(
    ("close", "problems"),
    [
        pytest.param(dt.time(9, 15), [], id="open-exactly-30-minutes"),
        pytest.param(
            dt.time(9, 16),
            [
                (
                    "$.register_times.am",
                    "the register is open 31 minutes; at most 30 are allowed (WTISA 2024)",
                )
            ],
            id="open-31-minutes",
        ),
    ],
)
def test_register_open_at_most_30_minutes(close: dt.time, problems: list[tuple[str, str]]) -> None:
    times = {
        "am": {"open": dt.time(8, 45), "close": close},
        "pm": {"open": dt.time(13, 15), "close": dt.time(13, 30)},
    }
    data = _base(register_times=times)
    if problems:
        assert _problems(data) == problems
    else:
        register_times = SchoolCalendar.from_mapping(data).register_times
        assert register_times is not None
        assert register_times.am.minutes_open == 30


def test_both_registers_are_checked_when_one_is_unreadable() -> None:
    times = {"am": {"open": "8:61", "close": dt.time(9, 0)}, "pm": {"open": dt.time(13, 0)}}
    assert _problems(_base(register_times=times)) == [
        ("$.register_times.am.open", "expected a time HH:MM, got '8:61'"),
        ("$.register_times.pm.close", "missing"),
    ]
    assert _problems(_base(register_times={"pm": {"open": dt.time(13, 0)}})) == [
        ("$.register_times.am", "missing"),
        ("$.register_times.pm.close", "missing"),
    ]


def test_a_calendar_without_years_is_refused_on_writing_as_on_reading() -> None:
    """Issue 15: ``years = []`` was written but could not be read back."""
    with pytest.raises(InputError, match="no academic years"):
        SchoolCalendar(name="x", nation="england", years=()).to_toml()
