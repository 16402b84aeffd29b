"""Reading policies: defaults, exact percentages, every problem reported at once with its path."""

from __future__ import annotations

import pickle
import sys
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _toml_like import toml_like
from attendance_core import hookimpl, make_plugin_manager, testing
from attendance_core.codes import AttendanceCode, Category, CodeSet
from attendance_core.exceptions import PluginError, PolicyError, PolicyProblem
from attendance_core.plugins import declared_keys
from attendance_core.policy import Band, Policy, PolicyKey
from attendance_core.school import load_policy

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def _manager(*plugins: object) -> Any:
    return make_plugin_manager(load_entrypoints=False, plugins=plugins)


def _problems(data: dict[str, Any], *plugins: object) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(data, source="policy.toml", plugin_manager=_manager(*plugins))
    return [str(p) for p in caught.value.problems]


class TrustPlugin:
    """Declares two keys in [plugin_settings.trust], one with its own parser."""

    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (
            PolicyKey("trust", "panel_after_letters", 2, "Letters sent before a panel.", "Trust"),
            PolicyKey(
                "trust",
                "panel_rate",
                Fraction(85),
                "Attendance percent below which a panel meets.",
                "Trust",
                parse=_percentage,
            ),
        )


def _percentage(value: object) -> Fraction:
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool) and 0 <= value <= 100:
        return Fraction(value)
    raise ValueError(f"expected a percentage, got {value!r}")


class RivalPlugin:
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (PolicyKey("trust", "panel_rate", Fraction(80), "A rival claim.", "Rival"),)


class UndocumentedPlugin:
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (PolicyKey("quiet", "level", 1, "  "),)


# -- defaults and exact numbers ------------------------------------------------------------


def test_empty_policy_is_the_national_default() -> None:
    assert load_policy({}, plugin_manager=_manager()) == Policy()


def test_policy_is_frozen() -> None:
    policy = load_policy({}, plugin_manager=_manager())
    with pytest.raises(AttributeError):
        policy.thresholds = policy.thresholds  # type: ignore[misc]


def test_toml_floats_are_read_exactly_from_their_decimal_text(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[bands]\nwatch_list_below = 92.3\n", encoding="utf-8")
    policy = load_policy(path, plugin_manager=_manager())
    assert policy.bands.watch_list_below == Fraction(923, 10)
    assert policy.source == str(path)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param(0.1, Fraction(1, 10), id="python-float-by-shortest-decimal"),
        pytest.param(92.5, Fraction(185, 2), id="half"),
        pytest.param("100/3", Fraction(100, 3), id="fraction-text"),
        pytest.param("33.3", Fraction(333, 10), id="decimal-text"),
        pytest.param(90, Fraction(90), id="integer"),
    ],
)
def test_percentages_are_exact(written: object, expected: Fraction) -> None:
    policy = load_policy({"bands": {"watch_list_below": written}}, plugin_manager=_manager())
    assert policy.bands.watch_list_below == expected


def test_bands_read_from_an_array_of_tables(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        "[[bands.bands]]\nname = 'good'\nat_least = 95\n"
        "[[bands.bands]]\nname = 'poor'\nat_least = 0\n",
        encoding="utf-8",
    )
    policy = load_policy(path, plugin_manager=_manager())
    assert policy.bands.bands == (Band("good", Fraction(95)), Band("poor", Fraction(0)))


# -- bad policies: one problem each, exact messages -------------------------------------------

