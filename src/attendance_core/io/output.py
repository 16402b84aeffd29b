"""Writing output: to standard output, or atomically to a file, for every command and tool."""

from __future__ import annotations

import os
import sys

from attendance_core.exceptions import InputError

__all__ = ["emit", "write_atomically"]


def write_atomically(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write ``text`` (UTF-8 text, or bytes such as Parquet) to ``path`` via a temporary file
    in the same folder and a rename.

    Either the whole new file appears or the old one (if any) stays untouched. The file gets
    the permissions ``open(path, "w")`` would give it: an existing file keeps its mode, a new
    one gets 0666 less the umask (a private temporary file's 0600 would hide the output from
    the colleagues it is for).
    """
    import secrets  # imported here: standard output needs neither, and start-up counts
    import stat

    target = os.fspath(path)
    folder, name = os.path.split(target)
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(8)}.tmp")
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None
    try:
        # 0o666 here lets the kernel apply the umask, as open() does for a new file.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise InputError("cannot write output", file=target, value=error.strerror) from None
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        os.replace(tmp, target)
    except BaseException as error:
        os.unlink(tmp)
        if isinstance(error, OSError):
            raise InputError("cannot write output", file=target, value=error.strerror) from None
        raise


def emit(text: str | bytes, output: str | None) -> None:
    """Print ``text`` to standard output, or write it atomically to ``output``; bytes (a
    binary format) are refused for a terminal, where they would only garble the screen."""
    if output is not None and output != "-":
        write_atomically(output, text)
    elif isinstance(text, bytes):
        if sys.stdout.isatty():
            raise InputError(
                "binary output to a terminal",
                field="--output",
                expected="--output FILE, or standard output sent to a file or a pipe",
            )
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
