"""The trust plugin: its bands and ladder change check()'s findings, and say so in provenance."""

from __future__ import annotations

import datetime as dt
import re
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import attrs
import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core_example_trust as trust
from attendance_core import (
    Finding,
    Mark,
    PluginError,
    Register,
    Severity,
    check,
    hookimpl,
    list_plugins,
    make_plugin_manager,
)
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.exceptions import PolicyError
from attendance_core.plugins import AUTOLOAD_ENV
from attendance_core.policy import Policy, PolicyKey
from attendance_core.reports import officer_report
from attendance_core.school import load_policy
from attendance_core.testing import check_plugin
from attendance_core_example_trust import LADDER, TrustSettings, step_for

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

NAME = "example_trust"
"""The plugin's name, by entry point and as :func:`_manager` registers it."""


@pytest.fixture(autouse=True)
def _no_entrypoint_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the discovery test loads installed plugins; it deletes this variable itself."""
    monkeypatch.setenv(AUTOLOAD_ENV, "1")


def _manager(*plugins: object) -> pluggy.PluginManager:
    """Registered in code under the names the entry points give them, as a policy names them."""
    return make_plugin_manager(
        load_entrypoints=False,
        plugins={"example_trust" if p is trust else type(p).__name__: p for p in plugins},
    )


CALENDAR = SchoolCalendar.from_mapping(
    {
        "name": "Example Learning Trust school",
        "nation": "england",
        "years": [
            {
                "academic_year": 2025,
                "terms": [
                    {"name": "Autumn", "start": dt.date(2025, 9, 1), "end": dt.date(2025, 12, 19)}
                ],
            }
        ],
    }
)
SESSIONS = CALENDAR.sessions(dt.date(2025, 9, 1), dt.date(2025, 10, 10))
# Six school weeks, 60 sessions; each pupil is absent for their first n sessions.
ABSENT = {"A": (0, "I"), "B": (4, "I"), "C": (8, "I"), "D": (15, "I"), "E": (30, "O")}


def _register() -> Register:
    return Register.from_marks(
        (pupil, Mark(s, code if i < n else ("/" if s.part == "AM" else "\\")))
        for pupil, (n, code) in ABSENT.items()
        for i, s in enumerate(SESSIONS)
    )


def _check(manager: pluggy.PluginManager, policy: Policy | None = None) -> list[Finding]:
    return check(_register(), CALENDAR, policy=policy, plugin_manager=manager)


def _steps(findings: list[Finding]) -> dict[tuple[str, str | None], str]:
    return {
        (f.rule, f.pupil_id): f.details["escalation"]["step"]
        for f in findings
        if "escalation" in f.details
    }


def _bands(findings: list[Finding]) -> dict[str | None, str]:
    return {f.pupil_id: f.details["band"] for f in findings if f.rule == "attendance-band"}


def test_discovered_through_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV)
    manager = make_plugin_manager(["example_trust"])
    info = {i.name: i for i in list_plugins(manager)}["example_trust"]
    assert info.version == "0.1.0"
    assert info.hooks == (
        "attendance_core_adjust_policy",
        "attendance_core_escalation",
        "attendance_core_policy_keys",
        "attendance_core_report_sections",
    )
    finding = next(f for f in _check(manager) if f.rule == "watch-list")
    assert finding.provenance == {"threshold": "example_trust", "escalation": "example_trust"}


def test_without_the_plugin_findings_lead_to_no_step() -> None:
    findings = _check(_manager())
    assert _steps(findings) == {}
    assert all(not f.provenance for f in findings)
    assert _bands(findings) == {
        "A": "full attendance",
        "B": "at risk",
        "C": "persistently absent",
        "D": "persistently absent",
        "E": "persistently absent",
    }
    assert {f.pupil_id for f in findings if f.rule == "watch-list"} == {"C", "D", "E"}


def test_the_trust_bands_replace_the_national_ones() -> None:
    findings = _check(_manager(trust))
    assert _bands(findings) == {
        "A": "excellent",  # 100%
        "B": "cause for concern",  # 56/60 = 93.3%
        "C": "persistently absent",  # 86.7%
        "D": "persistently absent",  # 75%
        "E": "persistently absent",  # 50%
    }
    # The trust's watch line is 95%, so B (93.3%) joins C, D and E.
    assert {f.pupil_id for f in findings if f.rule == "watch-list"} == {"B", "C", "D", "E"}
    for finding in findings:
        if finding.rule in trust.BAND_RULES:
            assert finding.provenance["threshold"] == NAME


def test_findings_climb_the_trust_ladder() -> None:
    findings = _check(_manager(trust))
    assert _steps(findings) == {
        ("watch-list", "B"): "letter 1",
        ("watch-list", "C"): "letter 1",
        ("watch-list", "D"): "letter 1",
        ("watch-list", "E"): "letter 1",
        ("persistent-absence", "C"): "letter 2",  # 13.3% absence
        ("persistent-absence", "D"): "attendance panel",  # 25%, at or above the 20% panel line
        ("persistent-absence", "E"): "attendance panel",
        ("severe-absence", "E"): "attendance contract",
        ("penalty-notice-threshold", "E"): "notice to improve",
    }
    for finding in findings:
        if "escalation" in finding.details:
            assert finding.provenance["escalation"] == NAME
        else:
            assert "escalation" not in finding.provenance
    panel = next(f for f in findings if (f.rule, f.pupil_id) == ("persistent-absence", "D"))
    assert panel.details["escalation"]["reason"] == (
        "trust policy: absence of 25.0% is at or above the panel line of 20.0%"
    )


def test_the_officers_report_shows_each_pupil_at_their_highest_step() -> None:
    manager = _manager(trust)
    findings = _check(manager)
    report = officer_report(_register(), findings=findings, plugin_manager=manager)
    section = next(s for s in report.sections if s.title.startswith("Escalation ladder"))
    assert section.contributed_by == NAME
    assert section.rows == (
        ("letter 1", "1", "B"),
        ("letter 2", "1", "C"),
        ("attendance panel", "1", "D"),
        ("attendance contract", "0", ""),
        ("notice to improve", "1", "E"),
    )
    plain = officer_report(_register(), findings=_check(_manager()), plugin_manager=_manager())
    assert not any(s.title.startswith("Escalation ladder") for s in plain.sections)


def test_a_policy_file_changes_the_trusts_settings() -> None:
    manager = _manager(trust)
    policy = load_policy(
        {
            "plugin_settings": {
                "example_trust": {
                    "watch_list_below": 92.5,
                    "panel_absence_percent": 30,
                    "steps": {"watch-list": "letter 1", "persistent-absence": "letter 2"},
                }
            }
        },
        plugin_manager=manager,
    )
    assert policy.plugin_settings["example_trust"]["watch_list_below"] == Fraction(185, 2)
    steps = _steps(_check(manager, policy))
    assert steps == {
        ("watch-list", "C"): "letter 1",
        ("watch-list", "D"): "letter 1",
        ("watch-list", "E"): "letter 1",
        ("persistent-absence", "C"): "letter 2",
        ("persistent-absence", "D"): "letter 2",  # 25% is now below the 30% panel line
        ("persistent-absence", "E"): "attendance panel",
    }


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"steps": {"watch-list": "letter 3"}},
            "$.plugin_settings.example_trust.steps: rule 'watch-list' leads to 'letter 3', expected one "
            "of 'letter 1'",
        ),
        ({"watch_list_below": 110}, "expected a percentage between 0 and 100, got 110"),
        (
            {"bands": {"good": 90}},
            "$.plugin_settings.example_trust.bands: expected the lowest band",
        ),
        ({"watch_list": 95}, "unknown key 'watch_list'"),
    ],
    ids=["step-not-on-ladder", "percent-out-of-range", "bands-without-0", "misspelt-key"],
)
def test_bad_trust_settings_are_rejected_with_their_path(
    table: dict[str, object], message: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy({"plugin_settings": {"example_trust": table}}, plugin_manager=_manager(trust))
    assert message in str(caught.value)


def test_trust_keys_need_the_plugin() -> None:
    with pytest.raises(PolicyError, match=r"declares keys in \[plugin_settings\.example_trust\]"):
        load_policy({"plugin_settings": {"example_trust": {}}}, plugin_manager=_manager())


class _Rival:
    """A bad plugin: declares a key the trust plugin already owns."""

    @hookimpl
    def attendance_core_policy_keys(self) -> tuple[PolicyKey, ...]:
        return (PolicyKey("example_trust", "bands", {}, "Someone else's bands.", "none"),)


def test_two_plugins_claiming_one_key_are_rejected() -> None:
    with pytest.raises(
        PluginError,
        match=r"plugins '_Rival' and .* both declare policy key plugin_settings\.example_trust\.bands",
    ):
        load_policy({}, plugin_manager=_manager(trust, _Rival()))


def test_passes_the_conformance_kit() -> None:
    check_plugin(trust)


def _finding(rule: str, figure: Fraction) -> Finding:
    return Finding(rule, "P", dt.date(2025, 10, 10), Severity.ACTION, figure, None, (), "", "")


@settings(max_examples=80, deadline=None)
@given(
    absent=st.integers(0, 400),
    possible=st.integers(1, 400),
    panel=st.integers(0, 100),
    rule=st.sampled_from(["watch-list", "persistent-absence", "severe-absence", "look-ahead"]),
)
def test_every_step_is_on_the_ladder_and_panel_is_decided_exactly(
    absent: int, possible: int, panel: int, rule: str
) -> None:
    trust_settings = attrs.evolve(TrustSettings.of(Policy()), panel_absence_percent=Fraction(panel))
    escalation = step_for(_finding(rule, Fraction(absent, possible)), trust_settings)
    if rule not in trust_settings.steps:
        assert escalation is None
        return
    assert escalation is not None
    assert escalation.step in LADDER
    at_panel = rule == "persistent-absence" and absent * 100 >= possible * panel
    assert (escalation.step == "attendance panel") is at_panel


README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_shows_the_default_settings() -> None:
    text = README.read_text(encoding="utf-8")
    (block,) = re.findall(r"^ *```toml\n(.*?)^ *```", text, re.MULTILINE | re.DOTALL)
    manager = _manager(trust)
    shown = load_policy(tomllib.loads(textwrap.dedent(block)), plugin_manager=manager)
    defaults = load_policy({}, plugin_manager=manager)
    assert shown.plugins == ("example_trust",)
    assert shown.plugin_settings["example_trust"] == defaults.plugin_settings["example_trust"]
