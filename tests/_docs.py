"""Reading the fenced code blocks of ``docs/*.md`` so that tests can execute or load them."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["DOCS", "fenced_blocks"]

DOCS = Path(__file__).resolve().parent.parent / "docs"

_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def fenced_blocks(path: Path, language: str) -> list[tuple[int, str]]:
    """Each ```` ```language ```` block of ``path`` as ``(first body line number, text)``.

    The info string's first word is the language; a block whose info string also says
    ``no-test`` is left out (for fragments that cannot stand alone; use sparingly).
    """
    text = path.read_text(encoding="utf-8")
    blocks = []
    for match in _FENCE.finditer(text):
        words = match["info"].split()
        if words and words[0] == language and "no-test" not in words:
            line = text.count("\n", 0, match.start("body")) + 1
            blocks.append((line, match["body"]))
    return blocks
