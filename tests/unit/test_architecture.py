"""The import rules of docs/architecture.md, checked on every import in the code (``ast``)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ENTRY_POINTS = ("wbk.ui", "streamlit_app", "wbk.cli", "wbk.api")
PURE = (
    "wbk.catalog",
    "wbk.scoring",
    "wbk.surveys",
    "wbk.planner",
    "wbk.portalrb",
    "wbk.review",
)
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
    "wbk.review",
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
        "the pre-review reads text and the catalog only",
        lambda m: within(m, "wbk.review"),
        lambda i: (
            within(i, "wbk")
            and not within(
                i, ("wbk.review", "wbk.catalog", "wbk.formats", "wbk.errors", "wbk.i18n")
            )
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
    Rule(
        "the app never imports the other entry points",
        lambda m: within(m, ("wbk.ui", "streamlit_app")),
        lambda i: within(i, ("wbk.cli", "wbk.api")),
    ),
    Rule(
        "the command line never imports the other entry points",
        lambda m: within(m, "wbk.cli"),
        lambda i: within(i, ("wbk.ui", "streamlit_app", "wbk.api")),
    ),
    Rule(
        "the API never imports the other entry points",
        lambda m: within(m, "wbk.api"),
        lambda i: within(i, ("wbk.ui", "streamlit_app", "wbk.cli")),
    ),
    Rule(
        "formats and uploads read bytes: no services, storage, entry point or domain code",
        lambda m: within(m, ("wbk.formats", "wbk.uploads")),
        lambda i: (
            within(i, "wbk")
            and i != "wbk"
            and not within(
                i, ("wbk.formats", "wbk.uploads", "wbk.errors", "wbk.i18n", "wbk.scoring.answers")
            )
        ),
    ),
    Rule(
        "i18n depends only on settings",
        lambda m: within(m, "wbk.i18n"),
        lambda i: within(i, "wbk") and i != "wbk" and not within(i, ("wbk.i18n", "wbk.settings")),
    ),
    Rule(
        "errors depend only on i18n",
        lambda m: within(m, "wbk.errors"),
        lambda i: within(i, "wbk") and i != "wbk" and not within(i, ("wbk.errors", "wbk.i18n")),
    ),
    Rule(
        "settings depend on nothing in wbk",
        lambda m: within(m, "wbk.settings"),
        lambda i: within(i, "wbk") and i != "wbk" and not within(i, "wbk.settings"),
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


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def import_graph() -> dict[str, set[str]]:
    """module -> the wbk modules it imports when it runs (at the top or inside a function;
    an import under ``if TYPE_CHECKING:`` is never run and names a type only)."""
    paths = {module_name(p): p for p in source_files()}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if _is_type_checking(node):
                node.body = []  # type: ignore[attr-defined]
        targets = set()
        for name in imported_names(module, tree, path.name == "__init__.py"):
            while name and name not in paths:
                name = name.rpartition(".")[0]
            # a module's own packages run before it does: naming one is no new dependency
            if name and not within(module, name) and within(name, ("wbk", "streamlit_app")):
                targets.add(name)
        graph[module] = targets
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_anywhere_in_wbk():
    cycles = import_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle_through_a_function_import():
    graph = {"wbk.a": {"wbk.b"}, "wbk.b": {"wbk.c"}, "wbk.c": {"wbk.a"}, "wbk.d": {"wbk.a"}}
    assert import_cycles(graph) == [["wbk.a", "wbk.b", "wbk.c"]]
    assert import_cycles({"wbk.a": {"wbk.b"}, "wbk.b": set()}) == []


def wbk_modules_loaded_by_name(source: str) -> list[str]:
    """Calls that import a module by name (``importlib.import_module``, ``__import__``):
    the text of their first argument, or ``?`` when it is not a literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
        if name not in ("import_module", "__import__"):
            continue
        arg = node.args[0] if node.args else None
        text = arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else "?"
        if text == "?" or text.startswith(("wbk", ".")):
            found.append(text)
    return found


def test_no_module_of_wbk_is_imported_by_name():
    found = [
        f"{module_name(p)}: {name}"
        for p in source_files()
        for name in wbk_modules_loaded_by_name(p.read_text(encoding="utf-8"))
    ]
    assert not found, "import wbk modules with an import statement:\n" + "\n".join(found)
    assert wbk_modules_loaded_by_name("import importlib\nimportlib.import_module('wbk.x')")
    assert wbk_modules_loaded_by_name("from importlib import import_module\nimport_module(n)")
    assert not wbk_modules_loaded_by_name("importlib.import_module('yaml')")


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
        "wbk.ui.pages.notes", "from wbk.services.core.workspace import unit_chain"
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
