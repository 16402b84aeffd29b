"""The one error family of attendance_core.

Every error carries structured fields and builds its message from them, so callers can
both show the message to a person and act on the fields. Each also subclasses the builtin
it most resembles (``ValueError``), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

import attrs

__all__ = [
    "MAX_MESSAGE_CHARS",
    "MAX_VALUE_CHARS",
    "AttendanceError",
    "CalendarError",
    "CalendarProblem",
    "InputError",
    "PluginError",
    "PolicyError",
    "PolicyProblem",
    "UnknownCodeError",
]


MAX_VALUE_CHARS = 60
"""Characters of a value an error message quotes; a longer one is cut (see docs/security.md)."""
MAX_MESSAGE_CHARS = 400
"""Characters of one problem's message in a policy or calendar; the rest is cut."""


MAX_FIELD_CHARS = 120
"""A field or element path in a message is cut to this many characters: long enough for a
CTF element path, short enough that a hostile header cannot flood the message."""


def _shorten(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text`` cut to ``limit`` characters with ``…`` and its full length, so a message stays
    one short line whatever the input (a file of carriage returns, a whole row)."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


class AttendanceError(Exception):
    """Root of every error attendance_core raises on purpose."""


class UnknownCodeError(AttendanceError, ValueError):
    """A mark's code is not in the code set that applies to it."""

    def __init__(self, code: str, code_set: str, suggestions: Sequence[str] = ()) -> None:
        self.code = code
        self.code_set = code_set
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {' or '.join(map(repr, self.suggestions))}?" if suggestions else ""
        shown = _shorten(repr(code))
        super().__init__(f"unknown attendance code {shown} in code set {code_set!r}{hint}")


class InputError(AttendanceError, ValueError):
    """Bad input data: names where it is (file, line, field), what was found and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        self.reason = message
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(self._render())

    def _render(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line) if part is not None)
        parts = [f"{_shorten(where, MAX_MESSAGE_CHARS)}: " if where else ""]
        if self.field is not None:
            parts.append(f"field {_shorten(repr(self.field), MAX_FIELD_CHARS)}: ")
        parts.append(self.reason)
        if self.value is not None:
            parts.append(f" (got {_shorten(repr(self.value))})")
        if self.expected is not None:
            parts.append(f"; expected {self.expected}")
        return "".join(parts)


class PluginError(AttendanceError, ValueError):
    """A plugin broke a hook contract (misspelt hook, mapping onto an unknown code, ...)."""


@attrs.frozen
class _Problem:
    """One problem in a file of many: the file, the path of the entry (``$.x[0]``) and why."""

    path: str
    message: str
    file: str | None = None
    _subject: ClassVar[str]

    def __str__(self) -> str:
        where = _shorten(self.file or f"<{self._subject}>", MAX_MESSAGE_CHARS)
        return f"{where}: {_shorten(self.path)}: {_shorten(self.message, MAX_MESSAGE_CHARS)}"


_P = TypeVar("_P", bound=_Problem)


class _ProblemsError(AttendanceError, ValueError, Generic[_P]):
    """Every problem found at once, one per line as ``file: $.path: reason``.

    Policies and calendars are checked whole, so that one run lists everything to fix.
    """

    _subject: ClassVar[str]

    def __init__(self, problems: Sequence[_P]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {self._subject}"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))

    def __reduce__(self) -> tuple[type[_ProblemsError[_P]], tuple[tuple[_P, ...]]]:
        return (type(self), (self.problems,))


@attrs.frozen
class PolicyProblem(_Problem):
    """One problem in a policy: the file, the path of the key (``$.thresholds.x``) and why."""

    _subject: ClassVar[str] = "policy"


class PolicyError(_ProblemsError[PolicyProblem]):
    """A policy (TOML file or mapping) is invalid: carries every problem found, not just the first.

    The message lists one problem per line, each as ``file: $.path: reason``.
    """

    _subject: ClassVar[str] = "policy"


@attrs.frozen
class CalendarProblem(_Problem):
    """One problem in a school calendar: the file, the path of the entry (``$.years[0]``), why."""

    _subject: ClassVar[str] = "calendar"


class CalendarError(_ProblemsError[CalendarProblem]):
    """A school calendar (TOML file or mapping) is invalid: carries every problem found at once.

    The message lists one problem per line, each as ``file: $.path: reason``.
    """

    _subject: ClassVar[str] = "calendar"
