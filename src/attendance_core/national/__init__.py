"""DfE's published attendance figures, to set a school's figures beside national and its LA's.

The package ships DfE's 2025/26 year-to-date figures ("Pupil attendance in schools", Open
Government Licence v3.0; origin in ``NOTICE.md`` beside this module): the national, regional and
local-authority rates by phase. :func:`read_national` reads them, or a newer download from
explore-education-statistics.service.gov.uk of the same shape (``--national FILE``).

Percentages are kept as published (unrounded); they are shown to one decimal place.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Literal, TypeAlias

import attrs

from attendance_core.exceptions import InputError
from attendance_core.model import frozen_map

__all__ = [
    "BUNDLED",
    "PHASES",
    "Benchmark",
    "NationalFigures",
    "Phase",
    "read_national",
]

Phase: TypeAlias = Literal["primary", "secondary", "special", "total"]
PHASES: tuple[Phase, ...] = ("primary", "secondary", "special", "total")
BUNDLED = "ees_ytd_2025_26.csv"
"""The file shipped in this package."""
COLUMNS = (
    "time_period",
    "geographic_level",
    "region_name",
    "la_name",
    "education_phase",
    "enrolments",
    "attendance_perc",
    "overall_absence_perc",
    "authorised_absence_perc",
    "unauthorised_absence_perc",
    "pa_perc",
)
"""The columns read (a download may hold more)."""
_RATES = (
    "attendance_perc",
    "overall_absence_perc",
    "authorised_absence_perc",
    "unauthorised_absence_perc",
    "pa_perc",
)


@attrs.frozen
class Benchmark:
    """One area's published figures for one phase: rates in percent, as DfE published them."""

    level: str
    """``National``, ``Regional`` or ``Local authority``."""
    area: str
    """``England``, the region's name or the local authority's."""
    phase: Phase
    time_period: str
    enrolments: Decimal | None
    """DfE's enrolments figure (an average over the period, so not always whole)."""
    rates: Mapping[str, Decimal | None] = attrs.field(converter=frozen_map)
    """``attendance_perc``, ``overall_absence_perc``, ``authorised_absence_perc``,
    ``unauthorised_absence_perc`` and ``pa_perc`` (persistent absence)."""


@attrs.frozen
class NationalFigures:
    """Every row of a figures file, looked up by level, area and phase."""

    source: str
    rows: tuple[Benchmark, ...]

    def national(self, phase: Phase) -> Benchmark | None:
        """England's figures for ``phase``."""
        return next((r for r in self.rows if r.level == "National" and r.phase == phase), None)

    def local_authority(self, name: str, phase: Phase) -> Benchmark | None:
        """A local authority's figures for ``phase``, its name matched without regard to case."""
        wanted = name.strip().casefold()
        return next(
            (
                r
                for r in self.rows
                if r.level == "Local authority" and r.area.casefold() == wanted and r.phase == phase
            ),
            None,
        )

    def for_school(self, phase: Phase | None, local_authority: str | None) -> list[Benchmark]:
        """England's figures for the school's phase (all phases without one), then its local
        authority's; a local authority the file does not hold is an :class:`InputError`."""
        found = [self.national(phase or "total")]
        if local_authority is not None:
            local = self.local_authority(local_authority, phase or "total")
            if local is None:
                raise InputError(
                    "no figures for this local authority",
                    file=self.source,
                    field="school.local_authority",
                    value=local_authority,
                    expected="a local authority as DfE names it, e.g. "
                    + ", ".join(self.local_authorities()[:5]),
                )
            found.append(local)
        return [b for b in found if b is not None]

    def local_authorities(self) -> tuple[str, ...]:
        """The local authorities the file holds, in name order."""
        return tuple(sorted({r.area for r in self.rows if r.level == "Local authority"}))


def read_national(path: str | os.PathLike[str] | None = None) -> NationalFigures:
    """The figures of ``path`` (an EES year-to-date download), or those shipped (``None``).

    :raises InputError: naming the file, line and column for a missing column, an unknown phase
        or level, and a rate or count that is not a number (DfE's ``x`` and ``z`` symbols and
        ``NA`` read as no value).
    """
    if path is None:
        text = resources.files(__name__).joinpath(BUNDLED).read_text(encoding="utf-8")
        source = f"attendance_core/national/{BUNDLED}"
    else:
        source = os.fspath(path)
        try:
            with open(source, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(
                "cannot read the national figures", file=source, value=type(error).__name__
            ) from None
    return NationalFigures(source, tuple(_rows(text, source)))


def _rows(text: str, source: str) -> Iterator[Benchmark]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    for name in COLUMNS:
        if name not in header:
            raise InputError(
                "missing column",
                file=source,
                line=1,
                field=name,
                expected="an EES 'Pupil attendance in schools' year-to-date file",
            )
    for row in reader:
        line = reader.line_num
        level = row["geographic_level"]
        if level not in ("National", "Regional", "Local authority"):
            continue  # other levels (school, ...) are not read
        phase = row["education_phase"].strip().lower()
        if phase not in PHASES:
            raise InputError(
                "unknown phase",
                file=source,
                line=line,
                field="education_phase",
                value=row["education_phase"][:40],
                expected="Primary, Secondary, Special or Total",
            )
        area = {"National": "England", "Regional": row["region_name"]}.get(level, row["la_name"])
        yield Benchmark(
            level,
            area,
            phase,
            row["time_period"],
            _number(row["enrolments"], source, line, "enrolments", None),
            {name: _number(row[name], source, line, name, 100) for name in _RATES},
        )


def _number(text: str, source: str, line: int, field: str, most: int | None) -> Decimal | None:
    """A published number; DfE's symbols for no value (``x``, ``z``, ``c``, ``u``, ``NA``) and
    an empty cell read as ``None``."""
    value = text.strip()
    if value in ("", "x", "z", "c", "NA", "u"):
        return None
    try:
        number = Decimal(value) if len(value) <= 40 else Decimal("NaN")
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or (most is not None and number > most):
        raise InputError(
            "not a number in range",
            file=source,
            line=line,
            field=field,
            value=value[:40],
            expected=("a number from 0 to 100" if most else "a number 0 or more")
            + ", or x, z, c or NA",
        )
    return number
