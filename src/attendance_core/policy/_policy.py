"""The whole policy: its sections, the plugins it turns on, and their settings.

The sections are the frozen data of ``_model.py``; reading and writing are ``_load.py`` and
``_toml.py``, which are handed this class rather than importing it, so the package has no
import cycle.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from attendance_core.codes import CodeSet
from attendance_core.model import frozen_map
from attendance_core.policy._keys import DeclaredKey
from attendance_core.policy._load import load_mapping, load_toml
from attendance_core.policy._model import (
    BandsPolicy,
    CalendarPolicy,
    CensusPolicy,
    CodesPolicy,
    ConsecutiveAbsencePolicy,
    CtfPolicy,
    DeletionPolicy,
    EscalationPolicy,
    LANotificationPolicy,
    LatenessPolicy,
    MethodPolicy,
    PatternPolicy,
    PenaltyNoticePolicy,
    ReportPolicy,
    SchoolAgePolicy,
    SchoolPolicy,
    ThresholdsPolicy,
    UnexplainedAbsencePolicy,
)
from attendance_core.policy._toml import policy_to_toml

__all__ = ["Policy"]


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(names)


@attrs.frozen
class Policy:
    """Everything configurable, with national defaults.

    Build one with :meth:`from_toml` (a policy that names no plugins) or
    :func:`attendance_core.load_policy` (which also loads the plugins the policy names and
    checks their settings).
    """

    school: SchoolPolicy = attrs.field(factory=SchoolPolicy)
    codes: CodesPolicy = attrs.field(factory=CodesPolicy)
    calendar: CalendarPolicy = attrs.field(factory=CalendarPolicy)
    method: MethodPolicy = attrs.field(factory=MethodPolicy)
    thresholds: ThresholdsPolicy = attrs.field(factory=ThresholdsPolicy)
    bands: BandsPolicy = attrs.field(factory=BandsPolicy)
    penalty_notice: PenaltyNoticePolicy = attrs.field(factory=PenaltyNoticePolicy)
    la_notification: LANotificationPolicy = attrs.field(factory=LANotificationPolicy)
    deletion: DeletionPolicy = attrs.field(factory=DeletionPolicy)
    unexplained_absence: UnexplainedAbsencePolicy = attrs.field(factory=UnexplainedAbsencePolicy)
    lateness: LatenessPolicy = attrs.field(factory=LatenessPolicy)
    consecutive_absence: ConsecutiveAbsencePolicy = attrs.field(factory=ConsecutiveAbsencePolicy)
    absence_pattern: PatternPolicy = attrs.field(factory=PatternPolicy)
    escalation: EscalationPolicy = attrs.field(factory=EscalationPolicy)
    report: ReportPolicy = attrs.field(factory=ReportPolicy)
    school_age: SchoolAgePolicy = attrs.field(factory=SchoolAgePolicy)
    ctf: CtfPolicy = attrs.field(factory=CtfPolicy)
    census: CensusPolicy = attrs.field(factory=CensusPolicy)
    plugins: tuple[str, ...] = attrs.field(default=(), converter=_names)
    """The installed plugins (entry-point names) that act for this policy; none by default, so
    installing a package never changes anyone's figures."""
    plugin_settings: Mapping[str, Mapping[str, Any]] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=frozen_map
    )
    """Values of the keys plugins declare, by table (``[plugin_settings.<table>]``)."""
    source: str | None = attrs.field(default=None, eq=False)
    """The file the policy was read from, if any (for messages and relative paths)."""

    @classmethod
    def from_toml(
        cls,
        path: str | os.PathLike[str],
        *,
        plugin_keys: Mapping[str, DeclaredKey] | None = None,
        code_sets: Mapping[str, CodeSet] | None = None,
    ) -> Policy:
        """Read and check a policy file; floats are read exactly from their decimal text.

        ``plugin_keys`` and ``code_sets`` are what the policy's plugins declare and provide;
        :func:`attendance_core.load_policy` passes them. Without them, a policy that names
        plugins is refused, saying so.

        Raises:
            PolicyError: listing every problem in the file, each with its path.
        """
        return load_toml(cls, path, plugin_keys=plugin_keys, code_sets=code_sets)

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        source: str | None = None,
        plugin_keys: Mapping[str, DeclaredKey] | None = None,
        code_sets: Mapping[str, CodeSet] | None = None,
    ) -> Policy:
        """Check a policy given as nested mappings (as TOML would give it), with defaults.

        ``source`` names where the data came from in messages. Python floats are read from
        their shortest decimal text (``92.5`` is exactly 185/2).

        Raises:
            PolicyError: listing every problem, each with its path.
        """
        return load_mapping(cls, data, source=source, plugin_keys=plugin_keys, code_sets=code_sets)

    @property
    def calendar_path(self) -> Path | None:
        """``calendar.file`` resolved against the policy file's folder (``None`` if not set)."""
        if self.calendar.file is None:
            return None
        base = Path(self.source).parent if self.source is not None else Path()
        return base / self.calendar.file

    def to_toml(self) -> str:
        """The whole effective policy as TOML, every default written out; reads back equal."""
        return policy_to_toml(self)
