"""attendance_core plugin for Welsh schools: the Welsh code set and statistics conventions.

Installed, it is found through the ``attendance_core`` entry-point group under the name
``"wales"``. It contributes the code set ``"wales-2010"`` (SI 2010/1954 (W.187); per-code
detail UNCONFIRMED, see :mod:`attendance_core_wales.codes`). Welsh registers still use H, F,
J and Y, which England withdrew, so they read only with this set. It also contributes the rule
``wales-persistent-absence`` (the Welsh line by year, and the secondary cut-off at the late May
bank holiday) and declares its settings, ``[plugin_settings.wales]``.
"""

from __future__ import annotations

from collections.abc import Sequence

from attendance_core import CodeSet, Rule, hookimpl
from attendance_core.policy import PolicyKey
from attendance_core_wales.codes import WALES_2010
from attendance_core_wales.rules import KEYS, WALES_PERSISTENT_ABSENCE
from attendance_core_wales.statistics import (
    FIRST_YEAR_AT_10_PERCENT,
    persistent_absence_percent,
    secondary_statistics_end,
)

__all__ = [
    "FIRST_YEAR_AT_10_PERCENT",
    "WALES_2010",
    "WALES_PERSISTENT_ABSENCE",
    "attendance_core_code_sets",
    "attendance_core_policy_keys",
    "attendance_core_rules",
    "persistent_absence_percent",
    "secondary_statistics_end",
]


@hookimpl
def attendance_core_code_sets() -> Sequence[CodeSet]:
    """Contribute the Welsh code set."""
    return (WALES_2010,)


@hookimpl
def attendance_core_rules() -> Sequence[Rule]:
    """Contribute ``wales-persistent-absence``."""
    return (WALES_PERSISTENT_ABSENCE,)


@hookimpl
def attendance_core_policy_keys() -> Sequence[PolicyKey]:
    """Declare ``[plugin_settings.wales]``: ``secondary`` and ``first_year_at_10_percent``."""
    return KEYS
