"""Contract checks for plugin authors: does a plugin honour every hook it implements?

:func:`check_plugin` registers the plugin on a fresh manager (entry points off, only the
built-in plugin beside it) and runs every check that applies to the hooks it implements. All
problems are collected and reported at once, one line each, naming the hook and what to fix.
Checks look hooks up by name on the manager, so a hook that a newer attendance_core adds is
checked as soon as the installed version has it.

The contracts checked:

- hook names: every ``@hookimpl`` names a hook that exists (a misspelling is rejected by the
  manager) and asks only for arguments the hook passes; an ``attendance_core_*`` function left
  without ``@hookimpl`` (silently ignored otherwise) is reported too;
- ``attendance_core_code_sets``: unique ids (also against the built-in sets), a source, a
  non-empty set of codes, each with a category, and dates in order;
- ``attendance_core_map_code``: total over the local codes the plugin claims, onto codes of the
  code set passed in, leaving statutory codes as they are and unknown codes unmapped (``None``);
- ``attendance_core_policy_keys``: every key has a doc, a source and a default its own check
  accepts, no key is declared twice, and a policy holding the defaults survives its own TOML;
- ``attendance_core_calendars``: every calendar is a valid ``SchoolCalendar`` with a unique
  name that survives a TOML round trip;
- ``attendance_core_adjust_calendar``: the adjustment leaves valid the calendar it is meant for
  (given to :func:`check_plugin`) and the plugin's own calendars;
- ``attendance_core_rules``: rule names unique (also against the built-in rules), kebab-case,
  each with a source and a summary;
- ``attendance_core_adjust_policy``: for every rule, ``None`` or a policy the policy loader
  accepts and reads back unchanged.

Hooks that need a whole run to exercise (escalation, report sections) are left to the
author's own tests, with the manager from :mod:`attendance_core.testing.pytest_plugin`.
"""

from __future__ import annotations

import difflib
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pluggy

from attendance_core import hookspecs
from attendance_core.calendars import (
    CalendarAdjustment,
    SchoolCalendar,
    apply_adjustment,
    calendar_problems,
)
from attendance_core.codes import CODE_SETS, Category, CodeSet, get_code_set
from attendance_core.exceptions import (
    AttendanceError,
    CalendarError,
    PluginError,
    PolicyError,
    UnknownCodeError,
)
from attendance_core.plugins import code_sets as collect_code_sets
from attendance_core.plugins import decide_code, hook_answers, make_plugin_manager
from attendance_core.policy import Policy
from attendance_core.rules.findings import Rule
from attendance_core.school import load_policy

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["ConformanceError", "check_plugin", "plugin_problems"]

HOOK_PREFIX = "attendance_core_"
_UNKNOWN_CODE = "?not-a-code?"
"""A code no code set has: a plugin must leave it unmapped."""
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ConformanceError(AssertionError):
    """A plugin breaks one or more hook contracts; ``problems`` lists each, one line each.

    An ``AssertionError`` because it is a failed check in the plugin author's test suite: pytest
    shows the message as the test's failure.
    """

    def __init__(self, plugin: str, problems: Sequence[str]) -> None:
        self.plugin = plugin
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        noun = "contract" if count == 1 else "contracts"
        super().__init__(f"plugin {plugin!r} breaks {count} hook {noun}:\n{lines}")


def check_plugin(
    plugin: object,
    *,
    local_codes: Iterable[str] = (),
    code_sets: Iterable[CodeSet | str] | None = None,
    calendar: SchoolCalendar | None = None,
) -> None:
    """Run every contract check that applies to ``plugin``; raise :class:`ConformanceError`.

    :param plugin: the plugin object (a module or an instance with ``@hookimpl`` methods).
    :param local_codes: the local or vendor codes the plugin's ``attendance_core_map_code``
        claims to map (for example ``"I01"``); required when it implements that hook.
    :param code_sets: the code sets the mapping must work in (ids or sets); by default every
        code set on the manager: the built-in statutory sets and any the plugin contributes.
    :param calendar: a calendar the plugin's ``attendance_core_adjust_calendar`` is meant for
        (for example its LA's); its adjustment must leave the calendar valid. The plugin's own
        calendars are checked this way too.
    """
    problems = plugin_problems(
        plugin, local_codes=local_codes, code_sets=code_sets, calendar=calendar
    )
    if problems:
        raise ConformanceError(_plugin_name(plugin), problems)


