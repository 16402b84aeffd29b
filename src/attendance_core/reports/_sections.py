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
    decimal place as DfE does). Sections never hold pupil names or dates of birth: pupil ids
    only.
    """

    title: str
    columns: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    rows: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_rows)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    source: str = ""
    """The legal, DfE or local basis of what the section shows."""
    contributed_by: str = "builtin"
    """The plugin that contributed the section (filled in by the report builder)."""

    def __attrs_post_init__(self) -> None:
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError(f"section {self.title!r}: every row needs one cell per column")
