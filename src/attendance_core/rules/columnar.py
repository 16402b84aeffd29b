"""Each enrolment's counts from a whole register at once, with numpy (the ``fast`` extra).

:func:`~attendance_core.rules.statistics.register_summaries` gives the same summaries with
one ``bytes.count`` per code and row; this module counts every row's codes in one vectorised
pass (``numpy.bincount`` over the register's byte grid), sums the categories, late sessions
and the persistent and severe flags as integer arrays, and builds each summary from them. The
figures are DfE's, decided on integers exactly as the pure-Python counting decides them; the
test suite checks the two agree on generated registers.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from typing import Any, Literal

from attendance_core.codes import Category
from attendance_core.register import Register

__all__ = ["AUTO_MIN_CELLS", "CountingEngine", "available", "counts_by_code", "use_columnar"]

CountingEngine = Literal["auto", "python", "columnar"]

AUTO_MIN_CELLS = 4_000_000
"""``auto`` counts with numpy from this many register cells (pupils x sessions: about 10,000
pupils for a year), or whenever numpy is already loaded (the columnar reader loads it); below
it, pure Python is as fast as importing numpy."""

_ROWS = 4096  # rows counted per bincount, to keep its index array small


@cache
def available() -> bool:
    """Whether numpy can be imported (found, not imported)."""
    try:
        return importlib.util.find_spec("numpy") is not None
    except (ImportError, ValueError):  # a finder that refuses it
        return False


def use_columnar(register: Register, engine: CountingEngine) -> bool:
    """Whether ``engine`` counts ``register`` with numpy (see :data:`AUTO_MIN_CELLS`)."""
    if engine == "python":
        return False
    if engine == "columnar":
        if not available():
            from attendance_core.exceptions import InputError

            raise InputError(
                "the columnar engine needs numpy",
                field="--engine",
                value="columnar",
                expected="pip install 'attendance_core[fast]', or --engine python",
            )
        return True
    cells = len(register) * len(register.sessions)
    return available() and ("numpy" in sys.modules or cells >= AUTO_MIN_CELLS)


def counts_by_code(register: Register) -> Any:
    """A ``(pupils, len(alphabet) + 1)`` integer array: row ``r``, column ``v`` is how many of
    pupil ``r``'s sessions hold byte ``v`` (column 0: sessions without a mark)."""
    import numpy as np

    width = len(register.sessions)
    values = len(register.alphabet) + 1
    counts = np.zeros((len(register), values), dtype=np.int64)
    for start in range(0, len(register), _ROWS):
        rows = register.rows[start : start + _ROWS]
        grid = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), width)
        index = grid + (np.arange(len(rows), dtype=np.int64) * values)[:, None]
        counts[start : start + len(rows)] = np.bincount(
            index.ravel(), minlength=len(rows) * values
        ).reshape(len(rows), values)
    return counts


def category_columns(register: Register) -> dict[Category | str, Any]:
    """For each category (and ``"late"``), a 0/1 column over the register's byte values."""
    import numpy as np

    values = len(register.alphabet) + 1
    found: dict[Category | str, Any] = {}
    for category in Category:
        column = np.zeros(values, dtype=np.int64)
        for v, code in enumerate(register.alphabet, start=1):
            column[v] = code.category is category
        found[category] = column
    late = np.zeros(values, dtype=np.int64)
    for v, code in enumerate(register.alphabet, start=1):
        late[v] = code.is_late
    found["late"] = late
    return found
