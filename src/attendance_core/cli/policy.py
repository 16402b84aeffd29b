"""``attendance-core policy``: check a policy file, or list the keys plugins declare.

``policy check FILE.toml`` prints the effective policy (every default filled in) as TOML, which
reads back as the same policy; with problems it lists every one, each with its path, and exits
with status 2. ``policy keys`` shows each plugin-declared key with its default, doc and the
plugin that declared it.
"""

from __future__ import annotations

import argparse

from attendance_core.cli import EXIT_BAD_INPUT
from attendance_core.cli._output import print_problems
from attendance_core.exceptions import PolicyError
from attendance_core.io.output import emit
from attendance_core.plugins import declared_keys, installed_plugins, make_plugin_manager
from attendance_core.policy import toml_value
from attendance_core.school import load_policy

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Check a policy file and print the effective policy; list plugin-declared keys."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``check FILE [--output PATH]`` and ``keys``."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="validate a policy file and print it with defaults filled in, as TOML",
        description="Validate a policy file; print the effective policy as TOML, or list "
        "every problem (exit status 2).",
    )
    check.add_argument("file", metavar="FILE.toml", help="the policy file")
    check.add_argument("--output", "-o", metavar="PATH", help="write the TOML here (atomically)")
    actions.add_parser(
        "keys",
        help="list the policy keys installed plugins declare (set once a policy turns them on)",
        description="List each plugin-declared key: path, default, doc, source, plugin.",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``policy check`` or ``policy keys``; 2 when the policy has problems."""
    if args.action == "keys":
        manager = make_plugin_manager(installed_plugins())
        lines = []
        for path, declared in sorted(declared_keys(manager).items()):
            key = declared.key
            lines.append(f"{path} = {toml_value(key.default)}")
            lines.append(f"    {key.doc}")
            lines.append(f"    source: {key.source or '-'}; declared by plugin {declared.plugin}")
        emit("".join(f"{line}\n" for line in lines), None)
        return 0
    try:
        policy = load_policy(args.file)
    except PolicyError as error:
        print_problems("policy check", error.problems)
        return EXIT_BAD_INPUT
    emit(policy.to_toml(), args.output)
    return 0
