"""Plugins: the manager, the built-in plugin, and the one place each hook is called.

Installed plugins (the ``attendance_core`` entry-point group) are dormant: a manager holds the
built-in plugin, the installed plugins a policy names, and any plugin objects registered in
code, and nothing else, so installing a package never changes anyone's figures. The built-in
behaviour is itself a plugin, ``"builtin"``, registered first and marked ``trylast``.

Every hook is called through pluggy, by exactly one function below, so hook wrappers
(``wrapper=True``), ``tryfirst``/``trylast``, ``pm.trace`` and call monitoring work for every
hook. Each implementation's answer is recorded with its plugin's name as pluggy calls it, so
whatever a plugin decided can be reported as its decision (provenance).
"""

from __future__ import annotations

import contextvars
import functools
import importlib.metadata
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pluggy

from attendance_core import hookspecs
from attendance_core.calendars import CalendarAdjustment, SchoolCalendar, apply_adjustment
from attendance_core.codes import CODE_SETS, AttendanceCode, CodeSet
from attendance_core.exceptions import PluginError, UnknownCodeError
from attendance_core.policy import DeclaredKey, Policy, PolicyKey
from attendance_core.rules.escalation import Escalation, escalation_by_severity
from attendance_core.rules.findings import Finding, Rule
from attendance_core.rules.registry import BUILTIN_RULES

if TYPE_CHECKING:
    from attendance_core.register import Register
    from attendance_core.rules.statistics import AttendanceSummary

__all__ = [
    "AUTOLOAD_ENV",
    "BUILTIN",
    "ENTRY_POINT_GROUP",
    "InstalledPlugin",
    "PluginInfo",
    "adjust_calendar",
    "adjusted_policy",
    "available_rules",
    "code_sets",
    "contributions",
    "decide_code",
    "declared_keys",
    "escalation",
    "escalation_decides",
    "hook_answers",
    "installed_plugins",
    "list_plugins",
    "make_plugin_manager",
    "plugin_calendars",
    "report_sections",
    "resolve_calendar",
    "resolve_code",
]

T = TypeVar("T")

ENTRY_POINT_GROUP = "attendance_core"
AUTOLOAD_ENV = "ATTENDANCE_CORE_DISABLE_PLUGIN_AUTOLOAD"
"""Set (to anything) to load no installed plugin, even one a policy names (for test isolation)."""
BUILTIN = "builtin"
"""The name the built-in plugin is registered under; its decisions need no provenance."""


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
        return BUILTIN_RULES

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_adjust_policy(self, policy: Policy) -> Policy | None:
        return policy

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_escalation(self, finding: Finding, policy: Policy) -> Escalation | None:
        return escalation_by_severity(finding, policy)

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_calendars(self) -> Sequence[SchoolCalendar]:
        return ()

    @hookspecs.hookimpl(trylast=True)
    def attendance_core_adjust_calendar(
        self, calendar: SchoolCalendar
    ) -> CalendarAdjustment | None:
        return None


# -- recording who answered --------------------------------------------------------------------
_ANSWERS: contextvars.ContextVar[list[tuple[str, object]] | None] = contextvars.ContextVar(
    "attendance_core_hook_answers", default=None
)
_RECORDS = "__attendance_core_records__"


def _recording(function: Callable[..., Any], plugin: str) -> Callable[..., Any]:
    """``function``, noting each non-``None`` answer with ``plugin`` in the current call's log."""

    @functools.wraps(function)
    def answer(*args: Any) -> Any:
        result = function(*args)
        log = _ANSWERS.get()
        if log is not None and result is not None:
            log.append((plugin, result))
        return result

    setattr(answer, _RECORDS, True)
    return answer


def _instrument(caller: pluggy.HookCaller) -> None:
    """Make each plain implementation of ``caller`` record its answers (wrappers are left as
    they are: pluggy runs them around the others). Idempotent."""
    for impl in caller.get_hookimpls():
        if not (impl.wrapper or impl.hookwrapper) and not hasattr(impl.function, _RECORDS):
            # HookImpl.function is public; pluggy calls it with the arguments it asks for.
            impl.function = _recording(impl.function, impl.plugin_name)  # type: ignore[misc]


class _Manager(pluggy.PluginManager):
    """A plugin manager that remembers the distribution version of each installed plugin."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.versions: dict[str, str] = {}


# -- building a manager ------------------------------------------------------------------------
@attrs.frozen
class InstalledPlugin:
    """An installed plugin, found by its entry point and not yet loaded."""

    name: str
    """The entry-point name: what a policy's ``plugins`` list names."""
    distribution: str | None
    version: str | None
    value: str
    """What the entry point loads, e.g. ``attendance_core_kent``."""


