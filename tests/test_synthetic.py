"""The synthetic school: a real-looking English school year, reproducible, believable figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import holidays
import pytest

from attendance_core.codes import Category
from attendance_core.exceptions import InputError
from attendance_core.rules.statistics import register_summary
from attendance_core.synthetic import (
    PUPIL_DAYS,
    SyntheticSchool,
    easter_sunday,
    school_year_days,
    synthetic_school,
)


@pytest.fixture(scope="module")
def school() -> SyntheticSchool:
    return synthetic_school(1200, seed=2025)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        pytest.param(2024, dt.date(2024, 3, 31), id="2024"),
        pytest.param(2025, dt.date(2025, 4, 20), id="2025"),
        pytest.param(2026, dt.date(2026, 4, 5), id="2026"),
        pytest.param(2038, dt.date(2038, 4, 25), id="latest-possible"),
        pytest.param(2285, dt.date(2285, 3, 22), id="earliest-possible"),
    ],
)
def test_easter_sunday(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_school_year_has_190_pupil_days_on_weekdays_outside_holidays(year: int) -> None:
    days, inset = school_year_days(year)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=(year, year + 1))
    assert len(days) - len(inset) == PUPIL_DAYS
    assert len(inset) == 5
    assert set(inset) <= set(days)
    assert days == sorted(set(days))
    assert all(day.weekday() < 5 and day not in bank for day in days)
    assert dt.date(year, 9, 1) <= days[0] <= dt.date(year, 9, 7)
    assert dt.date(year + 1, 7, 14) <= days[-1] <= dt.date(year + 1, 7, 28)
    easter = easter_sunday(year + 1)
    assert not any(easter - dt.timedelta(6) <= day <= easter + dt.timedelta(5) for day in days)
    assert not any(dt.date(year, 12, 22) <= day <= dt.date(year + 1, 1, 3) for day in days)


def test_2025_26_matches_a_typical_la_calendar() -> None:
    days, inset = school_year_days(2025)
    assert inset[:2] == [dt.date(2025, 9, 1), dt.date(2025, 9, 2)]
    assert dt.date(2025, 10, 27) not in days  # October half term
    assert dt.date(2025, 12, 19) in days
    assert dt.date(2025, 12, 22) not in days
    assert dt.date(2026, 2, 16) not in days  # February half term
    assert dt.date(2026, 3, 27) in days
    assert dt.date(2026, 4, 13) in days
    assert dt.date(2026, 5, 4) not in days  # early May bank holiday
    assert dt.date(2026, 5, 26) not in days  # spring half term


def test_same_seed_same_school_other_seed_other_school() -> None:
    first = synthetic_school(80, seed=7)
    assert synthetic_school(80, seed=7).register == first.register
    assert synthetic_school(80, seed=8).register != first.register


def test_figures_are_believable(school: SyntheticSchool) -> None:
    total = register_summary(school.register)
    assert total.enrolments == 1200
    assert total.persistent_absence_rate is not None
    assert total.severe_absence_rate is not None
    assert total.overall_absence_rate is not None
    assert 0.12 <= total.persistent_absence_rate <= 0.22
    assert 0.005 <= total.severe_absence_rate <= 0.03
    assert 0.04 <= total.overall_absence_rate <= 0.09
    assert total.unauthorised_absence < total.authorised_absence


def test_code_mix(school: SyntheticSchool) -> None:
    counts = register_summary(school.register).sessions_by_code
    assert counts["/"] + counts["\\"] > 0.85 * sum(counts.values())
    assert {"L", "I", "M", "G", "N", "O", "U", "V", "B", "K", "C", "C2", "X", "#"} <= set(counts)
    assert counts["I"] == max(n for code, n in counts.items() if code not in "/\\#")
    by_category = Counter[Category]()
    for code, n in counts.items():
        by_category[next(c.category for c in school.register.alphabet if c.code == code)] += n
    assert (
        by_category[Category.APPROVED_EDUCATIONAL_ACTIVITY]
        < by_category[Category.AUTHORISED_ABSENCE]
    )


def test_x_only_for_reception_and_c2_only_above_it(school: SyntheticSchool) -> None:
    register = school.register
    values = {register.written_code(k): k for k in range(1, len(register.alphabet) + 1)}
    for pupil_id, row in zip(register.pupil_ids, register.rows, strict=True):
        year = school.year_groups[pupil_id]
        if values["X"] in row:
            assert year == 0
        if values["C2"] in row:
            assert year >= 1


def test_minutes_late_only_on_late_marks(school: SyntheticSchool) -> None:
    register = school.register
    assert register.minutes_late
    for (row, col), minutes in register.minutes_late.items():
        assert register.alphabet[register.rows[row][col] - 1].is_late
        assert minutes > 0


def test_inset_days_are_coded_hash_for_everyone_on_roll(school: SyntheticSchool) -> None:
    register = school.register
    columns = [c for c, s in enumerate(register.sessions) if s.date in school.inset_days]
    assert len(columns) == 10
    hash_value = register.written.index("#") + 1
    for row in register.rows:
        assert all(row[c] in (0, hash_value) for c in columns)


def test_joiners_and_leavers_have_unmarked_sessions(school: SyntheticSchool) -> None:
    partial = [row for row in school.register.rows if 0 in row]
    assert 0.05 * 1200 <= len(partial) <= 0.15 * 1200


def test_without_mobility_or_inset_every_enrolment_has_380_marks() -> None:
    school = synthetic_school(30, seed=1, mobility=False, inset=False)
    assert len(school.register.sessions) == 380
    assert all(0 not in row for row in school.register.rows)
    assert school.inset_days == ()


def test_a_negative_pupil_count_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        synthetic_school(-1)
    assert (caught.value.field, caught.value.value) == ("pupils", -1)


def test_enrolments_hold_exactly_the_marked_days(school: SyntheticSchool) -> None:
    """Each pupil is marked on every session of the days on roll and on no other."""
    register = school.register
    assert list(school.enrolments) == list(register.pupil_ids)
    dates = [session.date for session in register.sessions]
    for pupil_id, row in zip(register.pupil_ids, register.rows, strict=True):
        enrolment = school.enrolments[pupil_id]
        on_roll = [enrolment.on_roll(day) for day in dates]
        assert [value != 0 for value in row] == on_roll, pupil_id


def test_joiners_and_leavers_have_roll_dates_inside_the_year(school: SyntheticSchool) -> None:
    first, last = school.school_days[0], school.school_days[-1]
    joiners = [e for e in school.enrolments.values() if e.admission_date > first]
    leavers = [e for e in school.enrolments.values() if e.leaving_date is not None]
    assert 0.03 * 1200 <= len(joiners) <= 0.09 * 1200
    assert 0.02 * 1200 <= len(leavers) <= 0.06 * 1200
    assert all(e.leaving_date < last for e in leavers if e.leaving_date is not None)
    assert not {e.pupil_id for e in joiners} & {e.pupil_id for e in leavers}


def test_without_mobility_every_pupil_is_on_roll_all_year() -> None:
    school = synthetic_school(30, seed=1, mobility=False)
    assert {(e.admission_date, e.leaving_date) for e in school.enrolments.values()} == {
        (school.school_days[0], None)
    }
