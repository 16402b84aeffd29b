"""The plugin skeleton: a fresh manager per test, the code-set and code-mapping hooks, and the
entry-point autoload switch.

Every test builds its own manager with ``make_plugin_manager(load_entrypoints=False, ...)`` so
no installed plugin and no other test changes its answer.
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import attrs
import pytest

from attendance_core import (
    ENGLAND_2006,
    ENGLAND_2024,
    AttendanceCode,
    Category,
    CodeSet,
    PluginError,
    UnknownCodeError,
    hookimpl,
    list_plugins,
    make_plugin_manager,
)
from attendance_core.plugins import (
    AUTOLOAD_ENV,
    ENTRY_POINT_GROUP,
    code_sets,
    installed_plugins,
    resolve_code,
)

TINY = CodeSet(
    id="test-tiny",
    name="A two-code set for tests",
    source="tests/test_plugins.py",
    valid_from=None,
    valid_to=None,
    codes=(
        AttendanceCode("P", "Present", Category.PRESENT, "Present"),
        AttendanceCode("A", "Absent", Category.UNAUTHORISED_ABSENCE, "Absent"),
    ),
)


class TinySet:
    @hookimpl
    def attendance_core_code_sets(self) -> Sequence[CodeSet]:
        return (TINY,)


class VendorSubcodes:
    """An MIS's sub-codes: I01 and I02 are illness, X01 is not required to attend."""

    PARENTS: ClassVar[dict[str, str]] = {"I01": "I", "I02": "I", "X01": "X"}

    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        parent = self.PARENTS.get(code)
        return code_set[parent] if parent else None


def test_a_fresh_manager_holds_only_the_builtin_plugin() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    infos = list_plugins(manager)
    assert [info.name for info in infos] == ["builtin"]
    assert {"attendance_core_code_sets", "attendance_core_map_code"} <= set(infos[0].hooks)
    assert code_sets(manager) == {"england-2024": ENGLAND_2024, "england-2006": ENGLAND_2006}


def test_managers_do_not_share_plugins() -> None:
    with_tiny = make_plugin_manager(load_entrypoints=False, plugins=[TinySet()])
    without = make_plugin_manager(load_entrypoints=False)
    assert "test-tiny" in code_sets(with_tiny)
    assert "test-tiny" not in code_sets(without)


def test_a_plugin_contributes_a_code_set() -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[TinySet()])
    found = code_sets(manager)
    assert set(found) == {"england-2024", "england-2006", "test-tiny"}
    assert found["test-tiny"]["A"].category is Category.UNAUTHORISED_ABSENCE
    assert found["test-tiny"]["A"].code_set == "test-tiny"


def test_two_code_sets_with_one_id_are_refused() -> None:
    impostor = attrs.evolve(TINY, id="england-2024")

    class Impostor:
        @hookimpl
        def attendance_core_code_sets(self) -> Sequence[CodeSet]:
            return (impostor,)

    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(Impostor(), name="impostor")
    with pytest.raises(
        PluginError, match="two plugins provide code set 'england-2024': 'impostor' and 'builtin'"
    ):
        code_sets(manager)


def test_the_same_code_set_from_two_plugins_is_one_set() -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[TinySet(), TinySet()])
    assert code_sets(manager)["test-tiny"] is TINY


@pytest.mark.parametrize(
    ("written", "statutory"),
    [("I01", "I"), (" I02 ", "I"), ("X01", "X"), ("I", "I"), ("C2", "C2")],
)
def test_a_plugin_maps_local_codes_onto_statutory_ones(written: str, statutory: str) -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[VendorSubcodes()])
    assert resolve_code(manager, written, ENGLAND_2024) is ENGLAND_2024[statutory]


def test_without_the_plugin_a_local_code_is_unknown() -> None:
    manager = make_plugin_manager(load_entrypoints=False)
    with pytest.raises(UnknownCodeError) as caught:
        resolve_code(manager, "I01", ENGLAND_2024)
    assert (caught.value.code, caught.value.code_set) == ("I01", "england-2024")


def test_an_unmapped_code_still_gets_suggestions() -> None:
    manager = make_plugin_manager(load_entrypoints=False, plugins=[VendorSubcodes()])
    with pytest.raises(UnknownCodeError) as caught:
        resolve_code(manager, "c2", ENGLAND_2024)
    assert caught.value.suggestions[0] == "C2"


