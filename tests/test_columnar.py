"""The columnar engine (pyarrow and numpy) gives exactly what the pure-Python engine gives.

The pure-Python readers and counting are the reference: for every generated register the
columnar reader must read the same register (cells, sessions, pupils in the same order, codes
as written and statutory, minutes late, unmarked sessions) and the columnar counting the same
summaries, so ``summary`` prints the same bytes in every format. Bad input must get the same
error (the columnar reader leaves every file it cannot read exactly so to the pure reader).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from random import Random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance_core import InputError, Register
from attendance_core.cli import main
from attendance_core.cli.summary import SummaryReport, render
from attendance_core.io.columnar import read_long_columnar
from attendance_core.io.layouts import read_marks
from attendance_core.io.marks_csv import format_marks_csv
from attendance_core.io.school_files import read_school
from attendance_core.model import Enrolment
from attendance_core.policy import Policy
from attendance_core.rules.periods import summarise_period
from attendance_core.rules.statistics import register_summaries
from attendance_core.testing.strategies import enrolments, registers

FAST = settings(max_examples=40, deadline=None)
FORMATS = ("json", "csv", "jsonl", "table")


def _both(path: Path, **options: object) -> tuple[object, object]:
    """What each engine makes of ``path``: a MarksExport, or the error's text."""
    found: list[object] = []
    for engine in ("python", "columnar"):
        try:
            found.append(read_marks(path, engine=engine, **options))  # type: ignore[arg-type]
        except InputError as error:
            found.append(str(error))
    return found[0], found[1]


def _same_export(path: Path, **options: object) -> Register:
    python, columnar = _both(path, **options)
    assert not isinstance(python, str), python
    assert not isinstance(columnar, str), columnar
    assert columnar.register == python.register  # type: ignore[attr-defined]
    assert columnar.register.pupil_ids == python.register.pupil_ids  # type: ignore[attr-defined]
    assert dict(columnar.unmarked) == dict(python.unmarked)  # type: ignore[attr-defined]
    return python.register  # type: ignore[attr-defined, no-any-return]


def _rendered(register: Register, engine: str, output_format: str) -> str:
    summaries = register_summaries(register, engine=engine)  # type: ignore[arg-type]
    return render(SummaryReport.of_summaries(summaries), output_format)


def _long_lines(register: Register, rng: Random, blanks: int) -> str:
    """The register as long CSV, lines shuffled, with ``blanks`` unmarked sessions added."""
    header, *lines = format_marks_csv(register).splitlines()
    taken = {tuple(line.split(",")[:3]) for line in lines}
    width = len(header.split(","))
    for _ in range(blanks if register.sessions and register.pupil_ids else 0):
        session = rng.choice(register.sessions)
        key = (rng.choice(register.pupil_ids), session.date.isoformat(), session.part.value)
        if key not in taken:
            taken.add(key)
            lines.append(",".join([*key, rng.choice(["", "-"])] + [""] * (width - 4)))
    rng.shuffle(lines)
    return "\n".join([header, *lines]) + "\n"


@FAST
@given(registers(pupils=6, sessions=14, minutes_late=True), st.randoms(), st.integers(0, 4))
def test_identical_registers_and_summaries_from_csv(
    register: Register, rng: Random, blanks: int
) -> None:
    """Both code sets occur (the strategies' dates span 19 August 2024), lines come in any
    order, unmarked sessions (blank and ``-``) are mixed in."""
    if not register.pupil_ids:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "marks.csv"
        path.write_text(_long_lines(register, rng, blanks), encoding="utf-8")
        read = _same_export(path)
        assert read_long_columnar(path, mode="csv") is not None  # read, not left to pure Python
    for output_format in FORMATS:
        python = _rendered(read, "python", output_format)
        assert _rendered(read, "columnar", output_format) == python


