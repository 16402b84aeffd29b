"""``attendance-core policy check`` and ``policy keys``, run in-process."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pluggy
import pytest

from _docs import DOCS
from attendance_core import hookimpl, make_plugin_manager
from attendance_core.cli import main
from attendance_core.policy import Policy, PolicyKey

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

SCHOOL = DOCS / "examples" / "policies" / "school.toml"


def test_check_prints_the_effective_policy_which_reads_back_the_same(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["policy", "check", str(SCHOOL)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "persistent_absence = 10" in out
    printed = Policy.from_mapping(tomllib.loads(out, parse_float=Decimal))
    assert printed == Policy.from_toml(SCHOOL)


def test_check_fills_in_every_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert main(["policy", "check", str(empty)]) == 0
    out = capsys.readouterr().out
    assert Policy.from_mapping(tomllib.loads(out, parse_float=Decimal)) == Policy()
    assert "[penalty_notice]\nsessions = 10\n" in out


def test_check_lists_every_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[thresholds]\npersistent_absence = 110\n[lateness]\nlimt = 3\n", encoding="utf-8"
    )
    output = tmp_path / "effective.toml"
    assert main(["policy", "check", str(bad), "--output", str(output)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "attendance-core policy check: 2 problems",
        f"{bad}: $.thresholds.persistent_absence: expected a percentage between 0 and 100, got 110",
        f"{bad}: $.lateness.limt: unknown key 'limt'; did you mean 'limit'?",
    ]
    assert not output.exists()


def test_check_writes_the_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "effective.toml"
    assert main(["policy", "check", str(SCHOOL), "-o", str(output)]) == 0
    assert capsys.readouterr().out == ""
    written = tomllib.loads(output.read_text(encoding="utf-8"), parse_float=Decimal)
    assert Policy.from_mapping(written) == Policy.from_toml(SCHOOL)


def test_missing_file_is_one_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "check", str(tmp_path / "nope.toml")]) == 2
    assert (
        "cannot read file (got No such file or directory); expected a readable file"
        in capsys.readouterr().err
    )


def test_a_file_that_is_not_utf8_is_one_problem_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'[calendar]\nname = "\xe9cole"\n')
    assert main(["policy", "check", str(latin1)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "attendance-core policy check: 1 problem",
        f"{latin1}: $: line 2: not UTF-8 text; expected UTF-8 text (TOML files are UTF-8)",
    ]


class LetterKeys:
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (PolicyKey("letters", "first_after", 8, "Absences before letter 1.", "Trust"),)


def test_keys_lists_plugin_declared_keys_with_their_plugin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        "attendance_core.cli.policy.make_plugin_manager",
        lambda *_: _manager_with(LetterKeys()),
    )
    assert main(["policy", "keys"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "plugin_settings.letters.first_after = 8",
        "    Absences before letter 1.",
        "    source: Trust; declared by plugin letters",
    ]


def _manager_with(plugin: object) -> pluggy.PluginManager:
    manager = make_plugin_manager(load_entrypoints=False)
    manager.register(plugin, name="letters")
    return manager


class RivalLetterKeys:
    @hookimpl
    def attendance_core_policy_keys(self) -> Sequence[PolicyKey]:
        return (PolicyKey("letters", "first_after", 6, "A rival claim.", "Rival"),)


def test_two_plugins_claiming_one_key_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manager = _manager_with(LetterKeys())
    manager.register(RivalLetterKeys(), name="rival")
    monkeypatch.setattr("attendance_core.cli.policy.make_plugin_manager", lambda names=(): manager)
    monkeypatch.setattr("attendance_core.school.make_plugin_manager", lambda names=(): manager)
    assert main(["policy", "check", str(SCHOOL)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "attendance-core policy: error: plugins 'letters' and 'rival' both declare policy key "
        "plugin_settings.letters.first_after\n"
    )
