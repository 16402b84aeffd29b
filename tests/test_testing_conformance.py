"""The conformance kit passes a plugin that keeps every hook contract and names each breach."""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import attrs
import pytest

from attendance_core import ENGLAND_2006, AttendanceCode, Category, CodeSet, hookimpl
from attendance_core.calendars import (
    CalendarAdjustment,
    Closure,
    SchoolCalendar,
)
from attendance_core.policy import Policy, PolicyKey
from attendance_core.policy._model import ThresholdsPolicy
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext
from attendance_core.testing import ConformanceError, check_plugin, plugin_problems

pytest_plugins = ["pytester"]

VENDOR = CodeSet(
    id="vendor-extended",
    name="A vendor's extended set",
    source="Vendor manual, section 4",
    valid_from=dt.date(2024, 8, 19),
    valid_to=None,
    codes=(
        AttendanceCode("/", "Present (AM)", Category.PRESENT, "Attending"),
        AttendanceCode("I", "Illness", Category.AUTHORISED_ABSENCE, "Unavoidable cause"),
    ),
)
SUBCODES = {"I01": "I", "I02": "I"}
ANYSHIRE = SchoolCalendar.from_mapping(
    {
        "name": "Anyshire 2024/25",
        "nation": "england",
        "years": [
            {
                "academic_year": 2024,
                "terms": [
                    {"name": "Autumn", "start": dt.date(2024, 9, 4), "end": dt.date(2024, 12, 20)},
                    {"name": "Spring", "start": dt.date(2025, 1, 6), "end": dt.date(2025, 4, 4)},
                    {"name": "Summer", "start": dt.date(2025, 4, 22), "end": dt.date(2025, 7, 22)},
                ],
            }
        ],
    }
)
SATURDAY = dt.date(2024, 9, 7)


def _no_findings(record: PupilRecord, context: RuleContext) -> list[Finding]:
    return []


def _rule(name: str, source: str = "Trust attendance policy s3", summary: str = "Letters") -> Rule:
    return Rule(name, "pupil", _no_findings, source, summary)


def _key(
    name: str = "letter_after",
    *,
    doc: str = "Unauthorised sessions before letter one.",
    source: str = "Trust attendance policy s2",
    default: object = 10,
    parse: Callable[[Any], Any] | None = None,
) -> PolicyKey:
    return PolicyKey("trust", name, default, doc, source, parse)


class GoodPlugin:
    """Keeps every contract: the baseline each bad plugin below breaks in one way."""

    @hookimpl
    def attendance_core_code_sets(self) -> Sequence[CodeSet]:
        return (VENDOR,)

    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        statutory = SUBCODES.get(code)
        return code_set[statutory] if statutory is not None else None

    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (_key(),)

    @hookimpl
    def attendance_core_rules(self) -> Sequence[Rule]:
        return (_rule("trust-letter-one"),)

    @hookimpl
    def attendance_core_adjust_policy(self, policy: Policy, rule: Rule) -> Policy | None:
        if rule.name != "trust-letter-one":
            return None
        return attrs.evolve(policy, bands=attrs.evolve(policy.bands, watch_list_below=Fraction(92)))

    @hookimpl
    def attendance_core_calendars(self) -> Sequence[SchoolCalendar]:
        return (ANYSHIRE,)

    @hookimpl
    def attendance_core_adjust_calendar(self, calendar: SchoolCalendar) -> CalendarAdjustment:
        return CalendarAdjustment(inset_days=(dt.date(2024, 9, 4), dt.date(2025, 1, 6)))


def test_a_plugin_that_keeps_every_contract_passes() -> None:
    assert plugin_problems(GoodPlugin(), local_codes=SUBCODES) == []
    check_plugin(GoodPlugin(), local_codes=SUBCODES)


def test_a_plugin_with_no_hooks_passes() -> None:
    check_plugin(object())


# -- one bad plugin per broken contract -----------------------------------------------------
class MisspeltHook:
    @hookimpl
    def attendance_core_map_cod(self, code: str) -> None:
        return None


