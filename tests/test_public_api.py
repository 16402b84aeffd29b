"""The package's re-exports: every name resolves, heavy ones load lazily and stay typed."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import attendance_core

INIT = Path(attendance_core.__file__)


def test_all_is_sorted_and_every_name_resolves() -> None:
    names = attendance_core.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in names:
        assert getattr(attendance_core, name) is not None, name
    assert set(names) <= set(dir(attendance_core))


@pytest.mark.parametrize("name", sorted(attendance_core._LAZY))
def test_a_lazy_name_is_the_object_its_module_defines(name: str) -> None:
    module = importlib.import_module(attendance_core._LAZY[name])
    assert getattr(attendance_core, name) is getattr(module, name)
    assert name in attendance_core.__all__


def test_type_checkers_see_the_same_lazy_names_as_run_time() -> None:
    """The ``if TYPE_CHECKING:`` imports name each lazy re-export from its own module."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                assert statement.module is not None
                seen.update((alias.name, statement.module) for alias in statement.names)
    assert seen == attendance_core._LAZY


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'summarize'"):
        _ = attendance_core.summarize  # type: ignore[attr-defined]


def test_importing_the_package_loads_no_heavy_module() -> None:
    probe = (
        "import sys, attendance_core\n"
        "heavy = ['pluggy', 'holidays', 'attendance_core.calendars', 'attendance_core.engine']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
