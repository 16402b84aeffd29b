"""The Wales plugin: discovered through its entry point, and what it changes in a register."""

from __future__ import annotations

import datetime as dt
import re
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core_wales
from attendance_core import (
    ENGLAND_2006,
    Finding,
    Mark,
    PluginError,
    Register,
    Session,
    UnknownCodeError,
    check,
    hookimpl,
    list_plugins,
    make_plugin_manager,
    summarise,
)
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.cli import main
from attendance_core.codes import Category, CodeSet
from attendance_core.exceptions import PolicyError
from attendance_core.plugins import AUTOLOAD_ENV, code_sets
from attendance_core.rules.statistics import register_summary
from attendance_core.school import load_policy
from attendance_core.testing import check_plugin
from attendance_core_wales import WALES_2010, persistent_absence_percent, secondary_statistics_end

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@pytest.fixture(autouse=True)
def _no_entrypoint_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the discovery test loads installed plugins; it deletes this variable itself."""
    monkeypatch.setenv(AUTOLOAD_ENV, "1")


NAME = "wales"
"""The plugin's name, by entry point and as :func:`_manager` registers it."""


def _manager(*plugins: object) -> pluggy.PluginManager:
    """Registered in code under the names the entry points give them, as a policy names them."""
    return make_plugin_manager(
        load_entrypoints=False,
        plugins={"wales" if p is attendance_core_wales else type(p).__name__: p for p in plugins},
    )


# A Welsh pupil's week in June 2025: H, F, J and Y are Welsh codes that England withdrew.
WELSH_WEEK = [
    ("2025-06-09", "AM", "/"),
    ("2025-06-09", "PM", "\\"),
    ("2025-06-10", "AM", "H"),
    ("2025-06-10", "PM", "H"),
    ("2025-06-11", "AM", "F"),
    ("2025-06-11", "PM", "J"),
    ("2025-06-12", "AM", "Y"),
    ("2025-06-12", "PM", "G"),
]


def _register(code_set: CodeSet | None = None) -> Register:
    marks = [
        ("W1", Mark(Session(dt.date.fromisoformat(day), part), code))
        for day, part, code in WELSH_WEEK
    ]
    return Register.from_marks(marks, code_set=code_set)


def test_discovered_through_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV)
    manager = make_plugin_manager(["wales"])
    infos = {info.name: info for info in list_plugins(manager)}
    assert infos["wales"].version == "0.1.0"
    assert infos["wales"].hooks == (
        "attendance_core_code_sets",
        "attendance_core_policy_keys",
        "attendance_core_rules",
    )
    assert manager.get_plugin("wales") is attendance_core_wales
    assert code_sets(manager)["wales-2010"] is WALES_2010


def test_switched_off_by_the_autoload_variable() -> None:
    assert "wales" not in {info.name for info in list_plugins(make_plugin_manager())}


def test_welsh_register_reads_only_with_the_plugin() -> None:
    without = code_sets(_manager())
    assert "wales-2010" not in without
    with pytest.raises(UnknownCodeError, match=r"'H' in code set 'england-2024'; did you mean 'C'"):
        _register()

    welsh = code_sets(_manager(attendance_core_wales))["wales-2010"]
    summary = register_summary(_register(welsh))
    assert summary.possible_sessions == 7
    assert summary.overall_attendance == 3  # /, \ and J (approved educational activity)
    assert summary.authorised_absence == 3  # H, H, F
    assert summary.unauthorised_absence == 1  # G
    assert summary.not_counted_sessions == 1  # Y
    assert summary.attendance_rate == Fraction(3, 7)
    assert summary.sessions_by_code == {"/": 1, "\\": 1, "F": 1, "G": 1, "H": 2, "J": 1, "Y": 1}


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("/", Category.PRESENT),
        ("L", Category.PRESENT),
        ("J", Category.APPROVED_EDUCATIONAL_ACTIVITY),
        ("B", Category.APPROVED_EDUCATIONAL_ACTIVITY),
        ("F", Category.AUTHORISED_ABSENCE),
        ("H", Category.AUTHORISED_ABSENCE),
        ("T", Category.AUTHORISED_ABSENCE),
        ("G", Category.UNAUTHORISED_ABSENCE),
        ("U", Category.UNAUTHORISED_ABSENCE),
        ("D", Category.NOT_COUNTED),
        ("X", Category.NOT_COUNTED),
        ("Y", Category.NOT_COUNTED),
        ("#", Category.NOT_COUNTED),
    ],
    ids=lambda value: value if isinstance(value, str) else value.value,
)
def test_si_2010_1954_code_categories(code: str, category: Category) -> None:
    assert WALES_2010[code].category is category
    assert WALES_2010[code].code_set == "wales-2010"


