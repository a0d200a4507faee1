"""The other direction of test_docs: every ``wbk ...`` command the README and docs/ show in a
code block or inline code runs (the command path exists), and every ``WBK_`` name they mention
is a setting (or one of the few variables read outside Settings)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.unit.test_docs import README, commands, doc_pages
from wbk.settings import Settings

# read outside Settings: LibreOffice's path, compose.yaml's host name, the tests' and
# benchmarks' own variables
OUTSIDE_SETTINGS = {"WBK_SOFFICE", "WBK_HOST", "WBK_TEST_ARTIFACTS", "WBK_BENCH_PG_URL"}
CODE = re.compile(r"```[^\n]*\n(.*?)```|`([^`\n]+)`", re.S)
INVOCATION = re.compile(r"(?:^|[\s;|&(`$])wbk((?:\s+[a-z][a-z0-9-]*)+)")


def pages() -> list[Path]:
    return [README, *doc_pages()]


def shown_invocations() -> set[tuple[str, str]]:
    """(page, the words after ``wbk`` up to the first option or argument) of every
    invocation in code."""
    found = set()
    for page in pages():
        for block, inline in CODE.findall(page.read_text(encoding="utf-8")):
            for line in (block or inline).splitlines():
                line = line.split("#", 1)[0]
                for match in INVOCATION.finditer(line):
                    found.add((page.name, match.group(1).strip()))
    return found


KNOWN = set(commands())
GROUPS = {c.rsplit(" ", n)[0] for c in KNOWN for n in range(1, c.count(" "))}


def takes_arguments(path: str) -> bool:
    import typer

    from wbk.cli import app

    command = typer.main.get_command(app)
    ctx = command.context_class(command, info_name="wbk")
    for word in path.split()[1:]:
        command = command.get_command(ctx, word)
        ctx = command.context_class(command, parent=ctx, info_name=word)
    return any(p.param_type_name == "argument" for p in command.params)


def resolves(words: str) -> bool:
    """Some prefix of ``words`` is a command (the rest are its arguments), and no group is
    left without a sub-command."""
    parts = words.split()
    for n in range(len(parts), 0, -1):
        path = "wbk " + " ".join(parts[:n])
        if path in KNOWN:  # the words after it are its arguments, if it takes any
            return n == len(parts) or takes_arguments(path)
        if path in GROUPS:  # a group named alone, never one with an unknown sub-command
            return n == len(parts)
    return False


@pytest.mark.parametrize(("page", "words"), sorted(shown_invocations()))
def test_every_command_shown_exists(page: str, words: str) -> None:
    assert resolves(words), f"{page} shows `wbk {words}`, which is no command"


def test_the_scan_sees_commands() -> None:
    shown = {w for _, w in shown_invocations()}
    assert len(shown) > 50 and {"verify", "blobs migrate", "notes close"} <= shown
    assert not resolves("user frobnicate") and not resolves("frobnicate")
    assert not resolves("verify effort set")  # a command without arguments takes no words


@pytest.mark.parametrize("page", [p.name for p in pages()])
def test_every_setting_named_exists(page: str) -> None:
    path = next(p for p in pages() if p.name == page)
    named = set(re.findall(r"\bWBK_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    settings = {f"WBK_{f.upper()}" for f in Settings.model_fields}
    assert named <= settings | OUTSIDE_SETTINGS, named - settings - OUTSIDE_SETTINGS