BAD = [
    pytest.param(
        {"bands": {"watch_list_below": float("inf")}},
        "policy.toml: $.bands.watch_list_below: expected a percentage between 0 and 100, got inf",
        id="infinite-percentage",
    ),
    pytest.param(
        {"thresholds": {"persistent_absence": Decimal("NaN")}},
        "policy.toml: $.thresholds.persistent_absence: "
        "expected a percentage between 0 and 100, got nan",
        id="nan-as-toml-reads-it",
    ),
    pytest.param(
        {"thresholds": {"persistent_absence": 110}},
        "policy.toml: $.thresholds.persistent_absence: "
        "expected a percentage between 0 and 100, got 110",
        id="percentage-out-of-range",
    ),
    pytest.param(
        {"thresholds": {"persistent_absence": Fraction(21, 2)}},
        "policy.toml: $.thresholds.persistent_absence: "
        "expected a whole-number percentage, got 10.5",
        id="percentage-not-whole",
    ),
    pytest.param(
        {"thresholds": {"persistant_absence": 10}},
        "policy.toml: $.thresholds.persistant_absence: "
        "unknown key 'persistant_absence'; did you mean 'persistent_absence'?",
        id="unknown-key-did-you-mean",
    ),
    pytest.param(
        {"thresholds": {"ladder": ["letter 1"]}},
        "policy.toml: $.thresholds.ladder: unknown key 'ladder'; did you mean [escalation] ladder?",
        id="key-in-the-wrong-table",
    ),
    pytest.param(
        {"threshold": {}},
        "policy.toml: $.threshold: unknown key 'threshold'; did you mean 'thresholds'?",
        id="unknown-section-did-you-mean",
    ),
    pytest.param(
        {"thresholds": 10},
        "policy.toml: $.thresholds: expected a table, got 10",
        id="section-not-a-table",
    ),
    pytest.param(
        {"penalty_notice": {"sessions": 0}},
        "policy.toml: $.penalty_notice.sessions: expected a whole number of at least 1, got 0",
        id="count-below-one",
    ),
    pytest.param(
        {"penalty_notice": {"max_notices": -1}},
        "policy.toml: $.penalty_notice.max_notices: expected a whole number of at least 0, got -1",
        id="declared-minimum-zero",
    ),
    pytest.param(
        {"penalty_notice": {"sessions": True}},
        "policy.toml: $.penalty_notice.sessions: expected a whole number of at least 1, got true",
        id="boolean-is-not-a-number",
    ),
    pytest.param(
        {"method": {"year11_last_half_term": "exclued"}},
        "policy.toml: $.method.year11_last_half_term: "
        "expected one of 'include', 'exclude', got 'exclued'; did you mean 'exclude'?",
        id="choice-did-you-mean",
    ),
    pytest.param(
        {"calendar": {"file": ""}},
        "policy.toml: $.calendar.file: expected non-empty text, got ''",
        id="empty-text",
    ),
    pytest.param(
        {"penalty_notice": {"codes": ["G", "u"]}},
        "policy.toml: $.penalty_notice.codes[1]: "
        "unknown code 'u' in code set england-2024 or england-2006; did you mean 'U'?",
        id="unknown-code-suggested",
    ),
    pytest.param(
        {"penalty_notice": {"codes": "GNOU"}},
        "policy.toml: $.penalty_notice.codes: expected a list, got 'GNOU'",
        id="codes-not-a-list",
    ),
    pytest.param(
        {"codes": {"code_set": "england-2006"}, "penalty_notice": {"codes": ["C1"]}},
        "policy.toml: $.penalty_notice.codes[0]: unknown code 'C1' in code set england-2006; "
        "did you mean 'C'?",
        id="code-not-in-forced-set",
    ),
    pytest.param(
        {"codes": {"code_set": "england-2025"}},
        "policy.toml: $.codes.code_set: unknown code set 'england-2025'; did you mean "
        "'england-2024' or 'england-2006'? (known: 'auto', 'england-2024', 'england-2006')",
        id="unknown-code-set",
    ),
    pytest.param(
        {"codes": {"local_codes": {"I01": "II"}}},
        "policy.toml: $.codes.local_codes.I01: "
        "unknown code 'II' in code set england-2024 or england-2006; did you mean 'I'?",
        id="local-code-onto-unknown-code",
    ),
    pytest.param(
        {"codes": {"local_codes": {"N": "U"}}},
        "policy.toml: $.codes.local_codes.N: 'N' is a statutory code; only local codes may be "
        "mapped",
        id="statutory-code-remapped",
    ),
    pytest.param(
        {"codes": {"local_codes": {"I 01": "I", "X1": 3}}},
        "policy.toml: $.codes.local_codes.X1: expected non-empty text, got 3",
        id="local-code-not-text",
    ),
    pytest.param(
        {"bands": {"bands": [{"name": "a", "at_least": 50}]}},
        "policy.toml: $.bands.bands[0].at_least: the lowest band must start at 0, got 50",
        id="bands-end-at-zero",
    ),
    pytest.param(
        {"bands": {"bands": [{"name": "a", "at_least": 95.5}, {"name": "b", "at_least": 90}]}},
        "policy.toml: $.bands.bands[1].at_least: the lowest band must start at 0, got 90",
        id="bands-lowest-not-zero",
    ),
    pytest.param(
        {
            "bands": {
                "bands": [
                    {"name": "a", "at_least": 90},
                    {"name": "b", "at_least": 95},
                    {"name": "c", "at_least": 0},
                ]
            }
        },
        "policy.toml: $.bands.bands[1].at_least: bands must be listed highest first: "
        "95 is not below 90 ('a')",
        id="bands-highest-first",
    ),
    pytest.param(
        {"bands": {"bands": [{"name": "a"}, {"name": "b", "at_least": 0}]}},
        "policy.toml: $.bands.bands[0].at_least: missing (required)",
        id="band-missing-key",
    ),
    pytest.param(
        {"bands": {"bands": []}},
        "policy.toml: $.bands.bands: expected at least one band, the lowest starting at 0",
        id="no-bands",
    ),
    pytest.param(
        {"thresholds": {"persistent_absence": 60}},
        "policy.toml: $.thresholds.severe_absence: "
        "expected at least persistent_absence (60), got 50",
        id="severe-below-persistent",
    ),
    pytest.param(
        {"escalation": {"ladder": ["letter", "panel", "letter"]}},
        "policy.toml: $.escalation.ladder[2]: step 'letter' is listed twice",
        id="ladder-step-twice",
    ),
    pytest.param(
        {"escalation": {"ladder": ["letter"], "by_severity": {"watch": "panel"}}},
        "policy.toml: $.escalation.by_severity.watch: 'panel' is not a step of "
        "escalation.ladder (steps: 'letter')",
        id="severity-onto-unknown-step",
    ),
    pytest.param(
        {"escalation": {"ladder": ["letter"], "by_severity": {"warning": "letter"}}},
        "policy.toml: $.escalation.by_severity.warning: unknown severity 'warning' "
        "(severities: info, watch, action, statutory)",
        id="unknown-severity",
    ),
    pytest.param(
        {"plugins": ["trust-policy"]},
        "policy.toml: $.plugins[0]: plugin 'trust-policy' is not registered (registered: builtin)",
        id="named-plugin-missing",
    ),
    pytest.param(
        {"plugin_settings": {"trust": {"letters": 3}}},
        "policy.toml: $.plugin_settings.trust: no plugin the policy turns on declares keys in "
        "[plugin_settings.trust]",
        id="plugin-table-undeclared",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_each_kind_of_problem_is_reported_with_file_and_path(
    data: dict[str, Any], message: str
) -> None:
    assert _problems(data) == [message]


def test_every_problem_is_reported_at_once() -> None:
    data = {
        "thresholds": {"persistent_absence": 110, "severe": 3},
        "method": {"count_by": "pupils"},
        "penalty_notice": {"codes": ["G", "Q1"]},
        "bands": {"bands": [{"name": "a", "at_least": 96}, {"name": "a", "at_least": 97}]},
        "plugins": ["trust"],
        "thresold": {},
    }
    paths = [line.split(": ")[1] for line in _problems(data)]
    assert paths == [
        "$.thresold",
        "$.method.count_by",
        "$.thresholds.severe",
        "$.thresholds.persistent_absence",
        "$.penalty_notice.codes[1]",
        "$.bands.bands[1].at_least",
        "$.bands.bands[1].at_least",
        "$.bands.bands[1].name",
        "$.plugins[0]",
    ]


def test_policy_error_lists_every_problem_and_pickles() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(
            {"thresholds": {"persistent_absence": 110}, "lateness": {"limit": 0}},
            source="school.toml",
            plugin_manager=_manager(),
        )
    error = caught.value
    assert isinstance(error, ValueError)
    assert str(error).splitlines() == [
        "2 problems in policy",
        "  school.toml: $.thresholds.persistent_absence: "
        "expected a percentage between 0 and 100, got 110",
        "  school.toml: $.lateness.limit: expected a whole number of at least 1, got 0",
    ]
    assert pickle.loads(pickle.dumps(error)).problems == error.problems


def test_calendar_file_must_exist_beside_the_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[calendar]\nfile = 'terms.toml'\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path, plugin_manager=_manager())
    assert caught.value.problems == (
        PolicyProblem(
            "$.calendar.file", f"no calendar file {str(tmp_path / 'terms.toml')!r}", file=str(path)
        ),
    )
    (tmp_path / "terms.toml").write_text("", encoding="utf-8")
    assert load_policy(path, plugin_manager=_manager()).calendar_path == tmp_path / "terms.toml"


def test_unreadable_and_invalid_files_are_policy_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(PolicyError) as caught:
        load_policy(missing, plugin_manager=_manager())
    assert caught.value.problems == (
        PolicyProblem(
            "$",
            "cannot read file (got No such file or directory); expected a readable file",
            file=str(missing),
        ),
    )
    broken = tmp_path / "broken.toml"
    broken.write_text("[thresholds\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"broken\.toml: \$: not valid TOML: .*line 1"):
        load_policy(broken, plugin_manager=_manager())


# -- named plugins and plugin-declared keys ----------------------------------------------------


def test_named_plugin_present_by_registered_name() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(TrustPlugin(), name="trust-policy")
    policy = load_policy({"plugins": ["trust-policy"]}, plugin_manager=manager)
    assert policy.plugins == ("trust-policy",)


def test_plugin_keys_default_when_the_table_is_absent() -> None:
    policy = load_policy({}, plugin_manager=_manager(TrustPlugin()))
    assert dict(policy.plugin_settings["trust"]) == {
        "panel_after_letters": 2,
        "panel_rate": Fraction(85),
    }


def test_plugin_keys_read_and_checked() -> None:
    data = {"plugin_settings": {"trust": {"panel_rate": 87.5}}}
    policy = load_policy(data, plugin_manager=_manager(TrustPlugin()))
    assert policy.plugin_settings["trust"]["panel_rate"] == Fraction(175, 2)
    assert policy.plugin_settings["trust"]["panel_after_letters"] == 2


class ThirdsPlugin:
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (PolicyKey("thirds", "share", Fraction(100, 3), "A share with no decimal.", "T"),)


def test_plugin_fraction_without_a_decimal_round_trips() -> None:
    policy = load_policy({}, plugin_manager=_manager(ThirdsPlugin()))
    assert 'share = "100/3"' in policy.to_toml()
    assert _round_trip(policy, ThirdsPlugin()) == policy
    assert _problems({"plugin_settings": {"thirds": {"share": "a third"}}}, ThirdsPlugin())[
        0
    ].startswith("policy.toml: $.plugin_settings.thirds.share: expected a number, got 'a third'")


def test_plugin_key_problems_name_the_plugin() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(TrustPlugin(), name="trust-policy")
    data = {"plugin_settings": {"trust": {"panel_rate": 120, "panel_after_letter": 3}}}
    with pytest.raises(PolicyError) as caught:
        load_policy(data, source="policy.toml", plugin_manager=manager)
    assert [str(p) for p in caught.value.problems] == [
        "policy.toml: $.plugin_settings.trust.panel_after_letter: unknown key 'panel_after_letter' "
        "(plugin 'trust-policy' declares panel_after_letters, panel_rate); "
        "did you mean 'panel_after_letters'?",
        "policy.toml: $.plugin_settings.trust.panel_rate: expected a percentage, got 120 "
        "(key of plugin 'trust-policy')",
    ]


def test_plugin_key_without_parser_must_match_the_default_type() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(TrustPlugin(), name="trust-policy")
    data = {"plugin_settings": {"trust": {"panel_after_letters": "two"}}}
    with pytest.raises(PolicyError) as caught:
        load_policy(data, source="policy.toml", plugin_manager=manager)
    assert [str(p) for p in caught.value.problems] == [
        "policy.toml: $.plugin_settings.trust.panel_after_letters: expected a whole number, got 'two' "
        "(key of plugin 'trust-policy')"
    ]


def test_two_plugins_claiming_one_key_are_rejected() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(TrustPlugin(), name="trust-policy")
    manager.register(RivalPlugin(), name="rival")
    with pytest.raises(PluginError, match=r"plugins 'rival' and 'trust-policy' both declare"):
        load_policy({}, plugin_manager=manager)


def test_a_plugin_key_without_a_doc_is_rejected() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(UndocumentedPlugin(), name="quiet")
    with pytest.raises(
        PluginError, match=r"'quiet' declares policy key plugin_settings.quiet.level"
    ):
        declared_keys(manager)


def test_declared_keys_record_their_plugin() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(TrustPlugin(), name="trust-policy")
    keys = declared_keys(manager)
    assert sorted(keys) == [
        "plugin_settings.trust.panel_after_letters",
        "plugin_settings.trust.panel_rate",
    ]
    assert {k.plugin for k in keys.values()} == {"trust-policy"}


# -- writing the effective policy back ------------------------------------------------------


def _round_trip(policy: Policy, *plugins: object) -> Policy:
    data = tomllib.loads(policy.to_toml(), parse_float=Decimal)
    return load_policy(data, plugin_manager=_manager(*plugins))


def test_effective_policy_round_trips_with_plugin_keys() -> None:
    data = {
        "codes": {"local_codes": {"I01": "I", "X 07": "X"}, "code_set": "england-2024"},
        "calendar": {"file": "calendar.toml"},
        "bands": {
            "bands": [{"name": "good", "at_least": "100/3"}, {"name": "low", "at_least": 0}],
            "watch_list_below": 92.5,
        },
        "escalation": {"ladder": ["letter 1", 'letter "2"']},
        "plugin_settings": {"trust": {"panel_rate": 87.5}},
    }
    policy = load_policy(data, plugin_manager=_manager(TrustPlugin()))
    assert _round_trip(policy, TrustPlugin()) == policy
    assert 'at_least = "100/3"' in policy.to_toml()
    assert "watch_list_below = 92.5" in policy.to_toml()


percent = st.fractions(min_value=0, max_value=100, max_denominator=40)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    tops = sorted(set(draw(st.lists(percent.filter(bool), max_size=4))), reverse=True)
    bands = [Band(f"band {i}", at) for i, at in enumerate([*tops, Fraction(0)])]
    persistent = draw(st.integers(0, 100))
    return load_policy(
        {
            "thresholds": {
                "persistent_absence": persistent,
                "severe_absence": draw(st.integers(persistent, 100)),
            },
            "bands": {
                "bands": [{"name": b.name, "at_least": b.at_least} for b in bands],
                "watch_list_below": draw(percent),
            },
            "penalty_notice": {"codes": draw(st.lists(st.sampled_from("GNOU"), min_size=1))},
            "codes": {
                "local_codes": draw(st.dictionaries(st.sampled_from(["I01", "X1"]), st.just("I")))
            },
        },
        plugin_manager=_manager(),
    )


@settings(max_examples=60, deadline=None)
@given(policies())
def test_any_valid_policy_round_trips_through_toml(policy: Policy) -> None:
    assert _round_trip(policy) == policy


@settings(max_examples=50, deadline=None)
@given(testing.policies())
def test_public_policy_strategy_round_trips_through_the_loader(policy: Policy) -> None:
    assert _round_trip(policy) == policy


class TinyCodeSet:
    """A plugin code set with one present and one absence code."""

    @hookimpl
    def attendance_core_code_sets(self) -> Sequence[CodeSet]:
        codes = (
            AttendanceCode("/", "Present", Category.PRESENT, "Present"),
            AttendanceCode("A", "Absent", Category.UNAUTHORISED_ABSENCE, "Absent"),
        )
        return (CodeSet("tiny", "Tiny", "Test", None, None, codes),)


def test_codes_are_checked_against_a_plugin_code_set() -> None:
    data: dict[str, Any] = {"codes": {"code_set": "tiny"}, "deletion": {"codes": ["A"]}}
    policy = load_policy(data, plugin_manager=_manager(TinyCodeSet()))
    assert policy.deletion.codes == ("A",)
    data["deletion"]["codes"] = ["A", "G"]
    assert _problems(data, TinyCodeSet()) == [
        "policy.toml: $.deletion.codes[1]: unknown code 'G' in code set tiny"
    ]


_POLICY_KEYS = (
    *("codes", "code_set", "local_codes", "thresholds", "persistent_absence", "bands"),
    *("name", "at_least", "watch_list_below", "escalation", "ladder", "by_severity"),
    *("plugins", "plugins", "penalty_notice", "sessions", "calendar", "file"),
)
_POLICY_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 500),
    st.floats(),
    st.decimals(),
    st.text(max_size=8),
    st.sampled_from(["auto", "england-2024", "I", "N", "at_least", "letter 1", "08-31"]),
)


@settings(max_examples=100, deadline=None)
@given(toml_like(_POLICY_KEYS, _POLICY_VALUES))
def test_any_mapping_is_a_policy_or_a_policy_error(data: dict[str, Any]) -> None:
    problems: tuple[PolicyProblem, ...] | None = None
    try:
        load_policy(data, plugin_manager=_manager())
    except PolicyError as error:  # any other exception fails the test
        problems = error.problems
    assert problems is None or (problems and all(p.path.startswith("$") for p in problems))
