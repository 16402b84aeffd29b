"""Attendance bands and the watch list, with every band edge tested on both sides."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import context, from_evidence, marks, record, register
from attendance_core.model import Mark
from attendance_core.policy import Band, Policy
from attendance_core.rules.bands import attendance_band, watch_list
from attendance_core.rules.findings import Finding, Severity

AS_OF = "2025-07-22"


def run(rule: object, attended: int, absent: int, policy: Policy | None = None) -> list[Finding]:
    codes = " ".join(["/"] * attended + ["N"] * absent)
    reg = register({"P": marks("2024-09-02", codes)})
    return rule(record(reg, "P"), context(AS_OF, policy))  # type: ignore[operator, no-any-return]


def with_bands(*bands: Band, watch: Fraction | None = None) -> Policy:
    policy = Policy()
    section = attrs.evolve(policy.bands, bands=bands) if bands else policy.bands
    if watch is not None:
        section = attrs.evolve(section, watch_list_below=watch)
    return attrs.evolve(policy, bands=section)


@pytest.mark.parametrize(
    ("attended", "absent", "band"),
    [
        pytest.param(10, 0, "full attendance", id="100pc-full"),
        pytest.param(99, 1, "expected", id="99pc-expected"),
        pytest.param(24, 1, "expected", id="96pc-exactly-expected"),
        pytest.param(95, 4, "at risk", id="95.96pc-at-risk"),
        pytest.param(9, 1, "at risk", id="90pc-exactly-at-risk"),
        pytest.param(8, 1, "persistently absent", id="88.9pc-persistent"),
        pytest.param(1, 1, "persistently absent", id="50pc-exactly-persistent"),
        pytest.param(49, 51, "severely absent", id="49pc-severe"),
        pytest.param(0, 3, "severely absent", id="0pc-severe"),
    ],
)
def test_default_bands_at_their_edges(attended: int, absent: int, band: str) -> None:
    (finding,) = run(attendance_band, attended, absent)
    assert finding.details["band"] == band
    assert finding.figure == Fraction(attended, attended + absent)
    assert finding.severity is Severity.INFO


def test_band_finding_explains_itself() -> None:
    (finding,) = run(attendance_band, 9, 1)
    assert finding.threshold == Fraction(9, 10)
    assert finding.explanation == (
        "Attended 9 of 10 possible sessions this school year (90.0%): band 'at risk' "
        "(90.0% and above, below 96.0%)."
    )
    assert [e.code for e in finding.evidence] == ["N"]


def test_configured_bands_with_a_fractional_edge() -> None:
    policy = with_bands(Band("green", Fraction(95, 2)), Band("red", Fraction(0)))
    assert run(attendance_band, 19, 21, policy)[0].details["band"] == "green"  # 47.5% exactly
    assert run(attendance_band, 18, 21, policy)[0].details["band"] == "red"  # 46.2%


def test_no_band_without_possible_sessions() -> None:
    reg = register({"P": marks("2024-09-02", "D D X")})
    assert attendance_band(record(reg, "P"), context(AS_OF)) == []


@pytest.mark.parametrize(
    ("attended", "absent", "line", "listed"),
    [
        pytest.param(9, 1, None, False, id="90pc-not-below-90"),
        pytest.param(8, 1, None, True, id="88.9pc-below-90"),
        pytest.param(23, 2, Fraction(92), False, id="92pc-not-below-92"),
        pytest.param(11, 1, Fraction(92), True, id="91.7pc-below-92"),
        pytest.param(10, 0, Fraction(100), False, id="100pc-never-listed"),
    ],
)
def test_watch_list_line(attended: int, absent: int, line: Fraction | None, listed: bool) -> None:
    found = run(watch_list, attended, absent, with_bands(watch=line))
    assert bool(found) is listed
    if found:
        assert found[0].severity is Severity.WATCH
        assert found[0].threshold == Fraction(line or 90) / 100


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60))
def test_every_pupil_with_possible_sessions_is_in_exactly_one_band(
    attended: int, absent: int
) -> None:
    found = run(attendance_band, attended, absent)
    assert len(found) == (1 if attended + absent else 0)
    for finding in found:
        assert isinstance(finding.figure, Fraction)
        assert isinstance(finding.threshold, Fraction)
        assert finding.figure >= finding.threshold
        assert bool(run(watch_list, attended, absent)) is (finding.figure < Fraction(9, 10))


@settings(max_examples=60, deadline=None)
@given(attended=st.integers(0, 60), absent=st.integers(1, 30))
def test_watch_list_evidence_alone_retriggers(attended: int, absent: int) -> None:
    found = run(watch_list, attended, absent)
    for finding in found:
        (again,) = watch_list(record(from_evidence("P", finding.evidence), "P"), context(AS_OF))
        assert again.evidence == finding.evidence


@settings(max_examples=60, deadline=None)
@given(possible=st.integers(10, 80), data=st.data())
def test_removing_any_evidence_from_a_minimal_watch_list_trigger_clears(
    possible: int, data: st.DataObject
) -> None:
    """The fewest absences that put attendance below 90%: attend any one of them, and the
    pupil is off the watch list."""
    absent = possible // 10 + 1
    order = data.draw(st.permutations(["/"] * (possible - absent) + ["N"] * absent))
    pupil_marks = marks("2024-09-02", " ".join(order))
    (finding,) = watch_list(record(register({"P": pupil_marks}), "P"), context(AS_OF))
    assert len(finding.evidence) == absent
    gone = data.draw(st.sampled_from(finding.evidence)).session
    attended = [Mark(m.session, "/") if m.session == gone else m for m in pupil_marks]
    assert watch_list(record(register({"P": attended}), "P"), context(AS_OF)) == []
