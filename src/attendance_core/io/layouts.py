"""Marks in the layouts schools export, told apart by their header.

- ``long``: one row per pupil per session: pupil id, date, session (AM/PM), code, and
  optionally minutes late. The shape of SIMS partner syncs, Arbor's attendance records and
  Wonde's session attendance.
- ``daily``: one row per pupil per date, with an AM and a PM column.
- ``weekly``: one row per pupil per week: the Monday the week starts and ``MonAM, MonPM, ...
  FriPM`` (Bromcom's ``StudentAttendanceByWeek``).
- ``grid``: one row per pupil and one column per session, each headed by its date and session
  (``08/09/2025 AM``, ``Mon 08/09/2025 AM``, ``2025-09-08 PM``): the "herringbone" view.

Each can be CSV or a spreadsheet (``.xlsx``), and the long layout also Parquet. Header names
are matched without regard to case, spaces and punctuation, with the usual spellings
(``Adno``, ``UPN``, ``Date``, ``AM/PM``, ``Mark`` ...); ``columns`` maps any other names.
Dates are ISO or UK day-first, decided once per file (:mod:`attendance_core.io.dates`).

A blank or ``-`` mark is a session not yet marked: it is counted in no category, the session
stays without a mark in the register (so the missing-marks rule lists it) and the count is
reported, never an error and never a present. Columns the layout does not use are named in
:attr:`MarksExport.ignored`, or become pupil attributes when ``attributes`` asks for them.

The canonical long CSV (:mod:`attendance_core.io.marks_csv`) is read by its own fast reader
and writes back unchanged; an export in any other shape is read into the same register, whose
long CSV is then the file to keep.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Literal, TypeAlias

import attrs

from attendance_core.codes import CodeSetLike
from attendance_core.exceptions import InputError, UnknownCodeError
from attendance_core.io.columnar import AUTO_MIN_BYTES, Engine, read_long_columnar
from attendance_core.io.columnar import available as columnar_available
from attendance_core.io.columnar import require as require_columnar
from attendance_core.io.dates import DateFormat, decide_date_format, parse_export_date
from attendance_core.io.marks_csv import COLUMNS, OPTIONAL_COLUMNS, read_marks_csv
from attendance_core.io.tables import SPREADSHEET_SUFFIXES, Table, read_table
from attendance_core.model import Part, Session
from attendance_core.register import Register, RegisterBuilder, ResolveCode

__all__ = [
    "LAYOUTS",
    "ROLES",
    "Layout",
    "MarksExport",
    "parse_column_map",
    "read_marks",
]

Layout: TypeAlias = Literal["long", "daily", "weekly", "grid"]
LAYOUTS: dict[str, str] = {
    "long": "pupil_id, date, session (AM/PM), code [, minutes_late]: one row per session",
    "daily": "pupil_id, date, AM, PM: one row per pupil per date",
    "weekly": "pupil_id, week_start (a Monday), MonAM, MonPM ... FriPM: one row per pupil per week",
    "grid": "pupil_id and one column per session headed by date and session, e.g. "
    "'08/09/2025 AM': one row per pupil",
}
"""Each layout with the columns it expects, as the unrecognised-header error lists them."""

ROLES: dict[str, tuple[str, ...]] = {
    "pupil_id": ("pupilid", "adno", "admissionno", "admissionnumber", "upn", "studentid", "id"),
    "date": ("date", "attendancedate", "sessiondate"),
    "session": ("session", "ampm", "sessionname", "amorpm"),
    "code": ("code", "mark", "attendancecode", "attendancemark"),
    "minutes_late": ("minuteslate", "minslate", "lateminutes"),
    "week_start": ("weekstart", "weekbeginning", "weekcommencing", "weekstarting", "weekof"),
    "am": ("am", "ammark", "amcode"),
    "pm": ("pm", "pmmark", "pmcode"),
}
"""Each column role with the header spellings understood for it (lower case, letters and
digits only), the first found winning: ``pupil_id`` prefers an admission number to a UPN."""
UNMARKED = frozenset({"", "-"})
"""Mark texts that stand for a session not yet marked."""

_WEEKDAY_COLUMN = re.compile(r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*(am|pm)")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GRID_COLUMN = re.compile(
    r"(?:(?P<day>[A-Za-z]{3,9})\.?,?\s+)?"
    r"(?P<date>\d{4}-\d{2}-\d{2}|\d{1,2}([/.-])\d{1,2}\3\d{4})"
    r"\s*[-_]?\s*[(\[]?(?P<part>AM|PM|am|pm)[)\]]?"
)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@attrs.frozen
class MarksExport:
    """What :func:`read_marks` read from one export."""

    register: Register
    layout: Layout
    unmarked: Mapping[str, int] = attrs.field(factory=lambda: MappingProxyType({}))
    """Sessions not yet marked (blank or ``-``) by pupil id: counted in no category."""
    ignored: tuple[str, ...] = ()
    """Header names of the columns no role or attribute used."""
    attributes: Mapping[str, Mapping[str, str]] = attrs.field(factory=lambda: MappingProxyType({}))
    """Pupil attributes taken from the export's own columns, by pupil id."""

    @property
    def unmarked_sessions(self) -> int:
        """All sessions not yet marked."""
        return sum(self.unmarked.values())


