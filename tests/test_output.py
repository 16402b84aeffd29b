"""``write_atomically``: whole or nothing, with the permissions a plain ``open`` gives."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from attendance_core.exceptions import InputError
from attendance_core.io.output import write_atomically


@pytest.fixture
def umask() -> Iterator[int]:
    """A known umask for the test, the process's own restored after it."""
    mask = 0o027
    previous = os.umask(mask)
    yield mask
    os.umask(previous)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_0666_less_the_umask(tmp_path: Path, umask: int) -> None:
    plain = tmp_path / "plain.txt"
    with open(plain, "w", encoding="utf-8") as handle:
        handle.write("x")
    target = tmp_path / "out.txt"
    write_atomically(target, "text\n")
    assert target.read_text(encoding="utf-8") == "text\n"
    assert mode_of(target) == mode_of(plain) == 0o640


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664], ids=oct)
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask: int, mode: int) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(mode)
    write_atomically(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert mode_of(target) == mode


def test_text_is_written_as_given_without_newline_translation(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_atomically(str(target), "a\r\nb\n£\n")
    assert target.read_bytes() == "a\r\nb\n£\n".encode()


def test_a_missing_folder_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "out.txt"
    with pytest.raises(InputError, match="cannot write output") as raised:
        write_atomically(target, "text\n")
    assert raised.value.file == str(target)


def test_a_folder_in_the_way_is_an_input_error_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(InputError, match="cannot write output"):
        write_atomically(target, "text\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert list(target.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "half\n\udc80")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