def installed_plugins() -> dict[str, InstalledPlugin]:
    """Every installed plugin by entry-point name, in name order (none is loaded)."""
    found: dict[str, InstalledPlugin] = {}
    for point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = point.dist
        found[point.name] = InstalledPlugin(
            point.name,
            dist.metadata["Name"] if dist is not None else None,
            dist.version if dist is not None else None,
            point.value,
        )
    return dict(sorted(found.items()))


def make_plugin_manager(
    names: Iterable[str] = (),
    *,
    plugins: Iterable[object] | Mapping[str, object] = (),
    load_entrypoints: bool = True,
) -> pluggy.PluginManager:
    """A fresh manager: the built-in plugin, ``plugins`` (objects registered in code act because
    the caller registered them; a mapping gives their names) and the installed plugins
    ``names`` names that ``plugins`` does not already provide.

    Raises :class:`PluginError` for a name no installed plugin has (listing those there are),
    for a named plugin while entry-point loading is off (``load_entrypoints=False`` or
    :data:`AUTOLOAD_ENV`), and for a hook implementation whose name matches no hook.
    """
    manager = _Manager()
    manager.add_hookspecs(hookspecs)
    manager.register(_Builtin(), name=BUILTIN)
    given = plugins.items() if isinstance(plugins, Mapping) else ((None, p) for p in plugins)
    for name, plugin in given:
        manager.register(plugin, name=name or _default_name(manager, plugin))
    wanted = [name for name in dict.fromkeys(names) if not manager.has_plugin(name)]
    if wanted:
        if not load_entrypoints or os.environ.get(AUTOLOAD_ENV):
            raise PluginError(
                f"plugin {wanted[0]!r} is named, but loading installed plugins is switched off"
                f" ({'load_entrypoints=False' if not load_entrypoints else AUTOLOAD_ENV})"
            )
        _load_named(manager, wanted)
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        raise PluginError(f"plugin {manager.get_name(error.plugin)!r}: {error}") from None
    return manager


def _default_name(manager: pluggy.PluginManager, plugin: object) -> str | None:
    """A plugin object's name in messages: a module's own name, else its class's name (pluggy's
    default, the object's id, means nothing to a reader); ``None`` lets pluggy choose."""
    name = getattr(plugin, "__name__", None) or type(plugin).__name__
    return None if manager.has_plugin(name) else name


def _load_named(manager: _Manager, names: Sequence[str]) -> None:
    points = {p.name: p for p in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    for name in names:
        point = points.get(name)
        if point is None:
            installed = ", ".join(sorted(points)) or "none"
            raise PluginError(f"no installed plugin is named {name!r} (installed: {installed})")
        manager.register(point.load(), name=name)
        if point.dist is not None:
            manager.versions[name] = point.dist.version


@attrs.frozen
class PluginInfo:
    """What :func:`list_plugins` reports of one registered plugin."""

    name: str
    version: str | None
    hooks: tuple[str, ...]


def list_plugins(manager: pluggy.PluginManager) -> list[PluginInfo]:
    """Each registered plugin with its distribution version (if installed) and its hooks."""
    versions = manager.versions if isinstance(manager, _Manager) else {}
    infos = []
    for name, plugin in manager.list_name_plugin():
        if plugin is None:
            continue
        hooks = tuple(sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()))
        infos.append(PluginInfo(name, versions.get(name), hooks))
    return infos


# -- calling hooks -----------------------------------------------------------------------------
def hook_answers(
    manager: pluggy.PluginManager, hook_name: str, /, **kwargs: Any
) -> list[tuple[str, Any]]:
    """Call a hook through pluggy; ``(plugin name, answer)`` for each answer it returns.

    A ``firstresult`` hook gives at most one answer. An answer a hook wrapper substituted is
    credited to the wrappers of that hook. ``kwargs`` must hold every argument of the hook.
    """
    caller: pluggy.HookCaller = getattr(manager.hook, hook_name)
    _instrument(caller)
    log: list[tuple[str, object]] = []
    token = _ANSWERS.set(log)
    try:
        result = caller(**kwargs)
    finally:
        _ANSWERS.reset(token)
    first = caller.spec is not None and caller.spec.opts.get("firstresult", False)
    answers = list(result) if not first else [] if result is None else [result]
    wrappers = ", ".join(
        i.plugin_name for i in caller.get_hookimpls() if i.wrapper or i.hookwrapper
    )
    return [(_who(answer, log) or wrappers, answer) for answer in answers]


def _who(answer: object, log: Sequence[tuple[str, object]]) -> str | None:
    for plugin, given in reversed(log):
        if given is answer:
            return plugin
    return None


