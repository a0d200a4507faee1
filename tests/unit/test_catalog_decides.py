"""The catalog decides: predicates, areas, components and result groups are read from the
catalog. Outside wbk/catalog, the criteria files and the locale files no code spells a
predicate id ("WBK", "WBBM") or parses a question code by its prefix ("P.", "R.", "H"), and
the catalog's helpers answer what that parsing used to."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import CATALOG_FILE
from wbk.catalog import PORTALRB_KATEGORI, PORTALRB_PREDICATES, Catalog

ROOT = Path(__file__).resolve().parents[2]

PREDICATE_WORD = re.compile(r"\b(WBK|WBBM)\b")
PREFIX_ALONE = re.compile(r"[PRH]\.?")  # "P", "R.", "H": a code prefix on its own
PREFIX_START = re.compile(r"[PRH](\.|$)")  # what startswith("H."), startswith("P") test
PREFIX_CALLS = {"startswith", "endswith", "removeprefix", "removesuffix"}

# Hits still waiting for their fix, each as (file, text on the hit's line). Empty: every
# predicate id and code prefix outside the catalog is read from it.
ALLOWED: tuple[tuple[str, str], ...] = ()


def sources() -> list[Path]:
    """Every .py file under wbk/ but wbk/catalog, and streamlit_app.py."""
    catalog = ROOT / "wbk" / "catalog"
    files = [p for p in (ROOT / "wbk").rglob("*.py") if catalog not in p.parents]
    return sorted([*files, ROOT / "streamlit_app.py"])


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of prose strings, not code: bare string statements (docstrings, attribute
    docs), a ``help=`` text, and the help line of a command in the CLI's lazy table
    (``Lazy(load, name, help)``, the first line of the command's docstring)."""
    prose = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            prose.add(id(node.value))
        elif isinstance(node, ast.Call):
            prose |= {id(k.value) for k in node.keywords if k.arg == "help"}
            if getattr(node.func, "id", None) == "Lazy" and len(node.args) >= 3:
                prose.add(id(node.args[2]))
    return prose


def _strings(node: ast.AST) -> Iterator[ast.Constant]:
    """The string constants of ``node`` itself or of the tuple/list/set it is."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        for elt in node.elts:
            yield from _strings(elt)


def literal_hits(source: str) -> Iterator[tuple[int, str]]:
    """(line, why) for every predicate id or code-prefix literal in ``source``."""
    tree = ast.parse(source)
    prose = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            if PREDICATE_WORD.search(node.value):
                yield node.lineno, f"predicate id in {node.value!r}"
            elif PREFIX_ALONE.fullmatch(node.value) and node.value != "P" and node.value != "R":
                yield node.lineno, f"code prefix {node.value!r}"
        elif isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                for const in _strings(side):
                    if PREFIX_ALONE.fullmatch(const.value):
                        yield const.lineno, f"compared with code prefix {const.value!r}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in PREFIX_CALLS
        ):
            for arg in node.args:
                for const in _strings(arg):
                    if PREFIX_START.match(const.value):
                        yield const.lineno, f"{node.func.attr}({const.value!r})"


def test_the_scanner_finds_each_kind_of_literal():
    sample = '''
def f(code, part, pid, x):
    """A docstring may say WBK and P.MP.i.a."""
    a = card.verdicts["WBK"]
    b = {'WBBM': 1}
    c = f"WBK {x}%"
    d = code.startswith("H.")
    e = code.startswith(('P', "R"))
    g = part == "P"
    h = code.split(".")[0] in ("P", "R")
    i = f"P.{x}"
    j = "H"
    k = code.startswith(x + "#")
    sexes = ("L", "P")
'''
    lines = sorted({line for line, _ in literal_hits(sample)})
    assert lines == [4, 5, 6, 7, 8, 9, 10, 11, 12]


def test_no_predicate_or_code_prefix_literal_outside_the_catalog():
    found = []
    for path in sources():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for line, why in sorted(set(literal_hits(text))):
            if any(a == (rel, a[1]) and a[1] in lines[line - 1] for a in ALLOWED):
                continue
            found.append(f"{rel}:{line}: {why}: {lines[line - 1].strip()}")
    assert not found, "read these from the catalog (wbk.catalog):\n" + "\n".join(found)


# --- the catalog's helpers ----------------------------------------------------------------


def test_predicates_in_the_order_of_the_yaml(catalog: Catalog):
    raw = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))
    ids = tuple(p["id"] for p in raw["predicates"])
    assert catalog.predicate_ids == ids
    assert catalog.lower_predicate == ids[0] == "WBK"
    assert catalog.higher_predicate == ids[-1] == "WBBM"
    assert list(catalog.predicate_ids) == [p.id for p in catalog.predicates]


def test_portalrb_contract_matches_the_catalog(catalog: Catalog):
    """PortalRB's kategori (the one spelled-out copy of the ids) agrees with the catalog."""
    assert catalog.predicate_ids == PORTALRB_PREDICATES
    assert set(catalog.predicate_ids) <= set(PORTALRB_KATEGORI)


