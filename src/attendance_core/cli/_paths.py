"""No output file may be one of the command's inputs, nor another of its outputs.

:func:`refuse_outputs_over_inputs` runs for every command before anything is read
(``attendance_core.cli.main``), so ``--output`` naming the register being read, or two
``--write-*`` options naming one file, is one clear error and nothing is touched.
"""

from __future__ import annotations

import argparse
import os

from attendance_core.exceptions import InputError

__all__ = ["INPUT_OPTIONS", "refuse_outputs_over_inputs"]

INPUT_OPTIONS = frozenset(
    {"marks", "file", "policy", "enrolments", "calendar", "pupils", "notices", "national"}
)
"""The ``argparse`` destinations that name files a command reads."""


def _outputs_and_inputs(args: argparse.Namespace) -> tuple[list[tuple[str, str]], list[str]]:
    """The command's output files (as option, file) and the files it reads."""
    outputs: list[tuple[str, str]] = []
    inputs: list[str] = []
    for key, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str) or item in ("", "-"):
                continue
            if key == "output" or key.startswith("write_"):
                outputs.append(("--" + key.replace("_", "-"), item))
            elif key in INPUT_OPTIONS:
                inputs.append(item)
    return outputs, inputs


def refuse_outputs_over_inputs(args: argparse.Namespace) -> None:
    """Refuse an output (``--output``, ``--write-*``) that names an input of the command (a
    symlink is followed, so a link to the input counts) or the same file as another output;
    ``-`` (standard output) and special files such as ``/dev/null`` may be named more than once.
    """
    outputs, inputs = _outputs_and_inputs(args)
    read = {os.path.realpath(item) for item in inputs}
    written: set[str] = set()
    for option, item in outputs:
        target = os.path.realpath(item)
        if target in read or target in written:
            raise InputError(
                "the output is also an input" if target in read else "two outputs to one file",
                field=option,
                value=item,
                expected="a file that the command does not read or write otherwise",
            )
        if not os.path.exists(target) or os.path.isfile(target):
            written.add(target)
