"""Reading a policy: TOML to plain data to a checked, frozen :class:`Policy`.

The reader is generic over the model's attrs fields, so a field added to ``_model.py`` is read,
checked and documented without a change here. Every problem is collected before anything is
raised, so one run of ``attendance-core policy check`` lists them all, each with its file and
path (``policy.toml: $.thresholds.persistent_absence: expected a percentage between 0 and 100,
got 110``).
"""

from __future__ import annotations

import difflib
import math
import os
import re
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from attendance_core.codes import CODE_SETS, CodeSet
from attendance_core.exceptions import InputError, PolicyError, PolicyProblem
from attendance_core.limits import check_nesting, shorten, toml_problem
from attendance_core.limits import read_toml as read_limited_toml
from attendance_core.model import Severity, parse_month_day
from attendance_core.policy._keys import DeclaredKey
from attendance_core.policy._model import (
    BandsPolicy,
    CalendarPolicy,
    CodesPolicy,
    EscalationPolicy,
    SchoolAgePolicy,
    ThresholdsPolicy,
    least_whole_number,
)

if TYPE_CHECKING:  # handed in by Policy's constructors, so this module need not import it
    from attendance_core.policy._policy import Policy

__all__ = ["load_mapping", "load_toml", "section_fields", "sections", "show_value"]

_BAD = object()
"""Returned by a reader after it recorded a problem; the field then keeps its default."""

_SPECIAL_KEYS = ("plugins", "plugin_settings")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def section_fields(policy_class: type[Policy]) -> list[attrs.Attribute[Any]]:
    """The fields of ``policy_class`` that are ``[sections]`` (attrs classes), in file order."""
    hints = _hints(policy_class)
    return [f for f in attrs.fields(policy_class) if attrs.has(hints[f.name])]


def sections(policy_class: type[Policy]) -> list[tuple[str, type]]:
    """Each ``[section]`` name of ``policy_class`` with its attrs class, in file order."""
    hints = _hints(policy_class)
    return [(f.name, hints[f.name]) for f in section_fields(policy_class)]


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A policy file's TOML as plain data (floats as exact decimals), unchecked."""
    name = os.fspath(path)
    try:
        return read_limited_toml(name)
    except InputError as error:
        raise PolicyError([toml_problem(PolicyProblem, error, name)]) from None


def load_toml(
    policy_class: type[Policy],
    path: str | os.PathLike[str],
    *,
    plugin_keys: Mapping[str, DeclaredKey] | None = None,
    code_sets: Mapping[str, CodeSet] | None = None,
) -> Policy:
    """:meth:`Policy.from_toml`: read ``path`` and check it."""
    return load_mapping(
        policy_class,
        read_toml(path),
        source=os.fspath(path),
        plugin_keys=plugin_keys,
        code_sets=code_sets,
    )


def load_mapping(
    policy_class: type[Policy],
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    plugin_keys: Mapping[str, DeclaredKey] | None = None,
    code_sets: Mapping[str, CodeSet] | None = None,
) -> Policy:
    """:meth:`Policy.from_mapping`: check ``data`` and build the effective policy.

    ``plugin_keys`` are the keys the policy's plugins declare and ``code_sets`` every code set
    there is (the built-in ones without plugins); ``None`` for keys means no plugin was loaded,
    so a policy naming plugins is refused rather than read without their settings checked.
    """
    try:
        check_nesting(data, file=source)
    except InputError as error:
        raise PolicyError([toml_problem(PolicyProblem, error, source)]) from None
    reader = _Reader(policy_class, source, plugin_keys, code_sets or CODE_SETS)
    policy = reader.policy(data)
    if reader.problems:
        raise PolicyError(reader.problems)
    return policy


