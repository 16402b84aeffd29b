"""The school census attendance module: each pupil's possible sessions and sessions by reason.

Sources: DfE "Pupil absence in schools in England" methodology, section 4.1 and Table 6
(absence is collected one term in arrears, over calendar windows: the spring census collects
1 August to 31 December, the summer census 1 January to Easter Sunday, and the autumn census
summer half-term 1 and, separately, summer half-term 2 to 31 July); DfE school census
validation rules 2470 (no attendance for pupils outside the age range at 31 August, or
boarders), 1925 (a leaver with no attendance in the window is not returned) and query 2502Q
(zero possible sessions only for a dual-registered pupil who spent the whole term at the other
school); CBDS items 100228 (SessionsPossible), 100230 and 100231 (SessionsAuthorised and
SessionsUnauthorised), 100481 (AttendanceReason), 100233 (AbsenceSessions) and 100067 (Boarder).

A census is named as DfE names it, by the calendar year it is held in: ``spring 2026`` (held in
January 2026) collects 1 August to 31 December 2025. What is unconfirmed (rule 2470's age
bounds, which 31 August ages are taken at, the boarder values, the reason codes collected) is
the policy's ``[census]`` settings.

Only sessions while the pupil is on roll count, each code read with the set in force on its
date. A reason with no sessions is dropped; where any reason remains it replaces the
authorised and unauthorised totals; a block with no possible session is left out, and a pupil
with no block is not returned. Pupils left out, and checks that failed, are listed with the
DfE rule number they fall under, so school staff recognise them.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

from attendance_core.calendars import CensusWindow, census_windows
from attendance_core.codes import CODE_SETS, Category
from attendance_core.exceptions import InputError
from attendance_core.io.ctf import is_upn
from attendance_core.io.output import spreadsheet_safe as _safe
from attendance_core.model import Enrolment, Part, Session, parse_date
from attendance_core.register import Register
from attendance_core.school import School

__all__ = [
    "CENSUSES",
    "CensusBlock",
    "CensusCheck",
    "CensusPupil",
    "CensusReturn",
    "age_on",
    "census_return",
    "collection_windows",
    "format_census_csv",
    "format_census_xml",
]

Census = Literal["autumn", "spring", "summer"]
CENSUSES: tuple[Census, ...] = ("autumn", "spring", "summer")

_CATEGORIES = {
    "present": Category.PRESENT,
    "approved_educational_activity": Category.APPROVED_EDUCATIONAL_ACTIVITY,
    "authorised": Category.AUTHORISED_ABSENCE,
    "unauthorised": Category.UNAUTHORISED_ABSENCE,
}
_DUAL_STATUS = ("M", "S")
"""``enrol_status`` values of a dual-registered pupil (main or subsidiary registration)."""


@attrs.frozen
class CensusBlock:
    """One attendance block: ``TermlyAttendance`` or ``SummerHalfTerm2Attendance``."""

    element: Literal["TermlyAttendance", "SummerHalfTerm2Attendance"]
    window: CensusWindow
    sessions_possible: int
    sessions_authorised: int
    sessions_unauthorised: int
    reasons: tuple[tuple[str, int], ...]
    """``(AttendanceReason, AbsenceSessions)`` with at least one session each; when any are
    given they replace the two totals in the return."""


@attrs.frozen
class CensusPupil:
    """One returned pupil: on roll on census day or not, and their blocks."""

    pupil_id: str
    upn: str
    on_roll: bool
    blocks: tuple[CensusBlock, ...]


@attrs.frozen
class CensusCheck:
    """A pupil left out, or a check that failed, under the DfE rule it falls under."""

    rule: str
    """DfE's number (``"2470"``, ``"1925"``, ``"2502Q"``); or ``"roll"`` (a pupil with marks
    but no enrolment), ``"marks"`` (school sessions on roll without a mark) or ``"upn"`` (no
    valid UPN to identify the pupil), which carry no DfE number here."""
    pupil_id: str
    message: str
    failed: bool
    """True for a failed check (the return would be queried), False for a pupil left out as
    the rule requires."""

    def __str__(self) -> str:
        kind = "query" if self.failed else "left out"
        return f"rule {self.rule}: {self.pupil_id}: {kind}: {self.message}"


@attrs.frozen
class CensusReturn:
    """The attendance module of one census: the pupils returned and the checks."""

    census: Census
    year: int
    windows: tuple[CensusWindow, ...]
    pupils: tuple[CensusPupil, ...]
    checks: tuple[CensusCheck, ...]


def collection_windows(census: Census, year: int) -> tuple[CensusWindow, ...]:
    """The windows the ``census`` held in calendar ``year`` collects: one term in arrears.

    Spring ``year`` collects the autumn window of academic year ``year - 1``, summer ``year``
    its spring window, autumn ``year`` its two summer half-terms (returned separately).
    """
    if census not in CENSUSES:
        raise InputError(
            "unknown census", field="census", value=census, expected=" or ".join(CENSUSES)
        )
    if not 1971 <= year <= 2100:
        raise InputError(
            "census year out of range", field="year", value=year, expected="1971 to 2100"
        )
    autumn, spring, summer_1, summer_2 = census_windows(year - 1)
    if census == "spring":
        return (autumn,)
    if census == "summer":
        return (spring,)
    return (summer_1, summer_2)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` (a 29 February birthday falls on 1 March)."""
    age = day.year - date_of_birth.year
    return age - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def census_return(
    school: School,
    census: Census,
    year: int,
    *,
    census_date: dt.date | None = None,
) -> CensusReturn:
    """The attendance module of ``school`` for the ``census`` held in ``year``.

    ``school`` needs enrolments (admission and leaving dates, dates of birth); pupils'
    ``boarder``, ``enrol_status`` (``M`` or ``S``: dual registered), ``upn`` and
    ``date_of_birth`` attributes are read from ``school.pupils`` when given. A pupil with a
    leaving date is no longer on roll (``PupilsNoLongerOnRoll``); with ``census_date``, only if
    they left before it.
    """
    windows = collection_windows(census, year)
    if school.enrolments is None:
        raise InputError(
            "the census needs enrolments",
            field="--enrolments",
            expected="an enrolments CSV with admission dates and dates of birth",
        )
    policy = school.policy.census
    _check_reason_for(policy.reason_for)
    sessions_year = year - 1
    age_year = year if census == "autumn" and policy.age_at == "census_year" else sessions_year
    age_day = dt.date(age_year, 8, 31)
    categories = {_CATEGORIES[name] for name in policy.reason_categories}
    register = school.register
    rows = {pupil_id: i for i, pupil_id in enumerate(register.pupil_ids)}
    pupils: list[CensusPupil] = []
    checks: list[CensusCheck] = []
    ids = list(school.enrolments)
    ids += [p for p in register.pupil_ids if p not in school.enrolments]
    for pupil_id in ids:
        enrolment = school.enrolments.get(pupil_id)
        if enrolment is None:
            checks.append(
                CensusCheck("roll", pupil_id, "in the marks but not in the enrolments", True)
            )
            continue
        attributes = school.pupils.get(pupil_id, {})
        left = _leaver(enrolment, census_date)
        in_window = [w for w in windows if _on_roll_in(enrolment, w)]
        if not in_window:
            gone = enrolment.leaving_date
            # Only leavers of the collected year: earlier ones belong to earlier returns.
            if left and gone is not None and gone >= dt.date(sessions_year, 8, 1):
                checks.append(
                    CensusCheck("1925", pupil_id, "a leaver not on roll in the window", False)
                )
            continue
        bounds = (policy.minimum_age, policy.maximum_age)
        outside = _outside_cohort(enrolment, attributes, age_day, bounds, policy.boarder_values)
        if outside is not None:
            checks.append(CensusCheck("2470", pupil_id, *outside))
            continue
        row = register.rows[rows[pupil_id]] if pupil_id in rows else b""
        blocks: list[CensusBlock] = []
        zero: list[CensusWindow] = []
        for window in in_window:
            block = _block(register, row, enrolment, window, categories, policy.reason_for)
            if block.sessions_possible:
                blocks.append(block)
            else:
                zero.append(window)
        dual = attributes.get("enrol_status", "").strip().upper() in _DUAL_STATUS
        for window in zero:
            if dual:
                message = f"no possible sessions in {window.name} (dual registered): not returned"
                checks.append(CensusCheck("2502Q", pupil_id, message, False))
            else:
                message = (
                    f"no possible sessions in {window.name} while on roll; allowed only for a "
                    "dual-registered pupil (enrol_status M or S) who spent the whole term at "
                    "the other school"
                )
                checks.append(CensusCheck("2502Q", pupil_id, message, True))
        if school.calendar is not None:
            checks.extend(_missing_marks(school, pupil_id, row, enrolment, in_window))
        if not blocks:
            if left:
                checks.append(
                    CensusCheck(
                        "1925", pupil_id, "a leaver with no attendance in the window", False
                    )
                )
            continue
        upn = attributes.get("upn") or pupil_id
        if not is_upn(upn):
            message = (
                "no valid UPN (a upn attribute, or a UPN as the pupil id) for PupilIdentifiers"
            )
            checks.append(CensusCheck("upn", pupil_id, message, True))
        pupils.append(CensusPupil(pupil_id, upn, not left, tuple(blocks)))
    return CensusReturn(census, year, windows, tuple(pupils), tuple(checks))


