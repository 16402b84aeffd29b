"""What a rule produces, and what it reads: findings, pupil records and the rule context.

Every finding explains itself (style convention 4): the rule, the pupil, the as-of date, the
figure against the threshold, the sessions and codes that triggered it, the legal or DfE
source, and which plugin decided anything non-default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from attendance_core.codes import AttendanceCode
from attendance_core.model import Enrolment, Part, Session, Severity, frozen_map, parse_part
from attendance_core.register import NO_MARK, Register

if TYPE_CHECKING:
    from attendance_core.calendars import SchoolCalendar
    from attendance_core.policy import Policy

__all__ = [
    "Evidence",
    "Finding",
    "PupilRecord",
    "Rule",
    "RuleContext",
    "Severity",
]


@attrs.frozen
class Evidence:
    """One session behind a finding, with the code as written in the register."""

    session: Session
    code: str | None
    """``None`` where the evidence is a missing mark."""
    minutes_late: int | None = None


Figure: TypeAlias = "int | Fraction | None"


@attrs.frozen
class Finding:
    """One rule's verdict on one pupil (or, for register-level rules, one register)."""

    rule: str
    pupil_id: str | None
    """``None`` for register-level findings such as a register not taken."""
    as_of: dt.date
    severity: Severity
    figure: Figure
    """The measured value (a count of sessions or days, or an exact rate)."""
    threshold: Figure
    """What the figure was compared with, in the same unit: a ``Fraction`` for a rate, an ``int``
    for a count (whose figure may still be a ``Fraction``, e.g. 55/2 days)."""
    evidence: tuple[Evidence, ...]
    source: str
    """The legal or DfE reference for the rule."""
    explanation: str
    """One line a parent or LA officer would understand."""
    details: Mapping[str, Any] = attrs.field(factory=dict, converter=frozen_map, eq=False)
    """Rule-specific extra facts (e.g. the window's first and last school week)."""
    provenance: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_map)
    """What a non-built-in plugin decided, e.g. ``{"threshold": "trust-policy"}``."""


@attrs.frozen(eq=False)
class PupilRecord:
    """One enrolment's row of a :class:`Register`, read without building an object per mark."""

    pupil_id: str
    sessions: tuple[Session, ...]
    """The register's session columns, shared by every record of the register."""
    alphabet: tuple[AttendanceCode, ...]
    row: bytes
    """Byte ``k`` at column ``c`` means ``alphabet[k - 1]`` was entered for ``sessions[c]``."""
    minutes_late: Mapping[int, int] = attrs.field(factory=dict)
    """Minutes late by column, where recorded."""
    enrolment: Enrolment | None = None
    evidence_cache: dict[int, Evidence] = attrs.field(factory=dict, repr=False)
    """:class:`Evidence` already built, by ``column * 256 + value``. Evidence is frozen, so the
    engine passes one cache to every record of a register: a finding then shares the values
    (at most one per session and code) instead of building an object per mark."""

    @classmethod
    def from_register(
        cls, register: Register, index: int, enrolment: Enrolment | None = None
    ) -> PupilRecord:
        """The record of the register's ``index``-th enrolment."""
        minutes = {col: m for (row, col), m in register.minutes_late.items() if row == index}
        return cls(
            register.pupil_ids[index],
            register.sessions,
            register.alphabet,
            register.rows[index],
            minutes,
            enrolment,
        )

    def code_at(self, column: int) -> AttendanceCode | None:
        """The statutory code entered for ``sessions[column]``, or ``None`` with no mark."""
        value = self.row[column]
        return None if value == NO_MARK else self.alphabet[value - 1]

    def values_for(self, codes: Collection[str]) -> bytes:
        """The byte values standing for ``codes`` (statutory codes, e.g. ``("G", "N")``)."""
        return bytes(k for k, c in enumerate(self.alphabet, start=1) if c.code in codes)

    def columns_with(self, codes: Collection[str]) -> list[int]:
        """Columns whose mark is one of ``codes``, in session order."""
        wanted = set(self.values_for(codes))
        return [col for col, value in enumerate(self.row) if value in wanted]

    def evidence(self, columns: Collection[int]) -> tuple[Evidence, ...]:
        """Evidence for ``columns`` in session order (shared values from ``evidence_cache``)."""
        row, get, minutes = self.row, self.evidence_cache.get, self.minutes_late
        if not minutes:
            return tuple(get(col * 256 + row[col]) or self._shared(col) for col in sorted(columns))
        return tuple(
            Evidence(self.sessions[col], self._code_text(col), minutes[col])
            if col in minutes
            else get(col * 256 + row[col]) or self._shared(col)
            for col in sorted(columns)
        )

    def _shared(self, column: int) -> Evidence:
        found = Evidence(self.sessions[column], self._code_text(column))
        self.evidence_cache[column * 256 + self.row[column]] = found
        return found

    def _code_text(self, column: int) -> str | None:
        code = self.code_at(column)
        return None if code is None else code.code

    def marked(self) -> Iterator[tuple[int, Session, AttendanceCode]]:
        """``(column, session, code)`` for every marked session, in order (for small rules)."""
        for col, value in enumerate(self.row):
            if value != NO_MARK:
                yield col, self.sessions[col], self.alphabet[value - 1]


@attrs.frozen
class RuleContext:
    """What every rule reads besides the marks: the calendar, the policy and the as-of date."""

    calendar: SchoolCalendar
    policy: Policy
    as_of: dt.date
    provenance: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_map)
    """Which plugin decided non-default inputs; :func:`attendance_core.check` records it in every
    finding of the rule, so a rule need not copy it."""
    as_of_session: Part | None = attrs.field(
        default=None, converter=attrs.converters.optional(parse_part)
    )
    """The last session of ``as_of`` that counts (``AM``: the afternoon has not happened yet);
    ``None`` for the whole day. ``first-day-contact`` lists the unexplained absences of it."""
    enrolments: Mapping[str, Enrolment] = attrs.field(factory=dict, converter=frozen_map)
    """Admission and leaving dates by pupil id, for register rules (pupil rules read
    ``PupilRecord.enrolment``); empty when unknown."""
    as_of_time: dt.time | None = None
    """The time of day the check is made (local time), where known. ``first-day-contact`` then
    counts a missing mark only once the calendar's register for that session has closed;
    ``None``: every register asked for is treated as closed."""


PupilRuleFunc: TypeAlias = "Callable[[PupilRecord, RuleContext], list[Finding]]"
RegisterRuleFunc: TypeAlias = "Callable[[Register, RuleContext], list[Finding]]"


@attrs.frozen
class Rule:
    """A named rule: a pure function over one pupil's record, or over a whole register."""

    name: str
    """Kebab-case, e.g. ``"penalty-notice-threshold"``; unique across core and plugins."""
    scope: Literal["pupil", "register"]
    func: PupilRuleFunc | RegisterRuleFunc
    source: str
    summary: str
