"""Sessions, marks and enrolments: the frozen values a register is made of.

Source: reg 10(1) of SI 2024/208 (attendance is recorded at the start of the morning session
and once during the afternoon session) and reg 3 of the Education (School Day and School Year)
(England) Regulations 1999 (a school day is two sessions, morning and afternoon).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from attendance_core.exceptions import InputError
from attendance_core.limits import check_date

if TYPE_CHECKING:
    from attendance_core.codes import AttendanceCode

__all__ = [
    "Enrolment",
    "Mark",
    "Part",
    "Session",
    "Severity",
    "check_minutes_late",
    "frozen_map",
    "parse_date",
    "parse_month_day",
    "parse_part",
]


def frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of ``value``: the attrs converter every frozen value class uses for its
    mappings, so that a frozen object cannot be changed through a mapping it holds."""
    return MappingProxyType(dict(value))


class Part(str, enum.Enum):
    """Morning or afternoon session; AM sorts before PM."""

    AM = "AM"
    PM = "PM"

    def __str__(self) -> str:
        return self.value


def parse_part(value: str | Part) -> Part:
    """``"AM"``/``"PM"`` (surrounding whitespace ignored, exact case) to a :class:`Part`."""
    if isinstance(value, Part):
        return value
    try:
        return Part(value.strip())
    except (ValueError, AttributeError):
        raise InputError(
            "not a session", field="session", value=value, expected="AM or PM"
        ) from None


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Severity(str, enum.Enum):
    """How urgently a finding needs a person: ``info`` < ``watch`` < ``action`` < ``statutory``."""

    INFO = "info"
    WATCH = "watch"
    ACTION = "action"
    """The school should act (e.g. consider a penalty notice)."""
    STATUTORY = "statutory"
    """The law requires something (e.g. notify the LA)."""

    def __str__(self) -> str:
        return self.value


def parse_month_day(text: object, *, field: str) -> tuple[int, int]:
    """``"MM-DD"`` to ``(month, day)``: a day of every year, so 29 February is refused."""
    try:
        if not isinstance(text, str) or len(text) != 5 or text[2] != "-":
            raise ValueError(text)
        month, day = int(text[:2]), int(text[3:])
        dt.date(2001, month, day)
    except ValueError:
        raise InputError(
            "not a day of the year",
            field=field,
            value=text,
            expected="MM-DD, e.g. 08-31 (29 February is not allowed)",
        ) from None
    return month, day


def parse_date(value: str | dt.date, *, field: str = "date") -> dt.date:
    """An ISO 8601 calendar date (``YYYY-MM-DD``) or a ``date``; datetimes are refused, and so
    is any date outside :data:`attendance_core.limits.EARLIEST_DATE` to ``LATEST_DATE``
    (whole academic years, so no arithmetic on a date that passes can leave Python's range).
    """
    if isinstance(value, dt.datetime):
        raise InputError("a datetime is not a date", field=field, value=value, expected="a date")
    if isinstance(value, dt.date):
        return check_date(value, field)
    text = value.strip() if isinstance(value, str) else value
    # Python 3.11's fromisoformat also takes week dates and stray suffixes ("2025-W37-1",
    # "20250908xx"), which would then be written back as a different text: the shape is ours.
    if isinstance(text, str) and _ISO_DATE.fullmatch(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return check_date(day, field)
    raise InputError("not a date", field=field, value=value, expected="an ISO date YYYY-MM-DD")


@attrs.frozen(order=True)
class Session:
    """One half-day session: a date and AM or PM. Totally ordered by date, then AM before PM.

    The date may be given as an ISO string; a ``datetime`` is refused, since it neither compares
    with dates nor says which session it is.
    """

    date: dt.date = attrs.field(converter=parse_date)
    part: Part = attrs.field(converter=parse_part)

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.part.value}"


def _check_minutes(_instance: object, _attribute: object, value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise InputError(
            "not a number of minutes", field="minutes_late", value=value, expected="an integer >= 0"
        )


@attrs.frozen(order=True)
class Mark:
    """The code entered for one session, with minutes late where the school records them.

    ``code`` is kept exactly as written (for example a vendor sub-code); it is checked against
    a code set only when a calculation reads it. Minutes late are optional metadata: whether
    SI 2024/208 requires them is unconfirmed, and MIS products record them alongside L and U.
    """

    session: Session
    code: str
    minutes_late: int | None = attrs.field(default=None, validator=_check_minutes)


def check_minutes_late(code: AttendanceCode, minutes: int) -> None:
    """Refuse minutes late on a mark whose code is not late (``L`` or ``U``).

    A :class:`Mark` keeps its code as written, so this is checked once the code is read: by
    summaries, :class:`~attendance_core.register.RegisterBuilder` and the marks CSV reader.
    Minutes on a present or absence mark contradict the data (SI 2024/208: ``L`` is late before
    the register closed, ``U`` after), so they are an :class:`InputError`, never dropped.
    """
    if not code.is_late:
        raise InputError(
            f"minutes late recorded on a {code.code!r} mark",
            field="minutes_late",
            value=minutes,
            expected="minutes late only on L or U marks (0 or empty otherwise)",
        )


@attrs.frozen
class Enrolment:
    """One pupil's registration at one school, from admission to (optionally) leaving.

    DfE counts enrolments, not pupils: a pupil who moves school or is dual registered has one
    enrolment per school (DfE "Pupil absence in schools in England", methodology section 2).
    The leaving date is the last day on roll, inclusive. The date of birth is personal data and
    never appears in ``repr``.
    """

    pupil_id: str
    school_id: str
    admission_date: dt.date
    leaving_date: dt.date | None = None
    date_of_birth: dt.date | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.leaving_date is not None and self.leaving_date < self.admission_date:
            raise InputError(
                "leaving date is before admission date",
                field="leaving_date",
                value=self.leaving_date.isoformat(),
                expected=f"on or after {self.admission_date.isoformat()}",
            )

    def on_roll(self, day: dt.date) -> bool:
        """Whether the pupil is on this school's roll on ``day``."""
        return self.admission_date <= day and (
            self.leaving_date is None or day <= self.leaving_date
        )
