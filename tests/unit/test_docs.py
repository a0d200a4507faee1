"""The documentation keeps up with the code: every command and every setting is described in
docs/, the README stays short, and every relative link points to a file that exists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from wbk.cli import app
from wbk.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
OPERATIONS = DOCS / "operations.md"
README_MAX_LINES = 250

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


def doc_pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in doc_pages())


def commands() -> Iterator[str]:
    """Every leaf command's full invocation (``wbk user add``), walked through the click API
    only (``list_commands`` / ``get_command``), so a group that loads its commands lazily is
    walked the same way."""
    root = typer.main.get_command(app)

    def walk(command, ctx, words: list[str]) -> Iterator[str]:
        if not hasattr(command, "list_commands"):
            yield " ".join(words)
            return
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, f"{' '.join(words)} lists {name!r} but cannot load it"
            yield from walk(sub, sub.context_class(sub, parent=ctx, info_name=name), [*words, name])

    yield from walk(root, root.context_class(root, info_name="wbk"), ["wbk"])


def mentions(text: str, phrase: str) -> bool:
    """``phrase`` stands as a whole (``wbk import`` is not in ``wbk import-xlsx``)."""
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def setting_vars() -> list[str]:
    return [f"WBK_{name.upper()}" for name in Settings.model_fields]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in ("L", "N"))
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    out = set()
    for heading in HEADING.findall(text):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def relative_links(page: Path) -> list[str]:
    text = INLINE_CODE.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE)  # http:, mailto:
    ]


def test_the_walk_finds_the_commands() -> None:
    found = set(commands())
    # a sanity check on the walk itself: a top-level command and one inside a group
    assert {"wbk score", "wbk user add"} <= found


@pytest.mark.parametrize("command", sorted(commands()))
def test_every_command_is_documented(command: str) -> None:
    assert mentions(docs_text(), command), f"`{command}` is not described in docs/"


@pytest.mark.parametrize("var", setting_vars())
def test_every_setting_is_documented(var: str) -> None:
    assert mentions(docs_text(), var), f"{var} is not described in docs/"


@pytest.mark.parametrize("var", setting_vars())
def test_every_setting_has_a_row_in_the_settings_table(var: str) -> None:
    rows = re.findall(
        r"^\|\s*`(WBK_[A-Z0-9_]+)`\s*\|", OPERATIONS.read_text(encoding="utf-8"), re.M
    )
    assert var in rows, f"{var} has no row in the settings table of {OPERATIONS.name}"


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < README_MAX_LINES, f"README.md has {len(lines)} lines"


def test_readme_links_every_docs_page() -> None:
    paths = [t.partition("#")[0] for t in relative_links(README)]
    linked = {(README.parent / p).resolve() for p in paths if p}
    missing = [p.name for p in doc_pages() if p.resolve() not in linked]
    assert not missing, f"README.md does not link {missing}"


@pytest.mark.parametrize("page", [README, *doc_pages()], ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_existing_files(page: Path) -> None:
    broken = []
    for target in relative_links(page):
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        missing_anchor = (
            file.exists()
            and bool(fragment)
            and file.suffix == ".md"
            and fragment not in anchors(file)
        )
        if not file.exists() or missing_anchor:
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)}: broken links {broken}"
