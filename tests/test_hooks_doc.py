"""docs/hooks.md is generated from hookspecs.py (tests/test_docs.py fails when it drifts, as in
datasette); here: every hook is documented with its signature, arguments and return."""

from __future__ import annotations

import re

import pytest

from _docs import DOCS
from attendance_core import hookspecs, make_plugin_manager
from attendance_core._hookdoc import HookDoc, hook_docs, hooks_markdown

HOOKS_MD = DOCS / "hooks.md"
_SECTION = re.compile(r"^## (?P<name>\w+)\n\n```python no-test\n(?P<signature>.*)\n```", re.M)


def _documented() -> dict[str, str]:
    text = HOOKS_MD.read_text(encoding="utf-8")
    return {m["name"]: m["signature"] for m in _SECTION.finditer(text)}


def _spec_hooks() -> dict[str, tuple[str, ...]]:
    manager = make_plugin_manager(load_entrypoints=False)
    return {
        name: tuple(caller.spec.argnames)
        for name, caller in vars(manager.hook).items()
        if name.startswith("attendance_core_") and caller.spec is not None
    }


@pytest.mark.parametrize("hook", sorted(_spec_hooks()))
def test_every_hook_is_documented_with_its_signature(hook: str) -> None:
    documented = _documented()
    assert hook in documented, f"{hook} is missing from docs/hooks.md"
    arguments = re.findall(r"(\w+):", documented[hook].split("(", 1)[1].rsplit(")", 1)[0])
    assert tuple(arguments) == _spec_hooks()[hook]


@pytest.mark.parametrize("hook", hook_docs(), ids=lambda h: h.name)
def test_every_hook_docstring_says_who_calls_it_each_argument_and_the_return(
    hook: HookDoc,
) -> None:
    assert "Called by" in hook.docstring
    for argument in hook.argnames:
        assert f":param {argument}:" in hook.docstring, f"{hook.name}: {argument} undocumented"
    assert ":return:" in hook.docstring


def test_reference_states_whether_a_hook_stops_at_the_first_answer() -> None:
    text = hooks_markdown()
    for hook in hook_docs():
        section = text.split(f"## {hook.name}\n", 1)[1]
        expected = "Decision hook" if hook.firstresult else "Contribution hook"
        assert section.split("\n## ", 1)[0].count(expected) == 1


def test_hook_docs_are_the_hookspecs_in_source_order() -> None:
    names = [h.name for h in hook_docs()]
    assert set(names) == set(_spec_hooks())
    lines = [getattr(hookspecs, n).__code__.co_firstlineno for n in names]
    assert lines == sorted(lines)