def plugin_problems(
    plugin: object,
    *,
    local_codes: Iterable[str] = (),
    code_sets: Iterable[CodeSet | str] | None = None,
    calendar: SchoolCalendar | None = None,
) -> list[str]:
    """What :func:`check_plugin` would report, as a list of one-line problems (empty: none)."""
    problems = _hook_name_problems(plugin)
    if problems:
        return problems
    try:
        manager = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    except (AttendanceError, pluggy.PluginValidationError) as error:
        return [f"hook names: {' '.join(str(error).split())}"]
    implemented = {caller.name for caller in manager.get_hookcallers(plugin) or ()}
    problems = _unmarked_hooks(plugin, implemented)
    context = _Context(manager, plugin, tuple(local_codes), code_sets, calendar, implemented)
    for hook_name, check in _CHECKS:
        if hook_name in implemented and hasattr(manager.hook, hook_name):
            try:
                problems.extend(f"{hook_name}: {p}" for p in check(context))
            except Exception as error:  # a plugin's own exception is a broken contract too
                problems.append(f"{hook_name}: raised {type(error).__name__}: {error}")
    return problems


def _plugin_name(plugin: object) -> str:
    name = getattr(plugin, "__name__", None)
    return name if isinstance(name, str) else type(plugin).__name__


def _hook_name_problems(plugin: object) -> list[str]:
    """Marked implementations of hooks that do not exist, or asking for arguments never passed."""
    specs = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    specs.add_hookspecs(hookspecs)
    known = sorted(name for name in vars(specs.hook) if name.startswith(HOOK_PREFIX))
    problems = []
    for name in dir(plugin):
        if specs.parse_hookimpl_opts(plugin, name) is None:
            continue
        caller = getattr(specs.hook, name, None)
        if caller is None or caller.spec is None:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(f"hook names: {name!r} is not an attendance_core hook{hint}")
            continue
        asked = inspect.signature(getattr(plugin, name)).parameters
        extra = [arg for arg in asked if arg not in caller.spec.argnames]
        if extra:
            problems.append(
                f"hook names: {name} asks for {', '.join(map(repr, extra))}, which the hook "
                f"does not pass (it passes {', '.join(caller.spec.argnames) or 'nothing'})"
            )
    return problems


def _unmarked_hooks(plugin: object, implemented: set[str]) -> list[str]:
    return [
        f"hook names: {name!r} looks like a hook but is not marked with "
        "@attendance_core.hookimpl, so it is never called"
        for name in sorted(dir(plugin))
        if name.startswith(HOOK_PREFIX)
        and name not in implemented
        and callable(getattr(plugin, name, None))
    ]