@FAST
@given(registers(pupils=5, sessions=12, minutes_late=True), st.booleans())
def test_identical_registers_from_parquet(register: Register, dates_as_text: bool) -> None:
    if not register.pupil_ids:
        return
    rows = [
        (pupil_id, mark.session.date, mark.session.part.value, mark.code, mark.minutes_late)
        for pupil_id in register.pupil_ids
        for mark in register.marks(pupil_id)
    ]
    columns = list(zip(*rows, strict=True))
    table = pa.table(
        {
            "pupil_id": pa.array(columns[0]).dictionary_encode(),
            "date": pa.array([d.isoformat() for d in columns[1]] if dates_as_text else columns[1]),
            "session": pa.array(columns[2]),
            "code": pa.array(columns[3]),
            "minutes_late": pa.array(columns[4], pa.int16()),
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "marks.parquet"
        pq.write_table(table, path)
        _same_export(path)
        assert read_long_columnar(path, mode="table") is not None


@FAST
@given(
    registers(pupils=5, sessions=16),
    st.lists(enrolments(date_of_birth=True), min_size=5, max_size=5),
    st.sampled_from(["include", "exclude"]),
    st.integers(1, 49),
)
def test_identical_period_summaries_with_enrolments(
    register: Register, rolls: list[Enrolment], year11: str, persistent: int
) -> None:
    """Periods, enrolments (the Year 11 rule reads their dates of birth) and a policy's lines:
    the columnar counting agrees with the pure one on every slice of the register."""
    if not register.sessions:
        return
    by_pupil = {p: attrs_evolve(e, p) for p, e in zip(register.pupil_ids, rolls, strict=False)}
    policy = Policy.from_mapping(
        {
            "thresholds": {"persistent_absence": persistent},
            "method": {"year11_last_half_term": year11},
        }
    )
    first, last = register.sessions[0].date, register.sessions[-1].date
    middle = first + (last - first) / 2
    for start, end in ((first, last), (middle, last), (first, middle)):
        python, columnar = (
            summarise_period(
                register, start, end, policy=policy, enrolments=by_pupil, engine=engine
            )
            for engine in ("python", "columnar")
        )
        assert columnar == python


def attrs_evolve(enrolment: Enrolment, pupil_id: str) -> Enrolment:
    import attrs

    return attrs.evolve(enrolment, pupil_id=pupil_id)


HEADER = "pupil_id,date,session,code,minutes_late\n"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("P1,2025-09-08,AM,ZZ,\n", id="unknown code"),
        pytest.param("P1,2025-09-08,AM,/,\nP1,2025-09-08,AM,N,\n", id="two marks"),
        pytest.param("P1,2025-09-08,AM,,\nP1,2025-09-08,AM,N,\n", id="blank and a mark"),
        pytest.param("P1,2025-02-30,AM,/,\n", id="no such date"),
        pytest.param("P1,2025-09-08,am,/,\n", id="lower-case session"),
        pytest.param("P1,2025-09-08,AM,/,5\n", id="minutes on a present mark"),
        pytest.param("P1,2025-09-08,AM,L,x\n", id="minutes not a number"),
        pytest.param("P1,2025-09-08,AM,/\n", id="ragged line"),
        pytest.param(",2025-09-08,AM,/,\n", id="no pupil id"),
        pytest.param("P1,2025-09-08,AM,J1,\nP1,2024-08-16,AM,J1,\n", id="J1 before 2024 set"),
        pytest.param("P1,08/09/2025,AM,/,\nP1,2025-09-09,AM,/,\n", id="mixed date formats"),
        pytest.param("", id="header only"),
        pytest.param("P1,2025-09-08,AM,\x00/,\n", id="control character"),
        pytest.param('"P,1",2025-09-08,AM,/,\n', id="quoted comma"),
        pytest.param("P1,2025-09-08,AM,/,\n,,,,\n", id="empty fields line"),
        pytest.param(f"P1,2025-09-08,AM,{'N' * 1200},\n", id="over-long cell"),
        pytest.param("P1,2025-09-08,AM,/,\rP1,2025-09-08,PM,N,\n", id="lone carriage return"),
    ],
)
def test_bad_input_gets_the_same_error(tmp_path: Path, body: str) -> None:
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    python, columnar = _both(path)
    assert columnar == python if isinstance(python, str) else columnar.register == python.register  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HEADER + "P1,2025-09-08,AM,L,5\nP1,2025-09-08,PM,\\,\n", id="plain"),
        pytest.param("\ufeff" + HEADER + "P1,2025-09-08,AM,/,\n", id="byte order mark"),
        pytest.param((HEADER + "P1,2025-09-08,AM,/,\n").replace("\n", "\r\n"), id="CRLF"),
        pytest.param(HEADER + " P1 , 2025-09-08 , AM , L , 7 \n", id="spaces"),
        pytest.param(HEADER + '"P1",2025-09-08,AM,"/",\n', id="quoted"),
        pytest.param(HEADER + "P1,2025-09-08,AM,-,\nP1,2025-09-08,PM,,\n", id="unmarked"),
        pytest.param(HEADER + " P1,2025-09-08,AM,-,\nP1,2025-09-08,PM,N,\n", id="unmarked strip"),
        pytest.param(HEADER + "P1,08/09/2025,AM,/,\nP1,09/09/2025,AM,N,\n", id="UK dates"),
        pytest.param(HEADER + "P1,2024-08-16,AM,J,\nP1,2024-09-02,AM,J1,\n", id="both sets"),
        pytest.param(
            HEADER + "P2,2025-09-09,AM,/,\nP1,2025-09-08,AM,N,\nP2,2025-09-08,PM,I,\n",
            id="interleaved",
        ),
        pytest.param("code,session,date,pupil_id\nN,AM,2025-09-08,P1\n", id="columns reordered"),
        pytest.param(HEADER + "P1,2025-09-08,AM,L,00012\n", id="long minutes"),
        pytest.param(
            HEADER + "P1,2025-09-08,AM,-,00012\nP1,2025-09-08,PM,L,3\n", id="long minutes unmarked"
        ),
    ],
)
def test_good_input_reads_the_same(tmp_path: Path, text: str) -> None:
    path = tmp_path / "marks.csv"
    path.write_bytes(text.encode("utf-8"))
    _same_export(path)


