"""Reading and writing the calendar TOML format of ``docs/calendars.md``.

Reading collects every problem (unknown keys with a did-you-mean, bad dates, contradictions
found by :mod:`._validate`) and raises them together as one
:class:`~attendance_core.exceptions.CalendarError`; writing produces text that reads back to an
equal calendar.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from attendance_core.calendars._bank_holidays import BankHoliday, Nation, holiday_names
from attendance_core.calendars._model import (
    BOTH_PARTS,
    CLOSURE_CODES,
    AcademicYear,
    Closure,
    HalfTermHoliday,
    RegisterTimes,
    SessionTimes,
    Term,
)
from attendance_core.calendars._validate import (
    YearEntries,
    register_time_problems,
    repeated_years,
    year_problems,
)
from attendance_core.exceptions import CalendarError, CalendarProblem, InputError
from attendance_core.limits import (
    check_academic_year,
    check_date,
    check_minimum_sessions,
    read_toml,
    shorten,
    toml_problem,
)
from attendance_core.model import Part

if TYPE_CHECKING:  # built by SchoolCalendar.from_toml, which passes its class
    from attendance_core.calendars._calendar import SchoolCalendar

__all__ = ["calendar_from_mapping", "calendar_to_toml", "read_calendar_toml"]

T = TypeVar("T")

_TOP_KEYS = ("name", "nation", "authority", "sources", "register_times", "bank_holidays", "years")
_YEAR_KEYS = (
    "academic_year",
    "minimum_sessions",
    "terms",
    "half_term_holidays",
    "inset_days",
    "closures",
)
_TERM_KEYS = ("name", "start", "end")
_HOLIDAY_KEYS = ("start", "end", "name")
_CLOSURE_KEYS = ("start", "end", "code", "reason", "sessions")
_TIMES_KEYS = ("am", "pm")
_SESSION_TIME_KEYS = ("open", "close")
_BANK_HOLIDAY_KEYS = ("date", "name")


class _Reader:
    """Reads values out of a mapping, noting each problem with its path instead of stopping."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.found.append((path, message))

    def table(self, value: object, path: str, keys: Sequence[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a table, got {_kind(value)}")
            return None
        for key in value:
            if key not in keys:
                close = difflib.get_close_matches(str(key), keys, n=1)
                hint = (
                    f"; did you mean {close[0]!r}?"
                    if close
                    else f"; expected one of {', '.join(keys)}"
                )
                self.problem(f"{path}.{key}", f"unknown key {key!r}{hint}")
        return value

    def required(self, table: Mapping[str, Any], key: str, path: str) -> object:
        if key not in table:
            self.problem(f"{path}.{key}", "missing")
            return None
        return table[key]

    def date(self, value: object, path: str) -> dt.date | None:
        if value is None:  # missing: already reported by required()
            return None
        if isinstance(value, dt.datetime):
            self.problem(path, f"expected a date, got a date and time ({value})")
            return None
        day = None
        if isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                day = dt.date.fromisoformat(value.strip())
        if day is None:
            self.problem(path, f"expected a date YYYY-MM-DD, got {shorten(repr(value))}")
            return None
        try:
            return check_date(day)
        except InputError as error:
            self.problem(path, f"expected {error.expected}, got {day.isoformat()}")
            return None

    def time(self, value: object, path: str) -> dt.time | None:
        if value is None:
            return None
        if isinstance(value, dt.time):
            return value
        if isinstance(value, str):
            try:
                return dt.time.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(path, f"expected a time HH:MM, got {shorten(repr(value))}")
        return None

    def text(self, value: object, path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            return value
        self.problem(path, f"expected text, got {shorten(repr(value))}")
        return None

    def integer(
        self, value: object, path: str, check: Callable[[int, str], int] | None = None
    ) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if check is None:
                return value
            try:
                return check(value, path)
            except InputError as error:
                self.problem(path, f"expected {error.expected}, got {shorten(repr(value))}")
                return None
        self.problem(path, f"expected a whole number, got {shorten(repr(value))}")
        return None

    def items(
        self, value: object, path: str, read: Callable[[object, str], T | None]
    ) -> list[tuple[str, T]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"expected an array, got {_kind(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            result = read(item, f"{path}[{i}]")
            if result is not None:
                out.append((f"{path}[{i}]", result))
        return out


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "text" if isinstance(value, str) else type(value).__name__


def _term(reader: _Reader, value: object, path: str) -> Term | None:
    table = reader.table(value, path, _TERM_KEYS)
    if table is None:
        return None
    name = reader.text(reader.required(table, "name", path), f"{path}.name")
    start = reader.date(reader.required(table, "start", path), f"{path}.start")
    end = reader.date(reader.required(table, "end", path), f"{path}.end")
    if name is None or start is None or end is None:
        return None
    return Term(name, start, end)


def _holiday(reader: _Reader, value: object, path: str) -> HalfTermHoliday | None:
    table = reader.table(value, path, _HOLIDAY_KEYS)
    if table is None:
        return None
    start = reader.date(reader.required(table, "start", path), f"{path}.start")
    end = reader.date(reader.required(table, "end", path), f"{path}.end")
    name = reader.text(table["name"], f"{path}.name") if "name" in table else ""
    if start is None or end is None or name is None:
        return None
    return HalfTermHoliday(start, end, name)


def _closure(reader: _Reader, value: object, path: str) -> Closure | None:
    table = reader.table(value, path, _CLOSURE_KEYS)
    if table is None:
        return None
    start = reader.date(reader.required(table, "start", path), f"{path}.start")
    end = reader.date(table["end"], f"{path}.end") if "end" in table else start
    code = reader.required(table, "code", path)
    if code is not None and code not in CLOSURE_CODES:
        reader.problem(
            f"{path}.code",
            f"unknown closure code {code!r}; expected '#' (planned), 'Y4' (unexpected, whole "
            "site) or 'Y3' (part of the premises)",
        )
        code = None
    reason = reader.text(table["reason"], f"{path}.reason") if "reason" in table else ""
    parts: tuple[Part, ...] | None = BOTH_PARTS
    if "sessions" in table:
        raw = table["sessions"]
        if not isinstance(raw, list) or not raw or any(p not in ("AM", "PM") for p in raw):
            reader.problem(f"{path}.sessions", f'expected ["AM"], ["PM"] or both, got {raw!r}')
            parts = None
        else:
            parts = tuple(Part(p) for p in raw)
    if start is None or end is None or code is None or reason is None or parts is None:
        return None
    return Closure(start, end, code, reason, parts)


def _register_times(reader: _Reader, value: object, path: str) -> RegisterTimes | None:
    table = reader.table(value, path, _TIMES_KEYS)
    if table is None:
        return None
    sessions: list[SessionTimes | None] = []
    for key in _TIMES_KEYS:  # both registers are read, so a bad morning hides no afternoon
        where = f"{path}.{key}"
        raw = reader.required(table, key, path)
        inner = None if raw is None else reader.table(raw, where, _SESSION_TIME_KEYS)
        if inner is None:
            sessions.append(None)
            continue
        opens = reader.time(reader.required(inner, "open", where), f"{where}.open")
        closes = reader.time(reader.required(inner, "close", where), f"{where}.close")
        sessions.append(None if opens is None or closes is None else SessionTimes(opens, closes))
    am, pm = sessions
    return None if am is None or pm is None else RegisterTimes(am, pm)


def _bank_holiday(reader: _Reader, value: object, path: str) -> BankHoliday | None:
    table = reader.table(value, path, _BANK_HOLIDAY_KEYS)
    if table is None:
        return None
    day = reader.date(reader.required(table, "date", path), f"{path}.date")
    name = reader.text(reader.required(table, "name", path), f"{path}.name")
    if day is None or name is None:
        return None
    return BankHoliday(day, name)


def _year(reader: _Reader, value: object, path: str) -> YearEntries | None:
    table = reader.table(value, path, _YEAR_KEYS)
    if table is None:
        return None
    year = reader.integer(
        reader.required(table, "academic_year", path), f"{path}.academic_year", check_academic_year
    )
    minimum = None
    if "minimum_sessions" in table:
        minimum = reader.integer(
            table["minimum_sessions"], f"{path}.minimum_sessions", check_minimum_sessions
        )
    raw_terms = reader.required(table, "terms", path)
    terms = reader.items(raw_terms, f"{path}.terms", lambda v, p: _term(reader, v, p))
    complete = isinstance(raw_terms, list) and len(terms) == len(raw_terms)
    holidays = reader.items(
        table.get("half_term_holidays"),
        f"{path}.half_term_holidays",
        lambda v, p: _holiday(reader, v, p),
    )
    inset = reader.items(table.get("inset_days"), f"{path}.inset_days", reader.date)
    closures = reader.items(
        table.get("closures"), f"{path}.closures", lambda v, p: _closure(reader, v, p)
    )
    if year is None:
        return None
    return YearEntries(
        path,
        year,
        terms,
        holidays,
        inset,
        closures,
        (f"{path}.minimum_sessions", minimum),
        terms_complete=complete,
    )


def calendar_from_mapping(
    cls: type[SchoolCalendar], data: Mapping[str, Any], *, source: str | None = None
) -> SchoolCalendar:
    """A checked ``cls`` from a mapping; raises :class:`CalendarError` with every problem."""
    reader = _Reader()
    table = reader.table(data, "$", _TOP_KEYS)
    if table is None:
        raise CalendarError(
            [CalendarProblem(path, message, source) for path, message in reader.found]
        )
    name = reader.text(reader.required(table, "name", "$"), "$.name")
    nation: Nation | None = None
    raw_nation = reader.required(table, "nation", "$")
    if raw_nation is not None:
        try:
            nation = Nation(raw_nation)
        except ValueError:
            choices = [n.value for n in Nation]
            close = difflib.get_close_matches(str(raw_nation), choices, n=1)
            hint = (
                f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(choices)}"
            )
            reader.problem("$.nation", f"unknown nation {raw_nation!r}; {hint}")
    authority = reader.text(table["authority"], "$.authority") if "authority" in table else ""
    sources = [s for _, s in reader.items(table.get("sources"), "$.sources", reader.text)]
    times = None
    if "register_times" in table:
        times = _register_times(reader, table["register_times"], "$.register_times")
        if times is not None:
            reader.found.extend(register_time_problems("$.register_times", times))
    extra = [
        h
        for _, h in reader.items(
            table.get("bank_holidays"), "$.bank_holidays", lambda v, p: _bank_holiday(reader, v, p)
        )
    ]
    raw_years = reader.required(table, "years", "$")
    if raw_years == []:  # it would be written without any [[years]], and not read back
        reader.problem("$.years", "expected at least one academic year, got none")
    entries = [e for _, e in reader.items(raw_years, "$.years", lambda v, p: _year(reader, v, p))]
    reader.found.extend(repeated_years(entries))
    # An unknown nation hides only the bank-holiday checks: every other contradiction (a
    # weekend INSET day, overlapping terms, a closure outside term) is still reported with it.
    if nation is not None:
        holidays = holiday_names(nation, (e.year for e in entries), extra)
    else:
        holidays = {h.date: h.name for h in extra}
    for entry in entries:
        reader.found.extend(year_problems(entry, holidays))
    if reader.found or name is None or nation is None or authority is None:
        raise CalendarError(
            [CalendarProblem(path, message, source) for path, message in reader.found]
        )
    return cls(
        name=name,
        nation=nation,
        years=tuple(
            AcademicYear(
                year=e.year,
                terms=tuple(t for _, t in e.terms),
                half_term_holidays=tuple(h for _, h in e.half_term_holidays),
                inset_days=tuple(d for _, d in e.inset_days),
                closures=tuple(c for _, c in e.closures),
                minimum_sessions=e.minimum_sessions[1],
            )
            for e in entries
        ),
        authority=authority,
        sources=tuple(sources),
        register_times=times,
        extra_bank_holidays=tuple(extra),
        source=source,
    )


def read_calendar_toml(cls: type[SchoolCalendar], path: str | os.PathLike[str]) -> SchoolCalendar:
    """Read and check a calendar TOML file as a ``cls``; every problem names the file."""
    where = str(path)
    try:
        data = read_toml(where, parse_float=float)
    except InputError as error:
        raise CalendarError([toml_problem(CalendarProblem, error, where)]) from None
    return calendar_from_mapping(cls, data, source=where)


# -- writing ---------------------------------------------------------------------------------
def _string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but TOML also refuses a raw DEL."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _time(value: dt.time) -> str:
    return value.isoformat()


def calendar_to_toml(calendar: SchoolCalendar) -> str:
    """The calendar in the documented TOML format (an equal calendar reads back)."""
    lines = [f"name = {_string(calendar.name)}", f"nation = {_string(calendar.nation.value)}"]
    if calendar.authority:
        lines.append(f"authority = {_string(calendar.authority)}")
    if calendar.sources:
        lines.append("sources = [")
        lines.extend(f"    {_string(s)}," for s in calendar.sources)
        lines.append("]")
    if calendar.register_times is not None:
        times = calendar.register_times
        lines += [
            "",
            "[register_times]",
            f"am = {{ open = {_time(times.am.open)}, close = {_time(times.am.close)} }}",
            f"pm = {{ open = {_time(times.pm.open)}, close = {_time(times.pm.close)} }}",
        ]
    for extra in calendar.extra_bank_holidays:
        lines += [
            "",
            "[[bank_holidays]]",
            f"date = {extra.date.isoformat()}",
            f"name = {_string(extra.name)}",
        ]
    for year in calendar.years:
        lines += ["", "[[years]]", f"academic_year = {year.year}"]
        if year.minimum_sessions is not None:
            lines.append(f"minimum_sessions = {year.minimum_sessions}")
        if year.inset_days:
            days = ", ".join(d.isoformat() for d in year.inset_days)
            lines.append(f"inset_days = [{days}]")
        for term in year.terms:
            lines += [
                "",
                "[[years.terms]]",
                f"name = {_string(term.name)}",
                f"start = {term.start.isoformat()}",
                f"end = {term.end.isoformat()}",
            ]
        for holiday in year.half_term_holidays:
            lines += [
                "",
                "[[years.half_term_holidays]]",
                f"start = {holiday.start.isoformat()}",
                f"end = {holiday.end.isoformat()}",
            ]
            if holiday.name:
                lines.append(f"name = {_string(holiday.name)}")
        for closure in year.closures:
            lines += [
                "",
                "[[years.closures]]",
                f"start = {closure.start.isoformat()}",
                f"end = {closure.end.isoformat()}",
                f"code = {_string(closure.code)}",
            ]
            if closure.reason:
                lines.append(f"reason = {_string(closure.reason)}")
            if closure.parts != BOTH_PARTS:
                parts = ", ".join(_string(p.value) for p in closure.parts)
                lines.append(f"sessions = [{parts}]")
    return "\n".join(lines) + "\n"
