"""A report as a frozen list of sections, rendered as Markdown or as plain text."""

from __future__ import annotations

import attrs

from attendance_core.reports._sections import ReportSection

__all__ = ["Report"]


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


@attrs.frozen
class Report:
    """A titled report made of :class:`ReportSection` values, in order."""

    title: str
    sections: tuple[ReportSection, ...]

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
            if section.columns and section.rows:
                out.append("| " + " | ".join(map(_md_cell, section.columns)) + " |")
                out.append("|" + " --- |" * len(section.columns))
                out += ["| " + " | ".join(map(_md_cell, row)) + " |" for row in section.rows]
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
            if section.columns and section.rows:
                widths = [
                    max(len(cell) for cell in column)
                    for column in zip(section.columns, *section.rows, strict=True)
                ]
                for row in (section.columns, *section.rows):
                    cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                    out.append("  ".join(cells).rstrip())
            elif section.columns:
                out.append("None.")
            out += section.notes
            out += _footer(section, "")
        return "\n".join(out) + "\n"


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