def test_area_of_every_question_agrees_with_its_area(catalog: Catalog):
    raw = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))
    seen = 0
    for part in raw["pengungkit"]["parts"]:
        for area in part["areas"]:
            for sub in area["subareas"]:
                for q in sub["questions"]:
                    codes = [q["code"]]
                    codes += [
                        f"{q['code']}#{i['name']}" for i in q.get("formula", {}).get("inputs", [])
                    ]
                    for code in codes:
                        assert catalog.area_of(code) == area["code"], code
                        assert catalog.part_of(code) == part["code"], code
                        assert catalog.component_of(code) == "pengungkit", code
                        assert catalog.part_area(code) == (part["code"], area["code"]), code
                        assert not catalog.is_result(code)
                        seen += 1
    assert seen >= len(catalog.questions)
    assert sum(1 for i in catalog.items.values() if i.kind == "pengungkit") == len(
        catalog.questions
    )


def test_result_items_with_their_group(catalog: Catalog):
    raw = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))
    expected = [(g["code"], i["code"]) for g in raw["hasil"]["groups"] for i in g["items"]]
    assert [(g.code, i.code) for g, i in catalog.result_items] == expected
    assert catalog.results_area == raw["hasil"]["code"]
    for group, item in catalog.result_items:
        assert catalog.area_of(item.code) == catalog.results_area
        assert catalog.component_of(item.code) == "hasil"
        assert catalog.part_of(item.code) is None
        assert catalog.part_area(item.code) == (catalog.results_area, None)
        assert catalog.is_result(item.code)
        assert catalog.result_item(item.code) is item
        assert catalog.result_item(item.key) is item
        assert catalog.result_group(group.code) is group
        assert catalog.result_group(group.key) is group
    assert catalog.codes_in(catalog.results_area) == [c for _, c in expected]


@pytest.mark.parametrize("code", ["", "X.MP.i.a", "P.MP.i.zz", "H.IX.a", "ipak", "P.MP"])
def test_unknown_codes_belong_nowhere(catalog: Catalog, code: str):
    assert catalog.area_of(code) is None
    assert catalog.component_of(code) is None
    assert catalog.part_area(code) is None
    assert not catalog.is_result(code)


def test_area_keys_and_codes_of_an_area(catalog: Catalog):
    for part in catalog.pengungkit.parts:
        assert catalog.part_by_key(part.key) is part
        for area in part.areas:
            codes = catalog.codes_in(part.code, area.code)
            expected = [q.code for sub in area.subareas for q in sub.questions]
            assert codes == expected
            prefix = catalog.area_prefix(part.code, area.code)
            assert all(c.startswith(prefix) for c in codes)
            assert catalog.area_key(part.code, area.code) == prefix[:-1]
            assert catalog.split_area_key(prefix[:-1]) == (part.code, area.code)
            assert catalog.split_area_key(area.code) == ("", area.code)
    assert catalog.part_codes == tuple(p.code for p in catalog.pengungkit.parts)
    with pytest.raises(KeyError):
        catalog.part_by_key("nothing")
