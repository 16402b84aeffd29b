"""Dates as schools' exports write them: ISO (``2025-09-08``) or UK day-first (``08/09/2025``).

An MIS export carries one date format throughout. The format is decided once per file from
every date in it, never per cell, so ``03/04/2025`` cannot be 3 April on one line and 4 March on
the next: ISO and day-first dates in one file, or dates that are only valid month-first
(``09/28/2025``), are an error unless the caller says which format the file uses. A file whose
day-first dates are all ambiguous (every day 12 or less) is read day-first, as UK exports are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal, TypeAlias

from attendance_core.exceptions import InputError

__all__ = ["DATE_FORMATS", "DateFormat", "decide_date_format", "parse_export_date"]

DateFormat: TypeAlias = Literal["auto", "iso", "dmy", "mdy"]
DATE_FORMATS: tuple[DateFormat, ...] = ("auto", "iso", "dmy", "mdy")
"""``auto`` decides per file; ``iso`` is ``YYYY-MM-DD``; ``dmy`` and ``mdy`` are day-first and
month-first with ``/``, ``-`` or ``.`` between one- or two-digit parts and a four-digit year."""

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PARTS = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_EXPECTED = {
    "iso": "an ISO date YYYY-MM-DD",
    "dmy": "a day-first date dd/mm/yyyy",
    "mdy": "a month-first date mm/dd/yyyy",
}


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _read(text: str, date_format: DateFormat) -> dt.date | None:
    text = text.strip()
    if date_format == "iso":
        match = _ISO.fullmatch(text)
        return _date(*map(int, match.groups())) if match else None
    match = _PARTS.fullmatch(text)
    if match is None:
        return None
    first, _, second, year = match.groups()
    day, month = (first, second) if date_format == "dmy" else (second, first)
    return _date(int(year), int(month), int(day))


def decide_date_format(texts: Iterable[str], *, file: str, field: str = "date") -> DateFormat:
    """The one format (``iso``, ``dmy`` or ``mdy``) every non-blank text of a file is in.

    Raises :class:`InputError` naming the file when the texts mix ISO and slashed dates, when
    they read only month-first, or when some text is no date in any format.
    """
    found: set[str] = set()
    month_first_only = day_first_only = None
    for text in texts:
        stripped = text.strip()
        if not stripped:
            continue
        if _ISO.fullmatch(stripped):
            found.add("iso")
            continue
        match = _PARTS.fullmatch(stripped)
        if match is None:
            continue  # reported, with its line, by the reader
        found.add("slashed")
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            day_first_only = day_first_only or stripped
        elif second > 12 >= first:
            month_first_only = month_first_only or stripped
    if found == {"iso", "slashed"}:
        raise InputError(
            "the file mixes ISO and day/month dates",
            file=file,
            field=field,
            expected="one date format throughout, or --date-format iso|dmy|mdy to say which",
        )
    if "slashed" not in found:
        return "iso"
    if month_first_only and day_first_only:
        raise InputError(
            "the file's dates are neither all day-first nor all month-first",
            file=file,
            field=field,
            value=month_first_only,
            expected=f"one date format throughout (as {day_first_only!r})",
        )
    if month_first_only:
        raise InputError(
            "dates readable only month-first",
            file=file,
            field=field,
            value=month_first_only,
            expected="UK day-first dates dd/mm/yyyy, or --date-format mdy if the export is "
            "month-first",
        )
    return "dmy"


def parse_export_date(text: str, date_format: DateFormat, *, field: str = "date") -> dt.date:
    """The date ``text`` stands for in ``date_format`` (already decided: not ``auto``)."""
    found = _read(text, date_format)
    if found is None:
        raise InputError(
            "not a date", field=field, value=text, expected=_EXPECTED.get(date_format, "a date")
        )
    return found
