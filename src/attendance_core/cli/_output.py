"""Writing command output: to standard output, or atomically to a file."""

from __future__ import annotations

import os
import sys

from attendance_core.exceptions import InputError

__all__ = ["emit", "write_atomically"]


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename.

    Either the whole new file appears or the old one (if any) stays untouched.
    """
    import tempfile  # imported here: standard output needs neither, and start-up counts
    from pathlib import Path

    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    except OSError as error:
        raise InputError("cannot write output", file=str(target), value=error.strerror) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(text: str, output: str | None) -> None:
    """Print ``text`` to standard output, or write it atomically to ``output``."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(output, text)
