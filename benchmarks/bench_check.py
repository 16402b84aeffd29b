"""Benchmark: :func:`attendance_core.check` (every built-in rule) on two whole-school registers.

(a) the synthetic school (``attendance_core.synthetic``): 1,200 enrolments over 2025/26;
(b) a dense register: 1,200 pupils coded ``N`` at nearly every session of the example Kent
    academy's 2025/26 calendar (every fifth pupil present on Fridays), the worst case for rules
    and for the per-finding escalation step, since nearly every pupil triggers nearly every rule.

Both use ``docs/examples/calendars/kent-example-academy.toml``, as of the last school day, with
a fresh plugin manager and no plugins. Prints the median, minimum and maximum of ``--reps``
runs of each, and the number of findings. Run with ``make bench-check``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from attendance_core.calendars import SchoolCalendar
from attendance_core.codes import ENGLAND_2024
from attendance_core.engine import check
from attendance_core.plugins import make_plugin_manager
from attendance_core.register import Register
from attendance_core.synthetic import synthetic_school

HERE = Path(__file__).resolve().parent
CALENDAR = HERE.parent / "docs" / "examples" / "calendars" / "kent-example-academy.toml"
PUPILS = 1200


def dense_register(calendar: SchoolCalendar, pupils: int = PUPILS) -> Register:
    """``pupils`` rows of N at every 2025/26 session but Friday's for every fifth pupil."""
    sessions = tuple(calendar.sessions(*_year()))
    alphabet = (ENGLAND_2024["N"], ENGLAND_2024["/"])
    rows = []
    for n in range(pupils):
        row = bytes(2 if n % 5 == 0 and s.date.weekday() == 4 else 1 for s in sessions)
        rows.append(row)
    ids = tuple(f"D{n:05d}" for n in range(pupils))
    return Register(sessions, ids, alphabet, tuple(rows), {}, ("N", "/"))


def _year() -> tuple[dt.date, dt.date]:
    return dt.date(2025, 9, 1), dt.date(2026, 7, 22)


def _time(run: Callable[[], int], reps: int) -> tuple[list[float], int]:
    times, count = [], 0
    for _ in range(reps):
        start = time.perf_counter()
        count = run()
        times.append(time.perf_counter() - start)
    return times, count


def main(argv: list[str] | None = None) -> int:
    """Time both registers and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--only", choices=("synthetic", "dense"))
    args = parser.parse_args(argv)
    calendar = SchoolCalendar.from_toml(CALENDAR)
    registers = {}
    if args.only != "dense":
        registers["synthetic"] = synthetic_school(PUPILS, seed=2025).register
    if args.only != "synthetic":
        registers["dense"] = dense_register(calendar)
    for name, register in registers.items():

        def run(register: Register = register) -> int:
            manager = make_plugin_manager(load_entrypoints=False)
            return len(check(register, calendar, plugin_manager=manager))

        times, count = _time(run, args.reps)
        print(
            f"{name}: {len(register.pupil_ids)} pupils x {len(register.sessions)} sessions, "
            f"{count} findings; median {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, {args.reps} runs)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
