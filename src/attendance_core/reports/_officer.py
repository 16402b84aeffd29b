"""The attendance officer's report: built-in sections, then the sections plugins contribute.

Sources: DfE "Pupil absence in schools in England" methodology (possible sessions, rates over
possible sessions, persistent and severe absence on each enrolment's own sessions, rates shown
to one decimal place); WTISA 2024 (schools monitor attendance, group pupils for support and
act early). Bands, the watch line and the thresholds come from the policy. The report names
pupils by id, and by name only when the school's pupils file gives names; never by date of
birth.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs
import pluggy

from attendance_core.code_resolver import CodeMapping
from attendance_core.plugins import declared_keys, list_plugins, report_sections
from attendance_core.policy import Policy, sections, toml_value
from attendance_core.register import Register
from attendance_core.reports._lists import Listing, Period, period_sections
from attendance_core.reports._render import Report
from attendance_core.reports._sections import ReportSection
from attendance_core.reports.benchmarks import benchmark_section, school_benchmarks
from attendance_core.reports.charts import chart_sections
from attendance_core.rules.bands import band_index, reaches
from attendance_core.rules.findings import Finding
from attendance_core.rules.periods import summarise_period
from attendance_core.rules.statistics import (
    AttendanceSummary,
    display_percent,
    register_summaries,
)
from attendance_core.school import School

__all__ = ["officer_report", "summaries_as_of"]

DFE_SOURCE = "DfE 'Pupil absence in schools in England' methodology"
WTISA_SOURCE = "DfE 'Working together to improve school attendance' (2024): monitor and act early"


def summaries_as_of(
    register: Register, as_of: dt.date | None, *, policy: Policy | None = None
) -> dict[str, AttendanceSummary]:
    """Each enrolment's summary over the register's sessions up to ``as_of`` (all if ``None``),
    flagged at ``policy``'s persistent and severe lines (DfE's without one).

    The register is cut to its leading columns and summed by
    :func:`~attendance_core.rules.statistics.register_summaries`, which counts bytes per row,
    never an object per mark.
    """
    cut = register if as_of is None else register.up_to(as_of)
    return register_summaries(cut, policy=policy)


def _absence_status(summary: AttendanceSummary) -> str | None:
    """``"severe"``, ``"persistent"`` or ``None``: the flags the summaries set at
    the policy's lines (a policy's severe line is never below its persistent line)."""
    if summary.severe_absentees:
        return "severe"
    return "persistent" if summary.persistent_absentees else None


def school_summary(summaries: Mapping[str, AttendanceSummary], policy: Policy) -> ReportSection:
    """DfE's counts and rates for the whole register, pooled by enrolment."""
    school = AttendanceSummary.pool(summaries.values())
    persistent, severe = school.persistent_absentees, school.severe_absentees
    enrolments = school.enrolments
    thresholds = policy.thresholds
    severe_line = (
        f">{thresholds.severe_absence}%"
        if policy.method.severe_absence_boundary == "more_than"
        else f"{thresholds.severe_absence}%+"
    )

    def share(n: int) -> str:
        return f"{n} ({display_percent(Fraction(n, enrolments) if enrolments else None)})"

    rows: list[tuple[str, str | int]] = [
        ("Enrolments with possible sessions", school.enrolments),
        ("Enrolments without possible sessions", school.enrolments_without_possible),
        ("Possible sessions", school.possible_sessions),
        ("Attended sessions", school.overall_attendance),
        ("Authorised absence sessions", school.authorised_absence),
        ("Unauthorised absence sessions", school.unauthorised_absence),
        ("Attendance rate", display_percent(school.attendance_rate)),
        ("Overall absence rate", display_percent(school.overall_absence_rate)),
        ("Authorised absence rate", display_percent(school.authorised_absence_rate)),
        ("Unauthorised absence rate", display_percent(school.unauthorised_absence_rate)),
        ("Late sessions (L and U)", school.late_sessions),
        (f"Persistent absentees ({thresholds.persistent_absence}%+)", share(persistent)),
        (f"Severe absentees ({severe_line})", share(severe)),
    ]
    return ReportSection(
        "School summary",
        ("Measure", "Value"),
        rows,
        notes=(
            "Rates are sessions over possible sessions, pooled across enrolments; "
            "rounded to one decimal place for display only.",
            "Persistent absentees include severe absentees; both shares are of enrolments "
            "with possible sessions.",
        ),
        source=DFE_SOURCE,
    )


