"""Compulsory school age (Education Act 1996 s8): its dates, the rules it limits, code-for-age."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core as ac
from _rule_tables import CALENDAR, check, context, marks, register
from attendance_core.model import Enrolment
from attendance_core.plugins import make_plugin_manager
from attendance_core.policy import Policy
from attendance_core.rules.la_notifications import (
    la_notification_continuous_absence,
    la_notification_sickness,
)
from attendance_core.rules.penalty_notice import penalty_notice_threshold
from attendance_core.rules.school_age import (
    PRESCRIBED_DAYS,
    code_for_age,
    compulsory_school_age,
    is_compulsory_school_age,
    last_friday_in_june,
)

D = dt.date


@pytest.mark.parametrize(
    ("born", "first", "last"),
    [
        pytest.param(D(2020, 8, 31), D(2025, 8, 31), D(2036, 6, 27), id="s8-5th-on-31-aug"),
        pytest.param(D(2020, 9, 1), D(2025, 12, 31), D(2037, 6, 26), id="s8-5th-on-1-sep"),
        pytest.param(D(2020, 12, 31), D(2025, 12, 31), D(2037, 6, 26), id="s8-5th-on-31-dec"),
        pytest.param(D(2021, 1, 1), D(2026, 3, 31), D(2037, 6, 26), id="s8-5th-on-1-jan"),
        pytest.param(D(2021, 3, 31), D(2026, 3, 31), D(2037, 6, 26), id="s8-5th-on-31-mar"),
        pytest.param(D(2021, 4, 1), D(2026, 8, 31), D(2037, 6, 26), id="s8-5th-on-1-apr"),
        pytest.param(D(2020, 2, 29), D(2025, 3, 31), D(2036, 6, 27), id="s8-born-29-feb"),
        pytest.param(D(2009, 6, 30), D(2014, 8, 31), D(2025, 6, 27), id="s8-16-after-leaving-date"),
    ],
)
def test_compulsory_school_age(born: dt.date, first: dt.date, last: dt.date) -> None:
    assert compulsory_school_age(born) == (first, last)
    assert not is_compulsory_school_age(born, first - dt.timedelta(days=1))
    assert is_compulsory_school_age(born, first)
    assert is_compulsory_school_age(born, last)
    assert not is_compulsory_school_age(born, last + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("year", "friday"),
    [
        (2025, D(2025, 6, 27)),
        (2026, D(2026, 6, 26)),
        (2027, D(2027, 6, 25)),
        (2028, D(2028, 6, 30)),
    ],
)
def test_school_leaving_date_is_the_last_friday_in_june(year: int, friday: dt.date) -> None:
    assert last_friday_in_june(year) == friday


def test_prescribed_days_are_a_setting() -> None:
    born = D(2020, 9, 1)
    assert compulsory_school_age(born, prescribed_days=["08-31"])[0] == D(2026, 8, 31)
    assert compulsory_school_age(born, prescribed_days=["09-01"])[0] == D(2025, 9, 1)


@pytest.mark.parametrize("bad", ["8-31", "02-29", "13-01", "08/31", "", "08-31x"])
def test_bad_prescribed_days_are_refused(bad: str) -> None:
    with pytest.raises(ac.InputError, match="not a day of the year"):
        compulsory_school_age(D(2020, 1, 1), prescribed_days=[bad])
    with pytest.raises(ac.PolicyError, match="prescribed_days"):
        Policy.from_mapping({"school_age": {"prescribed_days": [bad]}})


@settings(max_examples=100, deadline=None)
@given(st.dates(D(1990, 1, 1), D(2030, 12, 31)), st.integers(1, 400))
def test_school_age_properties(born: dt.date, later: int) -> None:
    first, last = compulsory_school_age(born)
    fifth = D(born.year + 5, born.month, 28 if (born.month, born.day) == (2, 29) else born.day)
    assert fifth <= first < fifth + dt.timedelta(days=153)
    assert first.strftime("%m-%d") in PRESCRIBED_DAYS
    assert (last.month, last.weekday()) == (6, 4)
    assert (last + dt.timedelta(days=7)).month == 7
    # 15 or 16 on the leaving date: the 16th birthday falls in that school year.
    assert (
        D(last.year - 1, 9, 1)
        <= D(born.year + 16, born.month, min(born.day, 28))
        < D(last.year, 9, 1)
    )
    other = born + dt.timedelta(days=later)
    other_first, other_last = compulsory_school_age(other)
    assert other_first >= first
    assert other_last >= last


# -- the statutory rules, limited to compulsory school age ------------------------------------

# Compulsory school age ends on Friday 27 June 2025 for a pupil born on 10 May 2009.
LEAVER = {"P": Enrolment("P", "S", D(2024, 9, 2), date_of_birth=D(2009, 5, 10))}
NO_DOB = {"P": Enrolment("P", "S", D(2024, 9, 2))}
# ... and starts on Monday 31 March 2025 for a pupil born on 1 January 2020 (the 31 December
# before it, for one born a day earlier).
RECEPTION = {"P": Enrolment("P", "S", D(2024, 9, 2), date_of_birth=D(2020, 1, 1))}
OLDER_RECEPTION = {"P": Enrolment("P", "S", D(2024, 9, 2), date_of_birth=D(2019, 12, 31))}


def _ages(found: list[ac.Finding]) -> list[object]:
    return [f.details["compulsory_school_age"] for f in found]


@pytest.mark.parametrize(
    ("start", "enrolments", "expected"),
    [
        pytest.param(
            "2025-06-16",
            LEAVER,
            [{"checked": True, "from": "2014-08-31", "to": "2025-06-27"}],
            id="ten-days-ending-on-the-leaving-date",
        ),
        pytest.param("2025-06-17", LEAVER, [], id="tenth-day-after-the-leaving-date"),
        pytest.param(
            "2025-06-17",
            NO_DOB,
            [{"checked": False, "reason": "date of birth unknown"}],
            id="no-date-of-birth-applies-and-says-so",
        ),
        pytest.param(
            "2025-06-17",
            None,
            [{"checked": False, "reason": "date of birth unknown"}],
            id="no-enrolment",
        ),
    ],
)
def test_la_continuous_absence_only_while_of_compulsory_school_age(
    start: str, enrolments: dict[str, Enrolment] | None, expected: list[object]
) -> None:
    reg = register({"P": marks(start, "G " * 20)})
    found = check(la_notification_continuous_absence, reg, context("2025-07-11"), enrolments)
    assert _ages(found) == expected


@pytest.mark.parametrize(
    ("enrolments", "expected"),
    [
        pytest.param(RECEPTION, [], id="sick-before-compulsory-school-age"),
        pytest.param(OLDER_RECEPTION, [15], id="one-day-older-of-compulsory-school-age"),
        pytest.param(NO_DOB, [15], id="no-date-of-birth"),
    ],
)
def test_la_sickness_only_while_of_compulsory_school_age(
    enrolments: dict[str, Enrolment], expected: list[int]
) -> None:
    reg = register({"P": marks("2025-03-10", "I " * 30)})  # 10-28 March
    found = check(la_notification_sickness, reg, context("2025-03-28"), enrolments)
    assert [f.figure for f in found] == expected


@pytest.mark.parametrize(
    ("start", "enrolments", "expected"),
    [
        pytest.param("2025-06-23", LEAVER, [10], id="ten-sessions-to-the-leaving-date"),
        pytest.param("2025-06-24", LEAVER, [], id="two-sessions-after-it"),
        pytest.param("2025-06-24", NO_DOB, [10], id="no-date-of-birth"),
    ],
)
def test_penalty_notice_counts_only_sessions_of_compulsory_school_age(
    start: str, enrolments: dict[str, Enrolment], expected: list[int]
) -> None:
    reg = register({"P": marks(start, "G " * 10)})
    found = check(penalty_notice_threshold, reg, context("2025-07-11"), enrolments)
    assert [f.figure for f in found] == expected


# -- code-for-age ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "enrolments", "expected"),
    [
        pytest.param("X X C2 C2", RECEPTION, None, id="right-codes-either-side"),
        pytest.param("C2 C2 X X", RECEPTION, ["C2", "C2", "X", "X"], id="wrong-codes"),
        pytest.param("C2 X C2 X", RECEPTION, ["C2", "X"], id="one-wrong-each-side"),
        pytest.param("C2 C2 X X", NO_DOB, None, id="no-date-of-birth-no-finding"),
        pytest.param("/ / N N", RECEPTION, None, id="codes-for-any-age"),
    ],
)
def test_code_for_age(
    codes: str, enrolments: dict[str, Enrolment], expected: list[str] | None
) -> None:
    # Friday 28 March 2025 (before compulsory school age) and Monday 31 March (from it).
    reg = register({"P": marks("2025-03-28", codes)})
    found = check(code_for_age, reg, context("2025-03-31"), enrolments)
    assert [[e.code for e in f.evidence] for f in found] == ([] if expected is None else [expected])


def test_code_for_age_explains_itself_through_check() -> None:
    reg = register({"P": marks("2025-03-28", "C2 C2 X X")})
    manager = make_plugin_manager(load_entrypoints=False)
    (finding,) = ac.check(
        reg, CALENDAR, enrolments=RECEPTION, rules="code-for-age", plugin_manager=manager
    )
    assert (finding.figure, finding.threshold, finding.severity) == (4, 1, ac.Severity.ACTION)
    assert finding.explanation == (
        "4 sessions coded C2 or X on days that code does not fit the pupil's age (of compulsory "
        "school age from 31 March 2025 to 27 June 2036): C2 is only for pupils of that age, X "
        "only for others."
    )
    assert finding.details["compulsory_school_age"] == {"from": "2025-03-31", "to": "2036-06-27"}
    assert "2020" not in repr(finding)  # the date of birth itself never appears


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(["/", "X", "C2", "N"]), min_size=1, max_size=20),
    st.dates(D(2018, 6, 1), D(2021, 6, 1)),
)
def test_code_for_age_flags_exactly_the_misfits(codes: list[str], born: dt.date) -> None:
    reg = register({"P": marks("2025-03-17", " ".join(codes))})
    roll = {"P": Enrolment("P", "S", D(2024, 9, 2), date_of_birth=born)}
    found = check(code_for_age, reg, context("2025-07-22"), roll)
    flagged = [(e.session, e.code) for f in found for e in f.evidence]
    expected = [
        (m.session, m.code)
        for m in marks("2025-03-17", " ".join(codes))
        if (m.code == "X" and is_compulsory_school_age(born, m.session.date))
        or (m.code == "C2" and not is_compulsory_school_age(born, m.session.date))
    ]
    assert flagged == expected
