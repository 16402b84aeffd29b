"""A vendor's local sub-codes and the statutory code each stands for, read from CSV.

MIS products let schools record local sub-codes (Arbor's X01-X07 and I01/I02, SIMS's local
codes, Bromcom's sub-codes) that roll up to one DfE code for returns and statistics
(Arbor help centre, "Why is X showing on the Attendance Certificate?"). A sub-code inherits
everything from the code it stands for, so the mapping must be onto statutory codes, and onto
the set in force on the mark's date: a sub-code standing for J1, C2 or K is valid only on marks
from 19 August 2024 (SI 2024/208), one standing for J or H only on marks up to 18 August 2024
(SI 2006/1751).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import attrs

from attendance_core import ENGLAND_2006, ENGLAND_2024, AttendanceCode, CodeSet, hookimpl
from attendance_core.exceptions import InputError

__all__ = ["HEADER", "STATUTORY_SETS", "SubcodeMapping", "VendorCode"]

HEADER = ("code", "maps_to", "description")
"""The columns of a vendor code list, in this order."""

STATUTORY_SETS: tuple[CodeSet, ...] = (ENGLAND_2024, ENGLAND_2006)
"""The sets a sub-code may stand for a code of, unless a mapping names others."""


@attrs.frozen
class VendorCode:
    """One row of a vendor's code list: a local code and the statutory code it stands for."""

    code: str
    maps_to: str
    description: str = ""


def _in_force(code_set: CodeSet) -> str:
    start = code_set.valid_from.isoformat() if code_set.valid_from else None
    end = code_set.valid_to.isoformat() if code_set.valid_to else None
    if start and end:
        return f"marks from {start} to {end} ({code_set.id})"
    if start:
        return f"marks from {start} ({code_set.id})"
    return f"marks up to {end} ({code_set.id})" if end else f"all marks ({code_set.id})"


def _index(
    rows: Iterable[tuple[int | None, VendorCode]],
    statutory: Sequence[CodeSet],
    file: str | None,
) -> dict[str, tuple[VendorCode, ...]]:
    """Check every row and index the rows by code; the first bad row raises InputError."""
    by_code: dict[str, list[VendorCode]] = {}
    first_line: dict[tuple[str, str], int | None] = {}
    for line, row in rows:
        if not row.code:
            raise InputError(
                "empty vendor code",
                field="code",
                value=row.code,
                expected="a code such as 'I01'",
                file=file,
                line=line,
            )
        owner = next((s for s in statutory if row.code in s), None)
        if owner is not None:
            raise InputError(
                f"is a statutory code of {owner.id}; a vendor list cannot redefine it",
                field="code",
                value=row.code,
                expected="a local code that is not a DfE code",
                file=file,
                line=line,
            )
        targets = [s for s in statutory if row.maps_to in s]
        if not targets:
            suggestions = dict.fromkeys(c for s in statutory for c in s.suggest(row.maps_to))
            hint = " or ".join(map(repr, list(suggestions)[:3]))
            raise InputError(
                "not a statutory code" + (f"; did you mean {hint}?" if hint else ""),
                field="maps_to",
                value=row.maps_to,
                expected="a code of " + " or ".join(s.id for s in statutory),
                file=file,
                line=line,
            )
        for code_set in targets:
            key = (row.code, code_set.id)
            if key in first_line:
                earlier = first_line[key]
                also = f" on line {earlier}" if earlier is not None else ""
                raise InputError(
                    f"already mapped within {code_set.id}{also}",
                    field="code",
                    value=row.code,
                    expected=f"one statutory code per code set for {row.code!r}",
                    file=file,
                    line=line,
                )
            first_line[key] = line
        by_code.setdefault(row.code, []).append(row)
    return {code: tuple(found) for code, found in by_code.items()}


