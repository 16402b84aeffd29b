"""Hostile and broken input (issue 15): one test per class of failure found, a corpus of the
inputs that once crashed, and fuzzing of every reader through the command line.

Each input must end in a result or one clear error (exit 2), within seconds, with no traceback,
no output file written and no special file replaced; see docs/security.md.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import tempfile
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendance_core.cli import EXIT_BAD_INPUT, EXIT_INTERRUPTED, main
from attendance_core.io.output import spreadsheet_safe, spreadsheet_value, write_atomically

CORPUS = Path(__file__).parent / "data" / "hardening"
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def run(*argv: str) -> tuple[int, str, str]:
    """``attendance-core argv`` in-process: exit status, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exit_:  # argparse's own usage errors
            status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A consistent set of demo files: marks, enrolments, pupils and calendar."""
    folder = tmp_path_factory.mktemp("demo")
    status, _, err = run(
        "demo",
        "--pupils",
        "4",
        "--write-csv",
        str(folder / "marks.csv"),
        "--write-enrolments",
        str(folder / "enrolments.csv"),
        "--write-pupils",
        str(folder / "pupils.csv"),
        "--write-calendar",
        str(folder / "calendar.toml"),
    )
    assert status == 0, err
    return folder


def one_clear_line(err: str) -> None:
    assert "Traceback" not in err
    assert err.strip(), "an error must be reported"
    assert len(err) < 2000, "messages are cut short"


# --- corpus: every input that once hung or crashed ---------------------------------------------

COMMAND = {"policy": ("policy", "check"), "calendar": ("calendar",), "marks": ("summary",)}
COMMAND["ctf"] = ("ctf", "read")


@pytest.mark.parametrize("case", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_corpus_case_is_one_clear_error(case: Path) -> None:
    start = time.monotonic()
    status, _out, err = run(*COMMAND[case.name.split("-")[0]], str(case))
    assert status == EXIT_BAD_INPUT
    one_clear_line(err)
    assert time.monotonic() - start < 10


def test_row_is_never_echoed() -> None:
    """The bad row holds a name and a date of birth: neither may appear in the message."""
    _, _, err = run("summary", str(CORPUS / "marks-row-with-name.csv"))
    assert "Jane" not in err
    assert "2014-03-02" not in err
    assert ":2:" in err  # the line is named instead


def test_carriage_returns_only_give_a_short_message() -> None:
    _, _, err = run("summary", str(CORPUS / "marks-carriage-returns-only.csv"))
    assert len(err) < 300


# --- tracebacks: range checks on options and dates ---------------------------------------------


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "2025-02-30", "20250901" * 40])
def test_as_of_out_of_range(demo: Path, as_of: str) -> None:
    status, _, err = run("summary", str(demo / "marks.csv"), "--as-of", as_of)
    assert status == EXIT_BAD_INPUT
    one_clear_line(err)
    assert len(err) < 400  # a long value is cut short


def test_huge_input_stops_at_the_size_limit(demo: Path) -> None:
    """/dev/zero never ends: reading must stop at a limit, not run out of memory."""
    for argv in (
        ("summary", "/dev/zero"),
        ("summary", str(demo / "marks.csv"), "--pupils", "/dev/zero"),
        ("policy", "check", "/dev/zero"),
        ("calendar", "/dev/zero"),
    ):
        status, _, err = run(*argv)
        assert status == EXIT_BAD_INPUT, argv
        one_clear_line(err)


# --- outputs that are not plain files -----------------------------------------------------------


def test_output_over_an_input_is_refused_before_reading(demo: Path, tmp_path: Path) -> None:
    marks = tmp_path / "marks.csv"
    marks.write_bytes((demo / "marks.csv").read_bytes())
    before = marks.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(marks)
    for argv in (
        ("summary", str(marks), "--output", str(marks)),
        ("summary", str(marks), "--output", str(link)),
        ("check", str(marks), "--output", str(marks)),
        ("report", str(marks), "--output", str(marks)),
        ("census", str(marks), "--output", str(marks)),
        ("ctf", "read", str(marks), "--output", str(marks)),
        ("demo", "--write-csv", str(tmp_path / "a"), "--write-pupils", str(tmp_path / "a")),
    ):
        status, _, err = run(*argv)
        assert status == EXIT_BAD_INPUT, argv
        assert "output" in err, argv
    assert marks.read_bytes() == before
    assert not (tmp_path / "a").exists()


def test_symlink_is_followed_and_its_target_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomically(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_fifo_is_written_to_not_renamed_over(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomically(fifo, "pupils\n")
    reader.join(5)
    assert got == [b"pupils\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.fifo"]


def test_dash_is_standard_output(demo: Path) -> None:
    status, out, _ = run("summary", str(demo / "marks.csv"), "--format", "csv", "--output", "-")
    assert status == 0
    assert out.startswith("row,pupil_id")


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, "SIGTERM"])
def test_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, interrupt: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C or SIGTERM while the output is being written: one line, 130 or 143, no file."""

    def interrupted(source: str, target: str) -> None:
        if interrupt == "SIGTERM":
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)  # the temporary file is written by then
    output = tmp_path / "demo.csv"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["demo", "--pupils", "2", "--write-csv", str(output)])
    monkeypatch.undo()
    assert status == (EXIT_INTERRUPTED if interrupt is KeyboardInterrupt else 143)
    assert len(err.getvalue().strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


# --- spreadsheet formula injection --------------------------------------------------------------

RISKY = ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "-A1", "\tx", "\rx", "'=x", "-1+A1"]


@pytest.mark.parametrize("value", RISKY)
def test_risky_cell_is_neutralised(value: str) -> None:
    assert spreadsheet_safe(value).startswith("'")
    assert spreadsheet_value(spreadsheet_safe(value)) == value


