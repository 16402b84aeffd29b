"""The policy as frozen data: every threshold, code list and method choice a rule reads.

Each field carries ``metadata`` with ``doc`` (what it means) and ``source`` (the legal or DfE
basis of the default); ``docs/policy.md`` is checked against them. Defaults follow the
national rules for England; where the domain notes mark a fact UNCONFIRMED the behaviour is a
setting here, with the default and the doubt documented.

The loader (``_load.py``) reads every section generically from these fields, so a new field
needs no loader change. Its checks follow the type and a few conventions: an ``int`` is a whole
number of at least 1 (at least 0 when its default is 0, or with ``minimum=``), a percentage
(``unit="percent"``) lies between 0 and 100; a ``Fraction`` is a percentage, read exactly from
its decimal text; a field named ``codes`` or ``*_codes`` holds statutory codes (the values, for
a mapping) and is checked against the policy's code set.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal

import attrs

from attendance_core.model import frozen_map

__all__ = [
    "Band",
    "BandsPolicy",
    "CalendarPolicy",
    "CensusPolicy",
    "CodesPolicy",
    "ConsecutiveAbsencePolicy",
    "CtfPolicy",
    "DeletionPolicy",
    "EscalationPolicy",
    "LANotificationPolicy",
    "LatenessPolicy",
    "MethodPolicy",
    "PatternPolicy",
    "PenaltyNoticePolicy",
    "ReportPolicy",
    "SchoolAgePolicy",
    "SchoolPolicy",
    "ThresholdsPolicy",
    "UnexplainedAbsencePolicy",
]

UNAUTHORISED_CODES = ("G", "N", "O", "U")
ABSENCE_CODES_2024 = ("C", "C1", "C2", "E", "G", "I", "J1", "M", "N", "O", "R", "S", "T", "U")


def _key(
    default: Any,
    doc: str,
    source: str = "",
    *,
    unit: str = "",
    minimum: int | None = None,
    **kwargs: Any,
) -> Any:
    metadata = {"doc": doc, "source": source, "unit": unit, "minimum": minimum}
    return attrs.field(default=default, metadata=metadata, **kwargs)


def least_whole_number(field: attrs.Attribute[Any] | None) -> int:
    """The least value an ``int`` setting accepts: its ``minimum``, else 0 where its default is
    0 (the setting may be switched off), else 1."""
    if field is None:
        return 1
    minimum = field.metadata.get("minimum")
    if minimum is not None:
        return int(minimum)
    return 0 if field.default == 0 else 1


@attrs.frozen
class CodesPolicy:
    code_set: str = _key(
        "auto",
        "Code set for reading marks: 'auto' picks the statutory set in force on each mark's "
        "date; a code-set id forces one.",
        "SI 2024/208 (in force 19 August 2024) replaced SI 2006/1751",
    )
    local_codes: Mapping[str, str] = _key(
        MappingProxyType({}),
        "Local or vendor codes and the statutory code each stands for, e.g. { I01 = 'I' }.",
        "SI 2024/208 reg 10 (the statutory codes); MIS sub-codes roll up to them",
        converter=frozen_map,
    )


@attrs.frozen
class CalendarPolicy:
    file: str | None = _key(
        None,
        "Calendar TOML file, relative to the policy file.",
        "Education (School Day and School Year) (England) Regulations 1999 regs 2-3 (the "
        "school year); the LA, governing body or academy trust sets the term dates",
    )
    name: str | None = _key(
        None,
        "Name of a calendar a plugin provides (an LA's or trust's term dates), used when no "
        "file is given; plugins' adjustments (a school's INSET days) are applied to it.",
        "LAs and trusts set term dates; each school adds its 5 INSET days (STPCD: 195 "
        "teacher days, 190 with pupils)",
    )
    minimum_sessions: int = _key(
        380,
        "Sessions a school year should have; fewer gives a warning.",
        "Education (School Day and School Year) (England) Regulations 1999 reg 3 (378 in 2011/12)",
    )


@attrs.frozen
class SchoolPolicy:
    local_authority: str | None = _key(
        None,
        "The school's local authority as DfE names it (\"Kent\"): reports set the school's "
        "figures beside that authority's for the school's phase.",
        "DfE 'Pupil attendance in schools' (local-authority figures by phase)",
    )
    phase: Literal["primary", "secondary", "special"] | None = _key(
        None,
        "The school's phase, for the national and local-authority figures it is compared with.",
        "DfE 'Pupil attendance in schools' (figures by phase)",
    )
    attendance_target: Fraction | None = _key(
        None,
        "The school's own attendance target in percent, shown beside its figures.",
        "The school's or trust's attendance policy (DfE 'Working together to improve school "
        "attendance' 2024: schools set and monitor their own targets)",
        unit="percent",
    )


@attrs.frozen
class MethodPolicy:
    year11_last_half_term: Literal["include", "exclude"] = _key(
        "include",
        "Whether summer half-term 2 counts for pupils aged 15 on 31 August. DfE's national "
        "statistics exclude it; schools' own reports usually include it.",
        "DfE 'Pupil absence in schools in England' methodology §2",
    )
    severe_absence_boundary: Literal["at_least", "more_than"] = _key(
        "at_least",
        "Whether severe absence is absence at least the threshold or more than it. DfE's "
        "summaries say 'at least half'; the exact sentence is UNCONFIRMED.",
        "DfE 'Pupil absence in schools in England' methodology (severe absence)",
    )
    count_by: Literal["enrolment", "pupil"] = _key(
        "enrolment",
        "Pool group figures by enrolment (DfE) or by pupil across enrolments "
        "(AttendanceSummary.pool_by).",
        "DfE 'Pupil absence in schools in England' methodology §2 (enrolments, not pupils)",
    )


@attrs.frozen
class ThresholdsPolicy:
    persistent_absence: int = _key(
        10,
        "Persistent absence: overall absence at least this percent of possible sessions.",
        "DfE 'Pupil absence in schools in England' methodology, exact method since 2015/16",
        unit="percent",
    )
    severe_absence: int = _key(
        50,
        "Severe absence: overall absence at least this percent of possible sessions.",
        "DfE 'Pupil absence in schools in England' methodology (severe absence)",
        unit="percent",
    )


@attrs.frozen
class Band:
    """An attendance band: rates at or above ``at_least`` percent (and below the band above)."""

    name: str
    at_least: Fraction = attrs.field(converter=Fraction, metadata={"unit": "percent"})


_WATCH_LINE = Fraction(90)
_DEFAULT_BANDS = (
    Band("full attendance", Fraction(100)),
    Band("expected", Fraction(96)),
    Band("at risk", Fraction(90)),
    Band("persistently absent", Fraction(50)),
    Band("severely absent", Fraction(0)),
)


@attrs.frozen
class BandsPolicy:
    bands: tuple[Band, ...] = _key(
        _DEFAULT_BANDS,
        "Attendance bands, highest first; a pupil is in the first band whose 'at_least' "
        "percent their attendance reaches. The lowest band must start at 0.",
        "Local practice; DfE sets no bands (WTISA expects schools to monitor patterns)",
    )
    watch_list_below: Fraction = _key(
        _WATCH_LINE,
        "Pupils whose attendance is below this percent go on the watch list.",
        "Local practice; 90% attendance is the complement of DfE's 10% persistent absence",
        unit="percent",
    )


@attrs.frozen
class PenaltyNoticePolicy:
    sessions: int = _key(
        10,
        "Unauthorised sessions within the window that meet the threshold.",
        "National framework for penalty notices (WTISA 2024 paras 174-200)",
    )
    school_weeks: int = _key(
        10,
        "Length of the rolling window in school weeks (weeks with at least one session).",
        "National framework for penalty notices (WTISA 2024 paras 174-200)",
    )
    codes: tuple[str, ...] = _key(
        UNAUTHORISED_CODES,
        "Codes that count towards the threshold. Whether N counts is UNCONFIRMED "
        "(Manchester says yes; some summaries list only G, O, U).",
        "National framework for penalty notices; Manchester CC code of conduct",
        converter=tuple,
    )
    max_notices: int = _key(
        2,
        "Notices per parent per child within the period; beyond it no notice is possible.",
        "Education (Penalty Notices) (England) (Amendment) Regulations 2024",
        minimum=0,
    )
    period_years: int = _key(
        3,
        "Length of the rolling period, in years, over which notices are counted.",
        "Education (Penalty Notices) (England) (Amendment) Regulations 2024",
    )
    reduced_amount: int = _key(
        80,
        "Pounds payable on a first notice paid within 'reduced_within_days'.",
        "Education (Penalty Notices) (England) (Amendment) Regulations 2024 (from 19 Aug 2024)",
    )
    reduced_within_days: int = _key(
        21,
        "Days within which a first notice may be paid at the reduced amount.",
        "Education (Penalty Notices) (England) (Amendment) Regulations 2024",
    )
    amount: int = _key(
        160,
        "Pounds payable within 'amount_within_days'; a later notice to the same parent for the "
        "same child within the period is always this amount, with no reduced option.",
        "Education (Penalty Notices) (England) (Amendment) Regulations 2024",
    )
    amount_within_days: int = _key(
        28,
        "Days within which a notice must be paid before prosecution may follow.",
        "Education (Penalty Notices) (England) (Amendment) Regulations 2024; EA 1996 s444A",
    )


@attrs.frozen
class LANotificationPolicy:
    continuous_absence_days: int = _key(
        10,
        "Continuous school days of unauthorised absence that must be notified to the LA.",
        "SI 2024/208 (attendance returns); SI 2006/1751 reg 12 before",
    )
    continuous_absence_codes: tuple[str, ...] = _key(
        UNAUTHORISED_CODES,
        "Codes that make a day count as unauthorised absence for the return.",
        "SI 2024/208 (attendance returns)",
        converter=tuple,
    )
    sickness_days: int = _key(
        15,
        "School days of sickness in a school year, consecutive or cumulative, to notify.",
        "SI 2024/208 (sickness returns, new in 2024)",
    )
    sickness_codes: tuple[str, ...] = _key(
        ("I",), "Codes that count as sickness.", "SI 2024/208 (sickness returns)", converter=tuple
    )
    sickness_day_counting: Literal["by_session", "any_session"] = _key(
        "by_session",
        "How sickness sessions make school days: 'by_session' counts each sickness session as "
        "its share of the day (two I sessions make one day of a two-session day); "
        "'any_session' counts a whole day when any of its sessions is sickness. The "
        "regulations say school days without settling half-days (UNCONFIRMED).",
        "SI 2024/208 (sickness returns: 15 school days, consecutively or cumulatively)",
    )


@attrs.frozen
class DeletionPolicy:
    continuous_days: int = _key(
        20,
        "Continuous school days of absence that make deletion from roll a possibility.",
        "SI 2024/208 reg 9(1)(i) ('Ground I')",
    )
    codes: tuple[str, ...] = _key(
        ("G", "N", "O"),
        "Codes every session of the period must carry; any other code breaks it.",
        "SI 2024/208 reg 9(1)(i)",
        converter=tuple,
    )


@attrs.frozen
class UnexplainedAbsencePolicy:
    codes: tuple[str, ...] = _key(
        ("N",),
        "Codes meaning 'reason not yet established'.",
        "SI 2024/208 reg 10, code N",
        converter=tuple,
    )
    replace_within_school_days: int = _key(
        5,
        "School days within which an N must be replaced by another code.",
        "WTISA 2024 (code N must be amended within 5 school days)",
        minimum=0,
    )


@attrs.frozen
class LatenessPolicy:
    limit: int = _key(
        10,
        "Late sessions (L or U) within the window that put a pupil on the lateness list.",
        "Local practice",
    )
    window_school_weeks: int = _key(
        10, "Rolling window, in school weeks, for the lateness limit.", "Local practice"
    )
    drift_points: int = _key(
        25,
        "Lateness drifts from L to U when the share of late sessions coded U rises by at least "
        "this many percentage points from the first half of the current window to the second.",
        "Local practice; U (after the register closed) is unauthorised absence, L is not "
        "(DfE 'Pupil attendance in schools' technical guidance)",
        unit="percent",
    )
    drift_minimum_late: int = _key(
        3,
        "Late sessions each half of the window needs before drift is judged.",
        "Local practice",
    )


@attrs.frozen
class ConsecutiveAbsencePolicy:
    sessions: int = _key(
        6, "Length of a streak of absence sessions worth reporting.", "Local practice"
    )
    codes: tuple[str, ...] = _key(
        ABSENCE_CODES_2024,
        "Codes that make a session part of a streak (default: every absence code).",
        "SI 2024/208 codes in DfE's absence categories ('Pupil absence in schools in England')",
        converter=tuple,
    )


@attrs.frozen
class PatternPolicy:
    codes: tuple[str, ...] = _key(
        ABSENCE_CODES_2024,
        "Codes that count as absence when looking for patterns (default: every absence code).",
        "SI 2024/208 codes in DfE's absence categories ('Pupil absence in schools in England')",
        converter=tuple,
    )
    minimum_sessions: int = _key(
        6, "Absence sessions needed before a pattern is reported.", "Local practice"
    )
    weekday_share_percent: int = _key(
        40,
        "Report a weekday holding at least this percent of absences.",
        "Local practice",
        unit="percent",
    )
    part_share_percent: int = _key(
        75,
        "Report AM or PM holding at least this percent of absences.",
        "Local practice",
        unit="percent",
    )
    adjacent_share_percent: int = _key(
        50,
        "Report when at least this percent of absences fall next to a weekend or holiday.",
        "Local practice",
        unit="percent",
    )


@attrs.frozen
class ReportPolicy:
    improvement_points: int = _key(
        5,
        "The officer's report lists a pupil as improving when their attendance rate is up by "
        "at least this many percentage points on the comparison period (--compare).",
        "Local practice: a school's rewards policy; DfE 'Working together to improve school "
        "attendance' (2024) asks schools to recognise improvement",
        unit="percent",
        minimum=1,
    )
    list_length: int = _key(
        10,
        "Rows of a long list the Markdown, text and HTML report show before 'and N more' "
        "(counted by year group or other --by field); JSON and CSV give every row.",
        "Local practice: a report a person reads in a few minutes",
        minimum=1,
    )


@attrs.frozen
class SchoolAgePolicy:
    prescribed_days: tuple[str, ...] = _key(
        ("08-31", "12-31", "03-31"),
        "Days of the year (MM-DD) on which children who have turned 5 begin to be of "
        "compulsory school age: the first on or after the fifth birthday. The days are "
        "UNCONFIRMED (not checked against the Order's text). Compulsory school age ends on the last Friday in June "
        "of the school year in which the pupil turns 16.",
        "Education Act 1996 s8; Education (Start of Compulsory School Age) Order 1998",
        converter=tuple,
    )


@attrs.frozen
class EscalationPolicy:
    ladder: tuple[str, ...] = _key(
        (),
        "Steps a finding can lead to, in order (e.g. letter 1, letter 2, meeting, attendance "
        "contract, notice to improve). Empty: findings lead to no step.",
        "WTISA 2024 support-first approach (paras 19-21)",
        converter=tuple,
    )
    by_severity: Mapping[str, str] = _key(
        MappingProxyType({}),
        "The ladder step a finding of each severity (info, watch, action, statutory) leads to, "
        "e.g. { watch = 'letter 1', action = 'meeting' }; severities left out lead to no step. "
        "Plugins may decide steps their own way (hook attendance_core_escalation).",
        "WTISA 2024 support-first approach (paras 19-21); local practice",
        converter=frozen_map,
    )


_PARENT_LETTERS = MappingProxyType(
    {"C1": "C", "C2": "C", "J1": "J", **{f"Y{n}": "Y" for n in range(1, 8)}}
)


@attrs.frozen
class CtfPolicy:
    non_school_day: str = _key(
        "#",
        "The character written in a CTF AttendanceMarks string for each session that is not a "
        "school session (weekends, holidays, INSET); read back as no session. One vendor "
        "writes '#'; whether the specification says '#', '-' or nothing is UNCONFIRMED.",
        "DfE Common Transfer File specification (CTF 24/25, AttendSessions); vendor practice",
    )
    no_mark: str = _key(
        "-",
        "The character written for a school session with no mark (a pupil on roll whose mark "
        "is missing); read back as no mark, never as present.",
        "DfE Common Transfer File specification (CTF 24/25); MIS placeholder '-' (not a DfE code)",
    )
    code_characters: Mapping[str, str] = _key(
        _PARENT_LETTERS,
        "The single character each two-character 2024 code is written as in AttendanceMarks "
        "(one character per session), e.g. { C2 = 'C' }; a code left out cannot be written. "
        "Default: the pre-2024 code it replaced. A character that stands for one code only "
        "reads back as it (J as J1); one that stands for several (Y) is reported, not "
        "guessed. The specification's encoding is UNCONFIRMED.",
        "SI 2024/208 (the two-character codes); DfE CTF 24/25 specification (AttendanceMarks)",
        converter=frozen_map,
    )
    version: str = _key(
        "25.0",
        "The CTFversion a written file declares; from CTF 25 pupils carry Sex, not Gender.",
        "DfE Common Transfer File 25 specification; Capita One 'Statutory CTF (3.86)' notes",
    )


@attrs.frozen
class CensusPolicy:
    minimum_age: int = _key(
        4,
        "Youngest age at 31 August whose attendance the census collects. DfE rule 2470's "
        "quoted text says under-5s are left out, while suppliers return 4-year-olds and DfE "
        "publishes their absence separately: the current text is UNCONFIRMED.",
        "DfE school census validation rule 2470; DfE 'Absence for four year olds' data set",
        minimum=0,
    )
    maximum_age: int = _key(
        15,
        "Oldest age at 31 August whose attendance the census collects.",
        "DfE school census validation rule 2470",
    )
    age_at: Literal["sessions_year", "census_year"] = _key(
        "sessions_year",
        "Which 31 August ages are taken at: the start of the academic year the collected "
        "sessions fall in ('sessions_year'; for the autumn census, last year's) or of the "
        "census's own academic year. UNCONFIRMED.",
        "DfE school census guide (attendance module); DfE 'Pupil absence in schools in "
        "England' methodology (age at the start of the academic year)",
    )
    boarder_values: tuple[str, ...] = _key(
        ("B", "6", "7"),
        "Values of a pupil's 'boarder' attribute (CBDS 100067) that leave them out of the "
        "attendance module. The rule's text names B, 6 and 7; one supplier filters on B only.",
        "DfE school census validation rule 2470; CBDS item 100067 (Boarder)",
        converter=tuple,
    )
    reason_categories: tuple[
        Literal["present", "approved_educational_activity", "authorised", "unauthorised"], ...
    ] = _key(
        ("approved_educational_activity", "authorised", "unauthorised"),
        "Statistical categories whose codes are returned as SessionDetail reasons (CBDS "
        "100481). Since spring 2021 the reasons include attendance categories as well as "
        "absence; which 2024 codes the census collects is UNCONFIRMED.",
        "DfE school census data items (AttendanceReason, CBDS 100481; AbsenceSessions, 100233)",
        converter=tuple,
    )
    reason_for: Mapping[str, str] = _key(
        MappingProxyType({"F": "H"}),
        "A code returned under another code's reason, e.g. { F = 'H' } (withdrawn F is "
        "collected as H).",
        "DfE school census guidance (F aggregated into H since September 2013)",
        converter=frozen_map,
    )