def test_letters_are_englands_pre_2013_list() -> None:
    assert {c.code for c in WALES_2010} == set("/\\BCDEFGHIJLMNOPRSTUVWXYZ#")
    assert len(WALES_2010) == 26
    assert WALES_2010.in_force_on(dt.date(2010, 9, 1))
    assert not WALES_2010.in_force_on(dt.date(2010, 8, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([c.code for c in WALES_2010]), max_size=40))
def test_summaries_match_englands_old_categories(codes: list[str]) -> None:
    """The documented belief: every Welsh code counts as England's pre-2024 code of that letter."""
    start = dt.date(2025, 1, 6)
    marks = [
        (start + dt.timedelta(days=i // 2), "AM" if i % 2 == 0 else "PM", code)
        for i, code in enumerate(codes)
    ]
    assert summarise(marks, code_set=WALES_2010) == summarise(marks, code_set=ENGLAND_2006)


@pytest.mark.parametrize(
    ("academic_year", "percent"),
    [(2019, 20), (2021, 20), (2022, 10), (2025, 10)],
    ids=["2019-20", "2021-22", "2022-23-first-at-10", "2025-26"],
)
def test_welsh_persistent_absence_threshold(academic_year: int, percent: int) -> None:
    assert persistent_absence_percent(academic_year) == percent


def test_persistent_absence_first_year_is_a_parameter() -> None:
    assert persistent_absence_percent(2022, first_year_at_10=2023) == 20


@pytest.mark.parametrize(
    ("academic_year", "end"),
    [
        (2021, dt.date(2022, 6, 2)),
        (2022, dt.date(2023, 5, 29)),
        (2024, dt.date(2025, 5, 26)),
        (2025, dt.date(2026, 5, 25)),
    ],
    ids=["2021-22-jubilee-moved", "2022-23", "2024-25", "2025-26"],
)
def test_secondary_statistics_stop_at_the_spring_bank_holiday(
    academic_year: int, end: dt.date
) -> None:
    assert secondary_statistics_end(academic_year) == end


class _SecondWales:
    """A bad plugin: contributes another set under the id the Wales plugin owns."""

    @hookimpl
    def attendance_core_code_sets(self) -> tuple[CodeSet, ...]:
        return (CodeSet("wales-2010", "Copy", "none", None, None, codes=tuple(ENGLAND_2006)),)


def test_two_plugins_claiming_one_code_set_id_are_rejected() -> None:
    manager = _manager(attendance_core_wales, _SecondWales())
    with pytest.raises(PluginError, match="two plugins provide code set 'wales-2010'"):
        code_sets(manager)


class _Misspelt:
    @hookimpl
    def attendance_core_code_set(self) -> tuple[CodeSet, ...]:
        return (WALES_2010,)


def test_misspelt_hook_is_rejected() -> None:
    with pytest.raises(PluginError, match="unknown hook 'attendance_core_code_set'"):
        _manager(_Misspelt())


def test_policy_may_name_the_welsh_code_set_only_with_the_plugin() -> None:
    data = {"codes": {"code_set": "wales-2010"}}
    with pytest.raises(PolicyError, match=r"\$\.codes\.code_set"):
        load_policy(data, plugin_manager=_manager())
    policy = load_policy(data, plugin_manager=_manager(attendance_core_wales))
    assert policy.codes.code_set == "wales-2010"


def test_summary_command_reads_a_welsh_register_with_the_installed_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[codes]\ncode_set = "wales-2010"\n', encoding="utf-8")
    marks = tmp_path / "marks.csv"
    rows = ["2025-06-09,AM,/", "2025-06-09,PM,H", "2025-06-10,AM,F", "2025-06-10,PM,J"]
    marks.write_text("pupil_id,date,session,code\n" + "".join(f"W1,{r}\n" for r in rows), "utf-8")
    args = ["summary", str(marks), "--policy", str(policy)]
    monkeypatch.delenv(AUTOLOAD_ENV)
    # Installed but not named by the policy: the plugin is dormant.
    assert main(args) == 2
    assert "unknown code set 'wales-2010'" in capsys.readouterr().err

    policy.write_text('plugins = ["wales"]\n\n[codes]\ncode_set = "wales-2010"\n', "utf-8")
    assert main(args) == 0
    pupil = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("W1"))
    # possible, present, approved activity (J), authorised (H, F), unauthorised
    assert pupil.split()[:6] == ["W1", "4", "1", "1", "2", "0"]


def test_summary_command_names_the_plugin_whose_code_set_read_the_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.toml"
    marks = tmp_path / "marks.csv"
    marks.write_text("pupil_id,date,session,code\nW1,2025-06-09,AM,H\n", "utf-8")
    monkeypatch.delenv(AUTOLOAD_ENV)
    policy.write_text('plugins = ["wales"]\n\n[codes]\ncode_set = "wales-2010"\n', "utf-8")
    assert main(["summary", str(marks), "--policy", str(policy)]) == 0
    assert capsys.readouterr().out.endswith("codes read with code set wales-2010 (plugin wales)\n")
    policy.write_text('plugins = ["wales"]\n\n[codes]\ncode_set = "england-2006"\n', "utf-8")
    assert main(["summary", str(marks), "--policy", str(policy)]) == 0
    assert "codes read with" not in capsys.readouterr().out  # a built-in set: nothing to name


def test_passes_the_conformance_kit() -> None:
    check_plugin(attendance_core_wales)


def _calendar(*terms: tuple[str, str]) -> SchoolCalendar:
    years: dict[int, list[dict[str, object]]] = {}
    for start, end in terms:
        first = dt.date.fromisoformat(start)
        year = first.year if first.month >= 8 else first.year - 1
        years.setdefault(year, []).append(
            {"name": f"Term from {start}", "start": first, "end": dt.date.fromisoformat(end)}
        )
    return SchoolCalendar.from_mapping(
        {
            "name": "Example Welsh school",
            "nation": "wales",
            "years": [{"academic_year": y, "terms": t} for y, t in sorted(years.items())],
        }
    )


def _marks(
    calendar: SchoolCalendar, start: str, end: str, absent: dict[str, tuple[int, str]]
) -> Register:
    """Each pupil absent (with the code given) for their first n sessions from ``start``."""
    sessions = calendar.sessions(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return Register.from_marks(
        (
            (pupil, Mark(s, code if i < n else ("/" if s.part == "AM" else "\\")))
            for pupil, (n, code) in absent.items()
            for i, s in enumerate(sessions)
        ),
        code_set=WALES_2010,
    )


def _flagged(findings: list[Finding], rule: str) -> set[str | None]:
    return {f.pupil_id for f in findings if f.rule == rule}


AUTUMN = {"2021": ("2021-09-01", "2021-10-22"), "2025": ("2025-09-01", "2025-10-24")}
# 40 sessions each: W misses 6 (15%), V misses 9 (22.5%), U misses 3 (7.5%).
PUPILS = {"W": (6, "H"), "V": (9, "I"), "U": (3, "G")}


@pytest.mark.parametrize(
    ("year", "window", "welsh"),
    [
        ("2021", ("2021-09-06", "2021-10-01"), {"V"}),
        ("2025", ("2025-09-08", "2025-10-03"), {"V", "W"}),
    ],
    ids=["2021-22-welsh-line-20", "2025-26-welsh-line-10"],
)
def test_welsh_persistent_absence_by_year(
    year: str, window: tuple[str, str], welsh: set[str]
) -> None:
    calendar = _calendar(AUTUMN[year])
    register = _marks(calendar, *window, PUPILS)
    without = check(register, calendar, plugin_manager=_manager())
    assert "wales-persistent-absence" not in {f.rule for f in without}
    assert _flagged(without, "persistent-absence") == {"V", "W"}  # DfE's 10%, every year

    found = check(register, calendar, plugin_manager=_manager(attendance_core_wales))
    assert _flagged(found, "wales-persistent-absence") == welsh
    for finding in found:
        if finding.rule == "wales-persistent-absence":
            assert finding.provenance == {"rule": NAME}
            assert finding.threshold == (Fraction(1, 5) if year == "2021" else Fraction(1, 10))


def test_english_registers_are_left_to_dfes_rule() -> None:
    calendar = _calendar(AUTUMN["2021"])
    sessions = calendar.sessions(dt.date(2021, 9, 6), dt.date(2021, 10, 1))
    english = Register.from_marks(
        ("E", Mark(s, "I" if i < 9 else ("/" if s.part == "AM" else "\\")))
        for i, s in enumerate(sessions)
    )
    found = check(english, calendar, plugin_manager=_manager(attendance_core_wales))
    assert _flagged(found, "persistent-absence") == {"E"}
    assert _flagged(found, "wales-persistent-absence") == set()


def test_secondary_statistics_stop_before_the_late_may_bank_holiday() -> None:
    calendar = _calendar(("2026-04-20", "2026-05-22"), ("2026-06-01", "2026-07-17"))
    # 20 sessions present before the spring bank holiday (25 May 2026), then 10 absent after it.
    before = calendar.sessions(dt.date(2026, 5, 11), dt.date(2026, 5, 22))
    after = calendar.sessions(dt.date(2026, 6, 1), dt.date(2026, 6, 5))
    register = Register.from_marks(
        [("S", Mark(s, "/" if s.part == "AM" else "\\")) for s in before]
        + [("S", Mark(s, "I")) for s in after],
        code_set=WALES_2010,
    )
    manager = _manager(attendance_core_wales)
    primary = check(register, calendar, plugin_manager=manager, rules="wales-persistent-absence")
    assert [(f.figure, f.details["to"]) for f in primary] == [(Fraction(1, 3), "2026-06-05")]
    secondary = load_policy(
        {"plugin_settings": {"wales": {"secondary": True}}}, plugin_manager=manager
    )
    assert (
        check(
            register,
            calendar,
            policy=secondary,
            plugin_manager=manager,
            rules="wales-persistent-absence",
        )
        == []
    )


def test_first_year_at_10_percent_is_a_policy_setting() -> None:
    calendar = _calendar(AUTUMN["2025"])
    register = _marks(calendar, "2025-09-08", "2025-10-03", PUPILS)
    manager = _manager(attendance_core_wales)
    later = load_policy(
        {"plugin_settings": {"wales": {"first_year_at_10_percent": 2026}}}, plugin_manager=manager
    )
    found = check(register, calendar, policy=later, plugin_manager=manager)
    assert _flagged(found, "wales-persistent-absence") == {"V"}


README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_shows_the_default_settings() -> None:
    text = README.read_text(encoding="utf-8")
    (block,) = re.findall(r"^ *```toml\n(.*?)^ *```", text, re.MULTILINE | re.DOTALL)
    manager = _manager(attendance_core_wales)
    shown = load_policy(tomllib.loads(textwrap.dedent(block)), plugin_manager=manager)
    defaults = load_policy({}, plugin_manager=manager)
    assert shown.plugin_settings["wales"] == defaults.plugin_settings["wales"]
