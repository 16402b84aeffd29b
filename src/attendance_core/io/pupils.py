"""Pupil attributes: year group, form, SEN, FSM, looked-after and other flags, names.

A pupils file (CSV or ``.xlsx``) has one row per pupil: ``pupil_id`` (or ``upn`` alone) and any
of :data:`ATTRIBUTES`, plus any other column, kept as text. It is what lets figures and lists be
given by year group, form or flag; names and dates of birth in it are shown only by outputs
that ask for them, and never in an error about another field.

Values are checked and written one way: a UPN's check letter (DfE, "Unique pupil numbers"
guidance; the rule also used by DfE's census validation, 1510), a year group as the census
writes it (``N1``, ``N2``, ``R``, ``1`` to ``14``, ``X``), ``sex`` as ``M`` or ``F``, SEN provision
as ``N``, ``K`` or ``E``, flags as ``yes`` or ``no``, dates of birth as ISO dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from attendance_core.exceptions import InputError
from attendance_core.io.dates import DateFormat, decide_date_format, parse_export_date
from attendance_core.io.output import spreadsheet_safe
from attendance_core.io.tables import Table, read_table

__all__ = [
    "ATTRIBUTES",
    "FLAGS",
    "PERSONAL",
    "Pupils",
    "format_pupils_csv",
    "pupil_mismatches",
    "read_pupils",
    "upn_check_letter",
]

Pupils = Mapping[str, Mapping[str, str]]
"""Attributes by pupil id, each a mapping of attribute name to its checked text."""

FLAGS = (
    "fsm",
    "pupil_premium",
    "eal",
    "looked_after",
    "child_protection",
    "child_in_need",
    "young_carer",
)
"""Yes/no attributes: written ``yes`` or ``no`` (read from yes/no, y/n, true/false, 1/0)."""
PERSONAL = ("forename", "surname", "preferred_name", "date_of_birth")
"""Attributes that identify a pupil: shown only where an output asks for them."""
ATTRIBUTES = (
    "upn",
    *PERSONAL,
    "year_group",
    "form",
    "house",
    "sex",
    "sen",
    *FLAGS,
    "ethnicity",
)
"""The attributes understood and checked; any other column is kept as text."""

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN = re.compile(r"[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]")
_YEAR = re.compile(r"(?:year|yr|y)?\s*(n1|n2|r|x|\d{1,2})", re.IGNORECASE)
_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}


def upn_check_letter(upn: str) -> str:
    """The check letter (first character) a UPN's other twelve characters give: the sum of
    each character's value times its position (2 to 13), modulo 23, as a letter of
    ``ABCDEFGHJKLMNPQRTUVWXYZ`` (a letter in the last place counts as its index there)."""
    total = 0
    for position, char in enumerate(upn[1:13], start=2):
        total += position * (int(char) if char.isdigit() else _UPN_LETTERS.index(char))
    return _UPN_LETTERS[total % 23]


def _upn(text: str) -> str:
    value = text.strip().upper()
    if not _UPN.fullmatch(value):
        raise ValueError("a UPN: a check letter, 11 digits and a digit or letter (13 characters)")
    if upn_check_letter(value) != value[0]:
        raise ValueError(f"a UPN whose check letter is {upn_check_letter(value)!r}")
    return value


def _year_group(text: str) -> str:
    match = _YEAR.fullmatch(text.strip())
    value = match[1].upper() if match else ""
    if value.isdigit():
        value = str(int(value))
        if not 1 <= int(value) <= 14:
            value = ""
    if not value:
        raise ValueError("a year group: N1, N2, R, 1 to 14 or X")
    return value


def _choice(choices: Mapping[str, str], expected: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        found = choices.get(text.strip().lower())
        if found is None:
            raise ValueError(expected)
        return found

    return read


def _flag(text: str) -> str:
    value = text.strip().lower()
    if value in _TRUE:
        return "yes"
    if value in _FALSE:
        return "no"
    raise ValueError("yes or no (or y/n, true/false, 1/0)")


_CHECKS: dict[str, Callable[[str], str]] = {
    "upn": _upn,
    "year_group": _year_group,
    "sex": _choice({"m": "M", "male": "M", "f": "F", "female": "F"}, "M or F"),
    "sen": _choice({"n": "N", "k": "K", "e": "E"}, "N, K (SEN support) or E (EHC plan)"),
    **dict.fromkeys(FLAGS, _flag),
}


def read_pupils(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    date_format: DateFormat = "auto",
) -> Pupils:
    """The pupils file's attributes by pupil id (``pupil_id``, or ``upn`` where there is none).

    :raises InputError: naming the file, line and column for a missing id column, an empty or
        repeated pupil id, a repeated column, and a value that fails its check.
    """
    table = read_table(path, sheet=sheet)
    names = [_name(header) for header in table.header]
    for column, name in enumerate(names):
        if name and name in names[:column]:
            raise table.error("column appears twice", 1, column, table.header[column], "once")
    if "pupil_id" not in names and "upn" not in names:
        raise InputError(
            "no pupil id column",
            file=table.where,
            line=1,
            expected="a pupil_id (or upn) column, then any of " + ", ".join(ATTRIBUTES),
        )
    id_column = names.index("pupil_id" if "pupil_id" in names else "upn")
    dates = _dates(table, names, date_format)
    pupils: dict[str, Mapping[str, str]] = {}
    for line, row in table.rows:
        cells = row + ("",) * (len(names) - len(row))
        pupil_id = cells[id_column].strip()
        if not pupil_id:
            raise table.error("no pupil id", line, id_column, None, "a pupil id")
        if pupil_id in pupils:
            raise table.error("pupil appears twice", line, id_column, pupil_id, "one row each")
        attributes = {}
        for column, name in enumerate(names):
            text = cells[column].strip()
            if column == id_column or not name or not text:
                continue
            attributes[name] = _value(table, name, text, line, column, dates)
        pupils[pupil_id] = MappingProxyType(attributes)
    return MappingProxyType(pupils)


def _name(header: str) -> str:
    """A header as an attribute name: lower case, words joined by ``_`` (``Year Group`` ->
    ``year_group``, ``DOB`` -> ``date_of_birth``)."""
    name = re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")
    return {"dob": "date_of_birth", "year": "year_group", "gender": "sex", "adno": "pupil_id"}.get(
        name, name
    )


def _dates(table: Table, names: list[str], date_format: DateFormat) -> DateFormat:
    if "date_of_birth" not in names:
        return "iso"
    if date_format != "auto":
        return date_format
    column = names.index("date_of_birth")
    texts = (row[column] for _, row in table.rows if column < len(row))
    return decide_date_format(texts, file=table.where, field=table.field(column))


def _value(
    table: Table, name: str, text: str, line: int, column: int, date_format: DateFormat
) -> str:
    if name == "date_of_birth":
        try:
            born = parse_export_date(text, date_format, field=name)
        except InputError as error:
            raise table.error(error.reason, line, column, text, error.expected or "") from None
        if not dt.date(1900, 1, 1) <= born <= dt.date.today():
            raise table.error(
                "date of birth out of range", line, column, text, "a date from 1900 to today"
            )
        return born.isoformat()
    check = _CHECKS.get(name)
    if check is None:
        return text
    try:
        return check(text)
    except ValueError as error:
        raise table.error(f"not a valid {name}", line, column, text[:40], str(error)) from None


def pupil_mismatches(
    marked: Iterable[str], pupils: Pupils
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The pupil ids with marks but no pupils row, and those with a row but no marks."""
    with_marks = list(dict.fromkeys(marked))
    without_row = tuple(p for p in with_marks if p not in pupils)
    seen = set(with_marks)
    return without_row, tuple(p for p in pupils if p not in seen)


def format_pupils_csv(pupils: Pupils) -> str:
    """The pupils as a pupils CSV that :func:`read_pupils` reads back to the same attributes:
    ``pupil_id``, then the attributes of :data:`ATTRIBUTES` any pupil has in that order, then
    the others in order of first appearance."""
    seen = dict.fromkeys(name for attributes in pupils.values() for name in attributes)
    columns = [name for name in ATTRIBUTES if name in seen]
    columns += [name for name in seen if name not in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["pupil_id", *columns])
    for pupil_id, attributes in pupils.items():
        cells = [pupil_id, *(attributes.get(name, "") for name in columns)]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue()