def test_a_plugin_decides_before_the_builtin() -> None:
    """Decision hooks are firstresult and the builtin is trylast: a plugin can re-map "B"."""

    class AllBIsK:
        @hookimpl
        def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
            return code_set["K"] if code == "B" else None

    manager = make_plugin_manager(load_entrypoints=False, plugins=[AllBIsK()])
    assert resolve_code(manager, "B", ENGLAND_2024).code == "K"


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(ENGLAND_2006["H"], id="code-of-another-set"),
        pytest.param(TINY["P"], id="code-of-a-plugin-set"),
        pytest.param(
            attrs.evolve(ENGLAND_2024["I"], category=Category.PRESENT), id="altered-statutory-code"
        ),
    ],
)
def test_mapping_onto_a_code_outside_the_set_is_refused(target: AttendanceCode) -> None:
    class Wrong:
        @hookimpl
        def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
            return target

    manager = make_plugin_manager(load_entrypoints=False, plugins=[Wrong()])
    with pytest.raises(PluginError, match=r"'HOL'.*not in 'england-2024'"):
        resolve_code(manager, "HOL", ENGLAND_2024)


def test_a_misspelt_hook_is_refused_naming_plugin_and_hook() -> None:
    class Misspelt:
        @hookimpl
        def attendance_core_map_cod(self, code: str) -> None:
            return None

    with pytest.raises(PluginError, match=r"attendance_core_map_cod") as caught:
        make_plugin_manager(load_entrypoints=False, plugins=[Misspelt()])
    assert "plugin '" in str(caught.value)


@pytest.fixture
def entry_point_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An installed distribution (only this one) whose entry point names a plugin module."""
    module = "acore_test_entry_point_plugin"
    (tmp_path / f"{module}.py").write_text(
        "from attendance_core import hookimpl\n\n"
        "@hookimpl\n"
        "def attendance_core_map_code(code, code_set):\n"
        "    return code_set['O'] if code == 'TRUANT' else None\n",
        encoding="utf-8",
    )
    dist_info = tmp_path / "acore_test_plugin-1.2.3.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acore-test-plugin\nVersion: 1.2.3\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\ntruant = {module}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    only_here = importlib.metadata.distributions
    monkeypatch.setattr(
        importlib.metadata, "distributions", lambda: only_here(path=[str(tmp_path)])
    )
    yield module
    sys.modules.pop(module, None)


def test_installed_plugins_are_dormant_until_named(
    entry_point_plugin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV, raising=False)
    assert installed_plugins()["truant"].version == "1.2.3"
    dormant = make_plugin_manager()
    assert [i.name for i in list_plugins(dormant)] == ["builtin"]
    with pytest.raises(UnknownCodeError):
        resolve_code(dormant, "TRUANT", ENGLAND_2024)

    named = make_plugin_manager(["truant"])
    assert resolve_code(named, "TRUANT", ENGLAND_2024).code == "O"
    info = {i.name: i for i in list_plugins(named)}["truant"]
    assert (info.version, info.hooks) == ("1.2.3", ("attendance_core_map_code",))

    with pytest.raises(PluginError, match=r"no installed plugin is named 'truent'.*truant"):
        make_plugin_manager(["truent"])
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    with pytest.raises(PluginError, match="switched off"):
        make_plugin_manager(["truant"])
    monkeypatch.delenv(AUTOLOAD_ENV)
    with pytest.raises(PluginError, match="switched off"):
        make_plugin_manager(["truant"], load_entrypoints=False)


def test_every_decision_hook_has_a_trylast_builtin_default() -> None:
    """The hookspecs' contract: a decision hook (firstresult) always has an answer, the
    built-in one, and it comes last so that any plugin gets the first word."""
    manager = make_plugin_manager(load_entrypoints=False)
    builtin = manager.get_plugin("builtin")
    for name, caller in vars(manager.hook).items():
        if not name.startswith("attendance_core_") or caller.spec is None:
            continue
        impls = {impl.plugin_name: impl for impl in caller.get_hookimpls()}
        if caller.spec.opts.get("firstresult"):
            assert "builtin" in impls, f"decision hook {name} has no built-in default"
        if "builtin" in impls:
            assert impls["builtin"].trylast, f"built-in {name} is not trylast"
            assert impls["builtin"].plugin is builtin