def show_value(value: Any) -> str:
    """A value as a policy file would show it: ``110``, ``92.5``, ``'text'``, ``[1, 2]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (float, Decimal)):
        value = _number(value)
        if isinstance(value, float):
            return repr(value)  # inf or nan, as TOML writes them
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else _decimal_text(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {show_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return repr(value)


def _decimal_text(value: Fraction) -> str:
    """Exact decimal text where the fraction has one (92.5), else ``n/d`` (100/3)."""
    den = value.denominator
    places = 0
    while den % 2 == 0 or den % 5 == 0:
        den //= 2 if den % 2 == 0 else 5
        places += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    scaled = abs(value.numerator) * 10**places // value.denominator
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """Field types by name (resolved once per class: every section and key lookup asks)."""
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    known = list(choices)
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.7)
    close += [k for k in known if word and k.startswith(word) and k not in close]
    return f"; did you mean {' or '.join(map(repr, close))}?" if close else ""


def _child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if _BARE_KEY.fullmatch(key) else f"{path}.{show_value(key)}"


def _number(value: float | Decimal) -> Fraction | float:
    """A TOML float exactly, from its decimal text; ``inf`` and ``nan`` stay floats (no
    fraction is infinite), for the readers to refuse with the value shown."""
    if isinstance(value, Decimal):
        if value.is_finite():
            return Fraction(value)
        return math.nan if value.is_nan() else float(value)
    return Fraction(repr(value)) if math.isfinite(value) else value


def _exact(value: Any) -> Any:
    """Plain data with every float made an exact Fraction (from its decimal text)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (float, Decimal)):
        return _number(value)
    if isinstance(value, Mapping):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_exact(v) for v in value]
    return value