class WrongArgument:
    @hookimpl
    def attendance_core_map_code(self, code: str, codeset: CodeSet) -> None:
        return None


class UnmarkedHook:
    def attendance_core_code_sets(self) -> Sequence[CodeSet]:
        return (VENDOR,)


class OutsideTheSet(GoodPlugin):
    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return ENGLAND_2006["J"] if code in SUBCODES else None


class PartialMapping(GoodPlugin):
    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return code_set["I"] if code == "I01" else None


class RemapsStatutory(GoodPlugin):
    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return code_set["I"] if code in (*SUBCODES, "N") else None


class MapsEverything(GoodPlugin):
    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return code_set["I"]


class UndocumentedKey(GoodPlugin):
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (_key(doc=" "), _key("ladder", source=""))


class BadDefault(GoodPlugin):
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (_key(default="ten", parse=int), _key())


class UnwritableDefault(GoodPlugin):
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (_key("year_groups", default=frozenset({7, 8}), parse=frozenset),)


class DuplicateRule(GoodPlugin):
    @hookimpl
    def attendance_core_rules(self) -> Sequence[Rule]:
        return (_rule("trust-letter-one"), _rule("trust-letter-one"), _rule("Letter2", source=""))


class BadCodeSet(GoodPlugin):
    @hookimpl
    def attendance_core_code_sets(self) -> Sequence[CodeSet]:
        uncategorised = AttendanceCode("Z9", "?", "present", "x")  # type: ignore[arg-type]
        return (
            CodeSet("england-2024", "Clash", "SI 2024/208", None, None, VENDOR.codes),
            CodeSet("mine", "No source", " ", None, None, (uncategorised,)),
        )


class InvalidCalendar(GoodPlugin):
    @hookimpl
    def attendance_core_calendars(self) -> Sequence[SchoolCalendar]:
        year = attrs.evolve(ANYSHIRE.years[0], inset_days=(SATURDAY,))
        return (ANYSHIRE, attrs.evolve(ANYSHIRE, years=(year,)))


class NamelessCalendar:
    @hookimpl
    def attendance_core_calendars(self) -> Sequence[object]:
        return (attrs.evolve(ANYSHIRE, name=" "), "Anyshire 2024/25")


class BadAdjustment(GoodPlugin):
    @hookimpl
    def attendance_core_adjust_calendar(self, calendar: SchoolCalendar) -> CalendarAdjustment:
        return CalendarAdjustment(
            closures=(Closure(dt.date(2024, 8, 12), dt.date(2024, 8, 12), "#"),)
        )


class InvalidThresholds(GoodPlugin):
    @hookimpl
    def attendance_core_adjust_policy(self, policy: Policy, rule: Rule) -> Policy | None:
        thresholds = ThresholdsPolicy(persistent_absence=60, severe_absence=50)
        return attrs.evolve(policy, thresholds=thresholds)


class Raises(GoodPlugin):
    @hookimpl
    def attendance_core_rules(self) -> Sequence[Rule]:
        raise RuntimeError("rules file missing")


