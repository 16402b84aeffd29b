"""A progress bar on standard error while the command line reads a school's files or runs the
rules, for a person watching a whole school's year go through.

It is drawn only when standard error is a terminal, and only once the step has taken
:data:`DELAY` seconds, so quick runs, pipes, redirected output and scripts never see it; it is
removed when the step ends, so what follows starts on a clean line. The library below the
command line knows nothing of it. Drawn by ``rich`` (the ``progress`` extra); without it, there
is no bar and nothing else changes.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["DELAY", "progress"]

DELAY = 1.0
"""Seconds a step runs before its bar appears."""


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


@contextmanager
def progress(what: str, stream: TextIO | None = None) -> Iterator[None]:
    """While the ``with`` block runs: after :data:`DELAY` seconds, a pulsing bar with ``what``
    and the time taken on ``stream`` (standard error), if it is a terminal."""
    stream = sys.stderr if stream is None else stream
    if not _is_terminal(stream):
        yield
        return
    try:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    except ImportError:  # the optional extra is not installed: no bar
        yield
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(file=stream),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    bar.add_task(what, total=None)  # no total: the bar pulses
    lock = threading.Lock()
    shown = ended = False

    def show() -> None:
        nonlocal shown
        with lock:
            if not ended:
                bar.start()
                shown = True

    timer = threading.Timer(DELAY, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            ended = True
            if shown:
                bar.stop()
