"""Benchmark: ``attendance-core summary`` against a hand-written DuckDB query, and in memory.

Generates a synthetic school of 1,500 enrolments x 380 sessions (570,000 marks) as a marks
CSV under ``benchmarks/_data/``, then runs, interleaved, ``--reps`` times each:

(a) ``attendance-core summary FILE --format json`` end to end, as a subprocess (the installed
    console script, else ``python -m attendance_core.cli``);
(b) ``duckdb_summary.py FILE``: the same per-pupil figures from the same file in one DuckDB
    query, also a subprocess, so both pay interpreter start-up and imports;
(c) ``Register.summaries()`` on the register already in memory.

Prints the medians, the ratios CLI/DuckDB (target at most 1.0) and in-memory/CLI (target at
most 0.1), and checks that every per-pupil figure of (a) equals that of (b). Exit status 1
when they disagree. Run with ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from attendance_core.io.marks_csv import read_marks_csv, write_marks_csv
from attendance_core.synthetic import synthetic_school

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
PUPILS = 1500
SESSIONS = 380
SEED = 2025


def marks_file(pupils: int) -> Path:
    """The benchmark CSV, generated once: no joiners, leavers or INSET, so 380 marks each."""
    path = DATA / f"marks_{pupils}x{SESSIONS}_seed{SEED}.csv"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        school = synthetic_school(pupils, seed=SEED, mobility=False, inset=False)
        assert len(school.register.sessions) == SESSIONS
        partial = path.with_suffix(".tmp")
        write_marks_csv(school.register, partial)
        partial.replace(path)
    return path


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (user + system, all threads) of one run, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stdout


def disagreements(cli: dict[str, Any], duck: dict[str, Any]) -> list[str]:
    """Every per-pupil figure where the CLI's JSON and DuckDB's differ."""
    ours = {p["pupil_id"]: p for p in cli["pupils"]}
    theirs = {p["pupil_id"]: p for p in duck["pupils"]}
    problems = []
    if set(ours) != set(theirs):
        problems.append(f"pupils differ: {len(ours)} v {len(theirs)}")
    for pupil_id in sorted(set(ours) & set(theirs)):
        for name, value in theirs[pupil_id].items():
            if ours[pupil_id].get(name) != value:
                problems.append(f"{pupil_id} {name}: {ours[pupil_id].get(name)!r} v {value!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="repetitions of each (default 7)")
    parser.add_argument("--pupils", type=int, default=PUPILS, help="enrolments (default 1500)")
    args = parser.parse_args(argv)

    path = marks_file(args.pupils)
    with path.open(encoding="utf-8") as handle:
        marks = sum(1 for _ in handle) - 1
    script = Path(sys.executable).parent / "attendance-core"  # the installed console script
    program = [str(script)] if script.is_file() else ["-m", "attendance_core.cli"]
    cli = [sys.executable, *program, "summary", str(path), "--format", "json"]
    duck = [sys.executable, str(HERE / "duckdb_summary.py"), str(path)]
    register = read_marks_csv(path)

    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}")
    print(f"{path.name}: {len(register)} enrolments x {len(register.sessions)} sessions,", end="")
    print(f" {marks:,} marks; {args.reps} interleaved repetitions after one warm-up each")
    cli_out, duck_out = timed(cli)[2], timed(duck)[2]
    times: dict[str, list[float]] = {"cli": [], "duckdb": [], "memory": []}
    cpu: dict[str, list[float]] = {"cli": [], "duckdb": []}
    for rep in range(args.reps):
        order = [("cli", cli), ("duckdb", duck)]
        for name, command in order if rep % 2 == 0 else order[::-1]:
            wall, used, _ = timed(command)
            times[name].append(wall)
            cpu[name].append(used)
        start = time.perf_counter()
        register.summaries()
        times["memory"].append(time.perf_counter() - start)

    median = {name: statistics.median(values) for name, values in times.items()}
    labels = {
        "cli": "(a) attendance-core summary --format json (subprocess)",
        "duckdb": "(b) hand-written DuckDB query (subprocess)",
        "memory": "(c) Register.summaries() in memory",
    }
    for name, label in labels.items():
        line = f"{label:56} median {median[name]:6.3f} s  min {min(times[name]):6.3f} s"
        if name in cpu:
            line += f"  CPU {statistics.median(cpu[name]):6.3f} s"
        print(line)
    cli_ratio = median["cli"] / median["duckdb"]
    memory_ratio = median["memory"] / median["cli"]
    print(f"CLI / DuckDB       {cli_ratio:5.2f}x  (target at most 1.0x)")
    print(f"in-memory / CLI    {memory_ratio:5.3f}x (target at most 0.1x)")

    problems = disagreements(json.loads(cli_out), json.loads(duck_out))
    if problems:
        print(f"per-pupil figures DISAGREE in {len(problems)} places, e.g.:")
        print("\n".join(problems[:10]))
        return 1
    print(f"per-pupil figures agree: {len(register)} pupils, every DuckDB column")
    return 0


if __name__ == "__main__":
    sys.exit(main())
