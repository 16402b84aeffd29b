"""Writing a policy back as TOML: the effective policy, every default written out.

What is written reads back as an equal :class:`Policy` (a test holds it to that): percentages
are written as exact decimals (``92.5``), or as ``"n/d"`` text where no decimal is exact.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from attendance_core.policy._load import section_fields, show_value

if TYPE_CHECKING:  # Policy.to_toml calls in here, so this module need not import it
    from attendance_core.policy._policy import Policy

__all__ = ["policy_to_toml", "toml_value"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    """A bare key where TOML allows one, else a quoted key."""
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any, *, multiline: bool = True) -> str:
    """One TOML value for text, numbers, booleans, dates, lists and tables.

    A list of tables is written one table per line unless ``multiline`` is false.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        text = show_value(value)
        return _string(text) if "/" in text else text
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if attrs.has(type(value)):
        value = {f.name: getattr(value, f.name) for f in attrs.fields(type(value))}
    if isinstance(value, Mapping):
        items = ", ".join(
            f"{toml_key(k)} = {toml_value(v, multiline=False)}" for k, v in value.items()
        )
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, (list, tuple)):
        tables = value and all(attrs.has(type(v)) or isinstance(v, Mapping) for v in value)
        if tables and multiline:
            return "[\n" + "".join(f"    {toml_value(v)},\n" for v in value) + "]"
        return "[" + ", ".join(toml_value(v, multiline=False) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _table(header: str, values: Mapping[str, Any]) -> list[str]:
    lines = [f"[{header}]"]
    for key, value in values.items():
        if value is None:
            lines.append(f"# {toml_key(key)} is not set")
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    return [*lines, ""]


def policy_to_toml(policy: Policy) -> str:
    """The whole effective policy as a TOML document, sections in the model's order."""
    lines = []
    if policy.source is not None:
        lines.append(f"# Effective policy read from {policy.source}, defaults filled in.")
    lines += [f"plugins = {toml_value(policy.plugins)}", ""]
    for field in section_fields(type(policy)):
        section = getattr(policy, field.name)
        lines += _table(
            field.name, {f.name: getattr(section, f.name) for f in attrs.fields(type(section))}
        )
    for table, values in policy.plugin_settings.items():
        lines += _table(f"plugin_settings.{toml_key(table)}", values)
    return "\n".join(lines).rstrip("\n") + "\n"
