"""A report section as a frozen value: a title, a table and notes, renderable anywhere."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["ReportSection"]


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _rows(rows: Iterable[Iterable[str | int]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(cell) for cell in row) for row in rows)


@attrs.frozen
class ReportSection:
    """One section of a report: a titled table (possibly empty) with notes below it.

    Cells are display text (numbers are turned into text as given; round rates before, to one
    decimal place as DfE does). Sections hold pupil ids, and names only where the officer's
    report was given a pupils file with names; never dates of birth.
    """

    title: str
    columns: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    rows: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_rows)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    source: str = ""
    """The legal, DfE or local basis of what the section shows."""
    contributed_by: str = "builtin"
    """The plugin that contributed the section (filled in by the report builder)."""
    shown: int | None = None
    """How many rows the reports for people (Markdown, text, HTML) show; the rest are counted
    in one line. ``None``: every row. JSON and CSV always hold every row."""
    count_by: int | None = None
    """The column whose values the line for the rows not shown counts by (a year group)."""

    def overflow(self) -> tuple[tuple[tuple[str, ...], ...], str]:
        """The rows to show a person, and the line for the rest (``""`` when all are shown):
        ``"... and 12 more (7: 5, 8: 7)"``, counted by :attr:`count_by`."""
        if self.shown is None or len(self.rows) <= self.shown:
            return self.rows, ""
        rest = self.rows[self.shown :]
        line = f"... and {len(rest)} more"
        if self.count_by is not None:
            counts: dict[str, int] = {}
            for row in rest:
                counts[row[self.count_by]] = counts.get(row[self.count_by], 0) + 1
            by = ", ".join(f"{value or '-'}: {n}" for value, n in counts.items())
            line += f" ({self.columns[self.count_by].lower()} {by})"
        return self.rows[: self.shown], line + " (every row in the JSON and CSV reports)."

    def __attrs_post_init__(self) -> None:
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError(f"section {self.title!r}: every row needs one cell per column")
