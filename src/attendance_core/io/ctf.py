"""Common Transfer File (CTF) attendance: pupils' identity and attendance read safely, and written.

A CTF is the XML file a school sends with a pupil who moves (DfE "Common Transfer File"
specifications, one a year; CTF 15 to 26 are read). This module reads, from ``CTfile``:

- ``Header/CTFversion`` (matched case-insensitively, as ``CTFVersion`` also occurs), and the
  header's source and destination school;
- each ``CTFpupilData/Pupil``: ``UPN``, ``Surname``, ``Forename``, ``DOB`` and ``Gender`` (to
  CTF 24) or ``Sex`` (from CTF 25);
- its ``Attendance/YearData``: the academic year, the school (``LEA``, ``Estab``,
  ``SchoolName``), the session totals, and ``AttendSessions``: an ``AttendanceStartDate`` and
  an ``AttendanceMarks`` string of two characters per calendar day from that date, AM then PM.

Element names are matched case-insensitively and other elements are ignored. Parsing goes
through ``defusedxml``: a file with a DTD, entities or external references is refused. Every
error names the file, the element's path (``CTfile/CTFpupilData/Pupil[2]/...``), and the value
cut short; a name or date of birth is quoted only when that field is the problem.

A marks string whose length does not fit its dates (odd, or running past the academic year)
and a character that is no code on its date are reported, never guessed. The characters the
specification leaves open are the policy's ``[ctf]`` settings: the filler for sessions that
are not school sessions, the character for an unmarked session, and the single character each
two-character 2024 code (C1, C2, J1, Y1-Y7) is written as.

:func:`format_ctf` writes what :func:`read_ctf` read back unchanged; :func:`leaver_pupil` builds
a leaver's attendance block from a school's register, calendar and roll.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET  # building output only; input is parsed by defusedxml
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import attrs
import defusedxml
import defusedxml.ElementTree as SafeET

from attendance_core.codes import AttendanceCode, Category, CodeSet, code_set_for_date
from attendance_core.exceptions import InputError
from attendance_core.io.pupils import upn_check_letter
from attendance_core.model import Mark, Part, Session, parse_date
from attendance_core.policy import CtfPolicy, Policy
from attendance_core.register import Register, RegisterBuilder

if TYPE_CHECKING:
    from attendance_core.calendars import SchoolCalendar

__all__ = [
    "MAX_FILE_BYTES",
    "AttendSessions",
    "CtfFile",
    "CtfHeader",
    "CtfPupil",
    "YearData",
    "ctf_register",
    "format_ctf",
    "is_upn",
    "leaver_pupil",
    "marks_string",
    "parse_ctf",
    "read_ctf",
    "session_marks",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest CTF read (a whole school's leavers is a few megabytes)."""
_VERSIONS = range(15, 27)
_YEARS = range(1990, 2101)
"""Academic years a CTF may hold."""
_MAX_SESSIONS = 2 * 366
"""Sessions in one academic year at most: the bound of every session total."""
_CUT = 40
_UPN = re.compile(r"[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]")


def _cut(value: str) -> str:
    """A value as an error quotes it: at most 40 characters."""
    return value if len(value) <= _CUT else value[:_CUT] + "..."