def parse_column_map(text: str, *, option: str = "--columns") -> dict[str, str]:
    """``role=Header,role=Header`` as a mapping (``pupil_id=Adno,date=Date``)."""
    found: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        role, sep, header = item.partition("=")
        if not sep or not role.strip() or not header.strip():
            raise InputError(
                "not a name=column pair", field=option, value=item, expected="name=Header"
            )
        found[role.strip()] = header.strip()
    return found


def read_marks(
    path: str | os.PathLike[str],
    *,
    layout: Layout | None = None,
    columns: Mapping[str, str] | None = None,
    attributes: Mapping[str, str] | None = None,
    date_format: DateFormat = "auto",
    sheet: str | None = None,
    code_set: CodeSetLike | None = None,
    resolve: ResolveCode | None = None,
    engine: Engine = "auto",
) -> MarksExport:
    """Read a marks export in any layout of :data:`LAYOUTS` into a register.

    ``layout`` overrides the layout the header suggests; ``columns`` maps roles of
    :data:`ROLES` to header names; ``attributes`` maps attribute names to header names
    (``{"year_group": "Year"}``); ``date_format`` says how dates are written when the file
    cannot say itself; ``sheet`` picks a spreadsheet's sheet. ``code_set`` and ``resolve`` are
    as for :func:`~attendance_core.io.marks_csv.read_marks_csv`. ``engine`` chooses the reader
    of a long CSV or Parquet export (:data:`~attendance_core.io.columnar.ENGINES`): the columnar
    reader gives the same register as the pure-Python one, faster, and leaves every file it
    cannot read exactly so (and every error) to it.

    :raises InputError: naming the file, line (or sheet row and column), field and value for
        an unrecognised header (listing every layout and what it expects), a missing column,
        a bad date, session or code, two marks for one pupil and session, and an attribute
        with two values for one pupil.
    """
    file = os.fspath(path)
    fast = _columnar(file, engine, layout, columns, attributes, date_format, sheet)
    if fast is not None:
        found = read_long_columnar(file, mode=fast, code_set=code_set, resolve=resolve)
        if found is not None:
            return MarksExport(found[0], "long", found[1])
    if file.lower().endswith(".parquet"):
        table = _parquet_table(file)
    else:
        if _canonical_csv(file, layout, columns, attributes, date_format, sheet):
            try:
                return MarksExport(read_marks_csv(file, code_set=code_set, resolve=resolve), "long")
            except InputError as error:
                if not _read_by_layouts(error):
                    raise
        table = read_table(file, sheet=sheet)
    return _Reader(table, columns or {}, attributes or {}, date_format, code_set, resolve).read(
        layout
    )