@pytest.mark.parametrize("value", ["-1", "-0.5", "-12%", "S001", "'quoted", "", "2025-09-01"])
def test_plain_cell_is_left_alone(value: str) -> None:
    assert spreadsheet_safe(value) == value
    assert spreadsheet_value(value) == value


@given(st.text(max_size=12))
@settings(max_examples=200, deadline=None)
def test_neutralising_reads_back_unchanged(value: str) -> None:
    safe = spreadsheet_safe(value)
    assert spreadsheet_value(safe) == value
    assert safe[:1] not in ("=", "+", "@", "\t", "\r")


def test_summary_csv_neutralises_a_pupil_id_and_json_keeps_it(tmp_path: Path) -> None:
    marks = tmp_path / "marks.csv"
    marks.write_text('pupil_id,date,session,code\n"=HYPERLINK(""x"")",2025-09-01,AM,/\n')
    status, out, err = run("summary", str(marks), "--format", "csv")
    assert status == 0, err
    assert "'=HYPERLINK" in out
    assert "\n=" not in out
    assert ",=" not in out
    status, out, _ = run("summary", str(marks), "--format", "json")
    assert '"=HYPERLINK(\\"x\\")"' in out


def test_demo_pupils_csv_reads_back_unchanged(tmp_path: Path) -> None:
    """A pupils CSV holding a formula-like value is written neutralised and reads back as it was."""
    from attendance_core.io.pupils import format_pupils_csv, read_pupils

    pupils = {"=P1": {"form": "+7A", "year_group": "7"}, "P2": {"form": "-x", "year_group": "8"}}
    path = tmp_path / "pupils.csv"
    path.write_text(format_pupils_csv(pupils))
    assert "\n'=P1," in path.read_text()
    back = read_pupils(path)
    assert {k: dict(v) for k, v in back.items()} == pupils


# --- fuzzing every reader through the command line ---------------------------------------------


def mutations(base: bytes) -> st.SearchStrategy[bytes]:
    """``base`` with a slice replaced by hostile bytes: most results are nearly valid."""
    junk = st.sampled_from(
        [
            b"",
            b",",
            b"\n",
            b"\r",
            b'"',
            b"9" * 5000,
            b"1e999999",
            b"9999-12-31",
            b"0001-01-01",
            b"=HYPERLINK(1)",
            b"[[[[[[[[[[[[[[[[[[[[",
            b"\xff\xfe",
            b"\x00",
            b"<!ENTITY a 'b'>",
            b"-",
            b"years = []",
            b"2025-02-30",
            b"AM",
            b"#",
        ]
    ) | st.binary(max_size=20)
    size = len(base)
    return st.tuples(st.integers(0, size), st.integers(0, 60), st.lists(junk, max_size=3)).map(
        lambda t: base[: t[0]] + b"".join(t[2]) + base[t[0] + t[1] :]
    )


@pytest.fixture(scope="module")
def bases(demo: Path) -> dict[str, bytes]:
    def cut(name: str) -> bytes:
        return (demo / name).read_bytes()[:3000]

    return {
        "long": cut("marks.csv"),
        "daily": b"UPN,Name,Date,AM,PM\nP1,Ann,01/09/2025,/,\\\nP2,Bo,01/09/2025,N,N\n",
        "weekly": b"pupil_id,week_start,Mon AM,Mon PM,Tue AM\nP1,2025-09-01,/,\\,/\n",
        "grid": b"pupil_id,2025-09-01 AM,2025-09-01 PM\nP1,/,\\\nP2,N,N\n",
        "enrolments": cut("enrolments.csv"),
        "pupils": cut("pupils.csv"),
        "calendar": cut("calendar.toml"),
        "policy": b'[policy]\nname = "x"\n[thresholds]\npersistent_absence = 10\n',
        "ctf": (Path(__file__).parents[1] / "docs/examples/ctf")
        .glob("*.xml")
        .__next__()
        .read_bytes()[:4000],
    }


def argv_for(kind: str, path: str, demo: Path, output: str) -> list[str]:
    marks, cal = str(demo / "marks.csv"), str(demo / "calendar.toml")
    if kind in ("long", "daily", "weekly", "grid"):
        return ["summary", path, "--layout", kind, "--output", output]
    return {
        "enrolments": ["summary", marks, "--calendar", cal, "--enrolments", path, "-o", output],
        "pupils": ["summary", marks, "--pupils", path, "--by", "year_group", "-o", output],
        "calendar": ["calendar", path, "--output", output],
        "policy": ["policy", "check", path],
        "ctf": ["ctf", "read", path, "--output", output],
    }[kind]


@pytest.mark.parametrize(
    "kind",
    ["long", "daily", "weekly", "grid", "enrolments", "pupils", "calendar", "policy", "ctf"],
)
@FUZZ
@given(data=st.data())
def test_fuzzed_input_gives_a_result_or_one_clear_error(
    kind: str, data: st.DataObject, demo: Path, bases: dict[str, bytes]
) -> None:
    content = data.draw(mutations(bases[kind]))
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(
            folder,
            "input."
            + {"calendar": "toml", "policy": "toml"}.get(kind, "xml" if kind == "ctf" else "csv"),
        )
        Path(path).write_bytes(content)
        output = os.path.join(folder, "out.txt")
        status, _, err = run(*argv_for(kind, path, demo, output))
        assert status in (0, EXIT_BAD_INPUT), err
        assert "Traceback" not in err
        if status == EXIT_BAD_INPUT:
            assert not os.path.exists(output)
            assert len(err) < 4000
        assert sorted(os.listdir(folder)) in (
            ["input" + Path(path).suffix],
            ["input" + Path(path).suffix, "out.txt"],
        )
