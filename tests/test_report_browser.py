"""The demo school's HTML report, opened in headless Chromium (Debian's ``chromium``, installed
by ``.ci/system-packages``): it renders, logs no console message (a request the page's
Content-Security-Policy refuses is logged as one), asks for nothing from anywhere, and shows the
same figures as the JSON report, in its tables and in its charts."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from attendance_core.cli import main
from attendance_core.reports._render import CSP

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)
WIDTH, HEIGHT = 900, 1400
BAR = (0x2B, 0x6C, 0xB0)  # the charts' bar and line colour
NATIONAL, TARGET = (0xC0, 0x56, 0x21), (0x2F, 0x85, 0x5A)  # the reference lines' colours


def _chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """One headless run on ``page`` with a new, empty profile; console messages go to stderr."""
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class _Page(HTMLParser):
    """Each section's heading, table rows and the figures its chart draws (``<title>`` of each
    bar or point) from the DOM Chromium rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, dict[str, Any]] = {}
        self._current: dict[str, Any] | None = None
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._in_svg = 0
        self._depth_in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._text = []
        elif tag == "tr" and self._current is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._text = []
        elif tag == "svg":
            self._in_svg += 1
        elif tag in ("rect", "circle") and self._in_svg:
            self._depth_in_mark += 1
        elif tag == "title" and self._depth_in_mark:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._text is not None:
            title = "".join(self._text)
            self._current = self.sections[title] = {"rows": [], "drawn": []}
            self._text = None
        elif tag in ("td", "th") and self._row is not None and self._text is not None:
            self._row.append("".join(self._text))
            self._text = None
        elif tag == "tr" and self._row is not None and self._current is not None:
            self._current["rows"].append(self._row)
            self._row = None
        elif tag == "title" and self._depth_in_mark and self._text is not None:
            assert self._current is not None
            self._current["drawn"].append("".join(self._text))
            self._text = None
        elif tag in ("rect", "circle") and self._depth_in_mark:
            self._depth_in_mark -= 1
        elif tag == "svg":
            self._in_svg -= 1

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The demo school's files, its weekly HTML report by year group (as the README's
    walk-through makes it) and its JSON report from the same inputs."""
    where = tmp_path_factory.mktemp("demo")
    files = {name: str(where / name) for name in ("m.csv", "p.csv", "e.csv", "c.toml", "s.toml")}
    Path(files["s.toml"]).write_text(
        '[school]\nphase = "secondary"\nattendance_target = 95\n', encoding="utf-8"
    )
    demo = ["demo", "--pupils", "400", "--write-csv", files["m.csv"]]
    demo += ["--write-pupils", files["p.csv"], "--write-enrolments", files["e.csv"]]
    assert main([*demo, "--write-calendar", files["c.toml"]]) == 0
    inputs = [files["m.csv"], "--pupils", files["p.csv"], "--enrolments", files["e.csv"]]
    inputs += ["--calendar", files["c.toml"], "--policy", files["s.toml"]]
    inputs += ["--period", "week", "--by", "year_group"]  # the README's weekly report
    page, data = where / "report.html", where / "report.json"
    assert main(["report", *inputs, "--format", "html", "--output", str(page)]) == 0
    assert main(["report", *inputs, "--format", "json", "--output", str(data)]) == 0
    return page, json.loads(data.read_text(encoding="utf-8"))


def _chart_titles(report: dict[str, Any]) -> list[str]:
    return [s["title"] for s in report["sections"] if s["title"].startswith(_CHARTS)]


_CHARTS = ("Weekly attendance", "Absence by reason", "Persistent absence by", "Pupils by")


def test_the_page_shows_the_json_reports_figures_with_no_console_message(
    demo_report: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    page, report = demo_report
    run = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert _console(run.stderr) == []
    dom = _Page()
    dom.feed(run.stdout)
    assert list(dom.sections) == [s["title"] for s in report["sections"]]
    for section in report["sections"]:
        shown = dom.sections[section["title"]]["rows"]
        if section["columns"] and section["rows"]:
            assert shown[0] == section["columns"]
            body = shown[1:]
            # Long lists may be cut for people; what is shown is the JSON's, in order.
            assert body == section["rows"][: len(body)], section["title"]
    titles = _chart_titles(report)
    assert len(titles) == 4
    for title in titles:
        section = next(s for s in report["sections"] if s["title"] == title)
        drawn = dom.sections[title]["drawn"]
        assert drawn, f"{title}: nothing drawn"
        # Each bar or point is labelled with its figure: the first and last cells of its row.
        assert drawn == [f"{row[0]}: {row[-1]}" for row in section["rows"]], title


def test_the_screenshot_shows_the_charts(
    demo_report: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    shot = tmp_path / "report.png"
    size = f"--window-size={WIDTH},{HEIGHT}"
    run = _chromium(demo_report[0], tmp_path / "profile", f"--screenshot={shot}", size)
    assert _console(run.stderr) == []
    with Image.open(shot) as image:
        assert image.size == (WIDTH, HEIGHT)
        pixels = image.convert("RGB")
        colours = {rgb: n for n, rgb in pixels.getcolors(maxcolors=WIDTH * HEIGHT) or []}
    assert len(colours) > 16, "a blank or one-colour screenshot"
    # The top of the page holds the weekly chart: its line, and national and the target.
    assert colours.get(BAR, 0) > 500
    assert colours.get(NATIONAL, 0) > 100
    assert colours.get(TARGET, 0) > 100


def test_a_request_the_page_tries_is_refused_and_logged(tmp_path: Path) -> None:
    """The detector of the tests above works: a page with the report's policy that asks for an
    image elsewhere is refused by the browser, and the refusal is a console message."""
    page = tmp_path / "fetch.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        f'content="{CSP}"></head><body><img src="https://example.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    run = _chromium(page, tmp_path / "profile", "--dump-dom")
    refused = _console(run.stderr)
    assert refused
    assert "Content Security Policy" in refused[0]


def test_the_pages_text_names_no_other_site(demo_report: tuple[Path, dict[str, Any]]) -> None:
    text = demo_report[0].read_text(encoding="utf-8")
    assert re.findall(r"\w+://", text) == []
    assert re.findall(r"<(?:script|link|iframe|object|embed|img)\b", text) == []
    assert re.findall(r"url\(", text) == []
