"""The plugin manager: built on demand, never at import time.

Plugins come from the ``attendance_core`` entry-point group (switched off by setting
``ATTENDANCE_CORE_DISABLE_PLUGIN_AUTOLOAD``) and from the ``plugins`` argument. The built-in
behaviour is registered first as the plugin ``"builtin"``, marked ``trylast``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pluggy

from attendance_core import hookspecs
from attendance_core.codes import CODE_SETS, AttendanceCode, CodeSet
from attendance_core.exceptions import PluginError, UnknownCodeError

if TYPE_CHECKING:
    from attendance_core.calendars import CalendarAdjustment, SchoolCalendar
    from attendance_core.policy import Policy
    from attendance_core.rules.escalation import Escalation
    from attendance_core.rules.findings import Finding, Rule

__all__ = [
    "AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "code_sets",
    "contributions",
    "decide_code",
    "hook_answers",
    "list_plugins",
    "make_plugin_manager",
    "resolve_code",
]

T = TypeVar("T")

ENTRY_POINT_GROUP = "attendance_core"
AUTOLOAD_ENV = "ATTENDANCE_CORE_DISABLE_PLUGIN_AUTOLOAD"


class _Builtin:
    """attendance_core's own behaviour, overridable by any plugin."""

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_code_sets(self) -> Sequence[CodeSet]:
        return tuple(CODE_SETS.values())

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return code_set.lookup(code)

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_rules(self) -> Sequence[Rule]:
        from attendance_core.rules.registry import BUILTIN_RULES

        return BUILTIN_RULES

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_adjust_policy(self, policy: Policy) -> Policy | None:
        return policy

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_escalation(self, finding: Finding, policy: Policy) -> Escalation | None:
        from attendance_core.rules.escalation import escalation_by_severity

        return escalation_by_severity(finding, policy)

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_calendars(self) -> Sequence[SchoolCalendar]:
        return ()

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_adjust_calendar(
        self, calendar: SchoolCalendar
    ) -> CalendarAdjustment | None:
        return None


def make_plugin_manager(
    *, load_entrypoints: bool = True, plugins: Iterable[object] = ()
) -> pluggy.PluginManager:
    """A fresh plugin manager with the built-in plugin, entry-point plugins and ``plugins``.

    A hook implementation whose name matches no hook (a misspelling) raises
    :class:`PluginError` naming the plugin and the hook.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    manager.register(_Builtin(), name="builtin")
    if load_entrypoints and not os.environ.get(AUTOLOAD_ENV):
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in plugins:
        manager.register(plugin)
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        raise PluginError(f"plugin {manager.get_name(error.plugin)!r}: {error}") from None
    return manager


@attrs.frozen
class PluginInfo:
    """What :func:`list_plugins` reports of one registered plugin."""

    name: str
    version: str | None
    hooks: tuple[str, ...]


def list_plugins(manager: pluggy.PluginManager) -> list[PluginInfo]:
    """Each registered plugin with its distribution version (if installed) and its hooks."""
    versions = {id(plugin): dist.version for plugin, dist in manager.list_plugin_distinfo()}
    infos = []
    for name, plugin in manager.list_name_plugin():
        if plugin is None:
            continue
        hooks = tuple(sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()))
        infos.append(PluginInfo(name, versions.get(id(plugin)), hooks))
    return infos


def hook_answers(
    manager: pluggy.PluginManager, hook_name: str, /, **kwargs: Any
) -> Iterator[tuple[str, Any]]:
    """``(plugin name, answer)`` from each implementation of a hook, in pluggy's call order.

    pluggy's own call returns answers without saying whose they are; calling the
    implementations one by one (lazily, so a caller can stop at the first non-``None`` answer of
    a ``firstresult`` hook) records which plugin decided. Each implementation gets only the
    arguments it asks for, as in a normal call. Hook wrappers are not run.
    """
    caller = getattr(manager.hook, hook_name)
    for impl in reversed(caller.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue
        yield impl.plugin_name, impl.function(**{name: kwargs[name] for name in impl.argnames})


def contributions(
    manager: pluggy.PluginManager, hook_name: str, kind: type[T], /, **kwargs: Any
) -> Iterator[tuple[str, T]]:
    """``(plugin name, item)`` for each item of each plugin's answer to a contribution hook.

    A plugin's answer is a sequence of ``kind`` values (``None`` counts as none); anything
    else breaks the hook's contract and is a :class:`PluginError` naming the plugin, so a
    broken plugin is one clear message rather than a traceback deep in the core.
    """
    for plugin, answer in hook_answers(manager, hook_name, **kwargs):
        for item in answer or ():
            if not isinstance(item, kind):
                raise PluginError(
                    f"plugin {plugin!r} returned {item!r} from {hook_name}, not a {kind.__name__}"
                )
            yield plugin, item


def code_sets(manager: pluggy.PluginManager) -> dict[str, CodeSet]:
    """Every code set the built-in set and the plugins provide, by id; ids must be unique.

    Raises :class:`PluginError` naming both plugins when two provide different sets under one id.
    """
    found: dict[str, CodeSet] = {}
    owners: dict[str, str] = {}
    for plugin, code_set in contributions(manager, "attendance_core_code_sets", CodeSet):
        if code_set.id in found and found[code_set.id] is not code_set:
            raise PluginError(
                f"two plugins provide code set {code_set.id!r}: "
                f"{owners[code_set.id]!r} and {plugin!r}"
            )
        found[code_set.id] = code_set
        owners.setdefault(code_set.id, plugin)
    return found


def decide_code(
    manager: pluggy.PluginManager, code: str, code_set: CodeSet
) -> tuple[AttendanceCode, str]:
    """The statutory code that ``code`` stands for in ``code_set``, and the plugin that decided.

    Plugins are asked in pluggy's call order, the built-in lookup last, and the first answer
    wins. Raises :class:`UnknownCodeError` (with the nearest codes) when nobody maps ``code``,
    and :class:`PluginError` naming the plugin when it answers with a code outside the set.
    """
    written = code.strip()
    answers = hook_answers(manager, "attendance_core_map_code", code=written, code_set=code_set)
    for plugin, answer in answers:
        if answer is None:
            continue
        known = isinstance(answer, AttendanceCode) and answer.code in code_set
        if not known or code_set[answer.code] != answer:
            shown = answer.code if isinstance(answer, AttendanceCode) else answer
            raise PluginError(
                f"plugin {plugin!r} mapped {written!r} onto {shown!r}, "
                f"which is not in {code_set.id!r}"
            )
        return answer, plugin
    raise UnknownCodeError(written, code_set.id, code_set.suggest(written))


def resolve_code(manager: pluggy.PluginManager, code: str, code_set: CodeSet) -> AttendanceCode:
    """The statutory code that ``code`` stands for, asking plugins first (vendor sub-codes)."""
    return decide_code(manager, code, code_set)[0]
