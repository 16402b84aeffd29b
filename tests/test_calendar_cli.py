"""``attendance-core calendar``: the year at a glance, and every problem of a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from attendance_core.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "calendars"


def test_year_at_a_glance(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["calendar", str(EXAMPLES / "kent-example-academy.toml"), "--year", "2024"])
    out, err = capsys.readouterr()
    assert status == 0
    assert err == ""
    assert "2025/26" not in out
    for line in [
        "Example Academy (Kent)",
        "    Autumn: Mon 2 Sep 2024 to Fri 20 Dec 2024 (71 days, 142 sessions)",
        "    Spring 2: 60 sessions",
        "    Mon 28 Oct 2024 to Fri 1 Nov 2024 (October half-term)",
        "    Mon 6 Jan 2025",
        "    Mon 5 May 2025 May Day",
        "  sessions: 380 (minimum 380)",
    ]:
        assert line in out.splitlines()


def test_short_year_is_a_warning_not_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "glance.txt"
    status = main(
        ["calendar", str(EXAMPLES / "kent-example-primary.toml"), "--output", str(output)]
    )
    out, err = capsys.readouterr()
    assert (status, out) == (0, "")
    text = output.read_text(encoding="utf-8")
    assert "  sessions: 378 (minimum 380)" in text.splitlines()
    assert (
        "    Thu 1 May 2025 AM/PM #: Polling station for the Kent County Council elections (example)"
        in text
    )
    assert err.count("warning:") == 2
    assert (
        main(
            [
                "calendar",
                str(EXAMPLES / "kent-example-primary.toml"),
                "--minimum",
                "378",
                "--year",
                "2024",
            ]
        )
        == 0
    )
    assert "warning" not in capsys.readouterr().err


def test_invalid_calendar_lists_every_problem_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "Bad"\nnation = "englnd"\n\n[[years]]\nacademic_year = 2025\n'
        'inset_days = [2025-09-06]\n\n[[years.terms]]\nname = "Autumn"\n'
        "start = 2025-09-01\nend = 2025-12-19\n",
        encoding="utf-8",
    )
    assert main(["calendar", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "attendance-core calendar: 1 problem",
        f"{path}: $.nation: unknown nation 'englnd'; did you mean 'england'?",
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("englnd", "england"), encoding="utf-8")
    assert main(["calendar", str(path)]) == 2
    assert (
        f"{path}: $.years[0].inset_days[0]: INSET day 2025-09-06 is a Saturday"
        in capsys.readouterr().err
    )


def test_year_not_covered_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", str(EXAMPLES / "kent-example-academy.toml"), "--year", "2030"]) == 2
    assert capsys.readouterr().err.endswith("(it covers 2024/25 to 2025/26)\n")
