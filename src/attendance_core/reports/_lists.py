"""The officer's report for a period: headline figures beside a comparison, figures by group,
and the lists of pupils to act on or reward.

Sources: DfE "Pupil absence in schools in England" methodology (pooled figures: sessions
summed, never rates averaged; persistent and severe absence per enrolment, each on its own
sessions); DfE "Working together to improve school attendance" (2024): schools monitor
attendance by cohort and by pupil, give extra attention to pupils with a social worker
(looked-after, child-protection and child-in-need) and with special educational needs,
contact parents on the first day of an unexplained absence, consider a penalty notice at the
national threshold, and recognise improvement. Names appear only when the pupils file gives
them; dates of birth never.

Each section goes with its figures: :func:`period_sections` returns both, so the JSON report
holds every number the Markdown and HTML show (and the rows they leave out).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from attendance_core.policy import Policy, toml_value
from attendance_core.reports._sections import ReportSection
from attendance_core.rules.bands import reaches
from attendance_core.rules.findings import Finding
from attendance_core.rules.groups import group_key, group_summaries, value_order
from attendance_core.rules.statistics import SESSION_TOTALS, AttendanceSummary, display_percent

__all__ = [
    "PRIORITY_FLAGS",
    "Listing",
    "period_sections",
    "pupil_name",
    "summary_record",
]

DFE_SOURCE = "DfE 'Pupil absence in schools in England' methodology"
WTISA = "DfE 'Working together to improve school attendance' (2024)"
PRIORITY_FLAGS = ("looked_after", "child_protection", "child_in_need")
"""Yes/no attributes that put a pupil on the priority list (with SEN provision K or E)."""

_RATES = {
    "attendance_rate": ("overall_attendance", "possible_sessions"),
    "overall_absence_rate": ("overall_absence", "possible_sessions"),
    "authorised_absence_rate": ("authorised_absence", "possible_sessions"),
    "unauthorised_absence_rate": ("unauthorised_absence", "possible_sessions"),
    "persistent_absence_rate": ("persistent_absentees", "enrolments"),
    "severe_absence_rate": ("severe_absentees", "enrolments"),
}
_HEADLINE = (
    ("Attendance", "attendance_rate"),
    ("Overall absence", "overall_absence_rate"),
    ("Authorised absence", "authorised_absence_rate"),
    ("Unauthorised absence", "unauthorised_absence_rate"),
    ("Persistent absence (share of enrolments)", "persistent_absence_rate"),
    ("Severe absence (share of enrolments)", "severe_absence_rate"),
)


def _exact(summary: AttendanceSummary, name: str) -> Fraction | None:
    numerator, denominator = (getattr(summary, part) for part in _RATES[name])
    return Fraction(numerator, denominator) if denominator else None


def summary_record(summary: AttendanceSummary) -> dict[str, Any]:
    """DfE's session totals, counts by code, enrolment counts and rates (floats in [0, 1], or
    ``None`` without a denominator) of a pooled summary."""
    record: dict[str, Any] = {name: getattr(summary, name) for name in SESSION_TOTALS}
    record["sessions_by_code"] = dict(summary.sessions_by_code)
    for name in ("enrolments", "enrolments_without_possible"):
        record[name] = getattr(summary, name)
    record["persistent_absentees"] = summary.persistent_absentees
    record["severe_absentees"] = summary.severe_absentees
    for name, (numerator, denominator) in _RATES.items():
        n, d = getattr(summary, numerator), getattr(summary, denominator)
        record[name] = n / d if d else None  # int / int is correctly rounded
    return record


def _points(now: Fraction | None, then: Fraction | None) -> Fraction | None:
    return None if now is None or then is None else (now - then) * 100


def _shown_points(change: Fraction | None) -> str:
    if change is None:
        return "-"
    tenths = (abs(change) * 10 * 2 + 1) // 2  # halves away from zero, as display_percent
    sign = "+" if change > 0 else "-" if change < 0 and tenths else ""
    return f"{sign}{tenths // 10}.{tenths % 10}"


def pupil_name(attributes: Mapping[str, str]) -> str | None:
    """The name a pupils file gives (preferred name or forename, then surname), if any."""
    first = attributes.get("preferred_name") or attributes.get("forename")
    parts = [part for part in (first, attributes.get("surname")) if part]
    return " ".join(parts) or None


def _flags(attributes: Mapping[str, str]) -> list[str]:
    found = [flag.replace("_", " ") for flag in PRIORITY_FLAGS if attributes.get(flag) == "yes"]
    sen = attributes.get("sen")
    if sen in ("K", "E"):
        found.append(f"SEN {sen}")
    return found


@attrs.frozen
class Listing:
    """How the report lists pupils: by the grouping fields first, named only when the pupils
    file gives names, long lists cut at ``shown`` for people."""

    pupils: Mapping[str, Mapping[str, str]]
    by: tuple[str, ...]
    shown: int
    names: bool = False
    """Whether lists show a Name column (see :meth:`of`)."""

    @classmethod
    def of(
        cls, pupils: Mapping[str, Mapping[str, str]], by: Sequence[str], shown: int, names: bool
    ) -> Listing:
        """A listing that names pupils when ``names`` allows it and some pupil has a name in
        the pupils file (``names=False``: a report to share, with governors say)."""
        named = names and any(pupil_name(a) for a in pupils.values())
        return cls(pupils, tuple(by), shown, named)

    def columns(self, *rest: str) -> tuple[str, ...]:
        """The grouping fields, ``Pupil``, ``Name`` (with names), then ``rest``."""
        lead = [field.replace("_", " ").capitalize() for field in self.by]
        return (*lead, "Pupil", *(["Name"] if self.names else []), *rest)

    def lead(self, pupil_id: str) -> tuple[str, ...]:
        """A pupil's leading cells: group values (``-`` for none), id, name."""
        attributes = self.pupils.get(pupil_id, {})
        values = [value or "-" for value in group_key(self.by, attributes)]
        name = [pupil_name(attributes) or ""] if self.names else []
        return (*values, pupil_id, *name)

    def record(self, pupil_id: str) -> dict[str, Any]:
        """A pupil's JSON entry: id, group values and (with names) the name."""
        attributes = self.pupils.get(pupil_id, {})
        record: dict[str, Any] = {"pupil_id": pupil_id}
        if self.by:
            record["group"] = dict(zip(self.by, group_key(self.by, attributes), strict=True))
        if self.names:
            record["name"] = pupil_name(attributes)
        return record

    def order(self, pupil_id: str) -> tuple[tuple[int, int, str], ...]:
        """Sort key: the school order of the pupil's groups."""
        return tuple(map(value_order, group_key(self.by, self.pupils.get(pupil_id, {}))))

    def section(
        self, title: str, columns: Sequence[str], rows: Iterable[Sequence[str | int]], **kw: Any
    ) -> ReportSection:
        """A list section, cut at ``shown`` for people and counted by the first group field."""
        return ReportSection(
            title, columns, rows, shown=self.shown, count_by=0 if self.by else None, **kw
        )