def watch_list(
    summaries: Mapping[str, AttendanceSummary], policy: Policy, shown: int | None = None
) -> ReportSection:
    """Pupils below the watch line, grouped by band (highest band first), lowest rate first."""
    bands = policy.bands.bands
    line = policy.bands.watch_list_below
    rows_by_band: dict[int, list[tuple[Fraction, str, AttendanceSummary]]] = defaultdict(list)
    for pupil_id, summary in summaries.items():
        attended, possible = summary.overall_attendance, summary.possible_sessions
        if not possible or reaches(attended, possible, line):
            continue
        band = band_index(attended, possible, bands)
        if band is None:  # below every band's floor: listed with the lowest
            band = len(bands) - 1
        rows_by_band[band].append((Fraction(attended, possible), pupil_id, summary))
    rows = []
    for index in sorted(rows_by_band):
        for rate, pupil_id, summary in sorted(rows_by_band[index]):
            rows.append(
                (
                    bands[index].name,
                    pupil_id,
                    summary.overall_attendance,
                    summary.possible_sessions,
                    display_percent(rate),
                )
            )
    return ReportSection(
        "Watch list by band",
        ("Band", "Pupil", "Attended sessions", "Possible sessions", "Attendance rate"),
        rows,
        notes=(f"Pupils whose attendance is below {toml_value(line)}%.",),
        source=WTISA_SOURCE,
        shown=shown,
        count_by=0,
    )


EXAMPLES = 3
"""Findings each rule's section shows a person (the lists above give the ones to act on);
the JSON and CSV reports give every one."""


def findings_overview(findings: Sequence[Finding]) -> ReportSection:
    """How many findings each rule made, and about how many pupils, by severity."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(finding)
    rows = []
    for rule in sorted(by_rule):
        mine = by_rule[rule]
        severities = Counter(str(f.severity) for f in mine)
        pupils = len({f.pupil_id for f in mine if f.pupil_id is not None})
        shown = ", ".join(f"{name} {n}" for name, n in sorted(severities.items()))
        rows.append((rule, len(mine), pupils, shown))
    return ReportSection(
        "Findings by rule",
        ("Rule", "Findings", "Pupils", "Severity"),
        rows,
        notes=(
            f"Each rule's section below shows {EXAMPLES} of its findings; the JSON and CSV "
            "reports give every one (docs/rules.md explains each rule).",
        ),
    )


def findings_by_rule(findings: Iterable[Finding], shown: int | None = None) -> list[ReportSection]:
    """One section per rule, findings in pupil order, with whatever a plugin decided (long
    ones cut at ``shown`` rows for people)."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(finding)
    result = []
    for rule in sorted(by_rule):
        group = sorted(by_rule[rule], key=lambda f: (f.pupil_id or "", f.as_of))
        rows = [
            (
                f.pupil_id or "(register)",
                str(f.severity),
                f.as_of.isoformat(),
                f.explanation,
                ", ".join(f"{k}: {v}" for k, v in sorted(f.provenance.items())) or "builtin",
            )
            for f in group
        ]
        result.append(
            ReportSection(
                f"Findings: {rule}",
                ("Pupil", "Severity", "As of", "Explanation", "Decided by"),
                rows,
                source=group[0].source,
                shown=shown,
            )
        )
    return result


def code_mappings(mappings: Iterable[CodeMapping]) -> ReportSection:
    """Which local or vendor code was read as which statutory code, and who decided."""
    rows = sorted((m.written, m.code, m.code_set, m.decided_by) for m in mappings)
    return ReportSection(
        "Local codes read",
        ("Written", "Read as", "Code set", "Decided by"),
        rows,
        source="SI 2024/208 (statutory codes); local and vendor sub-codes roll up to them",
    )


def policy_settings(policy: Policy, manager: pluggy.PluginManager) -> ReportSection:
    """Every setting that differs from its default, and where it came from.

    Core keys are compared with the national defaults; keys plugins declare with the default
    their plugin declares, and the plugin is named beside the policy file that set them.
    """
    default = Policy()
    origin = f"policy {policy.source}" if policy.source else "policy"
    rows: list[tuple[str, str, str, str]] = []
    for name, _ in sections(Policy):
        mine, national = getattr(policy, name), getattr(default, name)
        for field in attrs.fields(type(mine)):
            value, base = getattr(mine, field.name), getattr(national, field.name)
            if value != base:
                rows.append((f"{name}.{field.name}", _shown(value), _shown(base), origin))
    for path, declared in sorted(declared_keys(manager).items()):
        key = declared.key
        value = policy.plugin_settings.get(key.table, {}).get(key.name, key.default)
        if value != key.default:
            by = f"{origin} (key of plugin {declared.plugin})"
            rows.append((path, _shown(value), _shown(key.default), by))
    return ReportSection(
        "Settings that differ from the defaults",
        ("Key", "Value", "Default", "Decided by"),
        rows,
        source="docs/policy.md (each key's legal or DfE source); plugins' own key docs",
    )


def plugins_in_use(manager: pluggy.PluginManager) -> ReportSection:
    """Every plugin besides the built-in one, with its version and the hooks it implements."""
    rows = [
        (info.name, info.version or "-", ", ".join(info.hooks))
        for info in list_plugins(manager)
        if info.name != "builtin"
    ]
    return ReportSection(
        "Plugins in use",
        ("Plugin", "Version", "Hooks"),
        rows,
        notes=("Each plugin may decide local codes, policy keys, rules, escalation or sections.",),
    )


