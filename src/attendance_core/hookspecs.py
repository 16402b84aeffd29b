# mypy: disable-error-code="empty-body"
"""Every hook attendance_core calls, documented like pytest's hookspecs.

Plugins implement these with ``@attendance_core.hookimpl``. Decision hooks stop at the first
non-``None`` answer (``firstresult``); the built-in behaviour is itself a plugin registered
``trylast``, so a school's, trust's, LA's or vendor's plugin can always override it.
Contribution hooks return frozen values and never mutate their arguments.
"""

from __future__ import annotations

from collections.abc import Sequence

import pluggy

from attendance_core.codes import AttendanceCode, CodeSet

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "attendance_core"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def attendance_core_code_sets() -> Sequence[CodeSet]:
    """Contribute code sets (for example Wales's, or a vendor's extended set).

    Called by :func:`attendance_core.plugins.code_sets` whenever code sets are listed or a code
    set id is resolved through the plugin manager. Every plugin's answer is collected.

    :return: the code sets this plugin provides; each id must be unique across all plugins
        and the built-in sets (``"england-2024"``, ``"england-2006"``).
    """


@hookspec(firstresult=True)
def attendance_core_map_code(code: str, code_set: CodeSet) -> AttendanceCode | None:
    """Map a local or vendor code (for example an MIS sub-code ``"I01"``) to a statutory code.

    Called by :func:`attendance_core.plugins.resolve_code` for every distinct code read from a
    register, with the code exactly as written (surrounding whitespace removed) and the
    statutory code set in force for the mark. The first plugin to return a code decides; the
    built-in implementation (``trylast``) looks the code up in ``code_set`` itself.

    :param code: the code as it appears in the register.
    :param code_set: the statutory code set that applies to the mark.
    :return: the statutory :class:`AttendanceCode` from ``code_set`` that ``code`` stands for,
        or ``None`` to leave the decision to other plugins.
    """