@pytest.mark.parametrize(
    ("plugin", "expected"),
    [
        pytest.param(
            MisspeltHook(),
            [
                "hook names: 'attendance_core_map_cod' is not .* did you mean 'attendance_core_map_code'"
            ],
            id="misspelt-hook",
        ),
        pytest.param(
            WrongArgument(),
            [
                "hook names: attendance_core_map_code asks for 'codeset', which the hook does not pass"
            ],
            id="argument-the-hook-lacks",
        ),
        pytest.param(
            UnmarkedHook(),
            ["hook names: 'attendance_core_code_sets' .* not marked"],
            id="unmarked-hook",
        ),
        pytest.param(
            OutsideTheSet(),
            ["attendance_core_map_code: 'I01' in 'england-2024': .*onto 'J'"],
            id="mapping-outside-the-set",
        ),
        pytest.param(
            PartialMapping(),
            ["attendance_core_map_code: claimed code 'I02' is not mapped in 'england-2024'"],
            id="partial-mapping",
        ),
        pytest.param(
            RemapsStatutory(),
            ["attendance_core_map_code: remapped statutory codes in 'england-2024': 'N' onto 'I'$"],
            id="remaps-statutory-code",
        ),
        pytest.param(
            MapsEverything(),
            ["attendance_core_map_code: mapped the unknown code .* return None"],
            id="maps-unknown-codes",
        ),
        pytest.param(
            UndocumentedKey(),
            [
                "attendance_core_policy_keys: policy key plugin_settings.trust.letter_after: has no doc",
                "attendance_core_policy_keys: policy key plugin_settings.trust.ladder: has no source",
            ],
            id="undocumented-policy-key",
        ),
        pytest.param(
            BadDefault(),
            [
                "policy key plugin_settings.trust.letter_after: its own check rejects its default 'ten'",
                "policy key plugin_settings.trust.letter_after is declared twice",
            ],
            id="bad-default-and-duplicate-key",
        ),
        pytest.param(
            UnwritableDefault(),
            [
                "attendance_core_policy_keys: a policy with the plugin's defaults cannot be "
                "written: cannot write frozenset"
            ],
            id="default-not-writable-as-toml",
        ),
        pytest.param(
            DuplicateRule(),
            [
                "attendance_core_rules: rule name 'trust-letter-one' is already taken",
                "rule 'Letter2': name is not kebab-case",
                "rule 'Letter2': has no source",
            ],
            id="duplicate-rule-name",
        ),
        pytest.param(
            BadCodeSet(),
            [
                "code set id 'england-2024' is already taken",
                "code set 'mine': has no source",
                "code set 'mine': code 'Z9' has no statistical category",
            ],
            id="bad-code-sets",
        ),
        pytest.param(
            InvalidCalendar(),
            [
                "attendance_core_calendars: calendar name 'Anyshire 2024/25' is already taken",
                r"calendar 'Anyshire 2024/25': \$\.years\[0\]\.inset_days\[0\]: "
                "INSET day 2024-09-07 is a Saturday",
            ],
            id="invalid-calendar",
        ),
        pytest.param(
            NamelessCalendar(),
            [
                "attendance_core_calendars: calendar name is empty",
                "attendance_core_calendars: returned 'Anyshire 2024/25', not a SchoolCalendar",
            ],
            id="nameless-calendar-and-not-a-calendar",
        ),
        pytest.param(
            BadAdjustment(),
            [
                "attendance_core_adjust_calendar: adjusting calendar 'Anyshire 2024/25': "
                ".*closure 2024-08-12 to 2024-08-12 is outside term"
            ],
            id="adjustment-outside-term",
        ),
        pytest.param(
            InvalidThresholds(),
            [
                "attendance_core_adjust_policy: for rule 'trust-letter-one' returned an invalid "
                r"policy: \$\.thresholds\.severe_absence: expected at least persistent_absence"
            ],
            id="invalid-adjusted-policy",
        ),
        pytest.param(
            Raises(),
            ["attendance_core_rules: raised RuntimeError: rules file missing"],
            id="raises",
        ),
    ],
)
def test_each_broken_contract_is_named(plugin: object, expected: list[str]) -> None:
    with pytest.raises(ConformanceError) as caught:
        check_plugin(plugin, local_codes=SUBCODES, code_sets=["england-2024"])
    message = str(caught.value)
    assert message.startswith(f"plugin {type(plugin).__name__!r} breaks")
    for pattern in expected:
        assert any(re.search(pattern, p) for p in caught.value.problems), (
            pattern,
            caught.value.problems,
        )
    assert all(f"  - {p}" in message for p in caught.value.problems)


def test_problems_are_one_per_code_set_asked_for() -> None:
    problems = plugin_problems(PartialMapping(), local_codes=SUBCODES, code_sets=[ENGLAND_2006])
    assert problems == [
        "attendance_core_map_code: claimed code 'I02' is not mapped in 'england-2006' (map every one)"
    ]


