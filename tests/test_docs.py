"""The documentation is tested: every example runs, every TOML block parses, generated pages
are current.

Each page is one test. Its ```python blocks run in order in one namespace (so later blocks
use what earlier ones defined), with the working directory set to ``docs/`` for the pages
there (example files live in ``docs/examples/``) and to the repository root for README.md.
Its ```toml blocks must parse. A failure names the page and the line of the block. Blocks
whose info string says ``no-test`` are left out by :func:`tests._docs.fenced_blocks`.
"""

from __future__ import annotations

import shutil
import sys
import traceback
from pathlib import Path

import pytest

from _docs import DOCS, fenced_blocks
from attendance_core import InputError, _docgen
from attendance_core.plugins import AUTOLOAD_ENV

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = DOCS.parent
README = ROOT / "README.md"
PAGES = [p for p in [*sorted(DOCS.glob("*.md")), README] if p.is_file()]


def _has_examples(page: Path) -> bool:
    return bool(fenced_blocks(page, "python") or fenced_blocks(page, "toml"))


def _id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", [p for p in PAGES if _has_examples(p)], ids=_id)
def test_examples(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As a reader runs them: with the example plugins installed, loaded only where named.
    monkeypatch.delenv(AUTOLOAD_ENV)
    monkeypatch.chdir(DOCS if page.parent == DOCS else ROOT)
    name = _id(page)
    for line, text in fenced_blocks(page, "toml"):
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            pytest.fail(f"{name}, TOML block at line {line}: {error}")
    namespace: dict[str, object] = {"__name__": f"docs:{name}"}
    for line, text in fenced_blocks(page, "python"):
        # Pad so that tracebacks give the line numbers of the page itself.
        code = compile("\n" * (line - 1) + text, str(page), "exec")
        try:
            exec(code, namespace)
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            at = f"line {where.lineno}" if where.filename == str(page) else f"{where.filename}"
            pytest.fail(
                f"{name}, python block at line {line} failed at {at}: "
                f"{type(error).__name__}: {error}"
            )


def test_every_generated_page_is_current() -> None:
    stale = [path.name for path in _docgen.regenerated(DOCS)]
    assert stale == [], f"generated pages drifted from the code: {stale}; run `make docs`"


def test_docgen_check_names_stale_pages_and_docgen_rewrites_only_their_generated_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in _docgen.PAGES:
        shutil.copy(DOCS / name, tmp_path / name)
    rules, hooks = tmp_path / "rules.md", tmp_path / "hooks.md"
    current = rules.read_text(encoding="utf-8")
    stale = current.replace("| `lateness` | pupil |", "| `lateness` | register |")
    assert stale != current
    rules.write_text(stale, encoding="utf-8")
    hooks.write_text("stale\n", encoding="utf-8")
    assert _docgen.main([str(tmp_path), "--check"]) == 1
    assert capsys.readouterr().out.splitlines() == [f"stale: {hooks}", f"stale: {rules}"]
    assert rules.read_text(encoding="utf-8") == stale, "--check must write nothing"
    assert _docgen.main([str(tmp_path)]) == 0
    assert rules.read_text(encoding="utf-8") == current
    assert hooks.read_text(encoding="utf-8") == (DOCS / "hooks.md").read_text(encoding="utf-8")
    assert _docgen.main([str(tmp_path), "--check"]) == 0


def test_a_page_without_its_markers_is_refused(tmp_path: Path) -> None:
    for name in _docgen.PAGES:
        shutil.copy(DOCS / name, tmp_path / name)
    (tmp_path / "policy.md").write_text("# Policy\n", encoding="utf-8")
    with pytest.raises(InputError, match="markers not found"):
        _docgen.regenerated(tmp_path)


def test_every_doc_page_is_listed_in_the_index() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    unlisted = [p.name for p in DOCS.glob("*.md") if p.name != "index.md" and p.name not in index]
    assert not unlisted, f"docs/index.md does not link {unlisted}"


def test_the_readme_links_every_doc_page_and_shows_every_command() -> None:
    from attendance_core.cli import COMMANDS

    readme = README.read_text(encoding="utf-8")
    unlinked = [p.name for p in DOCS.glob("*.md") if f"](docs/{p.name}" not in readme]
    assert not unlinked, f"README.md does not link {unlinked}"
    unshown = [name for name in COMMANDS if f"attendance-core {name} " not in readme]
    assert not unshown, f"README.md shows no example of {unshown}"
