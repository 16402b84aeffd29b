"""A report as a frozen list of sections, rendered as Markdown, plain text, JSON, CSV or HTML.

The HTML page is self-contained: its style is inline and it loads nothing from any other site,
so a report holding pupils' data can be opened from a file or an e-mail and never sends it
anywhere. CSV cells that a spreadsheet would run as a formula are written with a leading ``'``.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
from collections.abc import Mapping
from typing import Any

import attrs

from attendance_core.reports._sections import ReportSection
from attendance_core.reports.charts import ChartSection, render_svg

__all__ = ["Report"]


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


@attrs.frozen
class Report:
    """A titled report made of :class:`ReportSection` values, in order."""

    title: str
    sections: tuple[ReportSection, ...]
    figures: Mapping[str, Any] = attrs.field(factory=dict)
    """Every figure of the report as numbers and ids (rates as floats in [0, 1]), for tools:
    the ``figures`` member of :meth:`to_json` (docs/reports.md gives its shape)."""

    def section(self, title: str) -> ReportSection:
        """The section called ``title``; ``KeyError`` if there is none."""
        for section in self.sections:
            if section.title == title:
                return section
        raise KeyError(title)

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown: one ``##`` heading and one table per section."""
        out = [f"# {self.title}"]
        for section in self.sections:
            out += ["", f"## {section.title}", ""]
            rows, more = section.overflow()
            if section.columns and rows:
                out.append("| " + " | ".join(map(_md_cell, section.columns)) + " |")
                out.append("|" + " --- |" * len(section.columns))
                out += ["| " + " | ".join(map(_md_cell, row)) + " |" for row in rows]
                out += [f"\n{more}"] if more else []
            elif section.columns:
                out.append("_None._")
            out += [f"\n{note}" for note in section.notes]
            out += _footer(section, "*")
        return "\n".join(out) + "\n"

    def to_text(self) -> str:
        """Plain text with aligned columns, for e-mail or a terminal."""
        out = [self.title, "=" * len(self.title)]
        for section in self.sections:
            out += ["", section.title, "-" * len(section.title)]
            rows, more = section.overflow()
            if section.columns and rows:
                widths = [
                    max(len(cell) for cell in column)
                    for column in zip(section.columns, *rows, strict=True)
                ]
                for row in (section.columns, *rows):
                    cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                    out.append("  ".join(cells).rstrip())
                out += [more] if more else []
            elif section.columns:
                out.append("None.")
            out += section.notes
            out += _footer(section, "")
        return "\n".join(out) + "\n"

    def to_json(self) -> str:
        """Every figure (``figures``), then every section with its columns, rows (in full),
        notes, source and contributor."""
        data = {
            "title": self.title,
            "figures": self.figures,
            "sections": [
                {
                    "title": s.title,
                    "columns": list(s.columns),
                    "rows": [list(row) for row in s.rows],
                    "notes": list(s.notes),
                    "source": s.source,
                    "contributed_by": s.contributed_by,
                }
                for s in self.sections
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def to_csv(self) -> str:
        """One CSV record per table row: ``section``, then the section's own columns."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["section", "row"])
        for section in self.sections:
            if not section.columns:
                continue
            writer.writerow([_safe(section.title), "columns", *map(_safe, section.columns)])
            for row in section.rows:
                writer.writerow([_safe(section.title), "row", *map(_safe, row)])
        return out.getvalue()

    def to_html(self) -> str:
        """A self-contained HTML page: inline style and SVG charts, no scripts, and a
        Content-Security-Policy that forbids any request to anywhere."""
        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            f"<title>{html.escape(self.title)}</title>",
            f"<style>{_STYLE}</style></head><body>",
            f"<h1>{html.escape(self.title)}</h1>",
        ]
        for number, section in enumerate(self.sections, start=1):
            out.append(f"<section><h2>{html.escape(section.title)}</h2>")
            if isinstance(section, ChartSection) and section.chart is not None:
                ident = f"chart-{number}"
                out.append(f'<figure id="{ident}">{render_svg(section.chart, ident)}</figure>')
            rows, more = section.overflow()
            if section.columns and rows:
                out.append("<table><thead><tr>")
                out += [f"<th>{html.escape(c)}</th>" for c in section.columns]
                out.append("</tr></thead><tbody>")
                for row in rows:
                    cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
                    out.append(f"<tr>{cells}</tr>")
                out.append("</tbody></table>")
                out += [f'<p class="more">{html.escape(more)}</p>'] if more else []
            elif section.columns:
                out.append("<p><em>None.</em></p>")
            out += [f"<p>{html.escape(note)}</p>" for note in section.notes]
            out += [f'<p class="source">{html.escape(line)}</p>' for line in _footer(section, "")]
            out.append("</section>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}"
    "th{background:#eee}.source{color:#555;font-size:.9em}"
    "figure{margin:.5em 0}svg.chart{max-width:100%;height:auto;font-family:inherit}"
)
CSP = (
    "default-src 'none'; "
    f"style-src 'sha256-{base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()}'; "
    "base-uri 'none'; form-action 'none'"
)
"""The page's Content-Security-Policy: nothing may be fetched from anywhere and only the page's
own style sheet (by its hash) applies, so a browser refuses any request the page might make."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell: str) -> str:
    """A CSV cell a spreadsheet will show, not run: a leading ``'`` before ``=``, ``+``, ``@``,
    a tab, a carriage return, or a ``-`` not starting a number."""
    if cell.startswith(_FORMULA_START) and not _number(cell):
        return "'" + cell
    return cell


def _number(cell: str) -> bool:
    try:
        float(cell.rstrip("%"))
    except ValueError:
        return False
    return cell.startswith("-")


def _footer(section: ReportSection, emphasis: str) -> list[str]:
    """The section's source and, for a plugin's section, which plugin contributed it."""
    parts = []
    if section.source:
        parts.append(f"Source: {section.source}.")
    if section.contributed_by != "builtin":
        parts.append(f"Contributed by plugin {section.contributed_by}.")
    if not parts:
        return []
    line = " ".join(parts)
    return [f"\n{emphasis}{line}{emphasis}"] if emphasis else [line]