@attrs.frozen
class Period:
    """The sessions the report covers and, with ``--compare``, those it is set beside."""

    summaries: Mapping[str, AttendanceSummary]
    first: dt.date | None = None
    last: dt.date | None = None
    then: Mapping[str, AttendanceSummary] | None = None
    then_first: dt.date | None = None
    then_last: dt.date | None = None


def _dates(first: dt.date | None, last: dt.date | None) -> dict[str, str] | None:
    if first is None or last is None:
        return None
    return {"from": first.isoformat(), "to": last.isoformat()}


def headline(period: Period) -> tuple[ReportSection, dict[str, Any]]:
    """The school's rates for the period, beside the comparison period and the change."""
    now = AttendanceSummary.pool(period.summaries.values())
    then = AttendanceSummary.pool(period.then.values()) if period.then is not None else None
    columns: tuple[str, ...] = ("Measure", "This period")
    if then is not None:
        columns += ("Comparison period", "Change (points)")
    rows = []
    change: dict[str, float | None] = {}
    for label, name in _HEADLINE:
        row = [label, display_percent(_exact(now, name))]
        if then is not None:
            points = _points(_exact(now, name), _exact(then, name))
            row += [display_percent(_exact(then, name)), _shown_points(points)]
            change[name] = None if points is None else float(points)
        rows.append(row)
    rows.append(["Enrolments with possible sessions", str(now.enrolments)])
    if then is not None:
        rows[-1] += [str(then.enrolments), ""]
    notes = []
    if period.first is not None and period.last is not None:
        notes.append(f"This period: {period.first.isoformat()} to {period.last.isoformat()}.")
    if period.then_first is not None and period.then_last is not None:
        notes.append(
            f"Comparison period: {period.then_first.isoformat()} to "
            f"{period.then_last.isoformat()}; change in percentage points."
        )
    figures: dict[str, Any] = {
        "period": _dates(period.first, period.last),
        "total": summary_record(now),
        "comparison": None,
    }
    if then is not None:
        figures["comparison"] = {
            **(_dates(period.then_first, period.then_last) or {}),
            "total": summary_record(then),
            "change_percentage_points": change,
        }
    section = ReportSection("Headline figures", columns, rows, notes=notes, source=DFE_SOURCE)
    return section, figures


