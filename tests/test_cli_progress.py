"""The command line's progress bar: on a terminal after a delay, never on a pipe or a file."""

from __future__ import annotations

import io
import os
import select
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pytest

from _docs import DOCS
from attendance_core.cli import _progress, main

EXAMPLES = DOCS / "examples"
CHECK = [
    "check",
    str(EXAMPLES / "marks.csv"),
    "--calendar",
    str(EXAMPLES / "calendars" / "kent-example-academy.toml"),
    "--enrolments",
    str(EXAMPLES / "enrolments.csv"),
]


@pytest.fixture
def terminal() -> Iterator[tuple[int, TextIO]]:
    """A pseudo-terminal: its reading end, and a text stream writing to the terminal."""
    reader, writer = os.openpty()
    stream = open(writer, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    yield reader, stream
    stream.close()
    os.close(reader)


def _drain(reader: int) -> str:
    """All the terminal has been sent so far."""
    chunks = []
    while select.select([reader], [], [], 0.2)[0]:
        chunks.append(os.read(reader, 65536))
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_slow_step_shows_a_bar_on_a_terminal_and_removes_it(
    terminal: tuple[int, TextIO], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, stream = terminal
    monkeypatch.setattr(_progress, "DELAY", 0.05)
    with _progress.progress("reading marks.csv", stream):
        time.sleep(0.5)
    stream.flush()
    shown = _drain(reader)
    assert "reading marks.csv" in shown
    assert "0:00:00" in shown  # the time taken


def test_a_quick_step_shows_nothing_even_on_a_terminal(terminal: tuple[int, TextIO]) -> None:
    reader, stream = terminal
    with _progress.progress("reading marks.csv", stream):
        pass
    time.sleep(_progress.DELAY / 10)
    stream.flush()
    assert _drain(reader) == ""


def test_nothing_is_drawn_on_a_stream_that_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    stream = io.StringIO()
    with _progress.progress("reading marks.csv", stream):
        time.sleep(0.3)
    assert stream.getvalue() == ""


def test_check_reading_and_rules_show_on_a_terminal_standard_error(
    terminal: tuple[int, TextIO],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reader, stream = terminal
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    with capsys.disabled():
        monkeypatch.setattr(sys, "stderr", stream)
        assert main([*CHECK, "--output", os.devnull]) == 0
        stream.flush()
    shown = _drain(reader)
    assert f"reading {EXAMPLES / 'marks.csv'}"[:40] in shown
    assert "running the rules" in shown


def test_check_draws_no_bar_when_standard_error_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    assert main([*CHECK, "--output", str(tmp_path / "findings.txt")]) == 0
    err = capsys.readouterr().err
    assert "reading" not in err
    assert "running the rules" not in err
