"""The benchmarks' marks files: synthetic schools as long marks CSV, generated once and cached.

Each file is one synthetic school (:func:`attendance_core.synthetic.synthetic_school`) of
``pupils`` enrolments x 380 sessions, no joiners, leavers or INSET, written in canonical form
under ``benchmarks/_data/`` (git-ignored). A large school is formatted a slice of pupils at a
time, so writing 100,000 pupils (38 million marks, about 1 GB) never holds the whole text.
"""

from __future__ import annotations

from pathlib import Path

from attendance_core.io.marks_csv import format_marks_csv
from attendance_core.register import Register
from attendance_core.synthetic import synthetic_school

DATA = Path(__file__).resolve().parent / "_data"
SESSIONS = 380
SEED = 2025
SLICE = 5000


def marks_file(pupils: int) -> Path:
    """The benchmark CSV for ``pupils`` enrolments, generated on first use."""
    path = DATA / f"marks_{pupils}x{SESSIONS}_seed{SEED}.csv"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    register = synthetic_school(pupils, seed=SEED, mobility=False, inset=False).register
    assert len(register.sessions) == SESSIONS
    partial = path.with_suffix(".tmp")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        header = ""
        for start in range(0, len(register), SLICE):
            text = format_marks_csv(_slice(register, start, start + SLICE))
            first, _, body = text.partition("\n")
            if header and first != header:  # a slice without minutes late has fewer columns
                raise RuntimeError("the slices' headers differ: use a larger SLICE")
            handle.write(body if header else text)
            header = first
    partial.replace(path)
    return path


def _slice(register: Register, start: int, stop: int) -> Register:
    """Rows ``start`` to ``stop`` of ``register``, with their minutes late."""
    minutes = {
        (row - start, col): m
        for (row, col), m in register.minutes_late.items()
        if start <= row < stop
    }
    return Register(
        register.sessions,
        register.pupil_ids[start:stop],
        register.alphabet,
        register.rows[start:stop],
        minutes,
        register.written,
    )
