"""Policy keys that plugins own, read from ``[plugin_settings.<table>]`` of a policy file.

A plugin declares each key it reads (name, default, doc, legal or local source and how to
check a value) by implementing ``attendance_core_policy_keys``; the policy loader then accepts
``[plugin_settings.<table>]`` tables only for declared keys, fills in defaults, and records which plugin
declared each key. Two plugins claiming one key, or a key without a doc, is a plugin error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["DeclaredKey", "PolicyKey"]


@attrs.frozen
class PolicyKey:
    """One key of ``[plugin_settings.<table>]`` in a policy file, owned by the plugin that declares it.

    ``parse`` turns the value as written (TOML floats arrive as exact ``Fraction``) into the value
    rules read, raising ``ValueError`` or ``TypeError`` whose message says what was expected.
    Without ``parse`` the value must have the default's type (a list is read as a tuple).
    Whatever ``parse`` returns must be writable back as TOML (text, numbers, booleans, lists,
    tables), so that an effective policy round-trips.
    """

    table: str
    """The ``<table>`` of ``[plugin_settings.<table>]``, usually the plugin's name, e.g. ``"trust"``."""
    name: str
    default: Any
    doc: str
    """What the key means; required (an undocumented key is a plugin error)."""
    source: str = ""
    """The legal, DfE or local-policy basis of the default."""
    parse: Callable[[Any], Any] | None = attrs.field(default=None, eq=False)

    @property
    def path(self) -> str:
        """The key's path in a policy file, e.g. ``plugin_settings.trust.letter_after``."""
        return f"plugin_settings.{self.table}.{self.name}"

    def check(self, value: Any) -> Any:
        """The value rules will read for ``value`` as written; raises ``ValueError``/``TypeError``."""
        if self.parse is not None:
            return self.parse(value)
        return _same_type_as(self.default, value)


def _same_type_as(default: Any, value: Any) -> Any:
    if isinstance(default, bool) or isinstance(value, bool):
        if isinstance(default, bool) and isinstance(value, bool):
            return value
    elif isinstance(default, Fraction) and isinstance(value, (int, Fraction, str)):
        try:
            return Fraction(value)  # text such as "100/3", as the effective policy writes it
        except ValueError:
            pass
    elif isinstance(default, (tuple, list)) and isinstance(value, (tuple, list)):
        return tuple(value)
    elif isinstance(default, Mapping) and isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    elif type(default) is type(value):
        return value
    raise TypeError(f"expected {_type_name(default)}, got {value!r}")


def _type_name(default: Any) -> str:
    names = {
        bool: "true or false",
        int: "a whole number",
        str: "text",
        Fraction: "a number",
        tuple: "a list",
        list: "a list",
    }
    for kind, name in names.items():
        if isinstance(default, kind):
            return name
    return "a table" if isinstance(default, Mapping) else type(default).__name__


@attrs.frozen
class DeclaredKey:
    """A :class:`PolicyKey` with the name of the plugin that declared it (provenance)."""

    key: PolicyKey
    plugin: str