def by_group(
    period: Period, pupils: Mapping[str, Mapping[str, str]], by: Sequence[str]
) -> tuple[ReportSection, list[dict[str, Any]]]:
    """Pooled figures per group (sessions summed), persistent and severe absence per enrolment
    in the group, and, with a comparison, the group's attendance then."""
    groups = group_summaries(period.summaries, pupils, by)
    before = (
        {tuple(g.group.values()): g.total for g in group_summaries(period.then, pupils, by)}
        if period.then is not None
        else None
    )
    lead = tuple(field.replace("_", " ").capitalize() for field in by)
    columns = (
        *lead,
        "Enrolments",
        "Possible sessions",
        "Attendance",
        "Unauthorised absence",
        "Persistent absentees",
        "Severe absentees",
    )
    if before is not None:
        columns += ("Attendance then", "Change (points)")
    rows: list[tuple[str | int, ...]] = []
    records: list[dict[str, Any]] = []
    for group in groups:
        total = group.total
        row = [
            *(value or "-" for value in group.group.values()),
            str(total.enrolments),
            str(total.possible_sessions),
            display_percent(total.attendance_rate),
            display_percent(total.unauthorised_absence_rate),
            f"{total.persistent_absentees} ({display_percent(_exact(total, 'persistent_absence_rate'))})",
            f"{total.severe_absentees} ({display_percent(_exact(total, 'severe_absence_rate'))})",
        ]
        record: dict[str, Any] = {"group": dict(group.group), **summary_record(total)}
        if before is not None:
            old = before.get(tuple(group.group.values()))
            old_rate = old.attendance_rate if old is not None else None
            points = _points(total.attendance_rate, old_rate)
            row += [display_percent(old_rate), _shown_points(points)]
            record["comparison"] = summary_record(old) if old is not None else None
        rows.append(tuple(row))
        records.append(record)
    title = "By " + " and ".join(field.replace("_", " ") for field in by)
    section = ReportSection(
        title,
        columns,
        rows,
        notes=(
            "Pooled: sessions summed over the group's enrolments; persistent and severe "
            "absentees are enrolments of the group, each judged on its own sessions.",
        ),
        source=DFE_SOURCE,
    )
    return section, records


