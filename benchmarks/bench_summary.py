"""Benchmark: ``attendance-core summary`` against a hand-written DuckDB query, side by side.

For each size (default 1,500, 15,000 and 100,000 enrolments x 380 sessions: 570,000, 5.7
million and 38 million marks) a synthetic school's marks CSV is generated once under
``benchmarks/_data/`` (:mod:`bench_data`), then these run as whole processes, interleaved, one
warm-up each and ``--reps`` counted runs:

(a) ``attendance-core summary FILE --format json`` (the default engine: columnar for a file
    this size when pyarrow and numpy are installed);
(b) ``duckdb_summary.py FILE``: the same per-pupil figures from the same file in one DuckDB
    query, printed as JSON, so both pay interpreter start-up and imports;
(p) with ``--python`` (sizes up to 15,000 by default), ``summary --engine python``, the
    pure-Python reference.

Each run's wall-clock time comes from the clock around it, its CPU time and peak memory (the
maximum resident set size of that process alone) from ``os.wait4``. Prints medians, the
ratio (a)/(b) of medians and the median of the run-by-run ratios, checks that every per-pupil
figure of (a) equals DuckDB's and, where (p) ran, that (a) printed the same bytes as (p). Exit
status 1 when anything disagrees. Also times ``register_summaries`` in memory on the smallest
register (target: a tenth of the CLI's time). Run with ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_data import marks_file

from attendance_core.io.marks_csv import read_marks_csv
from attendance_core.rules.statistics import register_summaries

HERE = Path(__file__).resolve().parent
SIZES = (1500, 15000, 100000)


def run(command: list[str], output: Path) -> tuple[float, float, float]:
    """Wall-clock and CPU seconds and peak MiB of one run, its standard output to ``output``."""
    with output.open("wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


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


def bench(pupils: int, reps: int, with_python: bool, folder: Path) -> bool:
    """Run one size; print its lines; whether every check agreed."""
    path = marks_file(pupils)
    script = Path(sys.executable).parent / "attendance-core"
    program = [str(script)] if script.is_file() else [sys.executable, "-m", "attendance_core.cli"]
    commands = {
        "cli": [*program, "summary", str(path), "--format", "json"],
        "duckdb": [sys.executable, str(HERE / "duckdb_summary.py"), str(path)],
    }
    if with_python:
        commands["python"] = [*commands["cli"], "--engine", "python"]
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    outputs = {name: folder / f"{name}-{pupils}.json" for name in commands}
    for name, command in commands.items():  # warm-up: caches, and the outputs to compare
        run(command, outputs[name])
    cli_json = json.loads(outputs["cli"].read_text(encoding="utf-8"))
    duck_json = json.loads(outputs["duckdb"].read_text(encoding="utf-8"))
    same_bytes = (
        outputs["python"].read_bytes() == outputs["cli"].read_bytes() if with_python else None
    )
    names = list(commands)
    for rep in range(reps):
        for name in names if rep % 2 == 0 else names[::-1]:
            figures[name].append(run(commands[name], folder / "scratch.json"))

    marks = pupils * 380
    print(f"\n{pupils:,} pupils ({marks:,} marks, {path.stat().st_size / 2**20:,.0f} MiB CSV):")
    labels = {
        "cli": "(a) attendance-core summary --format json",
        "duckdb": "(b) hand-written DuckDB query",
        "python": "(p) summary --engine python",
    }
    median: dict[str, float] = {}
    for name in names:
        walls, cpus, peaks = zip(*figures[name], strict=True)
        median[name] = statistics.median(walls)
        print(
            f"  {labels[name]:44} median {median[name]:7.3f} s  min {min(walls):7.3f} s"
            f"  CPU {statistics.median(cpus):7.3f} s  peak {max(peaks):7.0f} MiB"
        )
    pairs = [a[0] / b[0] for a, b in zip(figures["cli"], figures["duckdb"], strict=True)]
    print(
        f"  (a)/(b) {median['cli'] / median['duckdb']:5.2f}x of medians,"
        f" {statistics.median(pairs):5.2f}x median of pairs (target at most 1.0x)"
    )
    if with_python:
        print(f"  (a)/(p) {median['cli'] / median['python']:5.2f}x")
    problems = disagreements(cli_json, duck_json)
    if problems:
        print(f"  per-pupil figures DISAGREE with DuckDB in {len(problems)} places, e.g.:")
        print("\n".join(f"    {p}" for p in problems[:10]))
    else:
        print(f"  every per-pupil figure of the {pupils:,} pupils agrees with DuckDB")
    if same_bytes is False:
        print("  the columnar and pure-Python engines printed DIFFERENT output")
    elif same_bytes:
        print("  the columnar and pure-Python engines printed the same bytes")
    return not problems and same_bytes is not False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="counted runs of each (default 5)")
    parser.add_argument(
        "--pupils",
        type=int,
        action="append",
        help="enrolments (repeatable; default 1500, 15000 and 100000)",
    )
    parser.add_argument(
        "--python",
        type=int,
        default=15000,
        metavar="N",
        help="also run the pure-Python engine up to N pupils (default 15000; 0: never)",
    )
    args = parser.parse_args(argv)
    sizes = args.pupils or list(SIZES)

    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}; Python {sys.version.split()[0]}")
    print(f"{args.reps} interleaved runs of each after one warm-up; whole processes")
    agreed = True
    with tempfile.TemporaryDirectory() as folder:
        for pupils in sizes:
            agreed &= bench(pupils, args.reps, pupils <= args.python, Path(folder))

    register = read_marks_csv(marks_file(min(sizes)))
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        register_summaries(register, engine="python")
        times.append(time.perf_counter() - start)
    print(
        f"\n(c) register_summaries in memory, {len(register):,} pupils, pure Python:"
        f" median {statistics.median(times):.3f} s"
    )
    return 0 if agreed else 1


if __name__ == "__main__":
    sys.exit(main())