def contributions(
    manager: pluggy.PluginManager, hook_name: str, kind: type[T], /, **kwargs: Any
) -> list[tuple[str, T]]:
    """``(plugin name, item)`` for each item of each plugin's answer to a contribution hook.

    A plugin's answer is a sequence of ``kind`` values; anything else breaks the hook's
    contract and is a :class:`PluginError` naming the plugin, so a broken plugin is one clear
    message rather than a traceback deep in the core.
    """
    found = []
    for plugin, answer in hook_answers(manager, hook_name, **kwargs):
        if not isinstance(answer, (list, tuple)):
            raise PluginError(
                f"plugin {plugin!r} returned {answer!r} from {hook_name}, not a sequence of "
                f"{kind.__name__}"
            )
        for item in answer:
            if not isinstance(item, kind):
                raise PluginError(
                    f"plugin {plugin!r} returned {item!r} from {hook_name}, not a {kind.__name__}"
                )
            found.append((plugin, item))
    return found


def _decision(
    manager: pluggy.PluginManager, hook_name: str, kind: type[T], **kwargs: Any
) -> tuple[str, T] | None:
    """The answer to a ``firstresult`` hook with the plugin that gave it; an answer of another
    type than ``kind`` is that plugin's error."""
    for plugin, answer in hook_answers(manager, hook_name, **kwargs):
        if not isinstance(answer, kind):
            raise PluginError(
                f"plugin {plugin!r} answered {hook_name} with {answer!r}; expected "
                f"{kind.__name__} or None"
            )
        return plugin, answer
    return None


def code_sets(manager: pluggy.PluginManager) -> dict[str, CodeSet]:
    """Every code set the built-in plugin and the others provide, by id (hook
    ``attendance_core_code_sets``); ids must be unique."""
    return {set_id: found for set_id, (found, _) in code_set_owners(manager).items()}


def code_set_owners(manager: pluggy.PluginManager) -> dict[str, tuple[CodeSet, str]]:
    """Each code set by id with the plugin that provides it.

    Raises :class:`PluginError` naming both plugins when two provide different sets under one id.
    """
    found: dict[str, tuple[CodeSet, str]] = {}
    for plugin, code_set in contributions(manager, "attendance_core_code_sets", CodeSet):
        if code_set.id in found and found[code_set.id][0] is not code_set:
            raise PluginError(
                f"two plugins provide code set {code_set.id!r}: "
                f"{found[code_set.id][1]!r} and {plugin!r}"
            )
        found.setdefault(code_set.id, (code_set, plugin))
    return found


def decide_code(
    manager: pluggy.PluginManager, code: str, code_set: CodeSet
) -> tuple[AttendanceCode, str]:
    """The statutory code that ``code`` stands for in ``code_set``, and the plugin that decided
    (hook ``attendance_core_map_code``; the built-in lookup answers last).

    Raises :class:`UnknownCodeError` (with the nearest codes) when nobody maps ``code``, and
    :class:`PluginError` naming the plugin when it answers with a code outside the set.
    """
    written = code.strip()
    found = _decision(
        manager, "attendance_core_map_code", AttendanceCode, code=written, code_set=code_set
    )
    if found is None:
        raise UnknownCodeError(written, code_set.id, code_set.suggest(written))
    plugin, answer = found
    if answer.code not in code_set or code_set[answer.code] != answer:
        raise PluginError(
            f"plugin {plugin!r} mapped {written!r} onto {answer.code!r}, "
            f"which is not in {code_set.id!r}"
        )
    return answer, plugin


def resolve_code(manager: pluggy.PluginManager, code: str, code_set: CodeSet) -> AttendanceCode:
    """The statutory code that ``code`` stands for: :func:`decide_code` without the decider."""
    return decide_code(manager, code, code_set)[0]


def declared_keys(manager: pluggy.PluginManager) -> dict[str, DeclaredKey]:
    """Every plugin-declared policy key by its path (hook ``attendance_core_policy_keys``).

    Raises:
        PluginError: two plugins (or one plugin twice) declare one key, or a key has no doc.
    """
    found: dict[str, DeclaredKey] = {}
    for plugin, key in contributions(manager, "attendance_core_policy_keys", PolicyKey):
        if not key.doc.strip():
            raise PluginError(f"plugin {plugin!r} declares policy key {key.path} without a doc")
        if key.path in found:
            first, second = sorted((found[key.path].plugin, plugin))
            raise PluginError(
                f"plugins {first!r} and {second!r} both declare policy key {key.path}"
            )
        found[key.path] = DeclaredKey(key, plugin)
    return found


