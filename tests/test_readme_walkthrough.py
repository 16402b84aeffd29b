"""The README's walk-through runs as written: from a fresh clone, its commands give the demo
school's files and an HTML report with charts, national comparison and year groups, without a
warning on the way."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from _docs import DOCS
from attendance_core.cli import main

README = DOCS.parent / "README.md"
HEADING = "## A first report, step by step"


def _commands() -> list[list[str]]:
    """The ``attendance-core`` commands of the walk-through's shell block, continuation lines
    joined, as argument lists."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(HEADING) :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the walk-through has no ```sh block"
    lines = block.group(1).replace("\\\n", " ").splitlines()
    return [shlex.split(line)[1:] for line in lines if line.startswith("attendance-core ")]


def test_the_walk_through_gives_an_html_report_with_charts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = _commands()
    assert [argv[0] for argv in commands] == ["demo", "report"]
    (tmp_path / "docs").symlink_to(DOCS)  # the repository's example files, as in a clone
    monkeypatch.chdir(tmp_path)
    for argv in commands:
        assert main(argv) == 0, argv
        assert capsys.readouterr().err == "", f"{argv[0]} warned"
    for name in ("marks.csv", "pupils.csv", "enrolments.csv", "calendar.toml"):
        assert (tmp_path / name).stat().st_size > 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 4
    for shown in ("Compared with national", "National: England", "Target: the school", "By year"):
        assert shown in page
    year_groups = re.search(r"<h2>Persistent absence by year group</h2>(.*?)</section>", page, re.S)
    assert year_groups is not None
    assert year_groups.group(1).count("<tr>") > 5  # a row per year group, under the heading row
    assert "Rules not run" not in page  # the calendar is given: every rule ran