def test_quoted_and_unusual_files_are_left_to_the_pure_reader(tmp_path: Path) -> None:
    """The columnar reader declines (returns ``None``) rather than guessing."""
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + '"P1",2025-09-08,AM,/,\n', encoding="utf-8")
    assert read_long_columnar(path, mode="csv") is None
    path.write_text(HEADER + "P1,2025-09-08,AM,/,\n", encoding="utf-8")
    found = read_long_columnar(path, mode="csv")
    assert found is not None
    assert found[0].rows == (b"\x01",)


def test_policy_local_codes_and_a_forced_code_set(tmp_path: Path) -> None:
    """The policy's local codes and forced code set read the marks in both engines, and the
    resolver records the same decisions."""
    path = tmp_path / "marks.csv"
    path.write_text(
        HEADER + "P1,2025-09-08,AM,I01,\nP1,2025-09-08,PM,I,\nP2,2025-09-08,AM,SICK,\n",
        encoding="utf-8",
    )
    policy = {"codes": {"local_codes": {"I01": "I", "SICK": "I"}}}
    schools = [read_school(path, policy=policy, engine=e) for e in ("python", "columnar")]
    assert schools[1].register == schools[0].register
    assert set(schools[1].code_mappings) == set(schools[0].code_mappings)
    forced = {"codes": {"code_set": "england-2006"}}
    path.write_text(HEADER + "P1,2025-09-08,AM,J,\n", encoding="utf-8")
    python, columnar = (read_school(path, policy=forced, engine=e) for e in ("python", "columnar"))
    assert columnar.register == python.register
    assert columnar.register.alphabet[0].code_set == "england-2006"