def available_rules(manager: pluggy.PluginManager) -> dict[str, tuple[Rule, str]]:
    """Every rule there is, with who contributed it (hook ``attendance_core_rules``).

    Raises :class:`PluginError` when two contributions share a name.
    """
    found: dict[str, tuple[Rule, str]] = {}
    for plugin, rule in contributions(manager, "attendance_core_rules", Rule):
        if rule.name in found:
            raise PluginError(
                f"rule {rule.name!r} is contributed by both {found[rule.name][1]!r} and "
                f"{plugin!r}; rule names must be unique"
            )
        found[rule.name] = (rule, plugin)
    return found


def adjusted_policy(
    manager: pluggy.PluginManager, policy: Policy, rule: Rule
) -> tuple[Policy, str | None]:
    """The policy ``rule`` runs with, and the plugin that changed it (``None`` if unchanged);
    hook ``attendance_core_adjust_policy``."""
    found = _decision(manager, "attendance_core_adjust_policy", Policy, policy=policy, rule=rule)
    if found is None:
        return policy, None
    plugin, answer = found
    return answer, (None if plugin == BUILTIN or answer == policy else plugin)


def escalation_decides(manager: pluggy.PluginManager, policy: Policy) -> bool:
    """Whether asking the escalation hook can give any answer: a plugin other than the built-in
    implements it, or the policy names a step for some severity. When neither holds, every
    answer would be ``None``, so it need not be asked once per finding."""
    impls = manager.hook.attendance_core_escalation.get_hookimpls()
    return bool(policy.escalation.by_severity) or any(i.plugin_name != BUILTIN for i in impls)


def escalation(
    manager: pluggy.PluginManager, finding: Finding, policy: Policy
) -> tuple[Escalation, str] | None:
    """The step ``finding`` leads to and who decided (hook ``attendance_core_escalation``)."""
    found = _decision(
        manager, "attendance_core_escalation", Escalation, finding=finding, policy=policy
    )
    return None if found is None else (found[1], found[0])


def plugin_calendars(manager: pluggy.PluginManager) -> dict[str, tuple[SchoolCalendar, str]]:
    """Every calendar the plugins provide, by name, with its plugin (hook
    ``attendance_core_calendars``); a name given twice is a :class:`PluginError`."""
    found: dict[str, tuple[SchoolCalendar, str]] = {}
    for plugin, calendar in contributions(manager, "attendance_core_calendars", SchoolCalendar):
        if calendar.name in found:
            raise PluginError(
                f"plugins {found[calendar.name][1]!r} and {plugin!r} both provide the "
                f"calendar {calendar.name!r}"
            )
        found[calendar.name] = (calendar, plugin)
    return found


def resolve_calendar(manager: pluggy.PluginManager, name: str) -> SchoolCalendar:
    """The calendar a plugin provides under ``name``, with every plugin's adjustments applied."""
    calendars = plugin_calendars(manager)
    if name not in calendars:
        known = ", ".join(repr(n) for n in sorted(calendars)) or "none"
        raise PluginError(f"no plugin provides a calendar named {name!r} (provided: {known})")
    provided, owner = calendars[name]
    named = attrs.evolve(provided, provenance={**provided.provenance, "calendar": owner})
    return adjust_calendar(manager, named)


def adjust_calendar(manager: pluggy.PluginManager, calendar: SchoolCalendar) -> SchoolCalendar:
    """``calendar`` with every plugin's :class:`CalendarAdjustment` applied, in call order
    (hook ``attendance_core_adjust_calendar``); each adjusted calendar is checked again."""
    answers = hook_answers(manager, "attendance_core_adjust_calendar", calendar=calendar)
    for plugin, adjustment in answers:
        if not isinstance(adjustment, CalendarAdjustment):
            raise PluginError(
                f"plugin {plugin!r} returned {adjustment!r} from attendance_core_adjust_calendar, "
                "not a CalendarAdjustment or None"
            )
        calendar = apply_adjustment(calendar, adjustment, by=f"plugin {plugin!r}")
        adjusters = calendar.provenance.get("calendar adjustment")
        calendar = attrs.evolve(
            calendar,
            provenance={
                **calendar.provenance,
                "calendar adjustment": f"{adjusters}, {plugin}" if adjusters else plugin,
            },
        )
    return calendar


def report_sections(
    manager: pluggy.PluginManager,
    kind: type[T],
    *,
    register: Register,
    policy: Policy,
    summaries: Mapping[str, AttendanceSummary],
    findings: Sequence[Finding],
    as_of: Any,
) -> list[tuple[str, T]]:
    """``(plugin, section)`` for each section plugins contribute to the officer's report (hook
    ``attendance_core_report_sections``); ``kind`` is the report's section class."""
    return contributions(
        manager,
        "attendance_core_report_sections",
        kind,
        register=register,
        policy=policy,
        summaries=summaries,
        findings=findings,
        as_of=as_of,
    )