def _canonical_csv(
    file: str,
    layout: Layout | None,
    columns: Mapping[str, str] | None,
    attributes: Mapping[str, str] | None,
    date_format: DateFormat,
    sheet: str | None,
) -> bool:
    """Whether the file is (by its header) our own long CSV, for the fast reader."""
    if file.lower().endswith(SPREADSHEET_SUFFIXES) or sheet or columns or attributes:
        return False
    if layout not in (None, "long") or date_format not in ("auto", "iso"):
        return False
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline(4096)
    except (OSError, UnicodeDecodeError):
        return False
    names = [name.strip() for name in first.strip().split(",")]
    return set(COLUMNS) <= set(names) <= set(COLUMNS + OPTIONAL_COLUMNS)


def _columnar(
    file: str,
    engine: Engine,
    layout: Layout | None,
    columns: Mapping[str, str] | None,
    attributes: Mapping[str, str] | None,
    date_format: DateFormat,
    sheet: str | None,
) -> Literal["csv", "table"] | None:
    """How the columnar reader should read ``file`` (as our own long CSV, or as the general
    reader reads a table), or ``None`` for the pure-Python readers: ``engine="python"``, too
    small a file for ``auto``, or options only the general reader applies."""
    if engine == "python":
        return None
    if engine == "columnar":
        require_columnar()
    elif not columnar_available() or _size(file) < AUTO_MIN_BYTES:
        return None
    if file.lower().endswith(".parquet"):
        plain = not (columns or attributes or sheet) and layout in (None, "long")
        return "table" if plain and date_format == "auto" else None
    if _canonical_csv(file, layout, columns, attributes, date_format, sheet):
        return "csv"
    return None


def _size(file: str) -> int:
    try:
        return os.path.getsize(file)
    except OSError:
        return 0


_SLASHED = re.compile(r"\s*\d{1,2}([/.-])\d{1,2}\1\d{4}\s*")


def _read_by_layouts(error: InputError) -> bool:
    """Whether the canonical reader stopped at what an export may hold (a blank or ``-`` mark,
    a UK date), so the general reader reads the file; any other error stands as it is."""
    value = error.value if isinstance(error.value, str) else None
    if error.field == "code":
        return value is not None and value.strip() in UNMARKED
    return error.field == "date" and value is not None and bool(_SLASHED.fullmatch(value))


def _parquet_table(file: str) -> Table:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "reading Parquet needs pyarrow",
            file=file,
            expected="pip install 'attendance_core[arrow]', or the marks as CSV",
        ) from None
    try:
        data = pq.read_table(file)
    except Exception as error:  # pyarrow raises several kinds for a damaged file
        raise InputError(
            "not a readable Parquet file", file=file, value=type(error).__name__
        ) from None
    names = tuple(data.column_names)
    values = [
        ["" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v) for v in col]
        for col in (data.column(n).to_pylist() for n in names)
    ]
    rows = tuple(
        (number, tuple(col[i] for col in values))
        for i, number in enumerate(range(2, data.num_rows + 2))
    )
    return Table(file, names, rows, sheet=None)


