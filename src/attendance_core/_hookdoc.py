"""The hook reference, ``docs/hooks.md``, generated from :mod:`attendance_core.hookspecs`.

The reference is never edited by hand: ``make docs`` (:mod:`attendance_core._docgen`) rewrites
it, ``tests/test_docs.py`` fails when the committed page differs from what this module
generates, and ``tests/test_hooks_doc.py`` when a hook's docstring leaves out an argument or
its return value.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import attrs

from attendance_core import hookspecs

__all__ = ["HookDoc", "hook_docs", "hooks_markdown"]

_ROLE = re.compile(r":(?:func|class|meth|attr|data|mod|exc|obj):`~?([^`]+)`")
_FIELD = re.compile(r"^:(param (?P<name>\w+)|return|raises?(?: \w+)?):\s*(?P<text>.*)$")


@attrs.frozen
class HookDoc:
    """What the reference says about one hook."""

    name: str
    signature: str
    """``name(arg: Type, ...) -> Return``, annotations exactly as written in hookspecs.py."""
    argnames: tuple[str, ...]
    firstresult: bool
    historic: bool
    docstring: str


def _signature(func: Callable[..., Any]) -> str:
    signature = inspect.signature(func)
    params = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
    return f"{func.__name__}({params}) -> {signature.return_annotation}"


def hook_docs() -> list[HookDoc]:
    """Every hook in :mod:`attendance_core.hookspecs`, in the order the module defines them
    (a module's namespace keeps definition order)."""
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    found = []
    for name, func in vars(hookspecs).items():
        options = getattr(func, marker, None)
        if not name.startswith("attendance_core_") or options is None:
            continue
        found.append(
            HookDoc(
                name=name,
                signature=_signature(func),
                argnames=tuple(inspect.signature(func).parameters),
                firstresult=bool(options.get("firstresult")),
                historic=bool(options.get("historic")),
                docstring=inspect.getdoc(func) or "",
            )
        )
    return found


def _markdown_docstring(text: str) -> str:
    """Sphinx roles become code spans; ``:param x:`` fields become a list."""
    lines: list[str] = []
    for line in _ROLE.sub(r"`\1`", text).splitlines():
        field = _FIELD.match(line)
        if field is not None:
            label = f"`{field['name']}`" if field["name"] else field.group(1).capitalize()
            lines.append(f"- **{label}**: {field['text']}".rstrip())
        elif line.startswith(" ") and lines and lines[-1].startswith("- **"):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


def hooks_markdown() -> str:
    """The whole ``docs/hooks.md`` page."""
    intro = inspect.getdoc(hookspecs) or ""
    out = [
        "# Hook reference",
        "",
        "<!-- Generated from src/attendance_core/hookspecs.py by `make docs`; do not edit by hand.",
        "     tests/test_docs.py fails when this page drifts from the hookspecs. -->",
        "",
        _markdown_docstring(intro),
        "",
        "| Hook | Kind |",
        "| --- | --- |",
    ]
    docs = hook_docs()
    out += [f"| [`{h.name}`](#{h.name}) | {_kind(h)} |" for h in docs]
    for hook in docs:
        out += [
            "",
            f"## {hook.name}",
            "",
            "```python no-test",
            hook.signature,
            "```",
            "",
            f"*{_kind(hook)}.*",
            "",
            _markdown_docstring(hook.docstring),
        ]
    return "\n".join(out) + "\n"


def _kind(hook: HookDoc) -> str:
    kind = (
        "Decision hook (`firstresult`: the first non-`None` answer wins)"
        if hook.firstresult
        else "Contribution hook (every plugin's answer is collected)"
    )
    return kind + (", historic" if hook.historic else "")
