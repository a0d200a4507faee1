"""One change to the page Streamlit's server sends the browser (an ASGI middleware for
``st.App``, see ``app.py``): it names the app's base address before Streamlit's own script runs.

Loaded directly at a page's address (``/lke``, ``/survei``), Streamlit cannot tell a page from a
base path, so it first asks ``/lke/_stcore/health`` and ``/lke/_stcore/host-config``, gets two
404s (two console errors), then tries ``/`` (streamlit/streamlit#7074). Its documented
``window.__streamlit.BACKEND_BASE_URL`` settles it: a short script computes the base from the
address the browser shows (the page segment is dropped when it names one of the app's pages),
so it holds behind a proxy that strips a path prefix too. The page also says its language
(``<html lang="id">``, Streamlit's says ``en``); the app updates it when the reader switches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

# The url_path of every page the app can show (streamlit_app.py; tests/unit/test_server_page.py
# holds the two lists together).
PAGE_PATHS = (
    "dasbor",
    "lke",
    "rencana",
    "data-dukung",
    "catatan",
    "survei",
    "laporan",
    "portofolio",
    "akun",
    "admin",
    "masuk",
)

_SCRIPT = """<script>(function () {
  var pages = %s;
  var path = window.location.pathname.replace(/\\/+$/, "");
  var last = path.slice(path.lastIndexOf("/") + 1);
  var base = pages.indexOf(last) >= 0 ? path.slice(0, path.length - last.length) : path + "/";
  window.__streamlit = Object.assign({}, window.__streamlit || {}, {
    BACKEND_BASE_URL: new URL(base, window.location.origin).href
  });
})();</script>"""


def patch_page(html: str, lang: str, pages: Iterable[str] = PAGE_PATHS) -> str:
    """Streamlit's index.html with the base-address script first in <head> and ``lang``."""
    script = _SCRIPT % json.dumps(list(pages))
    html = html.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    return html.replace("<head>", "<head>\n    " + script, 1)


class BaseAddress:
    """ASGI middleware: Streamlit's HTML page goes out patched (``patch_page``); every other
    response passes through untouched. The page is asked for without compression (it is
    3 KB) so its text can be changed."""

    def __init__(self, app, lang: str = "id") -> None:
        self.app = app
        self.lang = lang

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers") or []
        accept = b"".join(v for k, v in headers if k == b"accept")
        if b"text/html" not in accept:
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in headers if k != b"accept-encoding"]
        start: dict | None = None
        body: list[bytes] = []

        async def capture(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kinds = [v for k, v in message.get("headers", []) if k == b"content-type"]
                if not any(v.startswith(b"text/html") for v in kinds):
                    await send(message)  # not the page: pass it on as it is
                    return
                start = message
                return
            if start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            text = b"".join(body).decode("utf-8")
            data = patch_page(text, self.lang).encode("utf-8")
            out = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            out.append((b"content-length", str(len(data)).encode()))
            await send({**start, "headers": out})
            head = scope["method"] == "HEAD"
            await send({"type": "http.response.body", "body": b"" if head else data})

        await self.app(scope, receive, capture)
