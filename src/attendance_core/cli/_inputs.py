"""Inputs several commands read the same way, so ``summary``, ``check`` and ``report`` agree."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the summary command imports this module for ordinary files too
    import argparse

    from attendance_core.school import School

__all__ = ["NO_CALENDAR", "ROLL_RULES", "read_school_args", "warn_without_enrolments"]

NO_CALENDAR = "--calendar CAL.toml, or a policy whose [calendar] names a file or a name"
"""What a command that needs a calendar expects when it has none."""


def read_school_args(marks: str, args: argparse.Namespace) -> School:
    """The school a command runs on, from its ``--policy``, ``--calendar``, ``--enrolments``
    and ``--notices`` options (each optional): built once, so every command reads the same
    register, calendar and plugins."""
    from attendance_core.io.findings import read_notices_csv
    from attendance_core.io.school_files import read_school

    notices_file = getattr(args, "notices", None)
    return read_school(
        marks,
        policy=getattr(args, "policy", None),
        calendar=getattr(args, "calendar", None),
        enrolments=getattr(args, "enrolments", None),
        notices=read_notices_csv(notices_file) if notices_file else (),
    )


ROLL_RULES = {
    "first-day-contact": "first-day-contact lists leavers and later joiners as 'No mark'",
    "missing-marks": "missing-marks looks only between each pupil's first and last marks",
    "look-ahead": "look-ahead counts every session to 31 July",
    "marks-outside-enrolment": "marks-outside-enrolment finds nothing",
}
"""Rules whose answers depend on who is on roll when, and what each assumes without enrolments:
every pupil in the marks file is taken to be on roll (see docs/rules.md)."""


def warn_without_enrolments(command: str, rules: Sequence[str] | None) -> None:
    """One line on standard error when rules that need roll dates ran without enrolments."""
    running = [text for name, text in ROLL_RULES.items() if rules is None or name in rules]
    if running:
        print(
            f"attendance-core {command}: warning: no --enrolments, so every pupil in the marks "
            f"file is taken to be on roll ({'; '.join(running)}): give --enrolments FILE.csv",
            file=sys.stderr,
        )
