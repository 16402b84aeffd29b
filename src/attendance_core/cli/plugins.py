"""``attendance-core plugins [--policy FILE]``: the installed plugins and which a policy turns on.

Installed plugins are dormant until a policy's ``plugins`` list names them, so this is where a
school sees what it could turn on: each plugin's entry-point name, distribution and version, the
hooks it implements, and whether the given policy turns it on.
"""

from __future__ import annotations

import argparse

from attendance_core.io.output import emit
from attendance_core.plugins import BUILTIN, installed_plugins, list_plugins, make_plugin_manager
from attendance_core.school import load_policy

__all__ = ["HELP", "add_arguments", "run"]

HELP = "List the installed plugins, their versions and hooks, and which a policy turns on."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``[--policy FILE.toml] [--output PATH]``."""
    parser.add_argument(
        "--policy", metavar="FILE.toml", help="say which plugins this policy turns on"
    )
    parser.add_argument("--output", "-o", metavar="PATH", help="write here (atomically)")


def run(args: argparse.Namespace) -> int:
    """One line per installed plugin, and its hooks below it."""
    installed = installed_plugins()
    turned_on = set(load_policy(args.policy).plugins) if args.policy else set()
    hooks = {info.name: info.hooks for info in list_plugins(make_plugin_manager(installed))}
    lines = [] if installed else ["no plugins are installed"]
    for name, plugin in installed.items():
        state = "on" if name in turned_on else "off"
        if args.policy is None:
            state = "off (no policy names it)"
        version = f"{plugin.distribution} {plugin.version}" if plugin.distribution else "-"
        lines.append(f"{name}  ({version})  {state}")
        lines.append(f"    hooks: {', '.join(hooks.get(name, ())) or 'none'}")
    if installed:
        lines.append(
            f"built in: {BUILTIN} (always on: the national rules, answering after every plugin that is on)"
        )
    emit("".join(f"{line}\n" for line in lines), args.output)
    return 0
