"""The import rules of docs/architecture.md, checked on every import in the code (``ast``)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ENTRY_POINTS = ("wbk.ui", "streamlit_app", "wbk.cli", "wbk.api")
PURE = ("wbk.catalog", "wbk.scoring", "wbk.surveys", "wbk.planner", "wbk.portalrb")
# What a page may take from wbk.services.core.workspace: the workspace itself. Its other helpers
# (unit_chain, require, area_of...) are permission internals a page must not reimplement.
WORKSPACE_FOR_PAGES = {
    "wbk.services.core.workspace.Workspace",
    "wbk.services.core.workspace.open_workspace",
}
# The code pages may not call directly: it parses, computes or stores, and a page that does
# holds a rule; a service does it and the page draws the result.
BEHIND_SERVICES = (
    "wbk.scoring",
    "wbk.surveys",
    "wbk.formats",
    "wbk.uploads",
    "wbk.reports",
    "wbk.blobs",
    "wbk.planner",
    "wbk.portalrb",
)


def within(name: str, prefixes: tuple[str, ...] | str) -> bool:
    """``name`` is one of ``prefixes`` or inside one of them (``wbk.store.tables``)."""
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@dataclass(frozen=True)
class Rule:
    name: str
    applies: Callable[[str], bool]  # the importing module
    forbids: Callable[[str], bool]  # the imported name


RULES = (
    Rule(
        "only wbk/ui and streamlit_app.py import streamlit",
        lambda m: not within(m, ("wbk.ui", "streamlit_app")),
        lambda i: within(i, "streamlit"),
    ),
    Rule(
        "pure domain code has no database, storage, entry point or streamlit",
        lambda m: within(m, PURE),
        lambda i: within(
            i,
            (
                "wbk.services",
                "wbk.store",
                "wbk.blobs",
                "wbk.ui",
                "wbk.cli",
                "wbk.api",
                "sqlalchemy",
                "streamlit",
            ),
        ),
    ),
    Rule(
        "scoring depends only on catalog, errors and i18n",
        lambda m: within(m, "wbk.scoring"),
        lambda i: (
            within(i, "wbk")
            and not within(i, ("wbk.scoring", "wbk.catalog", "wbk.errors", "wbk.i18n"))
            and i != "wbk"
        ),
    ),
    Rule(
        "reports never touch the database",
        lambda m: within(m, "wbk.reports"),
        lambda i: within(i, ("wbk.store", "wbk.services", "sqlalchemy")),
    ),
    Rule(
        "store and blobs sit below services",
        lambda m: within(m, ("wbk.store", "wbk.blobs")),
        lambda i: within(i, ("wbk.services", "wbk.ui", "wbk.cli", "wbk.api")),
    ),
    Rule(
        "services never import an entry point or streamlit",
        lambda m: within(m, "wbk.services"),
        lambda i: within(i, ("wbk.ui", "wbk.cli", "wbk.api", "streamlit")),
    ),
    Rule(
        "entry points reach the database only through services",
        lambda m: within(m, ENTRY_POINTS),
        lambda i: within(i, ("wbk.store", "sqlalchemy")),
    ),
    Rule(
        "pages call services, not parsing or computing code",
        lambda m: within(m, ("wbk.ui", "streamlit_app")),
        lambda i: (
            within(i, BEHIND_SERVICES)
            or (i.startswith("wbk.services.core.workspace.") and i not in WORKSPACE_FOR_PAGES)
        ),
    ),
    Rule(
        "the package never imports the tests",
        lambda m: within(m, ("wbk", "streamlit_app")),
        lambda i: within(i, "tests"),
    ),
)

# Known violations, each "module: imports X (rule)", to be fixed by the owners of these
# modules and then removed from here. The test fails on any violation not listed AND on any
# listed one that is gone, so this set only ever shrinks. Empty now: the last ones (the
# Survei page parsing response files with wbk.surveys.responses and computing with
# wbk.surveys.ikm, the evidence page deciding editability with services.workspace.area_of)
# moved behind services.
TODO_VIOLATIONS: set[str] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    files = [ROOT / "streamlit_app.py", *sorted((ROOT / "wbk").rglob("*.py"))]
    return [f for f in files if "__pycache__" not in f.parts]


def imported_names(module: str, tree: ast.AST, is_package: bool) -> Iterator[str]:
    """Every name an ``import`` or ``from ... import`` anywhere in the module (also inside
    functions) brings in: ``from a.b import c`` yields ``a.b`` and ``a.b.c`` (c may be a
    submodule); relative imports are resolved against the module's package."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(p for p in [*base_parts, node.module or ""] if p)
            else:
                base = node.module or ""
            yield base
            for alias in node.names:
                if alias.name != "*":
                    yield f"{base}.{alias.name}"


