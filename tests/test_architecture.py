"""The package's shape: no import cycles, no private module used across packages or by a plugin.

The layer order itself (data -> rules -> engine and assembly -> edges) is the import-linter
contract in ``pyproject.toml``, checked by ``lint-imports`` in ``make test``. Imports under
``TYPE_CHECKING`` are left out: they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "attendance_core"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, exclude_type_checking_imports=True)


def cycles(nodes: Iterable[str], edges: Callable[[str], Iterable[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one node (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(edges(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _edges(table: Mapping[str, Iterable[str]]) -> Callable[[str], Iterable[str]]:
    return lambda node: table.get(node, ())


def test_the_cycle_finder_finds_cycles_and_only_cycles() -> None:
    table = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": [], "f": ["f"]}
    assert cycles(table, _edges(table)) == [["a", "b", "c"]]
    assert cycles({"a": ["b"], "b": []}, _edges({"a": ["b"], "b": []})) == []


def test_the_package_has_no_import_cycle(graph: grimp.ImportGraph) -> None:
    found = cycles(graph.modules, graph.find_modules_directly_imported_by)
    assert found == [], f"import cycles: {found}"


def private_owner(module: str) -> str | None:
    """The package whose private module ``module`` is (``a.b._c.d`` -> ``a.b``), or ``None``."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def crossing(importer: str, imported: str) -> bool:
    """Whether ``importer`` reaches into a private module of a package it is not part of."""
    owner = private_owner(imported)
    return owner is not None and not (importer == owner or importer.startswith(owner + "."))


def test_private_means_private_to_its_package() -> None:
    assert crossing("attendance_core.io.findings", "attendance_core.rules._timeline")
    assert not crossing("attendance_core.rules.kit", "attendance_core.rules._timeline")
    assert not crossing("attendance_core._docgen", "attendance_core._hookdoc")
    assert not crossing("attendance_core.rules.kit", "attendance_core.rules")


def test_no_module_imports_another_packages_private_module(graph: grimp.ImportGraph) -> None:
    found = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if crossing(importer, imported)
    )
    assert found == []


def _imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


PLUGIN_SOURCES = sorted(ROOT.glob("plugins/*/src/**/*.py"))


def test_the_plugins_are_scanned() -> None:
    assert {path.parts[len(ROOT.parts) + 1] for path in PLUGIN_SOURCES} == {
        "example-trust",
        "kent",
        "mis-subcodes",
        "wales",
    }
    assert _imported_modules("from attendance_core.rules import _timeline") >= {
        "attendance_core.rules._timeline"
    }


@pytest.mark.parametrize("path", PLUGIN_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_plugin_imports_a_private_module_of_the_core(path: Path) -> None:
    private = sorted(
        name
        for name in _imported_modules(path.read_text(encoding="utf-8"))
        if name.split(".")[0] == PACKAGE and private_owner(name) is not None
    )
    assert private == [], f"{path.relative_to(ROOT)} imports private modules of the core"
