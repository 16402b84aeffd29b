"""docs/policy.md documents every key; its TOML examples and the example policies all load."""

from __future__ import annotations

import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pluggy
import pytest

from _docs import DOCS, fenced_blocks
from attendance_core import make_plugin_manager
from attendance_core._policydoc import BEGIN, policy_reference
from attendance_core.policy import Policy
from attendance_core.policy._load import _SPECIAL_KEYS, sections
from attendance_core.school import load_policy

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

POLICY_MD = DOCS / "policy.md"
EXAMPLES = sorted((DOCS / "examples" / "policies").glob("*.toml"))
ALL_KEYS = [(name, field) for name, cls in sections(Policy) for field in attrs.fields(cls)]


def _manager() -> pluggy.PluginManager:
    return make_plugin_manager(load_entrypoints=False)


@pytest.mark.parametrize(("section", "field"), ALL_KEYS, ids=[f"{s}.{f.name}" for s, f in ALL_KEYS])
def test_every_key_has_a_doc_and_a_source_and_appears_in_the_reference(
    section: str, field: attrs.Attribute[object]
) -> None:
    assert field.metadata.get("doc", "").strip(), f"{section}.{field.name} has no doc"
    assert field.metadata.get("source", "").strip(), f"{section}.{field.name} has no source"
    reference = policy_reference().split(f"### `[{section}]`", 1)[1].split("###", 1)[0]
    assert f"| `{field.name}` |" in reference


@pytest.mark.parametrize(
    ("line", "block"), fenced_blocks(POLICY_MD, "toml"), ids=lambda v: str(v)[:8]
)
def test_every_toml_example_in_policy_md_is_a_policy(line: int, block: str) -> None:
    data = tomllib.loads(block, parse_float=Decimal)
    policy = load_policy(data, source=f"policy.md:{line}", plugin_manager=_manager())
    for section, table in data.items():
        if isinstance(table, dict):
            for key, value in table.items():
                read = getattr(getattr(policy, section), key)
                if isinstance(read, Fraction):
                    assert read == Fraction(value)
                elif isinstance(value, (int, str)):
                    assert read == value


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_policies_load_and_round_trip(path: Path) -> None:
    policy = load_policy(path, plugin_manager=_manager())
    again = load_policy(
        tomllib.loads(policy.to_toml(), parse_float=Decimal), plugin_manager=_manager()
    )
    assert again == policy


def test_the_complete_example_sets_every_section() -> None:
    data = tomllib.loads((DOCS / "examples/policies/school.toml").read_text(encoding="utf-8"))
    assert {name for name, _ in sections(Policy)} <= set(data)


def test_the_prose_names_every_table_of_the_file() -> None:
    prose = POLICY_MD.read_text(encoding="utf-8").split(BEGIN, 1)[0]
    missing = [name for name, _ in sections(Policy) if f"`[{name}]`" not in prose]
    assert missing == [], f"docs/policy.md 'The file' does not name {missing}"


def test_the_top_level_keys_are_documented_with_their_defaults() -> None:
    text = POLICY_MD.read_text(encoding="utf-8")
    assert set(_SPECIAL_KEYS) == {"plugins", "plugin_settings"}
    assert "`plugins` (a list of installed plugins' entry-point names, default `[]`)" in text
    assert "`[plugin_settings.<table>]`" in text