def absentees(
    period: Period, listing: Listing, policy: Policy
) -> tuple[ReportSection, list[dict[str, Any]]]:
    """Persistent and severe absentees for the period, by group, highest absence first."""
    found = []
    for pupil_id, summary in period.summaries.items():
        if summary.persistent_absentees or summary.severe_absentees:
            rate = summary.overall_absence_rate or Fraction(0)
            found.append((listing.order(pupil_id), -rate, pupil_id, summary))
    found.sort()
    rows: list[tuple[str | int, ...]] = []
    records: list[dict[str, Any]] = []
    for _, _, pupil_id, summary in found:
        status = "severe" if summary.severe_absentees else "persistent"
        rows.append(
            (
                *listing.lead(pupil_id),
                status,
                summary.overall_absence,
                summary.possible_sessions,
                display_percent(summary.overall_absence_rate),
            )
        )
        records.append(
            {
                **listing.record(pupil_id),
                "status": status,
                "overall_absence": summary.overall_absence,
                "possible_sessions": summary.possible_sessions,
                "overall_absence_rate": summary.overall_absence / summary.possible_sessions,
            }
        )
    boundary = "more than" if policy.method.severe_absence_boundary == "more_than" else "at least"
    section = listing.section(
        "Persistent and severe absentees",
        listing.columns("Status", "Absence sessions", "Possible sessions", "Absence rate"),
        rows,
        notes=(
            f"Persistent: absence at least {policy.thresholds.persistent_absence}% of the "
            f"pupil's own possible sessions in the period; severe: {boundary} "
            f"{policy.thresholds.severe_absence}%.",
        ),
        source=DFE_SOURCE,
    )
    return section, records


def priority(
    period: Period, listing: Listing, policy: Policy
) -> tuple[ReportSection, list[dict[str, Any]]]:
    """Pupils with a social worker's flag or SEN provision (K or E) below the watch line."""
    line = policy.bands.watch_list_below
    found = []
    for pupil_id, summary in period.summaries.items():
        flags = _flags(listing.pupils.get(pupil_id, {}))
        attended, possible = summary.overall_attendance, summary.possible_sessions
        if flags and possible and not reaches(attended, possible, line):
            found.append((listing.order(pupil_id), Fraction(attended, possible), pupil_id, flags))
    found.sort()
    rows: list[tuple[str | int, ...]] = []
    records: list[dict[str, Any]] = []
    for _, rate, pupil_id, flags in found:
        summary = period.summaries[pupil_id]
        rows.append(
            (
                *listing.lead(pupil_id),
                ", ".join(flags),
                summary.overall_attendance,
                summary.possible_sessions,
                display_percent(rate),
            )
        )
        records.append(
            {
                **listing.record(pupil_id),
                "flags": flags,
                "overall_attendance": summary.overall_attendance,
                "possible_sessions": summary.possible_sessions,
                "attendance_rate": float(rate),
            }
        )
    section = listing.section(
        "Priority: looked-after, child-protection, child-in-need and SEN pupils below the line",
        listing.columns("Flags", "Attended sessions", "Possible sessions", "Attendance rate"),
        rows,
        notes=(
            f"Pupils whose attendance in the period is below {toml_value(line)}% (the watch "
            "line) and whose pupils-file row flags them looked-after, child-protection or "
            "child-in-need, or gives SEN provision K or E."
            + ("" if any(map(_flags, listing.pupils.values())) else " No pupil has a flag."),
        ),
        source=f"{WTISA}: pupils with a social worker and with SEN",
    )
    return section, records


def _span(finding: Finding) -> str:
    if not finding.evidence:
        return ""
    first, last = finding.evidence[0].session, finding.evidence[-1].session
    return str(first) if first == last else f"{first} to {last}"


def _codes(finding: Finding) -> str:
    counts = Counter(e.code or "no mark" for e in finding.evidence)
    return ", ".join(f"{code} x{n}" for code, n in sorted(counts.items()))


