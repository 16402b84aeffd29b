"""docs/rules.md covers every built-in rule: a row in the table at a glance, linked to a section
that names the rule, cites a source and runs an example; and every CLI option of ``check``."""

from __future__ import annotations

import argparse
import re

import pytest

from _docs import DOCS, fenced_blocks
from attendance_core.cli import check as check_cli
from attendance_core.rules.findings import Rule
from attendance_core.rules.registry import BUILTIN_RULES

RULES_MD = DOCS / "rules.md"
TEXT = RULES_MD.read_text(encoding="utf-8")
ROW = re.compile(r"^\| \[`(?P<name>[a-z0-9-]+)`\]\(#(?P<anchor>[a-z0-9-]+)\) \|", re.MULTILINE)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")


SECTIONS = {
    _anchor(m["title"]): m.start()
    for m in re.finditer(r"^#{2,3} (?P<title>.+)$", TEXT, re.MULTILINE)
}


def _section(anchor: str) -> str:
    start = SECTIONS[anchor]
    later = [offset for offset in SECTIONS.values() if offset > start]
    return TEXT[start : min(later, default=len(TEXT))]


def test_the_table_lists_exactly_the_builtin_rules() -> None:
    assert [m["name"] for m in ROW.finditer(TEXT)] == [rule.name for rule in BUILTIN_RULES]


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda rule: rule.name)
def test_each_rule_has_a_section_with_source_and_example(rule: Rule) -> None:
    name = rule.name
    (anchor,) = [m["anchor"] for m in ROW.finditer(TEXT) if m["name"] == name]
    assert anchor in SECTIONS, f"{name} links to #{anchor}, which is no heading"
    section = _section(anchor)
    assert f"`{name}`" in section
    assert re.search(r"[Ss]ource", section), f"the section of {name} cites no source"
    assert "```python" in section, f"the section of {name} has no executed example"
    assert f'"{name}"' in section, f"the example of {name} does not run it"


def test_every_check_option_is_documented() -> None:
    parser = argparse.ArgumentParser()
    check_cli.add_arguments(parser)
    options = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    command_line = _section("command-line")
    missing = [o for o in options if o != "--help" and f"`{o}" not in command_line]
    assert missing == []


def test_rules_md_has_python_examples() -> None:
    assert len(fenced_blocks(RULES_MD, "python")) >= 15
