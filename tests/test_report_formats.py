"""The officer's report as JSON, CSV and a self-contained HTML page, and what it could not run."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from attendance_core.cli import main
from attendance_core.reports import Report, ReportSection

ROOT = Path(__file__).resolve().parents[1]
MARKS = ROOT / "docs/examples/marks.csv"
CALENDAR = ROOT / "docs/examples/calendars/kent-example-academy.toml"

REPORT = Report(
    "Attendance <report>",
    (
        ReportSection("Pupils", ("Pupil", "Note"), [("=HYPERLINK(1)", "-5"), ("@x", "-x")]),
        ReportSection("Empty", ("A",), ()),
        ReportSection("Notes only", notes=("a & b",), source="DfE"),
    ),
)


def test_json_holds_every_section_in_full() -> None:
    data = json.loads(REPORT.to_json())
    assert data["title"] == "Attendance <report>"
    assert [s["title"] for s in data["sections"]] == ["Pupils", "Empty", "Notes only"]
    assert data["sections"][0]["rows"] == [["=HYPERLINK(1)", "-5"], ["@x", "-x"]]


def test_csv_rows_are_every_table_row_with_formulae_neutralised() -> None:
    rows = list(csv.reader(io.StringIO(REPORT.to_csv())))
    assert rows[0] == ["section", "row"]
    assert rows[1:] == [
        ["Pupils", "columns", "Pupil", "Note"],
        ["Pupils", "row", "'=HYPERLINK(1)", "-5"],
        ["Pupils", "row", "'@x", "'-x"],
        ["Empty", "columns", "A"],
    ]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href")]


def test_html_is_one_self_contained_escaped_page() -> None:
    text = REPORT.to_html()
    page = _Page()
    page.feed(text)
    assert "script" not in page.tags
    assert page.links == []  # nothing is fetched from anywhere
    assert not re.search(r"https?://", text)
    assert "<title>Attendance &lt;report&gt;</title>" in text
    assert "a &amp; b" in text
    assert page.tags.count("table") == 1


@pytest.mark.parametrize("output_format", ["json", "csv", "html", "md", "text"])
def test_the_command_writes_every_format(
    output_format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"report.{output_format}"
    args = ["report", str(MARKS), "--calendar", str(CALENDAR), "--format", output_format]
    assert main([*args, "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "School summary" in text
    assert "Rules not run" not in text


def test_without_a_calendar_the_report_names_each_rule_it_could_not_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", str(MARKS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["sections"][0]
    assert first["title"] == "Rules not run"
    names = [row[0] for row in first["rows"]]
    assert {"persistent-absence", "penalty-notice-threshold", "look-ahead"} <= set(names)
    assert all(row[1].startswith("needs the school calendar") for row in first["rows"])