class _Context:
    """What each check reads: the manager, the plugin, and what the author told us it claims."""

    def __init__(
        self,
        manager: pluggy.PluginManager,
        plugin: object,
        local_codes: tuple[str, ...],
        code_sets: Iterable[CodeSet | str] | None,
        calendar: SchoolCalendar | None,
        implemented: set[str],
    ) -> None:
        self.manager = manager
        self.calendar = calendar
        self.implemented = implemented
        self.plugin = plugin
        self.name = manager.get_name(plugin) or _plugin_name(plugin)
        self.local_codes = local_codes
        self.code_sets = code_sets

    def answers(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """This plugin's own answers to ``hook_name`` (never another plugin's)."""
        return [
            a for name, a in hook_answers(self.manager, hook_name, **kwargs) if name == self.name
        ]

    def others(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Every other plugin's answers to ``hook_name`` (the built-in plugin's, here)."""
        return [
            a for name, a in hook_answers(self.manager, hook_name, **kwargs) if name != self.name
        ]

    def sets_to_check(self) -> list[CodeSet]:
        """The code sets a mapping must work in: as the author said, or every one available."""
        try:
            available = collect_code_sets(self.manager)
        except PluginError:  # clashing ids are reported by the code-set check
            available = dict(CODE_SETS)
        if self.code_sets is None:
            return list(available.values())
        return [
            s if isinstance(s, CodeSet) else available.get(s) or get_code_set(s)
            for s in self.code_sets
        ]


# -- code sets ----------------------------------------------------------------------------
def _named_contributions(
    answers: Iterable[Any],
    kind: type,
    noun: str,
    key: str,
    taken: Iterable[str],
    problems_of: Callable[[Any], list[str]],
) -> list[str]:
    """What code sets, calendars and rules share: the right type, a unique name, no problems."""
    problems: list[str] = []
    seen = set(taken)
    for answer in answers:
        for item in _as_sequence(answer):
            if not isinstance(item, kind):
                problems.append(f"returned {item!r}, not a {kind.__name__}")
                continue
            name = getattr(item, key)
            if not name.strip():
                problems.append(f"{noun} {key} is empty")
            elif name in seen:
                problems.append(f"{noun} {key} {name!r} is already taken")
            seen.add(name)
            problems.extend(f"{noun} {name!r}: {p}" for p in problems_of(item))
    return problems


def _check_code_sets(context: _Context) -> list[str]:
    return _named_contributions(
        context.answers("attendance_core_code_sets"),
        CodeSet,
        "code set",
        "id",
        CODE_SETS,
        _code_set_problems,
    )


def _code_set_problems(code_set: CodeSet) -> list[str]:
    problems = []
    if not code_set.source.strip():
        problems.append("has no source (cite the regulations or guidance that define it)")
    if len(code_set) == 0:
        problems.append("has no codes")
    if code_set.valid_from and code_set.valid_to and code_set.valid_to < code_set.valid_from:
        problems.append(f"valid_to {code_set.valid_to} is before valid_from {code_set.valid_from}")
    for code in code_set:
        if not isinstance(code.category, Category):
            problems.append(f"code {code.code!r} has no statistical category ({code.category!r})")
        if not code.code or code.code != code.code.strip():
            problems.append(f"code {code.code!r} is empty or has surrounding whitespace")
    return problems


# -- code mapping -------------------------------------------------------------------------
def _check_map_code(context: _Context) -> list[str]:
    if not context.local_codes:
        return [
            "implements the hook, but check_plugin was given no local_codes: pass the codes the "
            "plugin claims to map, so that the mapping can be checked to be total"
        ]
    problems = []
    for code_set in context.sets_to_check():
        where = f"in {code_set.id!r}"
        for local in context.local_codes:
            try:
                decide_code(context.manager, local, code_set)
            except UnknownCodeError:
                problems.append(f"claimed code {local!r} is not mapped {where} (map every one)")
            except AttendanceError as error:
                problems.append(f"{local!r} {where}: {error}")
        remapped = [
            f"{code.code!r} onto {result!r}"
            for code in code_set
            if (result := _resolved(context.manager, code.code, code_set)) != code.code
        ]
        if remapped:
            problems.append(f"remapped statutory codes {where}: {', '.join(remapped)}")
        unknown = _resolved(context.manager, _UNKNOWN_CODE, code_set)
        if unknown is not None:
            problems.append(
                f"mapped the unknown code {_UNKNOWN_CODE!r} onto {unknown!r} {where}; return "
                "None for codes the plugin does not know"
            )
    return problems


def _resolved(manager: pluggy.PluginManager, code: str, code_set: CodeSet) -> str | None:
    """What ``code`` resolves to, or ``None`` where nothing maps it."""
    try:
        return decide_code(manager, code, code_set)[0].code
    except UnknownCodeError:
        return None
    except PluginError as error:
        return f"a code outside the set ({error})"


# -- policy keys --------------------------------------------------------------------------
def _check_policy_keys(context: _Context) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for answer in context.answers("attendance_core_policy_keys"):
        for key in answer:
            path = getattr(key, "path", repr(key))
            if path in seen:
                problems.append(f"policy key {path} is declared twice")
            seen.add(path)
            problems.extend(f"policy key {path}: {p}" for p in _policy_key_problems(key))
    return problems or _policy_defaults_problems(context.manager)


def _policy_defaults_problems(manager: pluggy.PluginManager) -> list[str]:
    """The effective policy with the plugin's defaults must load and survive its own TOML."""
    try:
        policy = load_policy({}, plugin_manager=manager)
        text = policy.to_toml()
    except (AttendanceError, TypeError) as error:
        return [f"a policy with the plugin's defaults cannot be written: {error}"]
    try:
        again = load_policy(tomllib.loads(text), plugin_manager=manager)
    except PolicyError as error:
        return [f"its defaults do not read back: {p.path}: {p.message}" for p in error.problems]
    if again != policy:
        return ["its defaults change when written to TOML and read back"]
    return []


def _policy_key_problems(key: Any) -> list[str]:
    problems = []
    if not str(getattr(key, "doc", "")).strip():
        problems.append("has no doc (say what it means; docs/policy.md lists it)")
    if not str(getattr(key, "source", "")).strip():
        problems.append("has no source (the legal, DfE or local-policy basis of the default)")
    default = getattr(key, "default", None)
    if default is None:
        problems.append("has no default (a policy that leaves it out must still work)")
    else:
        try:
            key.check(default)
        except (TypeError, ValueError) as error:
            problems.append(f"its own check rejects its default {default!r}: {error}")
    return problems


# -- calendars ----------------------------------------------------------------------------
def _own_calendars(context: _Context) -> list[SchoolCalendar]:
    if "attendance_core_calendars" not in context.implemented:
        return []
    return [
        c
        for a in context.answers("attendance_core_calendars")
        for c in _as_sequence(a)
        if isinstance(c, SchoolCalendar)
    ]


def _check_calendars(context: _Context) -> list[str]:
    return _named_contributions(
        context.answers("attendance_core_calendars"),
        SchoolCalendar,
        "calendar",
        "name",
        (),
        _calendar_problems,
    )


def _calendar_problems(calendar: SchoolCalendar) -> list[str]:
    found = [f"{p.path}: {p.message}" for p in calendar_problems(calendar)]
    if found:
        return found
    try:
        again = SchoolCalendar.from_mapping(tomllib.loads(calendar.to_toml()))
    except AttendanceError as error:
        return [f"does not read back from its own TOML: {' '.join(str(error).split())}"]
    if again != calendar:
        return ["does not survive a TOML round trip (to_toml, then from_mapping)"]
    return []


def _check_adjust_calendar(context: _Context) -> list[str]:
    targets = [*([context.calendar] if context.calendar else []), *_own_calendars(context)]
    if not targets:
        return [
            "implements the hook, but check_plugin was given no calendar: pass the calendar the "
            "plugin adjusts (e.g. its LA's), so that the adjusted calendar can be checked"
        ]
    problems: list[str] = []
    for calendar in targets:
        for adjustment in context.answers("attendance_core_adjust_calendar", calendar=calendar):
            if adjustment is None:
                continue
            if not isinstance(adjustment, CalendarAdjustment):
                problems.append(f"returned {adjustment!r}, not a CalendarAdjustment")
                continue
            try:
                apply_adjustment(calendar, adjustment, by=context.name)
            except CalendarError as error:
                problems.extend(
                    f"adjusting calendar {calendar.name!r}: {p.path}: {p.message}"
                    for p in error.problems
                )
    return problems


# -- rules --------------------------------------------------------------------------------
def _check_rules(context: _Context) -> list[str]:
    builtin = [r.name for a in context.others("attendance_core_rules") for r in _as_sequence(a)]
    return _named_contributions(
        context.answers("attendance_core_rules"), Rule, "rule", "name", builtin, _rule_problems
    )


def _rule_problems(rule: Rule) -> list[str]:
    problems = []
    if not _KEBAB.fullmatch(rule.name):
        problems.append("name is not kebab-case (e.g. 'trust-letter-one')")
    if not rule.source.strip():
        problems.append("has no source (cite the legal, DfE or local-policy basis)")
    if not rule.summary.strip():
        problems.append("has no summary")
    if rule.scope not in ("pupil", "register"):
        problems.append(f"scope {rule.scope!r} is neither 'pupil' nor 'register'")
    if not callable(rule.func):
        problems.append("func is not callable")
    return problems


def _check_adjust_policy(context: _Context) -> list[str]:
    base = load_policy({}, plugin_manager=context.manager)
    rules = [
        r
        for _, a in hook_answers(context.manager, "attendance_core_rules")
        for r in _as_sequence(a)
    ]
    problems: list[str] = []
    for rule in rules:
        for answer in context.answers("attendance_core_adjust_policy", policy=base, rule=rule):
            if answer is None:
                continue
            if not isinstance(answer, Policy):
                problems.append(f"for rule {rule.name!r} returned {answer!r}, not a Policy")
                continue
            try:
                again = load_policy(tomllib.loads(answer.to_toml()), plugin_manager=context.manager)
            except PolicyError as error:
                problems.extend(
                    f"for rule {rule.name!r} returned an invalid policy: {p.path}: {p.message}"
                    for p in error.problems
                )
                continue
            if again != answer:
                problems.append(
                    f"for rule {rule.name!r} returned a policy that does not round-trip"
                )
    return problems


def _as_sequence(answer: Any) -> Sequence[Any]:
    return answer if isinstance(answer, (list, tuple)) else (answer,)


_CHECKS: tuple[tuple[str, Callable[[_Context], list[str]]], ...] = (
    ("attendance_core_code_sets", _check_code_sets),
    ("attendance_core_map_code", _check_map_code),
    ("attendance_core_policy_keys", _check_policy_keys),
    ("attendance_core_calendars", _check_calendars),
    ("attendance_core_adjust_calendar", _check_adjust_calendar),
    ("attendance_core_rules", _check_rules),
    ("attendance_core_adjust_policy", _check_adjust_policy),
)
"""Each hook with a contract check, by name: a check runs only where the hook exists."""