@attrs.frozen
class SubcodeMapping:
    """A vendor's code list: total over the codes it claims, onto statutory codes.

    A code may have one row per statutory set, so a list can say that ``INT`` stood for J up
    to 18 August 2024 and for J1 since. The mapping is also a plugin: register an instance with
    :func:`attendance_core.make_plugin_manager` and it answers ``attendance_core_map_code``.
    """

    codes: tuple[VendorCode, ...]
    source: str | None = attrs.field(default=None, eq=False)
    """Where the list was read from, for messages."""
    statutory: tuple[CodeSet, ...] = attrs.field(default=STATUTORY_SETS, eq=False, repr=False)
    """The statutory sets the targets are checked against."""
    _by_code: Mapping[str, tuple[VendorCode, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        index = _index(((None, row) for row in self.codes), self.statutory, self.source)
        object.__setattr__(self, "_by_code", MappingProxyType(index))

    @classmethod
    def from_csv(
        cls, path: str | os.PathLike[str], *, statutory: Sequence[CodeSet] = STATUTORY_SETS
    ) -> SubcodeMapping:
        """Read a vendor's code list (columns ``code,maps_to,description``, UTF-8).

        A file that cannot be read, or is not UTF-8, is an :class:`InputError` naming it, like
        every other problem with the list.
        """
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise InputError(
                "cannot read file", file=str(path), value=error.strerror, expected="a readable file"
            ) from None
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", file=str(path), expected="UTF-8 text") from None
        return cls.from_text(text, source=str(path), statutory=statutory)

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        source: str | None = None,
        statutory: Sequence[CodeSet] = STATUTORY_SETS,
    ) -> SubcodeMapping:
        """Read a code list from CSV text; errors name ``source``, the line, field and value."""
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != HEADER:
            raise InputError(
                "not a vendor code list header",
                file=source,
                line=1,
                value=",".join(header) if header else "",
                expected=",".join(HEADER),
            )
        rows: list[tuple[int, VendorCode]] = []
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(HEADER):
                raise InputError(
                    f"{len(fields)} fields",
                    file=source,
                    line=reader.line_num,
                    value=",".join(fields),
                    expected=f"{len(HEADER)} fields: {','.join(HEADER)}",
                )
            code, maps_to, description = (f.strip() for f in fields)
            rows.append((reader.line_num, VendorCode(code, maps_to, description)))
        _index(rows, tuple(statutory), source)
        return cls(tuple(row for _line, row in rows), source=source, statutory=tuple(statutory))

    def to_csv(self) -> str:
        """The list as CSV text that :meth:`from_text` reads back unchanged."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows((row.code, row.maps_to, row.description) for row in self.codes)
        return out.getvalue()

    @property
    def claimed(self) -> tuple[str, ...]:
        """Every vendor code the list defines, in list order."""
        return tuple(self._by_code)

    def unmapped(self, code_set: CodeSet) -> tuple[str, ...]:
        """Claimed codes with no statutory code in ``code_set`` (unusable on its marks)."""
        return tuple(
            code
            for code, rows in self._by_code.items()
            if not any(row.maps_to in code_set for row in rows)
        )

    def resolve(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        """The code of ``code_set`` that ``code`` stands for; ``None`` if the list lacks it.

        A claimed code whose statutory code is not in ``code_set`` (a J1 sub-code on a mark
        from before 19 August 2024) raises :class:`InputError` saying when it is valid.
        """
        rows = self._by_code.get(code)
        if rows is None:
            return None
        for row in rows:
            if row.maps_to in code_set:
                return code_set[row.maps_to]
        valid = [
            f"{row.maps_to!r} on {_in_force(s)}"
            for row in rows
            for s in self.statutory
            if row.maps_to in s
        ]
        raise InputError(
            f"vendor code has no statutory code in {code_set.id}",
            field="code",
            value=code,
            expected=f"{code!r} only where it stands for " + " or ".join(valid),
        )

    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        """Answer for the codes this list claims; leave every other code to other plugins."""
        return self.resolve(code, code_set)
