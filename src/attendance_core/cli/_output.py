"""Printing a checked file's problems for a command."""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["print_problems"]


def print_problems(command: str, problems: Sequence[object]) -> None:
    """A checked file's problems on standard error: a count, then one line each.

    Policies and calendars are checked whole, so a person fixes everything in one pass.
    """
    count = len(problems)
    print(f"attendance-core {command}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