def pupil_findings(
    findings: Sequence[Finding], rule: str, title: str, listing: Listing, source: str
) -> tuple[ReportSection, list[dict[str, Any]]]:
    """One rule's findings about pupils, by group: the sessions and codes behind each."""
    mine = sorted(
        (f for f in findings if f.rule == rule and f.pupil_id is not None),
        key=lambda f: (listing.order(f.pupil_id or ""), f.pupil_id or ""),
    )
    rows: list[tuple[str | int, ...]] = []
    records: list[dict[str, Any]] = []
    for f in mine:
        pupil_id = f.pupil_id or ""
        rows.append((*listing.lead(pupil_id), _span(f), _codes(f), f.explanation))
        records.append(
            {
                **listing.record(pupil_id),
                "figure": None if f.figure is None else float(f.figure),
                "threshold": None if f.threshold is None else float(f.threshold),
                "evidence": [
                    {
                        "date": e.session.date.isoformat(),
                        "session": str(e.session.part),
                        "code": e.code,
                    }
                    for e in f.evidence
                ],
                "details": _plain(f.details),
            }
        )
    section = listing.section(
        title, listing.columns("Sessions", "Codes", "Why"), rows, source=source
    )
    return section, records


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Fraction):
        return float(value)
    return value


def missing_marks(
    findings: Sequence[Finding], shown: int
) -> tuple[ReportSection, list[dict[str, Any]]]:
    """Sessions where pupils on roll have no mark, with how many and which."""
    mine = [f for f in findings if f.rule == "missing-marks"]
    rows: list[tuple[str | int, ...]] = []
    records: list[dict[str, Any]] = []
    for f in mine:
        pupils = list(f.details.get("pupils", ()))
        session = str(f.evidence[0].session) if f.evidence else f.as_of.isoformat()
        listed = ", ".join(pupils[:5]) + (f" and {len(pupils) - 5} more" if len(pupils) > 5 else "")
        rows.append((session, len(pupils), listed))
        records.append({"session": session, "pupils": pupils})
    section = ReportSection(
        "Missing marks",
        ("Session", "Pupils without a mark", "Pupils"),
        rows,
        shown=shown,
        source="SI 2024/208 (a mark for every pupil at every session)",
    )
    return section, records


def improvers(
    period: Period, listing: Listing, policy: Policy
) -> tuple[ReportSection, list[dict[str, Any]]] | None:
    """Pupils whose attendance is up by at least the policy's points on the comparison
    period (both periods with possible sessions), biggest rise first; ``None`` without one."""
    if period.then is None:
        return None
    points = policy.report.improvement_points
    found = []
    for pupil_id, summary in period.summaries.items():
        before = period.then.get(pupil_id)
        now = summary.attendance_rate
        old = before.attendance_rate if before is not None else None
        change = _points(now, old)
        if change is not None and change >= points:
            found.append((listing.order(pupil_id), -change, pupil_id, old, now))
    found.sort()
    rows: list[tuple[str | int, ...]] = []
    records: list[dict[str, Any]] = []
    for _, change, pupil_id, old, now in found:
        rows.append(
            (
                *listing.lead(pupil_id),
                display_percent(old),
                display_percent(now),
                _shown_points(-change),
            )
        )
        records.append(
            {
                **listing.record(pupil_id),
                "attendance_rate_then": float(old or 0),
                "attendance_rate": float(now or 0),
                "change_percentage_points": float(-change),
            }
        )
    section = listing.section(
        "Improving attendance",
        listing.columns("Attendance then", "Attendance now", "Change (points)"),
        rows,
        notes=(
            f"Attendance up by at least {points} percentage points on the comparison period "
            "(the policy's report.improvement_points).",
        ),
        source=f"{WTISA}: recognise improvement",
    )
    return section, records


