"""Persistent and severe absence year to date: DfE's exact method, at both sides of each line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Literal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _docs import DOCS
from _rule_tables import context, from_evidence, marks, record, register
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.model import Enrolment, Mark
from attendance_core.policy import Policy
from attendance_core.rules.absence_thresholds import persistent_absence, severe_absence
from attendance_core.rules.findings import Finding, PupilRecord, RuleContext, Severity

PupilRule = Callable[[PupilRecord, RuleContext], list[Finding]]

AS_OF = "2025-07-22"
KENT_PRIMARY = DOCS / "examples" / "calendars" / "kent-example-primary.toml"


def run(rule: object, codes: list[str], *, policy: Policy | None = None) -> list[Finding]:
    reg = register({"P": marks("2024-09-02", " ".join(codes))})
    return rule(record(reg, "P"), context(AS_OF, policy))  # type: ignore[operator, no-any-return]


def pupil(**counts: int) -> list[str]:
    """Codes in a fixed order: ``pupil(present=9, I=1)`` gives nine '/' then one 'I'."""
    codes: list[str] = []
    for code, n in counts.items():
        codes += ["/" if code == "present" else code] * n
    return codes


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        pytest.param(pupil(present=9, I=1), True, id="1-of-10-is-exactly-10pc"),
        pytest.param(pupil(present=10, I=1), False, id="1-of-11-is-9.1pc"),
        pytest.param(pupil(present=342, I=38), True, id="s8-38-of-380-is-PA"),
        pytest.param(pupil(present=343, I=37), False, id="s8-37-of-380-is-not-PA"),
        pytest.param(pupil(present=150, Y4=12, D=10, I=12, O=5), True, id="ex2-Y4-and-D-excluded"),
        pytest.param(pupil(present=150, I=12, O=5, C=30), True, id="ex2-authorised-counts"),
        pytest.param(pupil(present=35, X=35), False, id="ex6-X-not-possible"),
        pytest.param(pupil(D=20), False, id="ex9-no-possible-sessions"),
        pytest.param(pupil(present=17, L=1, U=2), True, id="ex5-U-is-absence"),
        pytest.param(pupil(present=18, L=2, U=1), False, id="ex5-L-is-present"),
    ],
)
def test_persistent_absence_boundaries(codes: list[str], expected: bool) -> None:
    assert bool(run(persistent_absence, codes)) is expected


def test_persistent_absence_finding_explains_itself() -> None:
    (finding,) = run(persistent_absence, pupil(present=9, G=1))
    assert finding.rule == "persistent-absence"
    assert finding.pupil_id == "P"
    assert finding.as_of == dt.date(2025, 7, 22)
    assert finding.severity is Severity.ACTION
    assert finding.figure == Fraction(1, 10)
    assert finding.threshold == Fraction(1, 10)
    assert [(str(e.session), e.code) for e in finding.evidence] == [("2024-09-06 PM", "G")]
    assert "DfE" in finding.source
    assert finding.explanation == (
        "Missed 1 of 10 possible sessions this school year (10.0%); "
        "persistent absence is 10% or more."
    )
    assert finding.details["absent_sessions"] == 1
    assert finding.details["possible_sessions"] == 10


@pytest.mark.parametrize(
    ("codes", "boundary", "expected"),
    [
        pytest.param(pupil(present=60, I=60), "at_least", True, id="ex3-60-of-120-severe"),
        pytest.param(pupil(present=61, I=59), "at_least", False, id="ex3-59-of-120-not-severe"),
        pytest.param(pupil(present=60, I=60), "more_than", False, id="more-than-60-of-120"),
        pytest.param(pupil(present=59, I=61), "more_than", True, id="more-than-61-of-120"),
        pytest.param(pupil(present=35, C2=35), "at_least", True, id="ex6-part-time-C2"),
        pytest.param(pupil(present=42, C2=28), "at_least", False, id="ex6-one-afternoon-more"),
    ],
)
def test_severe_absence_boundaries(
    codes: list[str], boundary: Literal["at_least", "more_than"], expected: bool
) -> None:
    policy = Policy()
    policy = attrs.evolve(
        policy, method=attrs.evolve(policy.method, severe_absence_boundary=boundary)
    )
    assert bool(run(severe_absence, codes, policy=policy)) is expected


@pytest.mark.parametrize(
    ("boundary", "explanation"),
    [
        pytest.param(
            "at_least",
            "Missed 61 of 120 possible sessions this school year (50.8%); severe absence is 50% "
            "or more.",
            id="at-least",
        ),
        pytest.param(
            "more_than",
            "Missed 61 of 120 possible sessions this school year (50.8%); severe absence is more "
            "than 50%.",
            id="more-than",
        ),
    ],
)
def test_severe_absence_explains_its_boundary(
    boundary: Literal["at_least", "more_than"], explanation: str
) -> None:
    policy = attrs.evolve(
        Policy(), method=attrs.evolve(Policy().method, severe_absence_boundary=boundary)
    )
    (finding,) = run(severe_absence, pupil(present=59, I=61), policy=policy)
    assert finding.explanation == explanation
    assert finding.details["boundary"] == boundary


def test_severe_threshold_comes_from_the_policy() -> None:
    policy = attrs.evolve(Policy(), thresholds=attrs.evolve(Policy().thresholds, severe_absence=40))
    (finding,) = run(severe_absence, pupil(present=60, I=40), policy=policy)
    assert (finding.figure, finding.threshold) == (Fraction(2, 5), Fraction(2, 5))
    assert run(severe_absence, pupil(present=61, I=39), policy=policy) == []


def test_mid_year_joiner_counts_from_admission() -> None:
    """Worked example 3: marks before the admission date belong to no enrolment here."""
    joined = dt.date(2025, 1, 7)
    before = marks("2024-09-02", " ".join(["/"] * 40))
    after = marks("2025-01-07", " ".join(["/"] * 60 + ["I"] * 60))
    reg = register({"P": before + after})
    enrolment = Enrolment("P", "S", joined)
    (finding,) = severe_absence(record(reg, "P", enrolment), context(AS_OF))
    assert finding.figure == Fraction(1, 2)
    assert finding.details["from"] == "2025-01-07"
    assert severe_absence(record(reg, "P"), context(AS_OF)) == []


def test_year_to_date_starts_on_1_august() -> None:
    """Absence last year does not make a pupil persistently absent this year."""
    kent = SchoolCalendar.from_toml(KENT_PRIMARY)
    last_year = marks("2025-06-02", " ".join(["I"] * 20), kent)
    this_year = marks("2025-09-01", " ".join(["/"] * 20), kent)
    reg = register({"P": last_year + this_year})
    assert persistent_absence(record(reg, "P"), context("2025-09-12", calendar=kent)) == []
    (finding,) = persistent_absence(record(reg, "P"), context("2025-07-22", calendar=kent))
    assert finding.figure == 1


@pytest.mark.parametrize(
    ("rule", "percent"),
    [
        pytest.param(persistent_absence, 10, id="persistent-absence"),
        pytest.param(severe_absence, 50, id="severe-absence"),
    ],
)
@settings(max_examples=60, deadline=None)
@given(possible=st.integers(10, 80), data=st.data())
def test_minimal_absence_trigger(
    rule: PupilRule, percent: int, possible: int, data: st.DataObject
) -> None:
    """Evidence alone re-triggers; attending any one evidence session instead clears it."""
    absent = -(-possible * percent // 100)  # the fewest absences that reach the line
    codes = ["/"] * (possible - absent) + ["N"] * absent
    order = data.draw(st.permutations(codes))
    pupil_marks = marks("2024-09-02", " ".join(order))
    ctx = context(AS_OF)
    (finding,) = rule(record(register({"P": pupil_marks}), "P"), ctx)
    assert len(finding.evidence) == absent
    (again,) = rule(record(from_evidence("P", finding.evidence), "P"), ctx)
    assert again.evidence == finding.evidence
    gone = data.draw(st.sampled_from(finding.evidence)).session
    attended = [Mark(m.session, "/") if m.session == gone else m for m in pupil_marks]
    assert rule(record(register({"P": attended}), "P"), ctx) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["/", "I", "G", "D", "C2", "L"]), min_size=1, max_size=60))
def test_severe_implies_persistent(codes: list[str]) -> None:
    assert not run(severe_absence, codes) or run(persistent_absence, codes)


@pytest.mark.parametrize(
    ("setting", "born", "expected"),
    [
        pytest.param("include", dt.date(2009, 5, 1), True, id="ex7-include-summer-2"),
        pytest.param("exclude", dt.date(2009, 5, 1), False, id="ex7-year-11-excluded"),
        pytest.param("exclude", dt.date(2009, 8, 31), False, id="ex7-15-on-31-august"),
        pytest.param("exclude", dt.date(2009, 9, 1), True, id="ex7-14-on-31-august-year-10"),
        pytest.param("exclude", None, True, id="ex7-no-date-of-birth"),
    ],
)
def test_year_11_last_half_term(
    setting: Literal["include", "exclude"], born: dt.date | None, expected: bool
) -> None:
    """Worked example 7: study leave (S) in summer half-term 2 counts unless the policy
    excludes that half-term for pupils aged 15 on 31 August, as DfE's statistics do."""
    earlier = marks("2024-09-02", " ".join(["/"] * 19 + ["N"]))
    summer_2 = marks("2025-06-02", " ".join(["S"] * 10))  # DfE's summer 2 window: 26 May on
    reg = register({"P": earlier + summer_2})
    enrolment = Enrolment("P", "S", dt.date(2024, 9, 2), date_of_birth=born)
    policy = attrs.evolve(
        Policy(), method=attrs.evolve(Policy().method, year11_last_half_term=setting)
    )
    found = persistent_absence(record(reg, "P", enrolment), context(AS_OF, policy))
    assert bool(found) is expected
