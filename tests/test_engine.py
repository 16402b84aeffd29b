"""check(): rule selection, as-of cut, enrolments, notices, sorting, hooks and provenance."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Sequence
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core as ac
from _rule_tables import CALENDAR, marks, register
from attendance_core.codes import ENGLAND_2024
from attendance_core.exceptions import InputError, PluginError
from attendance_core.model import Enrolment
from attendance_core.plugins import make_plugin_manager
from attendance_core.policy import Policy
from attendance_core.register import Register
from attendance_core.rules.escalation import Escalation
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity

# P1: an N each Friday PM (PA at exactly 10%); P2: all present; P3: 10 G in the first week.
REG = register(
    {
        "P2": marks("2024-09-02", " ".join(["/"] * 20)),
        "P1": marks("2024-09-02", " ".join((["/"] * 9 + ["N"]) * 2)),
        "P3": marks("2024-09-02", " ".join(["G"] * 10 + ["/"] * 10)),
    }
)
AS_OF = dt.date(2024, 9, 13)  # the register's last date


def run(reg: Register = REG, **kwargs: object) -> list[Finding]:
    kwargs.setdefault("plugin_manager", make_plugin_manager(load_entrypoints=False))
    return ac.check(reg, CALENDAR, **kwargs)  # type: ignore[arg-type]


def keys(findings: Sequence[Finding]) -> list[tuple[str, str | None]]:
    return [(f.rule, f.pupil_id) for f in findings]


def test_all_rules_sorted_by_rule_then_pupil() -> None:
    found = run()
    assert {f.as_of for f in found} == {AS_OF}
    pa = [(r, p) for r, p in keys(found) if r in ("persistent-absence", "penalty-notice-threshold")]
    assert pa == [
        ("penalty-notice-threshold", "P3"),
        ("persistent-absence", "P1"),
        ("persistent-absence", "P3"),
    ]
    assert keys(found) == sorted(keys(found), key=lambda k: (k[0], k[1] or ""))
    assert {r for r, _ in keys(found)} >= {
        "attendance-band",
        "look-ahead",
        "penalty-notice-threshold",
        "persistent-absence",
        "severe-absence",
        "watch-list",
    }


def test_sorting_does_not_depend_on_register_order() -> None:
    reordered = register({pid: list(REG.marks(pid)) for pid in ("P3", "P1", "P2")})
    assert run(reordered) == run()


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        pytest.param("2024-09-05", ["P3"], id="before-the-first-N"),
        pytest.param("2024-09-06", ["P1", "P3"], id="N-on-the-as-of-date-counts"),
        pytest.param(dt.date(2024, 9, 13), ["P1", "P3"], id="date-object"),
    ],
)
def test_only_marks_up_to_as_of_count(as_of: str | dt.date, expected: list[str]) -> None:
    found = run(as_of=as_of, rules=["persistent-absence"])
    assert [f.pupil_id for f in found] == expected
    assert all(
        e.session.date <= dt.date.fromisoformat(str(as_of)) for f in found for e in f.evidence
    )


def test_as_of_defaults_to_the_last_session() -> None:
    later = register({"P": marks("2024-09-02", " ".join(["/"] * 9 + ["N"]))})
    (finding,) = run(later, rules="persistent-absence")
    assert finding.as_of == dt.date(2024, 9, 6)


def test_empty_register_needs_an_as_of_date() -> None:
    with pytest.raises(InputError, match="as_of"):
        run(register({}))
    assert run(register({}), as_of="2024-09-13") == []


@pytest.mark.parametrize(
    ("as_of", "persistent"),
    [
        pytest.param("2024-08-01", [], id="first-day-of-the-covered-year"),
        pytest.param("2025-07-31", ["P1", "P3"], id="last-day-of-the-covered-year"),
        pytest.param("2024-07-31", None, id="day-before-the-covered-year"),
        pytest.param("2025-08-01", None, id="day-after-the-covered-year"),
    ],
)
def test_as_of_in_a_school_year_the_calendar_does_not_cover_is_refused(
    as_of: str, persistent: list[str] | None
) -> None:
    """CALENDAR holds 2024/25 only: outside it every rule would silently find nothing."""
    if persistent is not None:
        found = run(as_of=as_of, rules="persistent-absence")
        assert [f.pupil_id for f in found] == persistent
        return
    with pytest.raises(InputError, match="no school days in the school year") as caught:
        run(as_of=as_of)
    assert (caught.value.field, caught.value.value) == ("as_of", as_of)
    assert "2024-09-02 to 2025-07-22" in str(caught.value.expected)


def test_unknown_rule_lists_the_valid_names() -> None:
    with pytest.raises(InputError) as caught:
        run(rules=["persistent-absence", "persistant-absence"])
    assert caught.value.value == "persistant-absence"
    assert caught.value.field == "rule"
    listed = str(caught.value.expected).removeprefix("one of ").split(", ")
    assert listed == sorted(listed)
    assert {"look-ahead", "penalty-notice-threshold", "persistent-absence"} <= set(listed)


def test_enrolments_bound_the_year_to_date() -> None:
    """From an admission on 10 September, P1 has 1 N in 8 sessions; P3 none in 8."""
    joined = {pid: Enrolment(pid, "S", dt.date(2024, 9, 10)) for pid in ("P1", "P3")}
    found = run(rules=["persistent-absence"], enrolments=joined)
    assert [(f.pupil_id, f.figure) for f in found] == [("P1", Fraction(1, 8))]


def test_notices_reach_the_penalty_notice_rule() -> None:
    history = [
        ac.PenaltyNotice("M", "P3", dt.date(2024, 9, 10), "issued"),
        ac.PenaltyNotice("M", "P3", dt.date(2024, 9, 11), "paid"),
    ]
    (finding,) = run(rules=["penalty-notice-threshold"], notices=history)
    assert finding.details["notice_possible"] is False
    assert "no notice possible" in finding.explanation


class ExtraRule:
    """A plugin adding a rule: every pupil with any mark at all."""

    @ac.hookimpl
    def attendance_core_rules(self) -> Sequence[Rule]:
        def marked(record: PupilRecord, context: RuleContext) -> list[Finding]:
            return [
                Finding(
                    "has-marks",
                    record.pupil_id,
                    context.as_of,
                    Severity.INFO,
                    len(record.row) - record.row.count(0),
                    None,
                    (),
                    "test",
                    "has marks",
                )
            ]

        return (Rule("has-marks", "pupil", marked, "test", "every pupil with marks"),)


class Clash:
    @ac.hookimpl
    def attendance_core_rules(self) -> Sequence[Rule]:
        return (Rule("watch-list", "pupil", lambda r, c: [], "test", "clash"),)


def test_a_plugin_rule_runs_and_is_named_in_provenance() -> None:
    plugin = ExtraRule()
    manager = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    found = run(rules=["has-marks"], plugin_manager=manager)
    assert [(f.pupil_id, f.figure) for f in found] == [("P1", 20), ("P2", 20), ("P3", 20)]
    assert [f.provenance for f in found] == [{"rule": manager.get_name(plugin)}] * 3
    assert "rule" not in run(rules=["watch-list"], plugin_manager=manager)[0].provenance


def test_a_plugin_rule_name_clashing_with_a_builtin_is_an_error() -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[Clash()])
    with pytest.raises(PluginError, match="watch-list"):
        run(plugin_manager=manager)


class StricterWatchList:
    """A trust whose watch list starts at 96%."""

    @ac.hookimpl
    def attendance_core_adjust_policy(self, policy: Policy, rule: Rule) -> Policy | None:
        if rule.name != "watch-list":
            return None
        return attrs.evolve(policy, bands=attrs.evolve(policy.bands, watch_list_below=Fraction(96)))


def test_adjusted_thresholds_change_only_that_rule_and_are_recorded() -> None:
    plugin = StricterWatchList()
    manager = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    name = manager.get_name(plugin)
    default = run(rules=["watch-list"])
    stricter = run(rules=["watch-list", "persistent-absence"], plugin_manager=manager)
    assert [f.pupil_id for f in default] == ["P3"]
    watch = [f for f in stricter if f.rule == "watch-list"]
    assert [(f.pupil_id, f.threshold) for f in watch] == [
        ("P1", Fraction(24, 25)),
        ("P3", Fraction(24, 25)),
    ]
    assert all(f.provenance == {"threshold": name} for f in watch)
    assert all(f.provenance == {} for f in stricter if f.rule == "persistent-absence")


def test_builtin_escalation_follows_the_policy_by_severity() -> None:
    policy = Policy()
    policy = attrs.evolve(
        policy,
        escalation=attrs.evolve(
            policy.escalation, ladder=("letter 1", "meeting"), by_severity={"action": "meeting"}
        ),
    )
    found = run(policy=policy, rules=["persistent-absence", "watch-list"])
    steps = {(f.rule, f.pupil_id): f.details.get("escalation") for f in found}
    assert steps[("persistent-absence", "P1")] == {
        "step": "meeting",
        "reason": "policy: action findings lead to 'meeting'",
    }
    assert steps[("watch-list", "P3")] is None
    assert all("escalation" not in f.provenance for f in found)
    assert all("escalation" not in f.details for f in run(rules=["persistent-absence"]))


class LetterForPenalties:
    @ac.hookimpl
    def attendance_core_escalation(self, finding: Finding, policy: Policy) -> Escalation | None:
        if finding.rule == "penalty-notice-threshold":
            return Escalation("notice to improve", "trust policy")
        return None


def test_a_plugin_decides_escalation_and_is_recorded() -> None:
    plugin = LetterForPenalties()
    manager = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    found = run(rules=["penalty-notice-threshold", "persistent-absence"], plugin_manager=manager)
    penalty = [f for f in found if f.rule == "penalty-notice-threshold"]
    assert [f.details["escalation"]["step"] for f in penalty] == ["notice to improve"]
    assert [f.provenance for f in penalty] == [{"escalation": manager.get_name(plugin)}]
    assert all("escalation" not in f.details for f in found if f.rule == "persistent-absence")


class BadRule:
    @ac.hookimpl
    def attendance_core_rules(self) -> Sequence[Rule]:
        return (Rule("bad", "pupil", lambda r, c: ["not a finding"], "test", "bad"),)  # type: ignore[arg-type]


def test_a_rule_returning_something_else_is_a_plugin_error() -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[BadRule()])
    with pytest.raises(PluginError, match="not a Finding"):
        run(rules=["bad"], plugin_manager=manager)


class WrongAnswers:
    @ac.hookimpl
    def attendance_core_adjust_policy(self, policy: Policy, rule: Rule) -> object:
        return "stricter" if rule.name == "watch-list" else None

    @ac.hookimpl
    def attendance_core_escalation(self, finding: Finding, policy: Policy) -> object:
        return "letter 1"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        pytest.param(
            "watch-list",
            "answered attendance_core_adjust_policy with 'stricter'; expected Policy or None",
            id="adjust-policy",
        ),
        pytest.param(
            "persistent-absence",
            "answered attendance_core_escalation with 'letter 1'; expected Escalation or None",
            id="escalation",
        ),
    ],
)
def test_a_plugin_answering_a_hook_with_the_wrong_type_is_named(rule: str, message: str) -> None:
    plugin = WrongAnswers()
    manager = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    with pytest.raises(PluginError, match=f"plugin '{manager.get_name(plugin)}' {message}"):
        run(rules=[rule], plugin_manager=manager)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(["persistent-absence", "watch-list", "look-ahead", "attendance-band"]),
        min_size=1,
        unique=True,
    )
)
def test_selecting_rules_gives_exactly_their_findings(names: list[str]) -> None:
    everything = run()
    assert run(rules=names) == [f for f in everything if f.rule in names]


class CountingEscalation:
    """Answers nothing, but counts how often the engine asks."""

    def __init__(self) -> None:
        self.calls = 0

    @ac.hookimpl
    def attendance_core_escalation(self, finding: Finding, policy: Policy) -> Escalation | None:
        self.calls += 1
        return None


def test_escalation_is_asked_once_per_finding_when_a_plugin_implements_it() -> None:
    plugin = CountingEscalation()
    manager = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    found = run(rules=["persistent-absence", "watch-list"], plugin_manager=manager)
    assert plugin.calls == len(found) == 3


def test_without_a_plugin_or_policy_step_escalation_changes_nothing() -> None:
    # The engine skips the hook then: every answer would be None.
    found = run(rules=["persistent-absence"])
    assert found
    assert all("escalation" not in f.details and not f.provenance for f in found)


def test_findings_of_one_register_share_evidence_values() -> None:
    # One Evidence per session and code, however many findings cite it (no object per mark).
    found = run(rules=["persistent-absence", "severe-absence", "watch-list", "attendance-band"])
    p3 = [f for f in found if f.pupil_id == "P3"]
    first = [f.evidence[0] for f in p3]
    assert len(first) >= 2
    assert all(e is first[0] for e in first)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["/", "N", "G", "I", None]), min_size=1, max_size=12),
    st.data(),
)
def test_evidence_equals_evidence_built_directly(
    codes: list[str | None], data: st.DataObject
) -> None:
    sessions = CALENDAR.sessions(dt.date(2024, 9, 2), dt.date(2024, 9, 13))[: len(codes)]
    alphabet = tuple(ENGLAND_2024[c] for c in ("/", "N", "G", "I"))
    row = bytes(0 if c is None else 1 + ("/", "N", "G", "I").index(c) for c in codes)
    minutes = data.draw(st.dictionaries(st.integers(0, len(codes) - 1), st.integers(0, 30)))
    shared: dict[int, ac.Evidence] = {}
    records = [
        PupilRecord("A", tuple(sessions), alphabet, row, minutes, None, shared),
        PupilRecord("B", tuple(sessions), alphabet, row, {}, None, shared),
    ]
    columns = data.draw(st.sets(st.integers(0, len(codes) - 1)))
    for record in records * 2:
        expected = tuple(
            ac.Evidence(sessions[col], codes[col], record.minutes_late.get(col))
            for col in sorted(columns)
        )
        assert record.evidence(columns) == expected


def test_check_signature_and_finding_fields_are_the_issue_s() -> None:
    """Issue #4 and #11: ``check(school_or_register, calendar=None, *, policy=None, as_of=None,
    rules=None)``, and a
    frozen Finding carrying the nine fields callers rely on (more may follow, never fewer)."""
    params = inspect.signature(ac.check).parameters
    assert list(params)[:5] == ["school", "calendar", "policy", "as_of", "rules"]
    assert [params[p].kind for p in ("school", "calendar")] == [
        inspect.Parameter.POSITIONAL_OR_KEYWORD
    ] * 2
    assert all(
        p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is None
        for name, p in params.items()
        if name not in ("school", "calendar")
    )
    fields = [f.name for f in attrs.fields(Finding)]
    assert fields[:9] == [
        *("rule", "pupil_id", "as_of", "severity", "figure", "threshold"),
        *("evidence", "source", "explanation"),
    ]
    (finding,) = run(rules="severe-absence")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        finding.figure = 0  # type: ignore[misc]
