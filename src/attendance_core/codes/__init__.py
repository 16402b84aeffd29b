"""DfE register codes: the code sets, and choosing the one that applies to a mark.

The statutory set is chosen by the mark's date: marks up to 18 August 2024 are read with the
2006 set, marks from 19 August 2024 (SI 2024/208 in force) with the 2024 set. A caller can
force one set by passing it (or its id) wherever a code set is accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeAlias

from attendance_core.codes._model import AgeRule, AttendanceCode, Category, CodeSet, Lateness
from attendance_core.codes.england_2006 import ENGLAND_2006
from attendance_core.codes.england_2024 import ENGLAND_2024
from attendance_core.exceptions import InputError

__all__ = [
    "CODE_SETS",
    "ENGLAND_2006",
    "ENGLAND_2024",
    "LEGACY_TO_2024",
    "AgeRule",
    "AttendanceCode",
    "Category",
    "CodeSet",
    "CodeSetLike",
    "Lateness",
    "code_set_for_date",
    "get_code_set",
]

CodeSetLike: TypeAlias = "CodeSet | str"
"""A code set, or the id of one (``"england-2024"``, ``"england-2006"``)."""

CODE_SETS: Mapping[str, CodeSet] = MappingProxyType(
    {ENGLAND_2024.id: ENGLAND_2024, ENGLAND_2006.id: ENGLAND_2006}
)
"""The built-in statutory code sets by id. Plugins may contribute more."""

LEGACY_TO_2024: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "H": ("C",),
        "F": ("C",),
        "J": ("J1",),
        "Y": ("Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"),
        "C": ("C", "C1", "C2"),
        "B": ("B", "K"),
        "X": ("X", "Y6"),
        "#": ("#", "Y3", "Y7"),
        **{code: (code,) for code in "/\\LPVWEIMRSTGNOUDZ"},
    }
)
"""For multi-year series: each 2006 code and the 2024 codes it may have become, likeliest first.

Source: DfE's August 2024 code changes as summarised by LAs and MIS suppliers (H and F became
C; J became J1 and moved from approved activity to authorised absence; Y split into Y1-Y7; C
split into C, C1 and C2; LA-arranged provision moved from B to K). Where a code has several
successors only the recorded reason can choose; the mapping never guesses for you.
"""


def get_code_set(code_set: CodeSetLike) -> CodeSet:
    """Return a built-in code set by id (or the set itself), with a clear error for a bad id."""
    if isinstance(code_set, CodeSet):
        return code_set
    try:
        return CODE_SETS[code_set]
    except KeyError:
        raise InputError(
            "unknown code set",
            field="code_set",
            value=code_set,
            expected=" or ".join(map(repr, CODE_SETS)),
        ) from None


def code_set_for_date(day: dt.date) -> CodeSet:
    """The statutory English code set in force on ``day`` (SI 2024/208 from 19 August 2024)."""
    return ENGLAND_2024 if ENGLAND_2024.in_force_on(day) else ENGLAND_2006