class _Reader:
    """Reads one policy, collecting problems instead of stopping at the first."""

    def __init__(
        self,
        policy_class: type[Policy],
        source: str | None,
        plugin_keys: Mapping[str, DeclaredKey] | None,
        code_sets: Mapping[str, CodeSet],
    ) -> None:
        self.policy_class = policy_class
        self.source = source
        self.plugin_keys = plugin_keys
        self.problems: list[PolicyProblem] = []
        self.code_sets = code_sets

    def problem(self, path: str, message: str) -> object:
        self.problems.append(PolicyProblem(path, message, file=self.source))
        return _BAD

    def expected(self, path: str, what: str, value: Any) -> object:
        return self.problem(path, f"expected {what}, got {shorten(show_value(value))}")

    # -- the whole policy ---------------------------------------------------------------------
    def policy(self, data: Mapping[str, Any]) -> Policy:
        if not isinstance(data, Mapping):
            self.expected("$", "a table", data)
            return self.policy_class(source=self.source)
        data = _exact(data)
        tables = dict(sections(self.policy_class))
        values: dict[str, Any] = {}
        for key in data:
            if key not in tables and key not in _SPECIAL_KEYS:
                self.problem(
                    _child("$", key),
                    f"unknown key {key!r}{_did_you_mean(key, [*tables, *_SPECIAL_KEYS])}",
                )
        for name, cls in tables.items():
            if name in data:
                read = self.instance(cls, data[name], f"$.{name}")
                if read is not _BAD:
                    values[name] = read
        codes = values.get("codes", CodesPolicy())
        self.check_code_fields(values, codes)
        self.check_calendar_file(values.get("calendar"))
        self.check_sections(values)
        if "plugins" in data:
            named = self.value(tuple[str, ...], data["plugins"], "$.plugins")
            if named is not _BAD:
                values["plugins"] = named
                self.check_plugin_names(named)
        values["plugin_settings"] = self.plugin_values(data.get("plugin_settings", {}))
        return self.policy_class(**values, source=self.source)

    # -- generic reading by type ------------------------------------------------------------
    def instance(self, cls: type, data: Any, path: str) -> Any:
        """An attrs instance from a table: unknown keys, missing required keys, each field."""
        if not isinstance(data, Mapping):
            return self.expected(path, "a table", data)
        fields = {f.name: f for f in attrs.fields(cls)}
        for key in data:
            if key not in fields:
                hint = _did_you_mean(key, fields) or self.elsewhere(key)
                self.problem(_child(path, key), f"unknown key {key!r}{hint}")
        hints = _hints(cls)
        values: dict[str, Any] = {}
        ok = True
        for name, field in fields.items():
            if name not in data:
                if field.default is attrs.NOTHING:
                    self.problem(_child(path, name), "missing (required)")
                    ok = False
                continue
            read = self.value(hints[name], data[name], _child(path, name), field)
            if read is not _BAD:
                values[name] = read
            elif field.default is attrs.NOTHING:
                ok = False
        return cls(**values) if ok else _BAD

    def elsewhere(self, key: str) -> str:
        """A hint naming the sections that do have ``key`` (a key put in the wrong table)."""
        owners = [
            name for name, cls in sections(self.policy_class) if key in attrs.fields_dict(cls)
        ]
        return f"; did you mean [{'] or ['.join(owners)}] {key}?" if owners else ""

    def value(
        self, hint: Any, value: Any, path: str, field: attrs.Attribute[Any] | None = None
    ) -> Any:
        """``value`` read as type ``hint``; records a problem and returns ``_BAD`` if it is not."""
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (typing.Union, UnionType) and NoneType in args:
            (inner,) = (a for a in args if a is not NoneType)
            return self.value(inner, value, path, field)
        if origin is Literal:
            if isinstance(value, str) and value in args:
                return value
            choices = ", ".join(map(repr, args))
            hint_text = _did_you_mean(value, args) if isinstance(value, str) else ""
            return self.problem(
                path, f"expected one of {choices}, got {show_value(value)}{hint_text}"
            )
        if origin is tuple:
            if not isinstance(value, (list, tuple)):
                return self.expected(path, "a list", value)
            items = [self.value(args[0], v, _child(path, i)) for i, v in enumerate(value)]
            return _BAD if _BAD in items else tuple(items)
        if origin is not None and issubclass(origin, Mapping):
            if not isinstance(value, Mapping):
                return self.expected(path, "a table", value)
            read = {k: self.value(args[1], v, _child(path, k)) for k, v in value.items()}
            return _BAD if _BAD in read.values() else MappingProxyType(read)
        if attrs.has(hint):
            return self.instance(hint, value, path)
        if hint is bool:
            return value if isinstance(value, bool) else self.expected(path, "true or false", value)
        if hint is str:
            if isinstance(value, str) and value.strip():
                return value
            return self.expected(path, "non-empty text", value)
        if hint is int:
            return self.integer(value, path, field)
        if hint is Fraction:
            return self.percentage(value, path)
        return self.expected(path, f"a {getattr(hint, '__name__', hint)}", value)

    def integer(self, value: Any, path: str, field: attrs.Attribute[Any] | None) -> Any:
        if field is not None and field.metadata.get("unit") == "percent":
            whole = isinstance(value, int) and not isinstance(value, bool)
            if whole and 0 <= value <= 100:
                return value
            number = isinstance(value, Fraction) and 0 <= value <= 100
            what = "a whole-number percentage" if number else "a percentage between 0 and 100"
            return self.expected(path, what, value)
        minimum = least_whole_number(field)
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return value
        return self.expected(path, f"a whole number of at least {minimum}", value)

    def percentage(self, value: Any, path: str) -> Any:
        exact: Fraction | None = None
        if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
            exact = Fraction(value)
        elif isinstance(value, str):
            try:
                exact = Fraction(value.strip())
            except ValueError:
                exact = None
        if exact is not None and 0 <= exact <= 100:
            return exact
        return self.expected(path, "a percentage between 0 and 100", value)

    # -- checks across fields ---------------------------------------------------------------
    def allowed_sets(self, codes: CodesPolicy) -> list[CodeSet]:
        if codes.code_set == "auto":
            return list(CODE_SETS.values())
        found = self.code_sets.get(codes.code_set)
        return [found] if found is not None else []

    def check_code_fields(self, values: Mapping[str, Any], codes: CodesPolicy) -> None:
        """Every ``codes``/``*_codes`` field names codes of the chosen code set(s)."""
        if codes.code_set != "auto" and codes.code_set not in self.code_sets:
            known = ["auto", *self.code_sets]
            self.problem(
                "$.codes.code_set",
                f"unknown code set {codes.code_set!r}{_did_you_mean(codes.code_set, known)}"
                f" (known: {', '.join(map(repr, known))})",
            )
            return
        sets = self.allowed_sets(codes)
        for section, instance in values.items():
            for field in attrs.fields(type(instance)):
                if field.name != "codes" and not field.name.endswith("_codes"):
                    continue
                path = f"$.{section}.{field.name}"
                value = getattr(instance, field.name)
                if isinstance(value, Mapping):
                    self.check_local_codes(value, path, sets)
                elif isinstance(value, tuple):
                    for i, code in enumerate(value):
                        self.check_code(code, _child(path, i), sets)

    def check_code(self, code: str, path: str, sets: Sequence[CodeSet]) -> None:
        if any(code in s for s in sets):
            return
        suggestions = dict.fromkeys(c for s in sets for c in s.suggest(code))
        hint = f"; did you mean {' or '.join(map(repr, suggestions))}?" if suggestions else ""
        names = " or ".join(s.id for s in sets)
        self.problem(path, f"unknown code {code!r} in code set {names}{hint}")

    def check_local_codes(
        self, mapping: Mapping[str, str], path: str, sets: Sequence[CodeSet]
    ) -> None:
        for local, statutory in mapping.items():
            where = _child(path, local)
            if any(local.strip() in s for s in sets):
                self.problem(
                    where, f"{local!r} is a statutory code; only local codes may be mapped"
                )
            self.check_code(statutory, where, sets)

    def check_calendar_file(self, calendar: CalendarPolicy | None) -> None:
        """A calendar file named in a policy file must exist beside it (relative paths)."""
        if calendar is None or calendar.file is None or self.source is None:
            return
        path = Path(self.source).parent / calendar.file
        if Path(self.source).is_file() and not path.is_file():
            self.problem("$.calendar.file", f"no calendar file {str(path)!r}")

    def check_sections(self, values: Mapping[str, Any]) -> None:
        for name, instance in values.items():
            check = _SECTION_CHECKS.get(type(instance))
            if check is not None:
                for path, message in check(instance, f"$.{name}"):
                    self.problem(path, message)

    def check_plugin_names(self, names: Sequence[str]) -> None:
        """Each plugin is named once; without the plugins' keys nobody loaded them."""
        for i, name in enumerate(names):
            if name in names[:i]:
                self.problem(f"$.plugins[{i}]", f"plugin {name!r} is named twice")
        if names and self.plugin_keys is None:
            self.problem(
                "$.plugins",
                "names plugins, but none were loaded: read this policy with "
                "attendance_core.load_policy() or School.from_files(), which load them",
            )

    # -- plugin-declared keys -----------------------------------------------------------------
    def plugin_values(self, data: Any) -> dict[str, Mapping[str, Any]]:
        tables: dict[str, dict[str, DeclaredKey]] = {}
        for declared_key in (self.plugin_keys or {}).values():
            tables.setdefault(declared_key.key.table, {})[declared_key.key.name] = declared_key
        if not isinstance(data, Mapping):
            self.expected("$.plugin_settings", "a table", data)
            data = {}
        for table in data:
            if table not in tables:
                self.problem(
                    _child("$.plugin_settings", table),
                    f"no plugin the policy turns on declares keys in [plugin_settings.{table}]"
                    f"{_did_you_mean(table, tables)}",
                )
        effective: dict[str, Mapping[str, Any]] = {}
        for table, keys in tables.items():
            given = data.get(table, {})
            path = _child("$.plugin_settings", table)
            if not isinstance(given, Mapping):
                self.expected(path, "a table", given)
                given = {}
            for key in given:
                if key not in keys:
                    owner = next(iter(keys.values())).plugin
                    self.problem(
                        _child(path, key),
                        f"unknown key {key!r} (plugin {owner!r} declares "
                        f"{', '.join(sorted(keys))}){_did_you_mean(key, keys)}",
                    )
            values = {}
            for name, declared_key in keys.items():
                if name in given:
                    values[name] = self.plugin_value(declared_key, given[name], _child(path, name))
                else:
                    values[name] = declared_key.key.default
            effective[table] = MappingProxyType(values)
        return effective

    def plugin_value(self, declared_key: DeclaredKey, value: Any, path: str) -> Any:
        try:
            return declared_key.key.check(value)
        except (TypeError, ValueError) as error:
            self.problem(path, f"{error} (key of plugin {declared_key.plugin!r})")
            return declared_key.key.default


