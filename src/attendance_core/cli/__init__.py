"""The ``attendance-core`` command line.

Each subcommand lives in its own module of this package and defines ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``. Bad input of any kind is reported as one
clear message on standard error with exit status 2, never a traceback; output files are
written through :mod:`attendance_core.io.output` (atomically, special files directly), so a
failed or interrupted run never leaves a half-written file, and an output that is also an input
is refused before anything is read (:mod:`attendance_core.cli._paths`).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from attendance_core.exceptions import AttendanceError

__all__ = [
    "COMMANDS",
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_TERMINATED",
    "Terminated",
    "main",
]

COMMANDS: tuple[str, ...] = (
    "summary",
    "demo",
    "policy",
    "plugins",
    "calendar",
    "check",
    "report",
    "whatif",
    "census",
    "ctf",
)
"""Subcommand module names, in the order ``--help`` lists them."""

HELPS: dict[str, str] = {
    "summary": "Summarise a marks CSV: DfE's counts and rates per pupil and for the whole file.",
    "demo": "Generate a realistic synthetic school and print its whole-school attendance summary.",
    "policy": "Check a policy file and print the effective policy; list plugin-declared keys.",
    "plugins": "List the installed plugins, their versions and hooks, and which a policy turns on.",
    "calendar": "Check a school calendar file and print its years at a glance.",
    "check": "Run the intervention rules (thresholds, penalty notices, look-ahead) over a marks "
    "file.",
    "report": "Write the attendance officer's report (Markdown, text, JSON, CSV or HTML).",
    "whatif": "What a leave request would do to a pupil's attendance, PA and penalty-notice "
    "position.",
    "census": "The school census attendance module: possible sessions and reasons per pupil.",
    "ctf": "Common Transfer File attendance: write leavers' blocks, or read a CTF's marks.",
}
"""Each command's ``HELP`` line, so ``attendance-core --help`` lists the commands without
importing them (the suite checks each equals its module's ``HELP``)."""

EXIT_BAD_INPUT = 2
"""Exit status for bad input, as for argparse's own usage errors."""


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"attendance_core.cli.{name}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, one subparser per entry of :data:`COMMANDS`.

    With ``only``, just that command's subparser: :func:`main` then imports one command
    module, not all of them, so ``summary`` never pays for the calendar or engine imports.
    Without, each command is listed by its :data:`HELPS` line and no command module is
    imported: that parser only prints the list or an error, and never runs a command.
    """
    parser = argparse.ArgumentParser(
        prog="attendance-core",
        description="English school attendance rules: summaries, calendars, checks and policies.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    if only is None:
        for name in COMMANDS:
            sub.add_parser(name, help=HELPS[name], description=HELPS[name])
        return parser
    for name in (only,):
        module = _command(name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (SIGINT), 128 + 2 as a shell reports it."""

EXIT_TERMINATED = 143
"""Exit status after SIGTERM, 128 + 15 as a shell reports it."""


class Terminated(BaseException):
    """Raised by the SIGTERM handler so a run unwinds as for Ctrl-C: temporary output files are
    removed on the way out (see :func:`attendance_core.io.output.write_atomically`)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input, 130 after Ctrl-C, 143
    after SIGTERM), with one line on standard error and never a traceback."""
    import signal

    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv and argv[0] in COMMANDS else None).parse_args(argv)
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals to the host program
        previous = None
    try:
        from attendance_core.cli._paths import refuse_outputs_over_inputs  # not for --help

        refuse_outputs_over_inputs(args)
        status: int = args._run(args)
    except AttendanceError as error:
        print(f"attendance-core {args.command}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"attendance-core {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print(f"attendance-core {args.command}: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except RecursionError:
        print(f"attendance-core {args.command}: error: input nested too deeply", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print(f"attendance-core {args.command}: error: input too large", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `attendance-core summary … | head`
        sys.stderr.close()
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return status
