"""Local and vendor codes: the policy's mapping, then plugins, then statutory codes; who decided."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from attendance_core import ENGLAND_2006, ENGLAND_2024, hookimpl, make_plugin_manager
from attendance_core.code_resolver import CodeMapping, code_resolver
from attendance_core.codes import AttendanceCode, CodeSet
from attendance_core.exceptions import InputError, PluginError, UnknownCodeError
from attendance_core.plugins import hook_answers
from attendance_core.policy import Policy
from attendance_core.school import load_policy


class SubCodes:
    """A vendor's sub-codes: I01/I02 are illness, X03 is outside compulsory age."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        self.asked.append(code)
        table = {"I01": "I", "I02": "I", "X03": "X", "LOC": "C"}
        return code_set[table[code]] if code in table else None


class SecondOpinion:
    """Registered after SubCodes, so pluggy asks it first; it only knows I02."""

    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return code_set["M"] if code == "I02" else None


class WrongSet:
    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return ENGLAND_2006["H"] if code == "HOL" else None


def _manager(*plugins: tuple[object, str]) -> Any:
    manager = make_plugin_manager(load_entrypoints=False)
    for plugin, name in plugins:
        manager.register(plugin, name=name)
    return manager


def _policy(local: dict[str, str], manager: Any) -> Policy:
    return load_policy(
        {"codes": {"local_codes": local}}, source="school.toml", plugin_manager=manager
    )


@pytest.mark.parametrize(
    ("written", "code", "decided_by"),
    [
        pytest.param("I01", "I", "mis-subcodes", id="plugin-maps-sub-code"),
        pytest.param(" X03 ", "X", "mis-subcodes", id="whitespace-ignored"),
        pytest.param("I02", "M", "second-opinion", id="last-registered-plugin-asked-first"),
        pytest.param("LOC", "U", "policy school.toml", id="policy-beats-plugins"),
        pytest.param("EV", "E", "policy school.toml", id="policy-only"),
        pytest.param("N", "N", "builtin", id="statutory-code"),
    ],
)
def test_resolver_decides_and_records_who(written: str, code: str, decided_by: str) -> None:
    manager = _manager((SubCodes(), "mis-subcodes"), (SecondOpinion(), "second-opinion"))
    resolve = code_resolver(_policy({"LOC": "U", "EV": "E"}, manager), manager)
    assert resolve(written, ENGLAND_2024) == ENGLAND_2024[code]
    expected = {} if decided_by == "builtin" else {written.strip(): (code, decided_by)}
    assert resolve.provenance() == expected


def test_each_distinct_code_is_decided_once() -> None:
    plugin = SubCodes()
    manager = _manager((plugin, "mis-subcodes"))
    resolve = code_resolver(_policy({}, manager), manager)
    for _ in range(3):
        resolve("I01", ENGLAND_2024)
        resolve("/", ENGLAND_2024)
    assert plugin.asked == ["I01", "/"]
    assert resolve.mappings == (CodeMapping("I01", "I", "england-2024", "mis-subcodes"),)


def test_same_written_code_is_decided_per_code_set() -> None:
    manager = _manager((SubCodes(), "mis-subcodes"))
    resolve = code_resolver(_policy({}, manager), manager)
    assert resolve("I01", ENGLAND_2006).code_set == "england-2006"
    assert resolve("I01", ENGLAND_2024).code_set == "england-2024"
    assert {m.code_set for m in resolve.mappings} == {"england-2006", "england-2024"}


def test_unknown_code_suggests_statutory_codes() -> None:
    manager = _manager()
    resolve = code_resolver(_policy({}, manager), manager)
    with pytest.raises(UnknownCodeError) as caught:
        resolve("u", ENGLAND_2024)
    assert caught.value.suggestions[0] == "U"


def test_policy_mapping_onto_a_code_missing_from_the_mark_set_is_bad_input() -> None:
    manager = _manager()
    resolve = code_resolver(_policy({"SICK": "C1"}, manager), manager)
    with pytest.raises(InputError, match=r"policy maps 'SICK' onto 'C1'.*'england-2006'"):
        resolve("SICK", ENGLAND_2006)


def test_plugin_mapping_onto_another_sets_code_is_a_plugin_error() -> None:
    manager = _manager((WrongSet(), "wrong-set"))
    resolve = code_resolver(_policy({}, manager), manager)
    with pytest.raises(PluginError, match=r"plugin 'wrong-set' mapped 'HOL'"):
        resolve("HOL", ENGLAND_2024)


class Wrapper:
    """A hook wrapper: pluggy runs it around the other implementations."""

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl(wrapper=True)
    def attendance_core_map_code(self, code: str) -> Generator[None, Any, Any]:
        self.calls += 1
        return (yield)


class Early:
    @hookimpl(tryfirst=True)
    def attendance_core_map_code(self, code: str) -> AttendanceCode | None:
        return None


def test_hook_answers_go_through_pluggy_with_wrappers_and_name_the_decider() -> None:
    wrapper = Wrapper()
    manager = _manager((SubCodes(), "mis-subcodes"), (Early(), "early"), (wrapper, "wrap"))
    answers = hook_answers(manager, "attendance_core_map_code", code="I01", code_set=ENGLAND_2024)
    # Early (tryfirst) answers None, so the sub-code plugin decides; the wrapper ran around them.
    assert answers == [("mis-subcodes", ENGLAND_2024["I"])]
    assert wrapper.calls == 1