@attrs.frozen
class AttendSessions:
    """Session-level attendance: two characters per calendar day from ``start_date``."""

    start_date: dt.date
    marks: str
    """As written: AM then PM for each day, e.g. ``"/\\\\##"``."""

    @property
    def end_date(self) -> dt.date:
        """The last day the string covers (the day before ``start_date`` if it is empty)."""
        return self.start_date + dt.timedelta(days=len(self.marks) // 2 - 1)


@attrs.frozen
class YearData:
    """One academic year's attendance at one school (``Attendance/YearData``)."""

    year: int
    """The academic year by its first calendar year (2024 is 2024/25)."""
    lea: str | None = None
    estab: str | None = None
    school_name: str | None = None
    sessions_possible: int | None = None
    sessions_authorised: int | None = None
    sessions_attended: int | None = None
    sessions_unauthorised: int | None = None
    sessions: AttendSessions | None = None


@attrs.frozen
class CtfPupil:
    """One pupil's identity and attendance; names and date of birth never appear in ``repr``."""

    upn: str
    surname: str | None = attrs.field(default=None, repr=False)
    forename: str | None = attrs.field(default=None, repr=False)
    date_of_birth: dt.date | None = attrs.field(default=None, repr=False)
    sex: str | None = None
    sex_element: Literal["Gender", "Sex"] | None = attrs.field(default=None, eq=False)
    """Which element carried ``sex``, so it is written back as it was read (a matter of form,
    not compared); ``None`` writes the one of the file's version (``Sex`` from CTF 25)."""
    attendance: tuple[YearData, ...] = ()


@attrs.frozen
class CtfHeader:
    """The header fields kept: the version, when and by whom, and the two schools."""

    version: str
    """``CTFversion`` as written, e.g. ``"25.0"``."""
    datetime: str | None = None
    document_qualifier: str | None = None
    supplier_id: str | None = None
    source_lea: str | None = None
    source_estab: str | None = None
    source_school_name: str | None = None
    academic_year: str | None = None
    dest_lea: str | None = None
    dest_estab: str | None = None

    @property
    def major_version(self) -> int:
        """The version's whole number (``"25.0"`` is 25)."""
        return int(self.version.split(".", 1)[0])


@attrs.frozen
class CtfFile:
    """A CTF's header and pupils, in file order."""

    header: CtfHeader
    pupils: tuple[CtfPupil, ...]
    file: str | None = attrs.field(default=None, eq=False)
    """Where it was read from, for messages."""


def is_upn(text: str) -> bool:
    """Whether ``text`` is a UPN: a check letter, 11 digits and a digit or letter, the check
    letter matching the rest (DfE "Unique pupil numbers" guidance)."""
    return bool(_UPN.fullmatch(text)) and upn_check_letter(text) == text[0]


# -- reading ---------------------------------------------------------------------------------


def read_ctf(path: str | os.PathLike[str]) -> CtfFile:
    """Read and check a CTF file (see the module docstring for what is read)."""
    file = os.fspath(path)
    try:
        with Path(file).open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InputError(
            "cannot read file", file=file, value=error.strerror, expected="a readable file"
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            "file too large", file=file, expected=f"a CTF of at most {MAX_FILE_BYTES} bytes"
        )
    return parse_ctf(data, file=file)


def parse_ctf(data: bytes | str, *, file: str = "<ctf>") -> CtfFile:
    """A CTF from its bytes (or text); ``file`` names it in messages."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise InputError(
            "XML with a DTD, entities or external references is refused",
            file=file,
            expected="a CTF without <!DOCTYPE> or <!ENTITY> declarations",
        ) from None
    except ET.ParseError as error:
        raise InputError(
            "not well-formed XML", file=file, value=str(error), expected="a CTF XML file"
        ) from None
    return _Reader(file).ctf(root)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].casefold()


class _Reader:
    """Reads one parsed CTF, naming the file and element path of anything wrong."""

    def __init__(self, file: str) -> None:
        self.file = file

    def error(
        self, reason: str, path: str, value: str | None = None, expected: str | None = None
    ) -> InputError:
        return InputError(
            reason,
            file=self.file,
            field=path,
            value=None if value is None else _cut(value),
            expected=expected,
        )

    def children(self, element: ET.Element, name: str) -> list[ET.Element]:
        wanted = name.casefold()
        return [child for child in element if _local(child.tag) == wanted]

    def child(self, element: ET.Element, name: str, path: str) -> ET.Element | None:
        found = self.children(element, name)
        if len(found) > 1:
            raise self.error("element given more than once", f"{path}/{name}", expected="one")
        return found[0] if found else None

    def text(self, element: ET.Element, name: str, path: str) -> str | None:
        """The stripped text of child ``name``, or ``None`` when absent or empty."""
        found = self.child(element, name, path)
        if found is None:
            return None
        if len(found):
            raise self.error("element holds elements, not text", f"{path}/{name}")
        text = (found.text or "").strip()
        return text or None

    def required(self, element: ET.Element, name: str, path: str) -> str:
        text = self.text(element, name, path)
        if text is None:
            raise self.error("missing or empty element", f"{path}/{name}", expected="a value")
        return text

    def integer(self, element: ET.Element, name: str, path: str, low: int, high: int) -> int | None:
        text = self.text(element, name, path)
        if text is None:
            return None
        if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
            raise self.error(
                "not a whole number in range",
                f"{path}/{name}",
                text,
                f"a whole number from {low} to {high}",
            )
        return int(text)

    def date(self, element: ET.Element, name: str, path: str) -> dt.date:
        text = self.required(element, name, path)
        try:
            return parse_date(text, field=name)
        except InputError:
            raise self.error(
                "not a date", f"{path}/{name}", text, "an ISO date YYYY-MM-DD"
            ) from None

    # -- the document -----------------------------------------------------------------------
    def ctf(self, root: ET.Element) -> CtfFile:
        if _local(root.tag) != "ctfile":
            raise self.error(
                "not a Common Transfer File", _local(root.tag), expected="a root element CTfile"
            )
        path = "CTfile"
        header = self.child(root, "Header", path)
        if header is None:
            raise self.error("missing element", f"{path}/Header", expected="a CTF header")
        read_header = self.header(header, f"{path}/Header")
        data = self.child(root, "CTFpupilData", path)
        pupils: list[CtfPupil] = []
        if data is not None:
            seen: set[str] = set()
            for index, element in enumerate(self.children(data, "Pupil"), start=1):
                where = f"{path}/CTFpupilData/Pupil[{index}]"
                pupil = self.pupil(element, where)
                if pupil.upn in seen:
                    raise self.error(
                        "UPN given for two pupils", f"{where}/UPN", pupil.upn, "one pupil per UPN"
                    )
                seen.add(pupil.upn)
                pupils.append(pupil)
        return CtfFile(read_header, tuple(pupils), self.file)

    def header(self, element: ET.Element, path: str) -> CtfHeader:
        version = self.required(element, "CTFversion", path)
        match = re.fullmatch(r"([0-9]{1,3})(\.[0-9]{1,3})?", version)
        if match is None or int(match[1]) not in _VERSIONS:
            raise self.error(
                "not a supported CTF version",
                f"{path}/CTFversion",
                version,
                f"a version from {_VERSIONS[0]} to {_VERSIONS[-1]}, e.g. 25.0",
            )
        source = self.child(element, "SourceSchool", path)
        dest = self.child(element, "DestSchool", path)
        src, dst = f"{path}/SourceSchool", f"{path}/DestSchool"
        return CtfHeader(
            version,
            self.text(element, "DateTime", path),
            self.text(element, "DocumentQualifier", path),
            self.text(element, "SupplierID", path),
            None if source is None else self.text(source, "LEA", src),
            None if source is None else self.text(source, "Estab", src),
            None if source is None else self.text(source, "SchoolName", src),
            None if source is None else self.text(source, "AcademicYear", src),
            None if dest is None else self.text(dest, "LEA", dst),
            None if dest is None else self.text(dest, "Estab", dst),
        )

    def pupil(self, element: ET.Element, path: str) -> CtfPupil:
        upn = self.required(element, "UPN", path)
        if not is_upn(upn):
            raise self.error(
                "not a UPN",
                f"{path}/UPN",
                upn,
                "a check letter, 11 digits and a digit or letter, the letter matching the rest",
            )
        dob = None
        if self.text(element, "DOB", path) is not None:
            dob = self.date(element, "DOB", path)
        gender, sex = self.text(element, "Gender", path), self.text(element, "Sex", path)
        if gender is not None and sex is not None:
            raise self.error(
                "both Gender and Sex given", f"{path}/Sex", expected="one of Gender and Sex"
            )
        sex_element: Literal["Gender", "Sex"] | None = None
        if gender is not None:
            sex_element = "Gender"
        elif sex is not None:
            sex_element = "Sex"
        years: list[YearData] = []
        attendance = self.child(element, "Attendance", path)
        if attendance is not None:
            for index, year in enumerate(self.children(attendance, "YearData"), start=1):
                years.append(self.year_data(year, f"{path}/Attendance/YearData[{index}]"))
        return CtfPupil(
            upn,
            self.text(element, "Surname", path),
            self.text(element, "Forename", path),
            dob,
            gender if gender is not None else sex,
            sex_element,
            tuple(years),
        )

    def year_data(self, element: ET.Element, path: str) -> YearData:
        year = self.integer(element, "Year", path, _YEARS[0], _YEARS[-1])
        if year is None:
            raise self.error("missing or empty element", f"{path}/Year", expected="a year")
        sessions = None
        detail = self.child(element, "AttendSessions", path)
        if detail is not None:
            sessions = self.sessions(detail, f"{path}/AttendSessions", year)

        def total(name: str) -> int | None:
            return self.integer(element, name, path, 0, _MAX_SESSIONS)

        return YearData(
            year,
            self.text(element, "LEA", path),
            self.text(element, "Estab", path),
            self.text(element, "SchoolName", path),
            total("SessionsPossible"),
            total("SessionsAuthorised"),
            total("SessionsAttended"),
            total("SessionsUnauthorised"),
            sessions,
        )

    def sessions(self, element: ET.Element, path: str, year: int) -> AttendSessions:
        start = self.date(element, "AttendanceStartDate", path)
        first, last = dt.date(year, 8, 1), dt.date(year + 1, 7, 31)
        if not first <= start <= last:
            raise self.error(
                "start date outside its academic year",
                f"{path}/AttendanceStartDate",
                start.isoformat(),
                f"a date from {first} to {last} (Year {year})",
            )
        found = self.child(element, "AttendanceMarks", path)
        marks = "" if found is None or found.text is None else found.text
        where = f"{path}/AttendanceMarks"
        if len(marks) % 2:
            raise self.error(
                "marks string of odd length",
                where,
                f"{len(marks)} characters",
                "two characters (AM, PM) per calendar day",
            )
        days = (last - start).days + 1
        if len(marks) > 2 * days:
            raise self.error(
                "marks string runs past the end of its academic year",
                where,
                f"{len(marks) // 2} days from {start}",
                f"at most {days} days, to {last}",
            )
        return AttendSessions(start, marks)


# -- marks strings and registers -------------------------------------------------------------


def _check_characters(policy: CtfPolicy) -> None:
    for name in ("non_school_day", "no_mark"):
        value = getattr(policy, name)
        if len(value) != 1:
            raise InputError(
                "not one character",
                field=f"ctf.{name}",
                value=value,
                expected="a single character",
            )
    for code, char in policy.code_characters.items():
        if len(char) != 1:
            raise InputError(
                "not one character",
                field=f"ctf.code_characters.{code}",
                value=char,
                expected="a single character",
            )


def _decoder(policy: CtfPolicy) -> Callable[[str, CodeSet], AttendanceCode | None]:
    """Reads one character with a code set: the code it stands for, or ``None`` for none."""
    _check_characters(policy)
    blanks = {policy.non_school_day, policy.no_mark}
    stands_for: dict[str, list[str]] = {}
    for code, char in policy.code_characters.items():
        stands_for.setdefault(char, []).append(code)

    def decode(char: str, code_set: CodeSet) -> AttendanceCode | None:
        if char in blanks:
            return None
        if char in code_set:
            return code_set[char]
        codes = [c for c in stands_for.get(char, ()) if c in code_set]
        if len(codes) == 1:
            return code_set[codes[0]]
        if codes:
            reason = f"character stands for {len(codes)} codes ({', '.join(codes)})"
        else:
            reason = "character is no attendance code on its date"
        raise InputError(
            reason,
            value=char,
            expected=f"a code of {code_set.id} (two-character codes as [ctf] code_characters "
            f"writes them), {policy.non_school_day!r} (no session) or {policy.no_mark!r} "
            "(no mark)",
        )

    return decode


def session_marks(
    sessions: AttendSessions,
    *,
    policy: Policy | None = None,
    code_set: CodeSet | None = None,
) -> Iterator[tuple[Mark, AttendanceCode]]:
    """Each marked session of a marks string, with the code it is read as (by its date, or
    ``code_set``); filler and unmarked sessions give nothing. An unreadable character is an
    :class:`InputError` naming its date and session."""
    decode = _decoder((policy or Policy()).ctf)
    marks = sessions.marks
    for offset in range(0, len(marks), 2):
        day = sessions.start_date + dt.timedelta(days=offset // 2)
        day_set = code_set or code_set_for_date(day)
        for part, char in zip((Part.AM, Part.PM), marks[offset : offset + 2], strict=True):
            try:
                code = decode(char, day_set)
            except InputError as error:
                raise InputError(
                    error.reason,
                    field=f"{day.isoformat()} {part.value}",
                    value=error.value,
                    expected=error.expected,
                ) from None
            if code is not None:
                yield Mark(Session(day, part), char), code


def ctf_register(
    ctf: CtfFile, *, policy: Policy | None = None, code_set: CodeSet | None = None
) -> Register:
    """Every pupil's ``AttendSessions`` marks as one register keyed by UPN.

    Characters are kept as written (``J`` stays ``J`` in the register, read as J1 when the
    policy's ``code_characters`` writes only J1 as J), so the register writes back the same
    string. A character that is no code, or two strings marking one session, is an
    :class:`InputError` naming the file and element path.
    """
    decode = _decoder((policy or Policy()).ctf)

    def resolve(written: str, day_set: CodeSet) -> AttendanceCode:
        code = decode(written, day_set)
        assert code is not None  # session_marks gives no blank
        return code

    builder = RegisterBuilder(code_set=code_set, resolve=resolve)
    for p_index, pupil in enumerate(ctf.pupils, start=1):
        builder.row(pupil.upn)
        for y_index, year in enumerate(pupil.attendance, start=1):
            if year.sessions is None:
                continue
            path = (
                f"CTfile/CTFpupilData/Pupil[{p_index}]/Attendance/YearData[{y_index}]"
                "/AttendSessions/AttendanceMarks"
            )
            try:
                for mark, _code in session_marks(year.sessions, policy=policy, code_set=code_set):
                    builder.add(pupil.upn, mark.session, mark.code)
            except InputError as error:
                raise InputError(
                    error.reason,
                    file=ctf.file,
                    field=f"{path} ({error.field})" if error.field else path,
                    value=error.value,
                    expected=error.expected,
                ) from None
    return builder.build()


def marks_string(
    marks: Mapping[Session, AttendanceCode],
    start: dt.date,
    end: dt.date,
    *,
    is_school_session: Callable[[Session], bool],
    policy: Policy | None = None,
) -> str:
    """The AttendanceMarks string from ``start`` to ``end``: each session's statutory code
    (two-character codes through ``[ctf] code_characters``), else the policy's ``no_mark``
    for a school session and ``non_school_day`` for any other."""
    ctf = (policy or Policy()).ctf
    _check_characters(ctf)
    chars: list[str] = []
    day = start
    while day <= end:
        for part in (Part.AM, Part.PM):
            session = Session(day, part)
            code = marks.get(session)
            if code is None:
                chars.append(ctf.no_mark if is_school_session(session) else ctf.non_school_day)
            elif len(code.code) == 1:
                chars.append(code.code)
            elif code.code in ctf.code_characters:
                chars.append(ctf.code_characters[code.code])
            else:
                raise InputError(
                    "a two-character code has no CTF character",
                    field=f"{session}",
                    value=code.code,
                    expected="a [ctf] code_characters entry for it in the policy",
                )
        day += dt.timedelta(days=1)
    return "".join(chars)


def leaver_pupil(
    register: Register,
    pupil_id: str,
    *,
    year: int,
    calendar: SchoolCalendar,
    admission: dt.date,
    leaving: dt.date | None,
    lea: str | None = None,
    estab: str | None = None,
    school_name: str | None = None,
    identity: Mapping[str, str] | None = None,
    date_of_birth: dt.date | None = None,
    policy: Policy | None = None,
) -> CtfPupil:
    """A pupil's CTF block for academic ``year``: identity, the sessions totals while on roll
    and the marks string from the first school day (or mark) on roll in the year to the
    earlier of leaving and 31 July (the last mark, for a pupil still on roll).

    ``SessionsAttended`` is DfE's attendance (present, late before close and approved
    educational activity), not a count of ``/`` and ``\\`` as one supplier writes it.
    """
    if not _YEARS[0] <= year <= _YEARS[-1]:
        raise InputError(
            "academic year out of range",
            field="year",
            value=year,
            expected=f"{_YEARS[0]} to {_YEARS[-1]}",
        )
    first = max(admission, dt.date(year, 8, 1))
    last = dt.date(year + 1, 7, 31) if leaving is None else min(leaving, dt.date(year + 1, 7, 31))
    index = register.pupil_ids.index(pupil_id) if pupil_id in register.pupil_ids else None
    on_roll: dict[Session, AttendanceCode] = {}
    if index is not None:
        row = register.rows[index]
        for col, value in enumerate(row):
            session = register.sessions[col]
            if value and first <= session.date <= last:
                on_roll[session] = register.alphabet[value - 1]
    if leaving is None:
        last = max((s.date for s in on_roll), default=first)
    if last < first:
        raise InputError(
            "not on roll in the academic year",
            field="pupil_id",
            value=pupil_id,
            expected=f"on roll between {dt.date(year, 8, 1)} and {dt.date(year + 1, 7, 31)}",
        )
    starts = [*calendar.school_days(first, last)[:1], *(s.date for s in on_roll)]
    first = min(starts, default=first)
    counts = dict.fromkeys(Category, 0)
    for code in on_roll.values():
        counts[code.category] += 1
    attended = counts[Category.PRESENT] + counts[Category.APPROVED_EDUCATIONAL_ACTIVITY]
    authorised = counts[Category.AUTHORISED_ABSENCE]
    unauthorised = counts[Category.UNAUTHORISED_ABSENCE]
    text = marks_string(
        on_roll, first, last, is_school_session=calendar.is_school_session, policy=policy
    )
    who = identity or {}
    upn = who.get("upn") or pupil_id
    return CtfPupil(
        upn,
        who.get("surname"),
        who.get("forename"),
        date_of_birth,
        who.get("sex"),
        None,
        (
            YearData(
                year,
                lea,
                estab,
                school_name,
                attended + authorised + unauthorised,
                authorised,
                attended,
                unauthorised,
                AttendSessions(first, text),
            ),
        ),
    )


# -- writing ---------------------------------------------------------------------------------


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _add(parent: ET.Element, name: str, text: object) -> None:
    """A child element with ``text``; characters XML cannot hold are an InputError."""
    if text is None:
        return
    value = str(text)
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise InputError(
            "character XML cannot hold",
            field=name,
            value=f"U+{ord(bad[0]):04X}",
            expected="text without control characters",
        )
    ET.SubElement(parent, name).text = value


def format_ctf(ctf: CtfFile) -> str:
    """The CTF as XML text (UTF-8 declared): what :func:`read_ctf` reads back equal."""
    root = ET.Element("CTfile")
    header = ET.SubElement(root, "Header")
    h = ctf.header
    _add(header, "DocumentName", "Common Transfer File")
    _add(header, "CTFversion", h.version)
    _add(header, "DateTime", h.datetime)
    _add(header, "DocumentQualifier", h.document_qualifier)
    _add(header, "SupplierID", h.supplier_id)
    if any(v is not None for v in (h.source_lea, h.source_estab, h.source_school_name)) or (
        h.academic_year is not None
    ):
        source = ET.SubElement(header, "SourceSchool")
        _add(source, "LEA", h.source_lea)
        _add(source, "Estab", h.source_estab)
        _add(source, "SchoolName", h.source_school_name)
        _add(source, "AcademicYear", h.academic_year)
    if h.dest_lea is not None or h.dest_estab is not None:
        dest = ET.SubElement(header, "DestSchool")
        _add(dest, "LEA", h.dest_lea)
        _add(dest, "Estab", h.dest_estab)
    data = ET.SubElement(root, "CTFpupilData")
    default_sex = "Sex" if h.major_version >= 25 else "Gender"
    for pupil in ctf.pupils:
        element = ET.SubElement(data, "Pupil")
        _add(element, "UPN", pupil.upn)
        _add(element, "Surname", pupil.surname)
        _add(element, "Forename", pupil.forename)
        _add(element, "DOB", None if pupil.date_of_birth is None else pupil.date_of_birth)
        _add(element, pupil.sex_element or default_sex, pupil.sex)
        if pupil.attendance:
            _years(ET.SubElement(element, "Attendance"), pupil.attendance)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _years(attendance: ET.Element, years: Iterable[YearData]) -> None:
    for year in years:
        element = ET.SubElement(attendance, "YearData")
        _add(element, "Year", year.year)
        _add(element, "LEA", year.lea)
        _add(element, "Estab", year.estab)
        _add(element, "SchoolName", year.school_name)
        _add(element, "SessionsPossible", year.sessions_possible)
        _add(element, "SessionsAuthorised", year.sessions_authorised)
        _add(element, "SessionsAttended", year.sessions_attended)
        _add(element, "SessionsUnauthorised", year.sessions_unauthorised)
        if year.sessions is not None:
            detail = ET.SubElement(element, "AttendSessions")
            _add(detail, "AttendanceStartDate", year.sessions.start_date.isoformat())
            ET.SubElement(detail, "AttendanceMarks").text = year.sessions.marks