def _shown(value: Any) -> str:
    return "not set" if value is None else toml_value(value, multiline=False)


def officer_report(
    school: School | Register,
    policy: Policy | None = None,
    *,
    findings: Sequence[Finding] = (),
    as_of: dt.date | None = None,
    mappings: Iterable[CodeMapping] = (),
    plugin_manager: pluggy.PluginManager | None = None,
    title: str = "Attendance report",
    not_run: Sequence[tuple[str, str]] = (),
    period: tuple[dt.date, dt.date] | None = None,
    comparison: tuple[dt.date, dt.date] | None = None,
    by: Sequence[str] | None = None,
    national: str | os.PathLike[str] | None = None,
    names: bool = True,
) -> Report:
    """The attendance officer's report on ``school``: the sessions from ``period``'s first to
    its last date (inclusive), else those up to ``as_of`` (all if ``None``).

    ``school`` is an assembled :class:`School`, or a register with its ``policy`` and
    ``plugin_manager`` (assembled first; ``mappings`` then say who decided its local codes).
    Sections: the rules not run (``not_run``: rule, why), headline figures (beside the
    ``comparison`` period when given), national comparison, the charts
    (:func:`~attendance_core.reports.charts.chart_sections`), figures by ``by`` (default: year
    group when the school's pupils have one; ``()`` for none), the school summary,
    settings that differ from the defaults, persistent and severe absentees, the priority
    list, first-day contact, missing marks, penalty-notice candidates, improvers (with a
    comparison), 100% attendance, crossings into and out of persistent absence (with a
    comparison), the watch list, local codes read, the other ``findings`` by rule and the
    plugins in use; then every section plugins contribute through
    ``attendance_core_report_sections``, each marked with its plugin. ``findings`` are those
    for the period (:func:`attendance_core.rules.period_scope.in_period`). Every figure is in
    :attr:`Report.figures` too. Long lists are cut at the policy's ``report.list_length`` in
    the reports for people. Pupils are named where the school's pupils give names, unless
    ``names`` is false.
    """
    if isinstance(school, Register):
        school = School.assemble(school, policy=policy, plugin_manager=plugin_manager)
        mappings = tuple(mappings)
    else:
        mappings = (*school.code_mappings, *mappings)
    policy, manager, register = school.policy, school.plugin_manager, school.register
    if period is not None:
        summaries = summarise_period(
            register, *period, policy=policy, enrolments=school.enrolments
        ).pupils
    else:
        summaries = summaries_as_of(register, as_of, policy=policy)
    then = (
        summarise_period(register, *comparison, policy=policy, enrolments=school.enrolments).pupils
        if comparison is not None
        else None
    )
    if by is None:
        by = ("year_group",) if any("year_group" in a for a in school.pupils.values()) else ()
    listing = Listing.of(school.pupils, by, policy.report.list_length, names)
    first, last = period or (None, None)
    then_first, then_last = comparison or (None, None)
    window = Period(summaries, first, last, then, then_first, then_last)
    opening, lists, figures = period_sections(window, listing, policy, findings)
    benchmarks = school_benchmarks(policy, national)
    figures["benchmarks"] = list(benchmarks)
    charts = chart_sections(
        register,
        summaries,
        policy,
        pupils=school.pupils,
        benchmarks=benchmarks,
        up_to=period[1] if period is not None else as_of,
    )
    missing = [ReportSection("Rules not run", ("Rule", "Why"), tuple(not_run))] if not_run else []
    figures["rules_not_run"] = [{"rule": rule, "why": why} for rule, why in not_run]
    figures["findings"] = dict(sorted(Counter(f.rule for f in findings).items()))
    built = [
        *missing,
        opening[0],
        *(
            [benchmark_section(AttendanceSummary.pool(summaries.values()), benchmarks)]
            if benchmarks
            else []
        ),
        *charts,
        *opening[1:],
        school_summary(summaries, policy),
        policy_settings(policy, manager),
        *lists,
        watch_list(summaries, policy, listing.shown),
    ]
    if mappings:
        built.append(code_mappings(mappings))
    if findings:
        built.append(findings_overview(findings))
    built += findings_by_rule(findings, EXAMPLES)
    in_use = plugins_in_use(manager)
    if in_use.rows:
        built.append(in_use)
    contributed = report_sections(
        manager,
        ReportSection,
        register=register,
        policy=policy,
        summaries=summaries,
        findings=tuple(findings),
        as_of=period[1] if period is not None else as_of,
    )
    built += [attrs.evolve(section, contributed_by=plugin) for plugin, section in contributed]
    if period is not None:
        heading = f"{title}, {period[0].isoformat()} to {period[1].isoformat()}"
    else:
        heading = f"{title} as of {as_of.isoformat()}" if as_of is not None else title
    return Report(heading, tuple(built), figures)