def full_attendance(period: Period, listing: Listing) -> tuple[ReportSection, list[dict[str, Any]]]:
    """Pupils who attended every possible session of the period."""
    ids = sorted(
        (
            p
            for p, s in period.summaries.items()
            if s.possible_sessions and s.overall_attendance == s.possible_sessions
        ),
        key=lambda p: (listing.order(p), p),
    )
    rows = [(*listing.lead(p), str(period.summaries[p].possible_sessions)) for p in ids]
    records = [
        {**listing.record(p), "possible_sessions": period.summaries[p].possible_sessions}
        for p in ids
    ]
    section = listing.section(
        "100% attendance", listing.columns("Sessions attended"), rows, source=WTISA
    )
    return section, records


def crossings(
    period: Period, listing: Listing
) -> tuple[ReportSection, dict[str, list[dict[str, Any]]]] | None:
    """Pupils persistently absent in the period but not in the comparison period (``into``),
    and the other way (``out of``); each judged on its own sessions of each period."""
    if period.then is None:
        return None
    moves = []
    for pupil_id, summary in period.summaries.items():
        before = period.then.get(pupil_id)
        if before is None or not summary.possible_sessions or not before.possible_sessions:
            continue
        now, then = bool(summary.persistent_absentees), bool(before.persistent_absentees)
        if now != then:
            moves.append((listing.order(pupil_id), now is False, pupil_id, before, summary))
    moves.sort()
    rows: list[tuple[str | int, ...]] = []
    found: dict[str, list[dict[str, Any]]] = {"into": [], "out_of": []}
    for _, out, pupil_id, before, summary in moves:
        direction = "out of" if out else "into"
        rows.append(
            (
                *listing.lead(pupil_id),
                direction,
                display_percent(before.overall_absence_rate),
                display_percent(summary.overall_absence_rate),
            )
        )
        found["out_of" if out else "into"].append(
            {
                **listing.record(pupil_id),
                "overall_absence_rate_then": before.overall_absence / before.possible_sessions,
                "overall_absence_rate": summary.overall_absence / summary.possible_sessions,
            }
        )
    section = listing.section(
        "Into and out of persistent absence",
        listing.columns("Moved", "Absence then", "Absence now"),
        rows,
        notes=(
            f"Into: {len(found['into'])}; out of: {len(found['out_of'])}. Each period judged "
            "on the pupil's own possible sessions in it; pupils without sessions in both are "
            "left out.",
        ),
        source=DFE_SOURCE,
    )
    return section, found


def period_sections(
    period: Period,
    listing: Listing,
    policy: Policy,
    findings: Sequence[Finding],
) -> tuple[list[ReportSection], list[ReportSection], dict[str, Any]]:
    """The sections that open the report (headline, groups), the lists that follow, and the
    figures of both for the JSON report."""
    top, figures = headline(period)
    opening = [top]
    if listing.by:
        section, groups = by_group(period, listing.pupils, listing.by)
        opening.append(section)
        figures["groups"] = groups
    lists: list[ReportSection] = []

    def add(name: str, built: tuple[ReportSection, Any] | None) -> None:
        if built is not None:
            lists.append(built[0])
            figures[name] = built[1]

    add("persistent_absentees", absentees(period, listing, policy))
    add("priority", priority(period, listing, policy))
    add(
        "first_day_contact",
        pupil_findings(
            findings,
            "first-day-contact",
            "First-day contact",
            listing,
            f"{WTISA}: contact on the first day of an unexplained absence",
        ),
    )
    add("missing_marks", missing_marks(findings, listing.shown))
    add(
        "penalty_notice_candidates",
        pupil_findings(
            findings,
            "penalty-notice-threshold",
            "Penalty-notice candidates",
            listing,
            f"{WTISA}, national framework for penalty notices (10 unauthorised sessions in 10 "
            "school weeks)",
        ),
    )
    add("improvers", improvers(period, listing, policy))
    add("full_attendance", full_attendance(period, listing))
    add("persistent_absence_crossings", crossings(period, listing))
    return opening, lists, figures
