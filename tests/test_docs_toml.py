"""Every ```toml block of the docs and the plugins' READMEs loads as what it shows.

``test_docs.py`` only parses TOML; here each block is read by the loader it documents: a calendar
(it has ``[[years]]``) by ``SchoolCalendar.from_mapping``, a plugin's ``pyproject.toml`` (it has
``[build-system]``) against that plugin's real file, and anything else as a policy by
``load_policy`` (loading the installed plugins it names), with every key it sets read back
unchanged from the effective policy, so an example key the loader ignored or renamed fails here.
"""

from __future__ import annotations

import re
import sys
import textwrap
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from _docs import DOCS
from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.plugins import AUTOLOAD_ENV
from attendance_core.school import load_policy

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = DOCS.parent
PAGES = [*sorted(DOCS.glob("*.md")), ROOT / "README.md", *sorted(ROOT.glob("plugins/*/README.md"))]
# Indented fences too: the plugins' READMEs show their settings inside list items.
_FENCE = re.compile(r"^(?P<indent> *)```toml[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)


def _blocks() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start("body")) + 1
            where = f"{page.relative_to(ROOT).as_posix()}:{line}"
            found.append((where, textwrap.dedent(match["body"])))
    return found


BLOCKS = _blocks()


def _kind(data: dict[str, Any]) -> str:
    if "build-system" in data:
        return "pyproject"
    if "years" in data:
        return "calendar"
    return "policy"


def _same(shown: Any, read: Any) -> bool:
    """``shown`` (the example's value) equals ``read`` (the effective policy's, as TOML)."""
    if isinstance(shown, dict) and isinstance(read, dict):
        return shown.keys() <= read.keys() and all(_same(v, read[k]) for k, v in shown.items())
    if isinstance(shown, list) and isinstance(read, list):
        return len(shown) == len(read) and all(map(_same, shown, read))
    numbers = (int, Decimal, str)
    if isinstance(shown, numbers) and isinstance(read, numbers) and not isinstance(shown, bool):
        try:
            return Fraction(str(shown)) == Fraction(str(read))
        except ValueError:
            pass
    return bool(shown == read)


def test_the_docs_and_readmes_have_toml_examples_of_each_kind() -> None:
    kinds = {_kind(tomllib.loads(text)) for _, text in BLOCKS}
    assert kinds == {"calendar", "policy", "pyproject"}


@pytest.mark.parametrize(("where", "text"), BLOCKS, ids=[w for w, _ in BLOCKS])
def test_every_toml_example_loads_as_what_it_shows(
    where: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV)
    data = tomllib.loads(text, parse_float=Decimal)
    kind = _kind(data)
    if kind == "calendar":
        calendar = SchoolCalendar.from_mapping(tomllib.loads(text), source=where)
        assert calendar.years
    elif kind == "pyproject":
        name = data["project"]["name"]
        real = [
            tomllib.loads(p.read_text(encoding="utf-8"))
            for p in ROOT.glob("plugins/*/pyproject.toml")
        ]
        (same,) = [r for r in real if r["project"]["name"] == name]
        assert _same(data, same), f"{where} differs from plugins' pyproject.toml for {name}"
    else:
        # As a school reads it: the plugins it names are loaded from those installed.
        policy = load_policy(data, source=where)
        effective = tomllib.loads(policy.to_toml(), parse_float=Decimal)
        assert _same(data, effective), f"{where}: a key it sets is not what the policy reads"