def test_an_adjustment_is_checked_on_the_calendar_it_is_meant_for() -> None:
    class SchoolOnly:
        @hookimpl
        def attendance_core_adjust_calendar(self, calendar: SchoolCalendar) -> CalendarAdjustment:
            return CalendarAdjustment(inset_days=(SATURDAY,))

    assert "no calendar" in plugin_problems(SchoolOnly())[0]
    assert plugin_problems(SchoolOnly(), calendar=ANYSHIRE) == [
        "attendance_core_adjust_calendar: adjusting calendar 'Anyshire 2024/25': "
        "$.years[0].inset_days[0]: INSET day 2024-09-07 is a Saturday"
    ]


def test_a_mapping_cannot_be_checked_without_the_codes_it_claims() -> None:
    with pytest.raises(ConformanceError, match=r"breaks 1 hook contract:\n.*no local_codes"):
        check_plugin(GoodPlugin())


def test_a_module_plugin_is_named_by_its_module() -> None:
    module = types.ModuleType("trust_plugin")

    @hookimpl
    def attendance_core_rules() -> Sequence[Rule]:
        return (_rule("trust-letter-one", summary=""),)

    module.attendance_core_rules = attendance_core_rules  # type: ignore[attr-defined]
    with pytest.raises(ConformanceError) as caught:
        check_plugin(module)
    assert isinstance(caught.value, AssertionError)
    assert caught.value.plugin == "trust_plugin"
    assert caught.value.problems == (
        "attendance_core_rules: rule 'trust-letter-one': has no summary",
    )


# -- the pytest plugin, end to end --------------------------------------------------------
def test_fixture_override_registers_the_authors_plugin(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from attendance_core import hookimpl

        pytest_plugins = ["attendance_core.testing.pytest_plugin"]

        class Vendor:
            @hookimpl
            def attendance_core_map_code(self, code, code_set):
                return code_set["I"] if code == "I01" else None

        @pytest.fixture
        def attendance_plugins():
            return [Vendor()]
        """
    )
    pytester.makepyfile(
        """
        import os
        from attendance_core import ENGLAND_2024
        from attendance_core.plugins import AUTOLOAD_ENV, list_plugins, resolve_code
        from attendance_core.testing import check_plugin

        def test_manager_has_the_plugin(attendance_plugin_manager):
            assert resolve_code(attendance_plugin_manager, "I01", ENGLAND_2024).code == "I"
            assert len(list_plugins(attendance_plugin_manager)) == 2
            assert os.environ[AUTOLOAD_ENV]

        def test_conforms(attendance_plugins):
            for plugin in attendance_plugins:
                check_plugin(plugin, local_codes=["I01"])

        def test_claiming_more_than_it_maps_fails(attendance_plugins):
            check_plugin(attendance_plugins[0], local_codes=["I01", "I02"])
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ConformanceError: plugin 'Vendor' breaks 2 hook contracts:",
            "*- attendance_core_map_code: claimed code 'I02' is not mapped in 'england-2024'*",
        ]
    )


def test_marker_chooses_plugins_per_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["attendance_core.testing.pytest_plugin"]')
    pytester.makepyfile(
        """
        import pytest
        from attendance_core import hookimpl
        from attendance_core.plugins import list_plugins

        class Quiet:
            @hookimpl
            def attendance_core_policy_keys(self):
                return ()

        class Misspelt:
            @hookimpl
            def attendance_core_polcy_keys(self):
                return ()

        @pytest.mark.attendance_plugins(Quiet())
        def test_marker(attendance_plugin_manager):
            hooks = [info.hooks for info in list_plugins(attendance_plugin_manager)]
            assert hooks[1] == ("attendance_core_policy_keys",)

        def test_no_marker_means_builtin_only(attendance_plugins, attendance_plugin_manager):
            assert attendance_plugins == ()
            assert [i.name for i in list_plugins(attendance_plugin_manager)] == ["builtin"]

        @pytest.mark.attendance_plugins(Misspelt())
        def test_misspelt(attendance_plugin_manager):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*PluginError*attendance_core_polcy_keys*"])
