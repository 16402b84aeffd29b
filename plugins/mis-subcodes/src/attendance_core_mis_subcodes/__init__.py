"""attendance_core plugin for an MIS vendor's local sub-codes (X01-X07, I01/I02, ...).

Installed, it is found through the ``attendance_core`` entry-point group under the name
``"mis_subcodes"`` and maps the sub-codes of its shipped list, ``vendor_codes.csv``, to the
statutory code each stands for. The list follows Arbor's pattern of sub-codes rolling up to a
DfE code (Arbor help centre, "Why is X showing on the Attendance Certificate?"); its
descriptions are illustrative, not the vendor's. A school with its own list reads it with
:meth:`SubcodeMapping.from_csv` and registers the mapping itself, which then answers before
this module (pluggy calls later plugins first).
"""

from __future__ import annotations

import functools
from importlib import resources

from attendance_core import AttendanceCode, CodeSet, hookimpl
from attendance_core_mis_subcodes.mapping import HEADER, STATUTORY_SETS, SubcodeMapping, VendorCode

__all__ = [
    "HEADER",
    "STATUTORY_SETS",
    "SubcodeMapping",
    "VendorCode",
    "attendance_core_map_code",
    "vendor_codes",
]


@functools.cache
def vendor_codes() -> SubcodeMapping:
    """The shipped code list, read once on first use (never at import)."""
    resource = resources.files(__name__) / "vendor_codes.csv"
    return SubcodeMapping.from_text(resource.read_text(encoding="utf-8"), source=str(resource))


@hookimpl
def attendance_core_map_code(code: str, code_set: CodeSet) -> AttendanceCode | None:
    """The statutory code a shipped sub-code stands for; ``None`` for codes not in the list."""
    return vendor_codes().resolve(code, code_set)
