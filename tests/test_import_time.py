"""``import attendance_core`` and ``attendance-core --help`` stay quick (issue 14's 0.2 s): no
optional or heavy library is imported until a command needs it, and ``--help`` imports no
command module. Timed in the benchmarks, not here; here the imports that would cost the time."""

from __future__ import annotations

import subprocess
import sys

import pytest

from attendance_core.cli import COMMANDS, HELPS, _command

HEAVY = ("holidays", "pyarrow", "numpy", "pandas", "openpyxl", "defusedxml", "hypothesis", "pluggy")


def _imported_after(code: str) -> list[str]:
    script = f"""
import sys
{code}
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r}
                      or m.startswith("attendance_core.cli."))))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_importing_the_package_loads_no_heavy_library() -> None:
    assert _imported_after("import attendance_core") == []


def test_help_imports_no_command_and_no_heavy_library() -> None:
    code = """
import contextlib, io
from attendance_core.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(["--help"])
    except SystemExit:
        pass
"""
    assert _imported_after(code) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_help_lists_each_command_by_its_own_help_line(name: str) -> None:
    assert HELPS[name] == _command(name).HELP