def _check_bands(bands: BandsPolicy, path: str) -> list[tuple[str, str]]:
    """Bands are listed highest first, with distinct names, and the lowest starts at 0."""
    problems = []
    where = f"{path}.bands"
    if not bands.bands:
        return [(where, "expected at least one band, the lowest starting at 0")]
    for i, (higher, lower) in enumerate(zip(bands.bands, bands.bands[1:], strict=False)):
        if lower.at_least >= higher.at_least:
            problems.append(
                (
                    f"{where}[{i + 1}].at_least",
                    f"bands must be listed highest first: {show_value(lower.at_least)} is not "
                    f"below {show_value(higher.at_least)} ({higher.name!r})",
                )
            )
    if bands.bands[-1].at_least != 0:
        last = len(bands.bands) - 1
        problems.append(
            (
                f"{where}[{last}].at_least",
                f"the lowest band must start at 0, got {show_value(bands.bands[-1].at_least)}",
            )
        )
    seen: set[str] = set()
    for i, band in enumerate(bands.bands):
        if band.name in seen:
            problems.append((f"{where}[{i}].name", f"band name {band.name!r} is used twice"))
        seen.add(band.name)
    return problems


def _check_thresholds(thresholds: ThresholdsPolicy, path: str) -> list[tuple[str, str]]:
    """Severe absence cannot be a lower threshold than persistent absence."""
    if thresholds.severe_absence < thresholds.persistent_absence:
        return [
            (
                f"{path}.severe_absence",
                f"expected at least persistent_absence ({thresholds.persistent_absence}), "
                f"got {thresholds.severe_absence}",
            )
        ]
    return []