def test_a_plugin_named_by_the_policy_maps_codes_in_both_engines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ATTENDANCE_CORE_NO_AUTOLOAD", raising=False)
    from attendance_core.plugins import AUTOLOAD_ENV

    monkeypatch.delenv(AUTOLOAD_ENV, raising=False)
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "P1,2025-09-08,AM,X02,\nP1,2025-09-08,PM,/,\n", encoding="utf-8")
    policy = {"plugins": ["mis_subcodes"]}
    python, columnar = (read_school(path, policy=policy, engine=e) for e in ("python", "columnar"))
    assert columnar.register == python.register
    assert [m.decided_by for m in columnar.code_mappings] == [
        m.decided_by for m in python.code_mappings
    ]


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--from", "2025-09-09"],
        ["--to", "2025-09-09", "--suppress", "2"],
    ],
)
def test_summary_command_prints_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    path = tmp_path / "marks.csv"
    lines = [HEADER.rstrip("\n")]
    codes = ["/", "\\", "N", "L", "I", "X", "-", "C2", "U"]
    for pupil in range(12):
        for day in range(8, 13):
            for part in ("AM", "PM"):
                code = codes[(pupil * 7 + day * 3 + len(part)) % len(codes)]
                minutes = "4" if code in ("L", "U") else ""
                lines.append(f"P{pupil:02d},2025-09-{day:02d},{part},{code},{minutes}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for output_format in (*FORMATS, "parquet"):
        printed = []
        for engine in ("python", "columnar"):
            out = tmp_path / f"{engine}.{output_format}"
            command = ["summary", str(path), "--format", output_format, "--engine", engine]
            assert main([*command, "-o", str(out), *options]) == 0
            printed.append(out.read_bytes())
        assert printed[1] == printed[0], output_format
    capsys.readouterr()


BLOCK_IMPORTS = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pyarrow", "numpy"):
            raise ImportError(f"blocked: {name}")
        return None
sys.meta_path.insert(0, Blocker())
"""


def test_the_pure_engine_needs_neither_pyarrow_nor_numpy(tmp_path: Path) -> None:
    """With both libraries unimportable, ``auto`` reads and counts in pure Python, and
    ``--engine columnar`` says what to install (exit status 2, no traceback)."""
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "P1,2025-09-08,AM,L,5\nP1,2025-09-08,PM,N,\n" * 1, encoding="utf-8")
    script = (
        BLOCK_IMPORTS
        + f"""
from attendance_core.cli import main
sys.exit(main(["summary", {str(path)!r}, "--format", "json", "--engine", sys.argv[1]]))
"""
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    auto = subprocess.run(
        [sys.executable, "-c", script, "auto"], capture_output=True, text=True, env=env
    )
    assert auto.returncode == 0, auto.stderr
    assert '"possible_sessions": 2' in auto.stdout
    asked = subprocess.run(
        [sys.executable, "-c", script, "columnar"], capture_output=True, text=True, env=env
    )
    assert asked.returncode == 2
    assert "the columnar engine needs pyarrow and numpy" in asked.stderr
    assert "Traceback" not in asked.stderr


def test_auto_reads_small_files_in_pure_python(tmp_path: Path) -> None:
    """Below the size where importing pyarrow pays, ``auto`` leaves pyarrow unimported."""
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "P1,2025-09-08,AM,/,\n", encoding="utf-8")
    script = f"""
import sys
from attendance_core.io.layouts import read_marks
read_marks({str(path)!r})
print("pyarrow" in sys.modules, "numpy" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_a_date_before_the_epoch_and_far_apart_years(tmp_path: Path) -> None:
    path = tmp_path / "marks.csv"
    path.write_text(HEADER + "P1,1969-12-31,AM,/,\nP1,2025-09-08,AM,N,\n", encoding="utf-8")
    register = _same_export(path)
    assert register.sessions[0].date == dt.date(1969, 12, 31)
