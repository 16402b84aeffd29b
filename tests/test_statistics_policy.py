"""Summaries under a policy: its absence thresholds, severe-absence boundary and local codes.

DfE's lines (10% and 50%, "at least") are national defaults, and whether severe absence is
"at least" or "more than" half is UNCONFIRMED in DfE's text, so a policy's
``thresholds.persistent_absence``, ``thresholds.severe_absence`` and
``method.severe_absence_boundary`` must change every summary's flags: ``summarise``,
``AttendanceSummary.from_counts``, ``Register.summaries`` and ``attendance-core summary``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import (
    ENGLAND_2006,
    AbsenceThresholds,
    AttendanceSummary,
    CodeSet,
    InputError,
    Register,
    School,
    UnknownCodeError,
    hookimpl,
    make_plugin_manager,
    summarise,
    testing,
)
from attendance_core.cli import main
from attendance_core.model import Mark, Session
from attendance_core.policy import Policy
from attendance_core.rules.statistics import (
    DFE_THRESHOLDS,
    MarkLike,
    register_summaries,
    register_summary,
)
from attendance_core.school import load_policy


def policy(
    persistent: int = 10,
    severe: int = 50,
    boundary: str = "at_least",
    local_codes: dict[str, str] | None = None,
    code_set: str = "auto",
) -> Policy:
    return Policy.from_mapping(
        {
            "thresholds": {"persistent_absence": persistent, "severe_absence": severe},
            "method": {"severe_absence_boundary": boundary},
            "codes": {"local_codes": local_codes or {}, "code_set": code_set},
        }
    )


def marks(absent: int, possible: int) -> list[tuple[dt.date, str, str]]:
    """``possible`` sessions from Monday 8 September 2025, the first ``absent`` of them O."""
    day = dt.date(2025, 9, 8)
    out: list[tuple[dt.date, str, str]] = []
    for n in range(possible):
        date = day + dt.timedelta(days=n // 2)
        out.append((date, "AM" if n % 2 == 0 else "PM", "O" if n < absent else "/"))
    return out


# (persistent %, severe %, boundary, absent, possible, persistent?, severe?)
BOUNDARIES = [
    pytest.param(15, 50, "at_least", 3, 20, True, False, id="persistent-15-exactly-on-line"),
    pytest.param(15, 50, "at_least", 2, 20, False, False, id="persistent-15-just-below"),
    pytest.param(10, 50, "at_least", 2, 20, True, False, id="persistent-dfe-10-on-line"),
    pytest.param(10, 50, "at_least", 10, 20, True, True, id="severe-at-least-50-on-line"),
    pytest.param(10, 50, "at_least", 9, 20, True, False, id="severe-at-least-50-just-below"),
    pytest.param(10, 50, "more_than", 10, 20, True, False, id="severe-more-than-50-on-line"),
    pytest.param(10, 50, "more_than", 11, 20, True, True, id="severe-more-than-50-just-above"),
    pytest.param(10, 40, "at_least", 8, 20, True, True, id="severe-at-least-40-on-line"),
    pytest.param(10, 40, "at_least", 7, 20, True, False, id="severe-at-least-40-just-below"),
    pytest.param(15, 40, "more_than", 0, 0, False, False, id="no-possible-sessions-never-flag"),
]


@pytest.mark.parametrize(
    ("persistent", "severe", "boundary", "absent", "possible", "is_pa", "is_sa"), BOUNDARIES
)
def test_summarise_flags_at_the_policy_lines(
    persistent: int,
    severe: int,
    boundary: str,
    absent: int,
    possible: int,
    is_pa: bool,
    is_sa: bool,
) -> None:
    chosen = policy(persistent, severe, boundary)
    summary = summarise(marks(absent, possible), policy=chosen)
    assert (summary.persistent_absence, summary.severe_absence) == (is_pa, is_sa)
    assert (summary.persistent_absentees, summary.severe_absentees) == (int(is_pa), int(is_sa))
    assert summary.thresholds == AbsenceThresholds(persistent, severe, boundary)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("persistent", "severe", "boundary", "absent", "possible", "is_pa", "is_sa"), BOUNDARIES
)
def test_register_summaries_and_from_counts_flag_as_summarise(
    persistent: int,
    severe: int,
    boundary: str,
    absent: int,
    possible: int,
    is_pa: bool,
    is_sa: bool,
) -> None:
    chosen = policy(persistent, severe, boundary)
    register = Register.from_marks(
        [("P0", Mark(Session(dt.date(2025, 9, 8), "AM"), "X"))]
        + [("P1", Mark(Session(d, s), c)) for d, s, c in marks(absent, possible)]
    )
    summaries = [
        AttendanceSummary.from_counts({"O": absent, "/": possible - absent}, policy=chosen)
    ]
    summaries += register_summaries(register, policy=chosen).values()  # P0: no possible sessions
    assert len(summaries) == (3 if possible else 2)
    for summary in summaries:
        flagged = summary.possible_sessions > 0
        assert (summary.persistent_absence, summary.severe_absence) == (
            is_pa and flagged,
            is_sa and flagged,
        )
        assert summary.thresholds == AbsenceThresholds.from_policy(chosen)


def test_without_a_policy_the_lines_are_dfes() -> None:
    assert summarise(marks(10, 20)).thresholds is DFE_THRESHOLDS
    assert AbsenceThresholds(10, 50, "at_least") == DFE_THRESHOLDS
    assert AbsenceThresholds.from_policy(Policy()) is DFE_THRESHOLDS
    # DfE: 10 of 20 is severe ("at least half"); the policy's "more than" says it is not.
    assert summarise(marks(10, 20)).severe_absence
    assert not summarise(marks(10, 20), policy=policy(boundary="more_than")).severe_absence


def test_the_whole_register_pools_the_policy_flags() -> None:
    register = Register.from_marks(
        (pupil, Mark(Session(d, s), c))
        for pupil, (absent, possible) in {"A": (10, 20), "B": (11, 20), "C": (2, 20)}.items()
        for d, s, c in marks(absent, possible)
    )
    dfe = register_summary(register)
    strict = register_summary(register, policy=policy(persistent=15, boundary="more_than"))
    assert (dfe.persistent_absentees, dfe.severe_absentees) == (3, 2)
    assert (strict.persistent_absentees, strict.severe_absentees) == (2, 1)
    assert strict.persistent_absence_rate == Fraction(2, 3)


def test_summaries_flagged_at_different_lines_do_not_pool() -> None:
    dfe = summarise(marks(10, 20))
    strict = summarise(marks(10, 20), policy=policy(boundary="more_than"))
    with pytest.raises(InputError, match="different absence thresholds"):
        _ = dfe + strict
    same = strict + summarise(marks(2, 20), policy=policy(boundary="more_than"))
    assert same.thresholds == strict.thresholds
    assert same.severe_absentees == 0


def test_policy_local_codes_read_vendor_codes_in_summarise_and_from_counts() -> None:
    mapped = policy(local_codes={"I01": "I"})
    written: list[MarkLike] = [("2025-09-08", "AM", "I01"), ("2025-09-08", "PM", "/")]
    with pytest.raises(UnknownCodeError):
        summarise(written)
    summary = summarise(written, policy=mapped)
    assert (summary.authorised_absence, summary.sessions_by_code) == (1, {"/": 1, "I": 1})
    school = School.assemble([], policy=mapped)
    counted = AttendanceSummary.from_counts(
        {"I01": 3, "/": 7}, policy=mapped, resolve=school.resolve
    )
    assert (counted.authorised_absence, counted.possible_sessions) == (3, 10)
    with pytest.raises(UnknownCodeError):
        AttendanceSummary.from_counts({"I01": 3}, policy=mapped)


def test_policy_code_set_is_forced_unless_the_caller_forces_one() -> None:
    old = policy(code_set="england-2006")
    # B is 2024's off-site activity and 2006's too, but H exists only in 2006.
    assert summarise([("2025-09-08", "AM", "H")], policy=old).authorised_absence == 1
    with pytest.raises(UnknownCodeError):
        summarise([("2025-09-08", "AM", "H")], policy=old, code_set="england-2024")


@settings(max_examples=100, deadline=None)
@given(
    absent=st.integers(0, 400),
    extra=st.integers(0, 400),
    persistent=st.integers(0, 100),
    severe=st.integers(0, 100),
    boundary=st.sampled_from(["at_least", "more_than"]),
)
def test_flags_equal_the_exact_inequalities(
    absent: int, extra: int, persistent: int, severe: int, boundary: Any
) -> None:
    possible = absent + extra
    lines = AbsenceThresholds(persistent, severe, boundary)
    rate = Fraction(absent, possible) if possible else None
    assert lines.is_persistent(absent, possible) == (
        rate is not None and rate >= Fraction(persistent, 100)
    )
    expected_severe = rate is not None and (
        rate > Fraction(severe, 100) if boundary == "more_than" else rate >= Fraction(severe, 100)
    )
    assert lines.is_severe(absent, possible) == expected_severe


# -- attendance-core summary --policy -------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def marks_file(tmp_path: Path) -> Path:
    """A: 10 of 20 absent, one of them a vendor code I01; B: 3 of 20 absent."""
    rows = ["pupil_id,date,session,code"]
    for pupil, absent in (("A", 10), ("B", 3)):
        for n, (d, s, c) in enumerate(marks(absent, 20)):
            rows.append(f"{pupil},{d},{s},{'I01' if (pupil, n) == ('A', 0) else c}")
    return write(tmp_path, "marks.csv", "\n".join(rows) + "\n")


POLICY_TOML = """\
[codes]
local_codes = { I01 = "I" }

