"""The trust's policy keys, ``[plugin_settings.example_trust]``, and reading them from a policy.

Source: local policy. DfE sets no attendance bands and no letter ladder; "Working together to
improve school attendance" (WTISA 2024, paras 19-21) expects support first, then formalised
support (an attendance contract), then enforcement, for which the first formal warning is now
called a Notice to Improve (DfE, "National framework for penalty notices", 2024). The figures
below are this fictional trust's own choices, set in its schools' policy files.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from attendance_core.policy import Band, Policy, PolicyKey

__all__ = ["DEFAULTS", "KEYS", "LADDER", "TABLE", "TrustSettings"]

TABLE = "example_trust"
"""The policy table the trust's keys live in: ``[plugin_settings.example_trust]``."""

LADDER = ("letter 1", "letter 2", "attendance panel", "attendance contract", "notice to improve")
"""The trust's escalation ladder, mildest first."""

_LOCAL = "Example Learning Trust attendance policy (local practice under WTISA 2024 paras 19-21)"


def _percent(value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise TypeError(f"expected a percentage, got {value!r}")
    if not 0 <= value <= 100:
        raise ValueError(f"expected a percentage between 0 and 100, got {value}")
    return Fraction(value)


def _bands(value: Any) -> Mapping[str, Fraction]:
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"expected a table of band names and percentages, got {value!r}")
    bands = {str(name): _percent(at_least) for name, at_least in value.items()}
    if 0 not in bands.values():
        raise ValueError("expected the lowest band to start at 0")
    if len(set(bands.values())) != len(bands):
        raise ValueError("expected each band to start at a different percentage")
    return MappingProxyType(dict(sorted(bands.items(), key=lambda item: -item[1])))


def _steps(value: Any) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a table of rule names and ladder steps, got {value!r}")
    for rule, step in value.items():
        if step not in LADDER:
            raise ValueError(
                f"rule {rule!r} leads to {step!r}, expected one of {', '.join(map(repr, LADDER))}"
            )
    return MappingProxyType(dict(value))


DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "bands": _bands(
            {
                "excellent": 98,
                "good": 96,
                "cause for concern": 92,
                "at risk of persistent absence": 90,
                "persistently absent": 50,
                "severely absent": 0,
            }
        ),
        "watch_list_below": Fraction(95),
        "steps": _steps(
            {
                "watch-list": "letter 1",
                "persistent-absence": "letter 2",
                "severe-absence": "attendance contract",
                "penalty-notice-threshold": "notice to improve",
            }
        ),
        "panel_absence_percent": Fraction(20),
    }
)

KEYS = (
    PolicyKey(
        TABLE,
        "bands",
        DEFAULTS["bands"],
        "The trust's attendance bands: band name = the attendance percent it starts at. The "
        "lowest band must start at 0. Replaces bands.bands for the attendance-band rule.",
        _LOCAL,
        _bands,
    ),
    PolicyKey(
        TABLE,
        "watch_list_below",
        DEFAULTS["watch_list_below"],
        "Attendance percent below which a pupil is on the trust's watch list (replaces "
        "bands.watch_list_below for the watch-list rule).",
        _LOCAL,
        _percent,
    ),
    PolicyKey(
        TABLE,
        "steps",
        DEFAULTS["steps"],
        "Rule name = the ladder step its findings lead to (one of letter 1, letter 2, attendance "
        "panel, attendance contract, notice to improve). Rules left out lead to no step.",
        _LOCAL,
        _steps,
    ),
    PolicyKey(
        TABLE,
        "panel_absence_percent",
        DEFAULTS["panel_absence_percent"],
        "A persistent-absence finding with absence at least this percent goes to the attendance "
        "panel instead of its usual step.",
        _LOCAL,
        _percent,
    ),
)
"""Every key the trust declares (hook ``attendance_core_policy_keys``)."""


@attrs.frozen
class TrustSettings:
    """The trust's settings in force: the policy's ``[plugin_settings.example_trust]``, else defaults."""

    bands: tuple[Band, ...]
    watch_list_below: Fraction
    steps: Mapping[str, str]
    panel_absence_percent: Fraction

    @classmethod
    def of(cls, policy: Policy) -> TrustSettings:
        """Read from ``policy.plugins`` (filled by the policy loader), defaults for any not set."""
        values = {**DEFAULTS, **policy.plugin_settings.get(TABLE, {})}
        return cls(
            bands=tuple(Band(name, at_least) for name, at_least in values["bands"].items()),
            watch_list_below=values["watch_list_below"],
            steps=values["steps"],
            panel_absence_percent=values["panel_absence_percent"],
        )
