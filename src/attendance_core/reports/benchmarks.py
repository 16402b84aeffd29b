"""The school's figures beside DfE's published ones: England's and its local authority's for its
phase, and its own attendance target (the policy's ``[school]``).

Source: DfE, "Pupil attendance in schools" (official statistics, year to date), shipped in
:mod:`attendance_core.national`; the school sets its target in its attendance policy (DfE,
"Working together to improve school attendance", 2024).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from attendance_core.national import read_national
from attendance_core.policy import Policy
from attendance_core.reports._sections import ReportSection
from attendance_core.rules.statistics import AttendanceSummary, display_percent

__all__ = ["benchmark_line", "benchmark_section", "school_benchmarks"]


def school_benchmarks(
    policy: Policy, national: str | os.PathLike[str] | None = None
) -> tuple[dict[str, Any], ...]:
    """DfE's published figures for the school's phase (national, then its local authority,
    from the policy's ``[school]``) and the policy's attendance target, as rates in [0, 1];
    none unless the policy sets one of those or ``national`` names a figures file (else the
    figures shipped in :mod:`attendance_core.national` are used)."""
    settings = policy.school
    wanted = settings.phase or settings.local_authority or settings.attendance_target
    if not wanted and national is None:
        return ()
    figures = read_national(national)
    found: list[dict[str, Any]] = []
    for row in figures.for_school(settings.phase, settings.local_authority):
        record: dict[str, Any] = {
            "level": row.level,
            "area": row.area,
            "phase": row.phase,
            "time_period": row.time_period,
        }
        for name, published in (
            ("attendance_rate", "attendance_perc"),
            ("overall_absence_rate", "overall_absence_perc"),
            ("authorised_absence_rate", "authorised_absence_perc"),
            ("unauthorised_absence_rate", "unauthorised_absence_perc"),
            ("persistent_absence_rate", "pa_perc"),
        ):
            rate = row.rates.get(published)
            record[name] = None if rate is None else float(rate / 100)
        found.append(record)
    if settings.attendance_target is not None:
        target = float(settings.attendance_target / 100)
        found.append({"level": "Target", "area": "the school's policy", "attendance_rate": target})
    return tuple(found)


def benchmark_line(benchmark: Mapping[str, Any]) -> str:
    """``national (England, secondary, 202526): attendance 91.5%, ...``, rates to 1 d.p."""
    shown = []
    for name, label in (
        ("attendance_rate", "attendance"),
        ("overall_absence_rate", "absence"),
        ("persistent_absence_rate", "persistent absence"),
    ):
        value = benchmark.get(name)
        if value is not None:
            shown.append(f"{label} {display_percent(Fraction(str(value)))}")
    period = str(benchmark.get("time_period") or "")
    if len(period) == 6 and period.isdigit():
        period = f"{period[:4]}/{period[4:]} year to date"
    parts = (benchmark.get("area"), benchmark.get("phase"), period)
    where = ", ".join(str(part) for part in parts if part)
    return f"{benchmark['level'].lower()} ({where}): {', '.join(shown)}"


def benchmark_section(
    school: AttendanceSummary, benchmarks: tuple[Mapping[str, Any], ...]
) -> ReportSection:
    """The school's attendance, absence and persistent-absence rates beside each benchmark."""
    names = ("attendance_rate", "overall_absence_rate", "persistent_absence_rate")
    rows = [("This school", *(display_percent(getattr(school, n)) for n in names))]
    for benchmark in benchmarks:
        label = f"{benchmark['level']}: {benchmark['area']}"
        cells = []
        for name in names:
            value = benchmark.get(name)
            cells.append("-" if value is None else display_percent(Fraction(str(value))))
        rows.append((label, *cells))
    return ReportSection(
        "Compared with national",
        ("", "Attendance", "Overall absence", "Persistent absence"),
        rows,
        notes=(
            "Published figures are DfE's year to date; the school's are for this report's "
            "sessions.",
        ),
        source="DfE 'Pupil attendance in schools' (official statistics, Open Government Licence)",
    )
