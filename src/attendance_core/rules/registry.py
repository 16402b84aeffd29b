"""The built-in rules: every rule :func:`attendance_core.check` runs unless told otherwise.

Each entry is a :class:`~attendance_core.rules.findings.Rule` defined beside its pure function
in its own module; plugins add more through the ``attendance_core_rules`` hook. Names are unique
across the built-in rules and every plugin's.
"""

from __future__ import annotations

from attendance_core.rules.findings import Rule

__all__ = ["BUILTIN_RULES"]

BUILTIN_RULES: tuple[Rule, ...] = ()
"""The built-in rules in the order they run (findings are sorted afterwards anyway)."""
