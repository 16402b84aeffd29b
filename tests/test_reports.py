"""The attendance officer's report: DfE figures to 1 d.p., absentees, watch list, findings, plugins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction

import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import AttendanceSummary, Register, Session, hookimpl, make_plugin_manager
from attendance_core.code_resolver import CodeMapping
from attendance_core.exceptions import PluginError
from attendance_core.model import Mark
from attendance_core.policy import PolicyKey
from attendance_core.reports import (
    Report,
    ReportSection,
    officer_report,
    summaries_as_of,
)
from attendance_core.rules.findings import Finding, Severity
from attendance_core.rules.statistics import (
    display_percent,
    register_summaries,
    register_summary,
)
from attendance_core.school import load_policy
from attendance_core.testing import registers

MONDAY = dt.date(2025, 9, 8)
DAYS = [MONDAY + dt.timedelta(days=d) for d in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]
SESSIONS = [Session(day, part) for day in DAYS for part in ("AM", "PM")]  # 20 sessions

# Each pupil's 20 marks in session order.
PUPILS = {
    "P1": "/" * 20,  # 100% attendance
    "P2": "/" * 18 + "II",  # 10% absence: persistent; 90% attendance: not on the watch list
    "P3": "/" * 10 + "O" * 10,  # 50% absence: severe (at least half)
    "P4": "/" * 19 + "N",  # 5% absence
    "P5": "/" * 17 + "UUU",  # 15% absence: persistent; 85% attendance: watch list
    "P6": "X" * 20,  # no possible sessions
}


def _register() -> Register:
    return Register.from_marks(
        (pupil, Mark(session, code))
        for pupil, codes in PUPILS.items()
        for session, code in zip(SESSIONS, codes, strict=True)
    )


def _manager(*plugins: tuple[object, str]) -> pluggy.PluginManager:
    manager = make_plugin_manager(load_entrypoints=False)
    for plugin, name in plugins:
        manager.register(plugin, name=name)
    return manager


def _rows(report: Report, title: str) -> list[tuple[str, ...]]:
    return list(report.section(title).rows)


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        pytest.param(Fraction(1, 3), "33.3%", id="thirds-down"),
        pytest.param(Fraction(2, 3), "66.7%", id="thirds-up"),
        pytest.param(Fraction(1, 16), "6.3%", id="half-rounds-up"),
        pytest.param(Fraction(37, 380), "9.7%", id="pa-boundary-below"),
        pytest.param(Fraction(1), "100.0%", id="whole"),
        pytest.param(None, "-", id="no-possible-sessions"),
    ],
)
def test_rates_are_shown_to_one_decimal_place(rate: Fraction | None, shown: str) -> None:
    assert display_percent(rate) == shown


def test_school_summary_has_dfe_counts_and_rates() -> None:
    report = officer_report(_register(), plugin_manager=_manager())
    assert _rows(report, "School summary") == [
        ("Enrolments with possible sessions", "5"),
        ("Enrolments without possible sessions", "1"),
        ("Possible sessions", "100"),
        ("Attended sessions", "84"),
        ("Authorised absence sessions", "2"),
        ("Unauthorised absence sessions", "14"),
        ("Attendance rate", "84.0%"),
        ("Overall absence rate", "16.0%"),
        ("Authorised absence rate", "2.0%"),
        ("Unauthorised absence rate", "14.0%"),
        ("Late sessions (L and U)", "3"),
        ("Persistent absentees (10%+)", "3 (60.0%)"),
        ("Severe absentees (50%+)", "1 (20.0%)"),
    ]


def test_absentees_by_pupil_id_highest_absence_first() -> None:
    report = officer_report(_register(), plugin_manager=_manager())
    assert _rows(report, "Persistent and severe absentees") == [
        ("P3", "severe", "10", "20", "50.0%"),
        ("P5", "persistent", "3", "20", "15.0%"),
        ("P2", "persistent", "2", "20", "10.0%"),
    ]


def test_severe_boundary_more_than_is_a_policy_setting() -> None:
    policy = load_policy(
        {"method": {"severe_absence_boundary": "more_than"}}, plugin_manager=_manager()
    )
    report = officer_report(_register(), policy, plugin_manager=_manager())
    assert _rows(report, "Persistent and severe absentees")[0][:2] == ("P3", "persistent")
    assert _rows(report, "School summary")[-1] == ("Severe absentees (>50%)", "0 (0.0%)")


def test_watch_list_by_band_uses_the_policy() -> None:
    report = officer_report(_register(), plugin_manager=_manager())
    assert _rows(report, "Watch list by band") == [
        ("persistently absent", "P3", "10", "20", "50.0%"),
        ("persistently absent", "P5", "17", "20", "85.0%"),
    ]
    policy = load_policy(
        {
            "bands": {
                "watch_list_below": 96,
                "bands": [
                    {"name": "good", "at_least": 92.5},
                    {"name": "concern", "at_least": 80},
                    {"name": "serious", "at_least": 0},
                ],
            }
        },
        plugin_manager=_manager(),
    )
    report = officer_report(_register(), policy, plugin_manager=_manager())
    assert _rows(report, "Watch list by band") == [
        ("good", "P4", "19", "20", "95.0%"),
        ("concern", "P5", "17", "20", "85.0%"),
        ("concern", "P2", "18", "20", "90.0%"),
        ("serious", "P3", "10", "20", "50.0%"),
    ]


def test_as_of_counts_only_sessions_up_to_that_date() -> None:
    report = officer_report(_register(), as_of=dt.date(2025, 9, 12), plugin_manager=_manager())
    assert report.title == "Attendance report as of 2025-09-12"
    assert ("Possible sessions", "50") in _rows(report, "School summary")
    assert _rows(report, "Persistent and severe absentees") == []
    assert summaries_as_of(_register(), None) == register_summaries(_register())


def test_no_plugins_in_use_section_without_plugins() -> None:
    report = officer_report(_register(), plugin_manager=_manager())
    with pytest.raises(KeyError):
        report.section("Plugins in use")


def test_settings_that_differ_from_the_defaults_say_where_they_came_from() -> None:
    policy = load_policy(
        {"thresholds": {"persistent_absence": 15}}, source="trust.toml", plugin_manager=_manager()
    )
    report = officer_report(_register(), policy, plugin_manager=_manager())
    assert _rows(report, "Settings that differ from the defaults") == [
        ("thresholds.persistent_absence", "15", "10", "policy trust.toml")
    ]


class PanelKeys:
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (
            PolicyKey("panel", "after_letters", 2, "Letters before a panel.", "Trust"),
            PolicyKey("panel", "chair", "head", "Who chairs the panel.", "Trust"),
        )


def test_plugin_keys_set_by_the_policy_name_their_plugin() -> None:
    manager = _manager((PanelKeys(), "trust-panel"))
    policy = load_policy(
        {"plugin_settings": {"panel": {"after_letters": 3, "chair": "head"}}},
        source="trust.toml",
        plugin_manager=manager,
    )
    report = officer_report(_register(), policy, plugin_manager=manager)
    assert _rows(report, "Settings that differ from the defaults") == [
        (
            "plugin_settings.panel.after_letters",
            "3",
            "2",
            "policy trust.toml (key of plugin trust-panel)",
        )
    ]


def _finding(rule: str, pupil: str | None, provenance: dict[str, str]) -> Finding:
    return Finding(
        rule=rule,
        pupil_id=pupil,
        as_of=dt.date(2025, 9, 19),
        severity=Severity.ACTION,
        figure=10,
        threshold=10,
        evidence=(),
        source="National framework for penalty notices",
        explanation=f"{pupil}: 10 unauthorised sessions in 10 school weeks.",
        provenance=provenance,
    )


def test_findings_are_grouped_by_rule_with_who_decided() -> None:
    findings = [
        _finding("penalty-notice-threshold", "P5", {"threshold": "trust-policy"}),
        _finding("penalty-notice-threshold", "P3", {}),
        _finding("missing-marks", None, {}),
    ]
    report = officer_report(_register(), findings=findings, plugin_manager=_manager())
    titles = [s.title for s in report.sections]
    assert [t for t in titles if t.startswith("Findings: ")] == [
        "Findings: missing-marks",
        "Findings: penalty-notice-threshold",
    ]
    assert [row[0] for row in _rows(report, "Findings: penalty-notice-threshold")] == ["P3", "P5"]
    assert _rows(report, "Findings: penalty-notice-threshold")[1][4] == "threshold: trust-policy"
    assert _rows(report, "Findings: missing-marks")[0][0] == "(register)"


def test_local_codes_section_shows_who_decided() -> None:
    mappings = [CodeMapping("I01", "I", "england-2024", "mis-subcodes")]
    report = officer_report(_register(), mappings=mappings, plugin_manager=_manager())
    assert _rows(report, "Local codes read") == [("I01", "I", "england-2024", "mis-subcodes")]


class LateMinutes:
    """A plugin section: how many late sessions each pupil has."""

    @hookimpl
    def attendance_core_report_sections(
        self, summaries: Mapping[str, AttendanceSummary]
    ) -> Sequence[ReportSection]:
        rows = [(pupil, s.late_sessions) for pupil, s in summaries.items() if s.late_sessions]
        return [ReportSection("Late sessions", ("Pupil", "Late"), rows, source="Local")]


def test_plugin_sections_come_after_the_built_in_ones_marked_with_their_plugin() -> None:
    report = officer_report(_register(), plugin_manager=_manager((LateMinutes(), "lateness")))
    last = report.sections[-1]
    assert (last.title, last.rows, last.contributed_by) == (
        "Late sessions",
        (("P5", "3"),),
        "lateness",
    )
    assert "*Source: Local. Contributed by plugin lateness.*" in report.to_markdown()
    assert _rows(report, "Plugins in use") == [("lateness", "-", "attendance_core_report_sections")]
    assert all(s.contributed_by == "builtin" for s in report.sections[:-1])


class NotASection:
    @hookimpl
    def attendance_core_report_sections(self) -> Sequence[object]:
        return [("Late sessions", "P5")]


def test_a_plugin_section_that_is_not_a_section_is_a_plugin_error_naming_it() -> None:
    with pytest.raises(
        PluginError,
        match=r"plugin 'tuples' returned .* from attendance_core_report_sections, not a ReportSection",
    ):
        officer_report(_register(), plugin_manager=_manager((NotASection(), "tuples")))


def test_markdown_rendering() -> None:
    report = Report(
        "Example",
        (
            ReportSection("Counts", ("Code", "Sessions"), [("I", 2), ("a|b", 1)], ("Note.",)),
            ReportSection("Empty", ("Pupil",), (), source="DfE"),
        ),
    )
    assert report.to_markdown() == (
        "# Example\n\n## Counts\n\n| Code | Sessions |\n| --- | --- |\n| I | 2 |\n"
        "| a\\|b | 1 |\n\nNote.\n\n## Empty\n\n_None._\n\n*Source: DfE.*\n"
    )


def test_text_rendering_aligns_columns() -> None:
    report = Report(
        "Example", (ReportSection("Counts", ("Code", "Sessions"), [("I01", 2), ("N", 10)]),)
    )
    assert report.to_text() == (
        "Example\n=======\n\nCounts\n------\nCode  Sessions\nI01   2\nN     10\n"
    )


def test_a_section_row_must_match_its_columns() -> None:
    with pytest.raises(ValueError, match="one cell per column"):
        ReportSection("Bad", ("A", "B"), [("only one",)])


@settings(max_examples=50, deadline=None)
@given(registers(pupils=6, sessions=12))
def test_school_summary_agrees_with_the_register(register: Register) -> None:
    report = officer_report(register, plugin_manager=_manager())
    pooled = register_summary(register)
    rows = {row[0]: row[1] for row in _rows(report, "School summary")}
    assert rows["Possible sessions"] == str(pooled.possible_sessions)
    assert rows["Overall absence rate"] == display_percent(pooled.overall_absence_rate)
    listed = len(_rows(report, "Persistent and severe absentees"))
    assert rows["Persistent absentees (10%+)"].startswith(f"{listed} (")
    assert listed == pooled.persistent_absentees


@settings(max_examples=50, deadline=None)
@given(
    registers(pupils=6, sessions=12),
    st.integers(1, 60),
    st.integers(1, 39),
    st.sampled_from(["at_least", "more_than"]),
)
def test_absentees_are_the_pupils_the_summaries_flag_at_the_policys_lines(
    register: Register, persistent: int, above: int, boundary: str
) -> None:
    """One implementation of the lines: the report lists exactly whom Register.summaries flags."""
    severe = persistent + above  # a policy's severe line lies above its persistent line
    policy = load_policy(
        {
            "thresholds": {"persistent_absence": persistent, "severe_absence": severe},
            "method": {"severe_absence_boundary": boundary},
        },
        plugin_manager=_manager(),
    )
    report = officer_report(register, policy, plugin_manager=_manager())
    listed = {row[0]: row[1] for row in _rows(report, "Persistent and severe absentees")}
    flagged = {
        pupil: "severe" if s.severe_absentees else "persistent"
        for pupil, s in register_summaries(register, policy=policy).items()
        if s.persistent_absentees or s.severe_absentees
    }
    assert listed == flagged


class SevereCount:
    """A plugin section: the severe absentees among the summaries it is given."""

    @hookimpl
    def attendance_core_report_sections(
        self, summaries: Mapping[str, AttendanceSummary]
    ) -> Sequence[ReportSection]:
        rows = [(pupil,) for pupil, s in summaries.items() if s.severe_absentees]
        return [ReportSection("Severe", ("Pupil",), rows, source="Local")]


@pytest.mark.parametrize(
    ("boundary", "severe", "school_row"),
    [
        pytest.param("at_least", [("P3",)], "1 (20.0%)", id="severe-at-least-half-P3-50pc"),
        pytest.param("more_than", [], "0 (0.0%)", id="severe-more-than-half-not-P3-50pc"),
    ],
)
def test_plugins_get_summaries_flagged_at_the_policys_lines(
    boundary: str, severe: list[tuple[str]], school_row: str
) -> None:
    """The report and the summaries it hands plugins flag alike (they were DfE's for plugins)."""
    manager = _manager((SevereCount(), "severe"))
    policy = load_policy({"method": {"severe_absence_boundary": boundary}}, plugin_manager=manager)
    report = officer_report(_register(), policy, plugin_manager=manager)
    assert _rows(report, "Severe") == severe
    line = ">50%" if boundary == "more_than" else "50%+"
    assert (f"Severe absentees ({line})", school_row) in _rows(report, "School summary")