[thresholds]
persistent_absence = 15
severe_absence = 50

[method]
severe_absence_boundary = "more_than"
"""


def test_summary_policy_sets_codes_thresholds_and_boundary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = marks_file(tmp_path)
    assert main(["summary", str(source), "--format", "json"]) == 2  # I01 unknown without it
    capsys.readouterr()
    rules = write(tmp_path, "policy.toml", POLICY_TOML)
    assert main(["summary", str(source), "--format", "json", "--policy", str(rules)]) == 0
    data = json.loads(capsys.readouterr().out)
    flags = {p["pupil_id"]: (p["persistent_absence"], p["severe_absence"]) for p in data["pupils"]}
    # A: 50% is not "more than 50%"; B: 15% is "at least 15%".
    assert flags == {"A": (True, False), "B": (True, False)}
    assert data["pupils"][0]["sessions_by_code"] == {"/": 10, "I": 1, "O": 9}
    assert (data["total"]["persistent_absentees"], data["total"]["severe_absentees"]) == (2, 0)
    assert main(["summary", str(source), "--policy", str(rules)]) == 0
    table = capsys.readouterr().out
    assert "persistent absentees (15% or more of possible sessions missed): 2" in table
    assert "severe absentees (more than 50%): 0" in table


def test_summary_without_policy_keeps_dfes_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = write(tmp_path, "policy.toml", '[codes]\nlocal_codes = { I01 = "I" }\n')
    assert main(["summary", str(marks_file(tmp_path)), "--policy", str(rules)]) == 0
    table = capsys.readouterr().out
    assert "persistent absentees (10% or more of possible sessions missed): 2" in table
    assert "severe absentees (50% or more): 1" in table


def test_summary_bad_policy_exits_2_without_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = write(tmp_path, "policy.toml", "[thresholds]\npersistent_absence = 150\n")
    target = tmp_path / "out.json"
    status = main(["summary", str(marks_file(tmp_path)), "--policy", str(rules), "-o", str(target)])
    out, err = capsys.readouterr()
    assert (status, out, target.exists()) == (2, "", False)
    assert err.startswith("attendance-core summary: error: 1 problem in policy\n")
    assert f"{rules}: $.thresholds.persistent_absence: expected a percentage" in err


ROW_CODES = ["/", "\\", "L", "V", "I", "M", "C", "G", "N", "O", "U", "X", "D", "#"]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.dictionaries(
        st.sampled_from(["p1", "p2", "p3"]),
        st.lists(st.sampled_from(ROW_CODES), min_size=1, max_size=30),
        min_size=1,
    ),
    persistent=st.integers(0, 100),
    severe=st.integers(0, 100),
    boundary=st.sampled_from(["at_least", "more_than"]),
)
def test_register_summaries_under_a_policy_equal_summarise_under_it(
    rows: dict[str, list[str]], persistent: int, severe: int, boundary: str
) -> None:
    """The whole-school fast path and the one-enrolment path flag at the same lines."""
    chosen = policy(persistent, max(persistent, severe), boundary)
    by_pupil = {
        pupil: [
            (dt.date(2025, 9, 8) + dt.timedelta(days=n // 2), "AM" if n % 2 == 0 else "PM", c)
            for n, c in enumerate(codes)
        ]
        for pupil, codes in rows.items()
    }
    register = Register.from_marks(
        (pupil, Mark(Session(d, s), c)) for pupil, marks in by_pupil.items() for d, s, c in marks
    )
    expected = {pupil: summarise(marks, policy=chosen) for pupil, marks in by_pupil.items()}
    assert register_summaries(register, policy=chosen) == expected
    assert register_summary(register, policy=chosen) == AttendanceSummary.pool(expected.values())


def test_summary_policy_code_set_reads_every_mark_with_that_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, "old.csv", "pupil_id,date,session,code\nA,2025-09-08,AM,H\n")
    assert main(["summary", str(source), "--format", "json"]) == 2  # H left the 2024 set
    assert "field 'code'" in capsys.readouterr().err
    rules = write(tmp_path, "policy.toml", '[codes]\ncode_set = "england-2006"\n')
    assert main(["summary", str(source), "--format", "json", "--policy", str(rules)]) == 0
    pupil = json.loads(capsys.readouterr().out)["pupils"][0]
    assert (pupil["authorised_absence"], pupil["sessions_by_code"]) == (1, {"H": 1})


def test_period_summaries_flag_at_the_policy_lines() -> None:
    from attendance_core.rules.periods import summarise_period

    register = Register.from_marks(
        ("A", Mark(Session(d, s), c)) for d, s, c in marks(10, 20)
    )  # 10 of 20 absent, all in the period
    start, end = dt.date(2025, 9, 1), dt.date(2025, 9, 30)
    dfe = summarise_period(register, start, end)
    strict = summarise_period(register, start, end, policy=policy(boundary="more_than"))
    assert (dfe.total.severe_absentees, strict.total.severe_absentees) == (1, 0)
    assert strict.pupils["A"].thresholds.severe_absence_boundary == "more_than"


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(["P1", "P2", "P3"]), testing.summaries(max_sessions=60)),
        max_size=6,
    )
)
def test_count_by_pupil_merges_each_pupils_enrolments_before_flagging(
    pairs: list[tuple[str, AttendanceSummary]],
) -> None:
    """Sessions pool the same either way; only the unit of the group counts differs."""
    by_enrolment = AttendanceSummary.pool_by(pairs, policy=Policy())
    assert by_enrolment == AttendanceSummary.pool(s for _, s in pairs)
    by_pupil = AttendanceSummary.pool_by(
        pairs, policy=Policy.from_mapping({"method": {"count_by": "pupil"}})
    )
    assert by_pupil.code_counts == by_enrolment.code_counts
    assert by_pupil.possible_sessions == by_enrolment.possible_sessions
    pupils: dict[str, AttendanceSummary] = {}
    for pupil_id, summary in pairs:
        pupils[pupil_id] = pupils[pupil_id] + summary if pupil_id in pupils else summary
    counted = [p for p in pupils.values() if p.possible_sessions]
    assert by_pupil.enrolments == len(counted)
    assert by_pupil.enrolments_without_possible == len(pupils) - len(counted)
    expected = sum(p.overall_absence * 10 >= p.possible_sessions for p in counted)
    assert by_pupil.persistent_absentees == expected


class _PluginCodeSet:
    @hookimpl
    def attendance_core_code_sets(self) -> Sequence[CodeSet]:
        return (attrs.evolve(ENGLAND_2006, id="example-2006"),)


def test_a_code_set_no_installed_plugin_provides_is_a_clear_error() -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[_PluginCodeSet()])
    local = load_policy({"codes": {"code_set": "example-2006"}}, plugin_manager=manager)
    with pytest.raises(InputError, match=r"codes.code_set.*'example-2006'.*'auto' or"):
        summarise([(dt.date(2025, 9, 8), "AM", "/")], policy=local)
