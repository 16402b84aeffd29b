"""An output file may not be one of the command's inputs."""

from __future__ import annotations

import os

from attendance_core.exceptions import InputError

__all__ = ["refuse_output_over_inputs"]


def refuse_output_over_inputs(output: str | None, *inputs: str | None) -> None:
    """Refuse an ``--output`` that names an input file: writing it would destroy the input."""
    if output is None or output == "-":
        return
    target = os.path.realpath(output)
    for given in inputs:
        if given is not None and os.path.realpath(given) == target:
            raise InputError(
                "the output is also an input",
                field="--output",
                value=output,
                expected="a file that is not read by the command",
            )
