"""Installing a plugin changes nobody's numbers: the example plugins stay dormant until a policy
names them.

Each command's output with the four example plugins installed (as ``make test`` installs them)
is compared byte for byte with its output when no plugin is installed at all, for every output
format, with no policy and with ``plugins = []``; then a policy naming the trust plugin shows
that the same run does change once the plugin is turned on.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any

import pytest

from attendance_core.cli import main
from attendance_core.plugins import AUTOLOAD_ENV, ENTRY_POINT_GROUP, installed_plugins

ROOT = Path(__file__).resolve().parents[1]
CALENDAR = ROOT / "docs/examples/calendars/kent-example-academy.toml"
EXAMPLES = {"example_trust", "kent", "mis_subcodes", "wales"}


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("school")
    files = {
        "marks": folder / "marks.csv",
        "enrolments": folder / "enrolments.csv",
        "empty": folder / "empty.toml",
        "trust": folder / "trust.toml",
    }
    args = ["demo", "--pupils", "30", "--write-csv", str(files["marks"])]
    assert main([*args, "--write-enrolments", str(files["enrolments"])]) == 0
    files["empty"].write_text("plugins = []\n", encoding="utf-8")
    files["trust"].write_text('plugins = ["example_trust"]\n', encoding="utf-8")
    return files


def _commands(school: dict[str, Path], policy: str | None) -> list[list[str]]:
    marks, enrolments = str(school["marks"]), str(school["enrolments"])
    common = ["--enrolments", enrolments, "--calendar", str(CALENDAR)]
    if policy is not None:
        common += ["--policy", str(school[policy])]
    commands = [["summary", marks, *common, "--format", f] for f in ("table", "json", "csv")]
    commands += [["check", marks, *common, "--format", f] for f in ("table", "json", "csv")]
    commands += [["report", marks, *common, "--format", f] for f in ("markdown", "text")]
    return commands


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _uninstall_every_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the entry-point group look empty, as on a machine with no plugin installed."""
    real = importlib.metadata.entry_points

    def entry_points(**params: Any) -> Any:
        if params.get("group") == ENTRY_POINT_GROUP:
            return importlib.metadata.EntryPoints(())
        return real(**params)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


@pytest.mark.parametrize("policy", [None, "empty"], ids=["no-policy", "plugins-empty"])
def test_every_command_prints_the_same_with_and_without_the_example_plugins(
    school: dict[str, Path],
    policy: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV)
    assert set(installed_plugins()) >= EXAMPLES, "make test installs the example plugins"
    commands = _commands(school, policy)
    installed = [_run(args, capsys) for args in commands]
    _uninstall_every_plugin(monkeypatch)
    assert installed_plugins() == {}
    bare = [_run(args, capsys) for args in commands]
    for args, with_plugins, without in zip(commands, installed, bare, strict=True):
        assert with_plugins[0] == 0, (args, with_plugins[2])
        assert with_plugins == without, f"{' '.join(args[:1] + args[-2:])} differs"


def test_naming_the_trust_plugin_applies_its_bands_and_ladder(
    school: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV)
    (national,) = [c for c in _commands(school, None) if c[0] == "check" and "table" in c]
    (trust,) = [c for c in _commands(school, "trust") if c[0] == "check" and "table" in c]
    code, plain, _ = _run(national, capsys)
    assert code == 0
    code, turned_on, _ = _run(trust, capsys)
    assert code == 0
    for trust_only in ("band 'excellent'", "letter 1"):
        assert trust_only in turned_on
        assert trust_only not in plain


def test_a_policy_naming_a_plugin_that_is_not_installed_exits_2(
    school: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV)
    policy = tmp_path / "policy.toml"
    policy.write_text('plugins = ["example_trust", "no_such_plugin"]\n', encoding="utf-8")
    code, out, err = _run(["summary", str(school["marks"]), "--policy", str(policy)], capsys)
    assert (code, out) == (2, "")
    assert "$.plugins[1]: plugin 'no_such_plugin' is not installed" in err
    assert "Traceback" not in err