def _missing_marks(
    school: School,
    pupil_id: str,
    row: bytes,
    enrolment: Enrolment,
    windows: Iterable[CensusWindow],
) -> Iterable[CensusCheck]:
    """School sessions on roll in a window without a mark: possible sessions would be short."""
    assert school.calendar is not None
    register = school.register
    marked = {register.sessions[col] for col, value in enumerate(row) if value}
    for window in windows:
        first = max(window.start, enrolment.admission_date)
        last = (
            window.end
            if enrolment.leaving_date is None
            else min(window.end, enrolment.leaving_date)
        )
        if first > last:
            continue
        missing = [s for s in school.calendar.sessions(first, last) if s not in marked]
        if missing:
            yield CensusCheck(
                "marks",
                pupil_id,
                f"{len(missing)} school sessions on roll in {window.name} have no mark (first "
                f"{missing[0]}), so possible sessions would be understated",
                True,
            )


def _check_reason_for(reason_for: Mapping[str, str]) -> None:
    for code, reason in reason_for.items():
        if not any(reason in code_set for code_set in CODE_SETS.values()):
            raise InputError(
                "not an attendance code",
                field=f"census.reason_for.{code}",
                value=reason,
                expected="a statutory code to return the sessions under",
            )


def _leaver(enrolment: Enrolment, census_date: dt.date | None) -> bool:
    if enrolment.leaving_date is None:
        return False
    return census_date is None or enrolment.leaving_date < census_date