def violations_in(module: str, source: str, is_package: bool = False) -> set[str]:
    names = set(imported_names(module, ast.parse(source), is_package))
    found = set()
    for rule in RULES:
        if not rule.applies(module):
            continue
        bad = {n for n in names if rule.forbids(n)}
        # ``from wbk.store.tables import Answer`` is one violation, not two
        for name in bad:
            if not any(name.startswith(other + ".") for other in bad):
                found.add(f"{module}: imports {name} ({rule.name})")
    return found


def all_violations() -> set[str]:
    found: set[str] = set()
    for path in source_files():
        found |= violations_in(
            module_name(path), path.read_text(encoding="utf-8"), path.name == "__init__.py"
        )
    return found


def test_the_import_rules_hold():
    found = all_violations()
    new = sorted(found - TODO_VIOLATIONS)
    fixed = sorted(TODO_VIOLATIONS - found)
    assert not new, "new import rule violations:\n" + "\n".join(new)
    assert not fixed, "fixed, remove from TODO_VIOLATIONS:\n" + "\n".join(fixed)


def test_every_module_is_read():
    modules = {module_name(p) for p in source_files()}
    assert {
        "streamlit_app",
        "wbk",
        "wbk.scoring.engine",
        "wbk.services.core.actor",
        "wbk.ui.pages.dashboard",
        "wbk.cli",
    } <= modules
    assert not any(within(m, "wbk.testing") for m in modules)  # moved to tests/support


# --- the checker itself finds what it should ------------------------------------------------


def test_checker_sees_imports_inside_functions_and_relative_ones():
    source = (
        "import os\n"
        "def f():\n"
        "    import streamlit as st\n"
        "    from sqlalchemy.orm import Session\n"
        "from ..store import tables\n"
        "from . import engine\n"
    )
    found = violations_in("wbk.scoring.batch", source)
    assert (
        "wbk.scoring.batch: imports streamlit (only wbk/ui and streamlit_app.py import streamlit)"
        in found
    )
    assert any(
        v.startswith("wbk.scoring.batch: imports sqlalchemy.orm (pure domain") for v in found
    )
    assert any(v.startswith("wbk.scoring.batch: imports wbk.store (pure domain") for v in found)
    assert any(
        v.startswith("wbk.scoring.batch: imports wbk.store (scoring depends only") for v in found
    )
    assert not any("wbk.scoring.engine" in v or " os " in v for v in found)


def test_checker_applies_each_rule_to_its_layer():
    def rules_broken(module: str, line: str) -> set[str]:
        return {v.split(" (", 1)[1].rstrip(")") for v in violations_in(module, line)}

    assert rules_broken("wbk.ui.pages.surveys", "from wbk.surveys.responses import read") == {
        "pages call services, not parsing or computing code"
    }
    assert rules_broken(
        "wbk.ui.pages.notes", "from wbk.services.core.workspace import area_of"
    ) == {"pages call services, not parsing or computing code"}
    assert (
        rules_broken("wbk.ui.session", "from wbk.services.core.workspace import Workspace") == set()
    )
    assert rules_broken("wbk.cli.score", "from wbk.store.tables import Answer") == {
        "entry points reach the database only through services"
    }
    assert rules_broken("wbk.cli.score", "from wbk.scoring import score") == set()  # pure: fine
    assert rules_broken("wbk.reports.data", "import sqlalchemy") == {
        "reports never touch the database"
    }
    assert rules_broken("wbk.store.database", "from wbk.services import audit") == {
        "store and blobs sit below services"
    }
    assert rules_broken(
        "wbk.services.assessment.notes", "from wbk.cli.common import user_errors"
    ) == {"services never import an entry point or streamlit"}
    assert rules_broken("wbk.scoring.engine", "from wbk.surveys import ikm") == {
        "scoring depends only on catalog, errors and i18n"
    }
    assert rules_broken("wbk.planner", "from wbk.services import dashboard") == {
        "pure domain code has no database, storage, entry point or streamlit"
    }
    assert rules_broken("wbk.services.demo", "from tests.support import data") == {
        "the package never imports the tests"
    }
