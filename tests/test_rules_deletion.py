"""Deletion from roll, reg 9(1)(i): 20 continuous school days all coded G, N or O."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _rule_tables import check, code_runs, context, from_evidence, marks, record, register, without
from attendance_core.policy import Policy
from attendance_core.policy._model import DeletionPolicy
from attendance_core.rules.deletion import deletion_20_day
from attendance_core.rules.findings import Severity


def sessions(code: str, n: int) -> list[str]:
    return [code] * n


def with_one(code: str, at: int, total: int = 40, base: str = "N") -> str:
    """``total`` sessions of ``base`` with ``code`` at position ``at``."""
    tokens = sessions(base, total)
    tokens[at] = code
    return " ".join(tokens)


@pytest.mark.parametrize(
    ("start", "codes", "as_of", "expected"),
    [
        pytest.param(
            "2025-03-03",
            " ".join(sessions("N", 40)),
            "2025-03-28",
            [(20, "2025-03-03", "2025-03-28")],
            id="reg-9-1-i-20-days",
        ),
        pytest.param("2025-03-03", " ".join(sessions("N", 38)), "2025-03-28", [], id="19-days"),
        pytest.param("2025-03-03", " ".join(sessions("N", 39)), "2025-03-28", [], id="19.5-days"),
        pytest.param(
            "2025-03-03",
            "G O " * 20,
            "2025-03-28",
            [(20, "2025-03-03", "2025-03-28")],
            id="g-and-o-count",
        ),
        pytest.param("2025-03-03", with_one("U", 20), "2025-03-28", [], id="u-breaks-the-period"),
        pytest.param(
            "2025-03-03", with_one("I", 20), "2025-03-28", [], id="sickness-breaks-the-period"
        ),
        pytest.param(
            "2025-03-03", with_one("/", 39), "2025-03-28", [], id="present-on-last-session"
        ),
        pytest.param("2025-03-03", with_one(".", 0), "2025-03-28", [], id="missing-first-mark"),
        pytest.param(
            "2025-03-24",
            " ".join(sessions("O", 40)),
            "2025-05-06",
            [(20, "2025-03-24", "2025-05-06")],
            id="crosses-easter-and-bank-holidays",
        ),
        pytest.param(
            "2025-03-24",
            " ".join(sessions("O", 40)),
            "2025-05-05",
            [],
            id="bank-holiday-is-not-the-20th-day",
        ),
    ],
)
def test_deletion_20_day(
    start: str, codes: str, as_of: str, expected: list[tuple[int, str, str]]
) -> None:
    found = check(deletion_20_day, register({"P": marks(start, codes)}), context(as_of))
    assert [(f.figure, f.details["first_day"], f.details["last_day"]) for f in found] == expected
    assert all(f.severity is Severity.ACTION and f.threshold == 20 for f in found)


def test_deletion_explains_what_the_register_cannot_show() -> None:
    reg = register({"P": marks("2025-03-03", " ".join(sessions("G", 40)))})
    (finding,) = check(deletion_20_day, reg, context("2025-03-31"))
    assert "enquiries" in finding.explanation
    assert "sickness or unavoidable cause" in finding.explanation
    assert "reg 9(1)(i)" in finding.source
    assert len(finding.evidence) == 40


def test_deletion_codes_come_from_the_policy() -> None:
    policy = Policy(deletion=DeletionPolicy(continuous_days=2, codes=("G", "N", "O", "U")))
    reg = register({"P": marks("2025-03-03", "U U N N /")})
    assert [f.figure for f in check(deletion_20_day, reg, context("2025-03-07", policy))] == [2]


@settings(max_examples=50, deadline=None)
@given(code_runs(["N", "G", "O", "N", "G", "O", "U", "/", "."], runs=4, longest=90))
def test_evidence_alone_retriggers(codes: str) -> None:
    # G, N and O weighted and runs up to 45 days, so that about a third of examples hold a
    # 20-day period (with equal weights and shorter runs, one in ten did).
    ctx = context("2025-07-22")
    reg = register({"P": marks("2024-09-02", codes)})
    for finding in deletion_20_day(record(reg, "P"), ctx):
        assert finding in deletion_20_day(record(from_evidence("P", finding.evidence), "P"), ctx)
        assert finding.figure * 2 == len(finding.evidence)  # type: ignore[operator]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["G", "N", "O"]), min_size=40, max_size=40), st.integers(0, 39))
def test_removing_evidence_from_minimal_trigger_clears(codes: list[str], drop: int) -> None:
    ctx = context("2025-07-22")
    pupil = marks("2025-03-24", " ".join(codes))
    (finding,) = deletion_20_day(record(register({"P": pupil}), "P"), ctx)
    lesser = without(pupil, finding.evidence[drop].session)
    assert deletion_20_day(record(register({"P": lesser}), "P"), ctx) == []