def _on_roll_in(enrolment: Enrolment, window: CensusWindow) -> bool:
    return enrolment.admission_date <= window.end and (
        enrolment.leaving_date is None or enrolment.leaving_date >= window.start
    )


def _outside_cohort(
    enrolment: Enrolment,
    attributes: Mapping[str, str],
    age_day: dt.date,
    bounds: tuple[int, int],
    boarders: Iterable[str],
) -> tuple[str, bool] | None:
    """Why rule 2470 leaves the pupil out (and whether that is a failed check), or None."""
    boarder = attributes.get("boarder", "").strip().upper()
    if boarder and boarder in {b.upper() for b in boarders}:
        return f"a boarder (boarder {boarder})", False
    dob = enrolment.date_of_birth
    if dob is None and attributes.get("date_of_birth"):
        try:
            dob = parse_date(attributes["date_of_birth"], field="date_of_birth")
        except InputError:
            return "date of birth in the pupils file is not an ISO date", True
    if dob is None:
        return "no date of birth, so the age at 31 August is unknown", True
    age = age_on(dob, age_day)
    minimum, maximum = bounds
    if not minimum <= age <= maximum:
        return f"aged {age} on {age_day} (collected: {minimum} to {maximum})", False
    return None


def _block(
    register: Register,
    row: bytes,
    enrolment: Enrolment,
    window: CensusWindow,
    categories: set[Category],
    reason_for: Mapping[str, str],
) -> CensusBlock:
    """The pupil's block for ``window``: only sessions while on roll, each code counted at C
    speed over the window's columns (a whole school is thousands of rows)."""
    first = max(window.start, enrolment.admission_date)
    last = window.end if enrolment.leaving_date is None else min(window.end, enrolment.leaving_date)
    sessions = register.sessions
    segment = row[
        bisect.bisect_left(sessions, Session(first, Part.AM)) : bisect.bisect_right(
            sessions, Session(last, Part.PM)
        )
    ]
    totals = dict.fromkeys(Category, 0)
    reasons: dict[str, int] = {}
    for value, code in enumerate(register.alphabet, start=1):
        count = segment.count(value)
        if not count:
            continue
        totals[code.category] += count
        if code.category in categories:
            reason = reason_for.get(code.code, code.code)
            reasons[reason] = reasons.get(reason, 0) + count
    possible = sum(n for category, n in totals.items() if category.is_possible)
    element: Literal["TermlyAttendance", "SummerHalfTerm2Attendance"] = (
        "SummerHalfTerm2Attendance" if window.name == "summer 2" else "TermlyAttendance"
    )
    return CensusBlock(
        element,
        window,
        possible,
        totals[Category.AUTHORISED_ABSENCE],
        totals[Category.UNAUTHORISED_ABSENCE],
        tuple(sorted(reasons.items())),
    )