class _Reader:
    """One read of one table."""

    def __init__(
        self,
        table: Table,
        columns: Mapping[str, str],
        attributes: Mapping[str, str],
        date_format: DateFormat,
        code_set: CodeSetLike | None,
        resolve: ResolveCode | None,
    ) -> None:
        self.table = table
        self.date_format = date_format
        self.builder = RegisterBuilder(code_set=code_set, resolve=resolve)
        self.keys = [_key(name) for name in table.header]
        self.roles = self._roles(columns)
        self.attribute_columns = {
            name: self._column(header, "--attributes") for name, header in attributes.items()
        }
        self.unmarked: dict[str, int] = {}
        self.blank: set[tuple[str, Session]] = set()
        self.marked: set[tuple[str, Session]] = set()
        self.attributes: dict[str, dict[str, str]] = {}
        self.sessions: dict[tuple[dt.date, Part], Session] = {}

    # -- the header ---------------------------------------------------------------------------
    def _column(self, header: str, option: str) -> int:
        try:
            return list(self.table.header).index(header)
        except ValueError:
            pass
        wanted = _key(header)
        if wanted in self.keys:
            return self.keys.index(wanted)
        raise InputError(
            "no such column",
            file=self.table.where,
            line=1,
            field=option,
            value=header,
            expected="one of the header's columns: " + ", ".join(self.table.header),
        )

    def _roles(self, columns: Mapping[str, str]) -> dict[str, int]:
        roles: dict[str, int] = {}
        for role, header in columns.items():
            if role not in ROLES:
                raise InputError(
                    "unknown column role",
                    file=self.table.where,
                    line=1,
                    field="--columns",
                    value=role,
                    expected="one of " + ", ".join(ROLES),
                )
            roles[role] = self._column(header, "--columns")
        taken = set(roles.values())
        for role, spellings in ROLES.items():
            if role in roles:
                continue
            for spelling in spellings:
                if spelling in self.keys and self.keys.index(spelling) not in taken:
                    roles[role] = self.keys.index(spelling)
                    taken.add(roles[role])
                    break
        return roles

    def _grid_columns(self) -> dict[int, tuple[str, str, str | None]]:
        found = {}
        for column, name in enumerate(self.table.header):
            match = _GRID_COLUMN.fullmatch(name.strip())
            if match:
                found[column] = (match["date"], match["part"].upper(), match["day"])
        return found

    def _weekly_columns(self) -> dict[int, tuple[int, Part]]:
        found = {}
        for column, key in enumerate(self.keys):
            match = _WEEKDAY_COLUMN.fullmatch(key)
            if match:
                found[column] = (_WEEKDAYS.index(match[1]), Part(match[2].upper()))
        return found

    def _layout(self, layout: Layout | None) -> Layout:
        if layout is not None:
            return layout
        roles = self.roles
        if "pupil_id" in roles and self._grid_columns():
            return "grid"
        if {"pupil_id", "week_start"} <= roles.keys() and self._weekly_columns():
            return "weekly"
        if {"pupil_id", "date", "am", "pm"} <= roles.keys():
            return "daily"
        if {"pupil_id", "date", "session", "code"} <= roles.keys():
            return "long"
        long_roles = ("pupil_id", "date", "session", "code")
        present = [role for role in long_roles if role in roles]
        if len(present) >= 3:  # a long export short of one column: name the column
            missing = next(role for role in long_roles if role not in roles)
            raise InputError(
                "missing column for the long layout",
                file=self.table.where,
                line=1,
                field=missing,
                value=",".join(self.table.header)[:200],
                expected=f"{LAYOUTS['long']}; --columns {missing}=Header names it",
            )
        listed = "; ".join(f"{name}: {columns}" for name, columns in LAYOUTS.items())
        raise InputError(
            "unrecognised marks layout",
            file=self.table.where,
            line=1,
            value=", ".join(self.table.header)[:200],
            expected=f"one of the layouts ({listed}), --layout to choose one, or --columns "
            "role=Header to name the columns",
        )

    def _need(self, layout: Layout, *roles: str) -> None:
        for role in roles:
            if role not in self.roles:
                raise InputError(
                    f"missing column for the {layout} layout",
                    file=self.table.where,
                    line=1,
                    field=role,
                    expected=f"{LAYOUTS[layout]}; --columns {role}=Header names it",
                )

    # -- the body -----------------------------------------------------------------------------
    def read(self, layout: Layout | None) -> MarksExport:
        chosen = self._layout(layout)
        used: set[int] = set(self.attribute_columns.values())
        if chosen == "long":
            self._need(chosen, "pupil_id", "date", "session", "code")
            used |= {self.roles[r] for r in ("pupil_id", "date", "session", "code")}
            if "minutes_late" in self.roles:
                used.add(self.roles["minutes_late"])
            self._read_long()
        elif chosen == "daily":
            self._need(chosen, "pupil_id", "date", "am", "pm")
            used |= {self.roles[r] for r in ("pupil_id", "date", "am", "pm")}
            self._read_daily()
        elif chosen == "weekly":
            self._need(chosen, "pupil_id", "week_start")
            weekly = self._weekly_columns()
            if not weekly:
                self._need(chosen, "MonAM")
            used |= {self.roles["pupil_id"], self.roles["week_start"], *weekly}
            self._read_weekly(weekly)
        else:
            self._need(chosen, "pupil_id")
            grid = self._grid_columns()
            if not grid:
                self._need(chosen, "08/09/2025 AM")
            used |= {self.roles["pupil_id"], *grid}
            self._read_grid(grid)
        if not self.blank and not self.marked:
            raise InputError(
                "no marks", file=self.table.where, line=2, expected="at least one mark"
            )
        ignored = tuple(n for c, n in enumerate(self.table.header) if c not in used and n)
        return MarksExport(
            self.builder.build(),
            chosen,
            MappingProxyType(dict(self.unmarked)),
            ignored,
            MappingProxyType({p: MappingProxyType(a) for p, a in self.attributes.items()}),
        )

    def _rows(self) -> Iterator[tuple[int, tuple[str, ...], str]]:
        """Each row with its pupil id (checked, attributes noted)."""
        pupil_column = self.roles["pupil_id"]
        width = len(self.table.header)
        for line, row in self.table.rows:
            if len(row) != width and (self.table.sheet is None or len(row) > width):
                raise self.table.error(
                    "wrong number of fields",
                    line,
                    None,
                    len(row),
                    f"{width} fields as in the header",
                )
            row = row + ("",) * (width - len(row))  # a sheet's row may stop at its last value
            pupil_id = row[pupil_column].strip()
            if not pupil_id:
                raise self.table.error("no pupil id", line, pupil_column, None, "a pupil id")
            for name, column in self.attribute_columns.items():
                self._attribute(pupil_id, name, row[column].strip(), line, column)
            yield line, row, pupil_id

    def _attribute(self, pupil_id: str, name: str, value: str, line: int, column: int) -> None:
        if not value:
            return
        held = self.attributes.setdefault(pupil_id, {})
        if held.setdefault(name, value) != value:
            raise self.table.error(
                f"two values of {name} for one pupil",
                line,
                column,
                value,
                f"{held[name]!r} as on the pupil's earlier rows",
            )

    def _format(self, texts: Sequence[str], field: str) -> DateFormat:
        if self.date_format != "auto":
            return self.date_format
        return decide_date_format(texts, file=self.table.where, field=field)

    def _date(self, text: str, date_format: DateFormat, line: int, column: int | None) -> dt.date:
        try:
            return parse_export_date(text, date_format)
        except InputError as error:
            raise self.table.error(
                error.reason, line, column, text, error.expected or "a date"
            ) from None

    def _session(self, day: dt.date, part: Part) -> Session:
        found = self.sessions.get((day, part))
        if found is None:
            found = self.sessions[day, part] = Session(day, part)
        return found

    def _mark(
        self,
        pupil_id: str,
        session: Session,
        code: str,
        minutes: str,
        line: int,
        column: int,
        minutes_column: int | None = None,
    ) -> None:
        key = (pupil_id, session)
        if key in self.blank or key in self.marked:
            raise self.table.error(
                "two marks for the same pupil and session",
                line,
                column,
                f"{pupil_id} {session}",
                "one mark per pupil and session",
            )
        if code.strip() in UNMARKED:
            self.blank.add(key)
            self.builder.row(pupil_id)
            self.builder.column(session)
            self.unmarked[pupil_id] = self.unmarked.get(pupil_id, 0) + 1
            return
        self.marked.add(key)
        late = self._minutes(minutes, line, minutes_column)
        try:
            self.builder.add(pupil_id, session, code, late)
        except UnknownCodeError as error:
            nearest = " or ".join(map(repr, error.suggestions))
            raise self.table.error(
                f"unknown attendance code in code set {error.code_set!r}",
                line,
                column,
                code,
                f"a code of {error.code_set!r}" + (f", e.g. {nearest}" if nearest else ""),
            ) from None
        except InputError as error:
            where = minutes_column if error.field == "minutes_late" else column
            raise self.table.error(
                error.reason, line, where, error.value, error.expected or "a valid mark"
            ) from None

    def _minutes(self, text: str, line: int, column: int | None) -> int | None:
        text = text.strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or len(text) > 4:
            raise self.table.error(
                "not a number of minutes",
                line,
                column,
                text,
                "a whole number of minutes (0 to 9999), or nothing",
            )
        return int(text) or None

    def _read_long(self) -> None:
        date, part, code = (self.roles[r] for r in ("date", "session", "code"))
        minutes = self.roles.get("minutes_late")
        rows = list(self._rows())
        date_format = self._format([row[date] for _, row, _ in rows], self.table.field(date))
        for line, row, pupil_id in rows:
            day = self._date(row[date], date_format, line, date)
            session = self._session(day, self._part(row[part], line, part))
            late = row[minutes] if minutes is not None else ""
            self._mark(pupil_id, session, row[code], late, line, code, minutes)

    def _part(self, text: str, line: int, column: int) -> Part:
        value = text.strip()
        if value in ("AM", "PM"):
            return Part(value)
        raise self.table.error("not a session", line, column, text, "AM or PM")

    def _read_daily(self) -> None:
        date, am, pm = (self.roles[r] for r in ("date", "am", "pm"))
        rows = list(self._rows())
        date_format = self._format([row[date] for _, row, _ in rows], self.table.field(date))
        for line, row, pupil_id in rows:
            day = self._date(row[date], date_format, line, date)
            self._mark(pupil_id, self._session(day, Part.AM), row[am], "", line, am)
            self._mark(pupil_id, self._session(day, Part.PM), row[pm], "", line, pm)

    def _read_weekly(self, weekly: Mapping[int, tuple[int, Part]]) -> None:
        start = self.roles["week_start"]
        rows = list(self._rows())
        date_format = self._format([row[start] for _, row, _ in rows], self.table.field(start))
        for line, row, pupil_id in rows:
            monday = self._date(row[start], date_format, line, start)
            if monday.weekday() != 0:
                raise self.table.error(
                    "the week does not start on a Monday",
                    line,
                    start,
                    row[start],
                    "the Monday of the week (MonAM is that day's morning)",
                )
            for column, (offset, part) in weekly.items():
                day = monday + dt.timedelta(days=offset)
                self._mark(pupil_id, self._session(day, part), row[column], "", line, column)

    def _read_grid(self, grid: Mapping[int, tuple[str, str, str | None]]) -> None:
        date_format = self._format([d for d, _, _ in grid.values()], "header")
        sessions: dict[int, Session] = {}
        for column, (text, part, weekday) in grid.items():
            day = self._date(text, date_format, 1, column)
            if weekday is not None and not day.strftime("%A").lower().startswith(
                weekday.lower()[:3]
            ):
                raise self.table.error(
                    "the weekday does not match the date",
                    1,
                    column,
                    self.table.header[column],
                    f"{day.strftime('%a')} {text}",
                )
            sessions[column] = self._session(day, Part(part))
        for line, row, pupil_id in self._rows():
            for column, session in sessions.items():
                self._mark(pupil_id, session, row[column], "", line, column)
