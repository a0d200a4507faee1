"""The page the server sends (wbk/ui/server.py): it names every page of the app, and the
browser gets the base-address script before Streamlit's own and the app's language."""

from __future__ import annotations

import ast
from pathlib import Path

from wbk.ui.server import PAGE_PATHS, patch_page

ROOT = Path(__file__).resolve().parents[2]


def _url_paths() -> set[str]:
    """Every url_path streamlit_app.py gives a page: the PAGES table's last field, the
    url_path= of the other st.Page calls and the sign-in page's own address."""
    tree = ast.parse((ROOT / "streamlit_app.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            for value in node.value.values:
                found.add(value.elts[-1].value)
        keyword = isinstance(node, ast.keyword) and node.arg == "url_path"
        if keyword and isinstance(node.value, ast.Constant):
            found.add(node.value.value)
        if isinstance(node, ast.comprehension) and isinstance(node.iter, ast.List):
            # the sign-in page at every address: for path in ["masuk", *PAGES' paths]
            found |= {e.value for e in node.iter.elts if isinstance(e, ast.Constant)}
    return found


def test_every_page_of_the_app_is_known_to_the_server():
    assert set(PAGE_PATHS) == _url_paths()


def test_the_script_comes_before_streamlits_and_the_language_is_set():
    import streamlit

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text("utf-8")
    assert '<html lang="en">' in index  # what the browser got before
    page = patch_page(index, "id")
    assert '<html lang="id">' in page and 'lang="en"' not in page
    ours = page.index("var pages")
    theirs = page.index('<script type="module"')
    assert page.index("<head>") < ours < theirs
    assert '"lke"' in page[ours:theirs] and "BACKEND_BASE_URL" in page[ours:theirs]