# -- output ----------------------------------------------------------------------------------


def format_census_xml(result: CensusReturn) -> str:
    """The return as census XML: ``Pupils/PupilsOnRoll/PupilOnRoll`` and
    ``PupilsNoLongerOnRoll/PupilNoLongerOnRoll``, each with ``PupilIdentifiers/UPN`` and
    ``Attendance``; reason detail replaces the authorised and unauthorised totals."""
    root = ET.Element("Pupils")
    groups = (
        ("PupilsOnRoll", "PupilOnRoll", True),
        ("PupilsNoLongerOnRoll", "PupilNoLongerOnRoll", False),
    )
    for group_name, item_name, on_roll in groups:
        members = [p for p in result.pupils if p.on_roll is on_roll]
        if not members:
            continue
        group = ET.SubElement(root, group_name)
        for pupil in members:
            item = ET.SubElement(group, item_name)
            ET.SubElement(ET.SubElement(item, "PupilIdentifiers"), "UPN").text = pupil.upn
            attendance = ET.SubElement(item, "Attendance")
            for block in pupil.blocks:
                element = ET.SubElement(attendance, block.element)
                ET.SubElement(element, "SessionsPossible").text = str(block.sessions_possible)
                if block.reasons:
                    details = ET.SubElement(element, "SessionDetails")
                    for reason, sessions in block.reasons:
                        detail = ET.SubElement(details, "SessionDetail")
                        ET.SubElement(detail, "AttendanceReason").text = reason
                        ET.SubElement(detail, "AbsenceSessions").text = str(sessions)
                else:
                    ET.SubElement(element, "SessionsAuthorised").text = str(
                        block.sessions_authorised
                    )
                    ET.SubElement(element, "SessionsUnauthorised").text = str(
                        block.sessions_unauthorised
                    )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


CSV_COLUMNS = (
    "pupil_id",
    "upn",
    "roll",
    "block",
    "window_start",
    "window_end",
    "sessions_possible",
    "sessions_authorised",
    "sessions_unauthorised",
    "attendance_reason",
    "sessions",
)
"""The fixed columns of :func:`format_census_csv`: one row per reason of each block (or one
with the totals, for a block without reasons), as the XML nests them."""


def format_census_csv(result: CensusReturn) -> str:
    """The return as CSV with :data:`CSV_COLUMNS`; totals are blank where reasons replace them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pupil in result.pupils:
        for block in pupil.blocks:
            head = [
                _safe(pupil.pupil_id),
                _safe(pupil.upn),
                "on_roll" if pupil.on_roll else "no_longer_on_roll",
                block.element,
                block.window.start.isoformat(),
                block.window.end.isoformat(),
                block.sessions_possible,
            ]
            if block.reasons:
                for reason, sessions in block.reasons:
                    writer.writerow([*head, "", "", reason, sessions])
            else:
                writer.writerow(
                    [*head, block.sessions_authorised, block.sessions_unauthorised, "", ""]
                )
    return buffer.getvalue()