def _check_school_age(school_age: SchoolAgePolicy, path: str) -> list[tuple[str, str]]:
    """Each prescribed day is a day of every year written MM-DD; at least one is given."""
    problems = []
    for index, text in enumerate(school_age.prescribed_days):
        try:
            parse_month_day(text, field="school_age.prescribed_days")
        except InputError as error:
            problems.append(
                (f"{path}.prescribed_days[{index}]", f"expected {error.expected}, got {text!r}")
            )
    if not school_age.prescribed_days:
        problems.append((f"{path}.prescribed_days", "expected at least one day, got none"))
    return problems


def _check_escalation(escalation: EscalationPolicy, path: str) -> list[tuple[str, str]]:
    """Ladder steps are distinct; ``by_severity`` maps severities onto steps of the ladder."""
    problems = []
    for i, step in enumerate(escalation.ladder):
        if step in escalation.ladder[:i]:
            problems.append((f"{path}.ladder[{i}]", f"step {step!r} is listed twice"))
    severities = [s.value for s in Severity]
    for severity, step in escalation.by_severity.items():
        where = _child(f"{path}.by_severity", severity)
        if severity not in severities:
            problems.append(
                (
                    where,
                    f"unknown severity {severity!r}{_did_you_mean(severity, severities)}"
                    f" (severities: {', '.join(severities)})",
                )
            )
        if step not in escalation.ladder:
            ladder = ", ".join(map(repr, escalation.ladder)) or "none"
            problems.append(
                (where, f"{step!r} is not a step of escalation.ladder (steps: {ladder})")
            )
    return problems


_SECTION_CHECKS: dict[type, Callable[[Any, str], list[tuple[str, str]]]] = {
    BandsPolicy: _check_bands,
    EscalationPolicy: _check_escalation,
    SchoolAgePolicy: _check_school_age,
    ThresholdsPolicy: _check_thresholds,
}
"""Checks that need more than one field of a section, by section type."""
