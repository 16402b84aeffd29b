"""Writing output: to standard output, or safely to a file, for every command and tool.

This is the one place output files are written, so every command gets the same guarantees
(``docs/security.md``):

- ``-`` (or no file) is standard output;
- a FIFO, character device or other special file is opened and written directly, never renamed
  over (so ``/dev/null`` stays a device and a FIFO's reader gets the data);
- a symlink is followed and its target replaced atomically, so the link stays a link;
- a plain file is replaced atomically through a temporary file in the same folder, which is
  removed if writing fails or the run is interrupted (SIGINT, or SIGTERM, which the command line
  turns into an exception for this reason).

:func:`spreadsheet_safe` and :func:`spreadsheet_value` are the one pair every CSV writer and
reader uses against spreadsheet formula injection.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

from attendance_core.exceptions import InputError

__all__ = ["emit", "spreadsheet_safe", "spreadsheet_value", "write_atomically"]

_FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
_NUMBER = re.compile(r"-(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?")
"""A negative number as a spreadsheet reads one (``-1``, ``-0.5``, ``-2.5e3``, ``-12%``)."""


def _risky(text: str) -> bool:
    """Whether a spreadsheet would treat ``text`` as a formula: a leading ``=``, ``+``, ``@``,
    tab or carriage return, or ``-`` followed by anything but a number (``-1`` and ``-0.5``
    stay numbers, and a lone ``-``, as in an empty figure or a code, stays text)."""
    if text[:1] in _FORMULA_STARTS:
        return True
    return text[:1] == "-" and len(text) > 1 and not _NUMBER.fullmatch(text)


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet will not run: a leading ``'`` is added when the value
    (after any apostrophes it already starts with) would be read as a formula.

    The apostrophe is what spreadsheets themselves use for "this is text", and is not shown.
    :func:`spreadsheet_value` undoes it exactly, so what is written reads back unchanged; the
    raw value is what JSON output holds.
    """
    return "'" + text if _risky(text.lstrip("'")) else text


def spreadsheet_value(cell: str) -> str:
    """The value :func:`spreadsheet_safe` wrote as ``cell`` (a cell it did not change is
    returned as it is)."""
    return cell[1:] if cell.startswith("'") and _risky(cell.lstrip("'")) else cell


def _special(target: str) -> bool:
    """Whether ``target`` exists and is not a plain file (a FIFO, a device, a socket...)."""
    import stat

    try:
        return not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:
        return False


def _write_directly(target: str, text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        with open(target, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise InputError("cannot write output", file=target, value=error.strerror) from None


def write_atomically(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write ``text`` (UTF-8 text, or bytes such as Parquet) to ``path``.

    A plain file (or a new one) is written via a temporary file in the same folder and a
    rename: either the whole new file appears or the old one (if any) stays untouched. A symlink
    is followed, so its target is what is replaced. A special file (FIFO, device) is written
    directly. The file gets the permissions ``open(path, "w")`` would give it: an existing file
    keeps its mode, a new one gets 0666 less the umask (a private temporary file's 0600 would
    hide the output from the colleagues it is for).
    """
    import secrets  # imported here: standard output needs neither, and start-up counts
    import stat

    target = os.path.realpath(os.fspath(path))
    if os.path.isdir(target):
        raise InputError(
            "cannot write output", file=os.fspath(path), value="a folder", expected="a file"
        )
    if _special(target):
        _write_directly(target, text)
        return
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
        # BaseException: KeyboardInterrupt (SIGINT) and the CLI's SIGTERM exception too.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise InputError("cannot write output", file=target, value=error.strerror) from None
        raise


def emit(text: str | bytes, output: str | None) -> None:
    """Print ``text`` to standard output, or write it to ``output`` (see
    :func:`write_atomically`); bytes (a binary format) are refused for a terminal, where they
    would only garble the screen."""
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
